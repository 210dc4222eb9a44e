"""Hours of study as calendar time, at the pace a person chooses (hours per week)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Protocol

__all__ = ["finish", "schedule", "weeks"]


class _Timed(Protocol):
    @property
    def cumulative_hours(self) -> float: ...


def weeks(hours: float, pace: float) -> float:
    """Weeks of study for ``hours`` at ``pace`` hours per week.

    >>> weeks(100, 10)
    10.0
    """
    if not pace > 0:
        raise ValueError(f"pace must be a positive number of hours per week, got {pace!r}")
    return hours / pace


def finish(hours: float, pace: float, start: date) -> date:
    """The day ``hours`` of study are done at ``pace`` hours per week from ``start``.

    >>> finish(10, 10, date(2026, 1, 1))
    datetime.date(2026, 1, 8)
    """
    return start + timedelta(days=math.ceil(weeks(hours, pace) * 7))


def schedule(steps: Sequence[_Timed], pace: float, start: date) -> list[date]:
    """The projected end date of each step at ``pace`` hours per week, starting on ``start``."""
    return [finish(s.cumulative_hours, pace, start) for s in steps]
