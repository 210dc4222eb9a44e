"""Plans, routes, comparisons and suggestions written out once, for every place that shows them.

The command line (text and ``--json``), the app's tables, the Markdown checklist, the JSON
export and the path figure all read the records built here, so a step, a rung or a suggestion
reads the same everywhere. Records hold plain text (not escaped): each shell escapes for its
own medium. ``*_json`` functions give the stable JSON forms documented in the README.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..advice import Suggestion
from ..index import GraphIndex
from ..planner import Plan
from ..profile import Origin, Profile
from ..routes import Comparison, Route
from ..steps import Reason, Step
from ..timeline import finish, schedule, weeks
from .text import salary_text

__all__ = [
    "MilestoneRow",
    "PlanRow",
    "brief_reason",
    "choices_text",
    "comparison_json",
    "comparison_rows",
    "exactness_text",
    "implied_rows",
    "milestone_rows",
    "origin_text",
    "plan_json",
    "plan_rows",
    "route_json",
    "route_rows",
    "salary_change_text",
    "suggestion_json",
]


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One step of a plan as people read it: its number and, at a pace, the date it is done."""

    number: int
    step: Step
    done_by: date | None = None

    skill = property(lambda self: self.step.skill)
    name = property(lambda self: self.step.name)
    from_level = property(lambda self: self.step.from_level)
    to_level = property(lambda self: self.step.to_level)
    hours = property(lambda self: self.step.hours)
    cumulative_hours = property(lambda self: self.step.cumulative_hours)

    @property
    def levels(self) -> str:
        return f"{self.from_level}→{self.to_level}"

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why the step is in the plan, most direct reason first."""
        return tuple(r.text for r in self.step.reasons)

    @property
    def why(self) -> str:
        return self.step.reasons[0].text if self.step.reasons else ""


def brief_reason(reason: Reason, names: Mapping[str, str]) -> str:
    """A step's reason in a few words, for a table cell (the milestone has its own column):
    which rung asks for the level, which skill needs it first, or which choice it fills (the
    plan's choices are explained beside the table).

    >>> brief_reason(Reason("requirement", "junior", 2, "…"), {"junior": "Junior"})
    'Junior asks level 2'
    >>> brief_reason(Reason("prerequisite", "django", 1, "…"), {"django": "Django"})
    'Django needs it first (level 1)'
    """
    name = names.get(reason.node, reason.node)
    if reason.kind == "requirement":
        optional = " (optional)" if reason.text.endswith(", optional") else ""
        return f"{name} asks level {reason.level}{optional}"
    if reason.kind == "prerequisite":
        return f"{name} needs it first (level {reason.level})"
    return f"chosen for {name} (level {reason.level})"


def plan_rows(
    result: Plan, pace: float | None = None, start: date | None = None, limit: int | None = None
) -> list[PlanRow]:
    """The plan's steps in order, numbered from 1, with their end dates at ``pace`` from
    ``start`` (when both are given); at most ``limit`` of them."""
    steps = result.steps if limit is None else result.steps[:limit]
    dates: list[date | None] = (
        list(schedule(steps, pace, start)) if pace and start else [None] * len(steps)
    )
    return [
        PlanRow(n, step, when) for n, (step, when) in enumerate(zip(steps, dates, strict=True), 1)
    ]


@dataclass(frozen=True, slots=True)
class MilestoneRow:
    """A rung on the way to the target: reached after ``step`` steps and ``hours`` hours."""

    role: str
    name: str
    step: int
    hours: float
    done_by: date | None

    def sentence(self) -> str:
        when = f", by {self.done_by:%B %Y}" if self.done_by else ""
        return f"ready for {self.name} after step {self.step}, {self.hours:,.0f} h{when}"


def milestone_rows(
    result: Plan, pace: float | None = None, start: date | None = None
) -> list[MilestoneRow]:
    """The plan's milestones, one per rung on the way, with their dates at ``pace``."""
    return [
        MilestoneRow(
            m.role,
            m.name,
            m.step,
            m.hours,
            finish(m.hours, pace, start) if pace and start else None,
        )
        for m in result.milestones
    ]


def exactness_text(result: Plan) -> str:
    """How good the plan's total is known to be: proven minimal, or at most so far above it.

    >>> from skilltree import Profile, load_graph, plan
    >>> exactness_text(plan(load_graph(), Profile(), "junior"))
    'proven minimal'
    """
    if result.exact:
        return "proven minimal"
    gap = result.gap
    shown = f"{gap:.1%}" if gap < 0.1 else f"{gap:.0%}"
    return f"at most {shown} above the minimum (not proven minimal within the time allowed)"


def origin_text(index: GraphIndex, origin: Origin) -> str:
    """Why a level is held without being stated: ``implied by Python``."""
    if origin.kind == "role":
        return f"assumed from your role ({index.names.get(origin.source, origin.source)})"
    return f"implied by {index.names.get(origin.source, origin.source)}"


def implied_rows(index: GraphIndex, held: Profile) -> list[dict[str, Any]]:
    """Every level the person holds without having said so, and why."""
    return [
        {
            "skill": skill,
            "name": index.names.get(skill, skill),
            "level": held.level(skill),
            "kind": origin.kind,
            "by": origin.source,
            "why": origin_text(index, origin),
        }
        for skill, origin in sorted(held.origins.items())
    ]


def choices_text(index: GraphIndex, result: Plan) -> str:
    """The group choices of a plan in one line: ``One language: Python; One database: SQLite``."""
    return "; ".join(
        f"{index.names[g]}: {', '.join(index.names[o] for o in options)}"
        for g, options in result.choices.items()
    )


def plan_json(result: Plan, pace: float | None = None, start: date | None = None) -> dict[str, Any]:
    """The stable JSON form of a plan (the CLI's ``--json`` and the JSON export)."""
    return {
        "target": result.target,
        "target_name": result.target_name,
        "readiness": round(result.readiness.score, 4),
        "total_hours": result.total_hours,
        "exact": result.exact,
        "bound": round(result.bound, 4),
        "gap": round(result.gap, 6),
        "method": result.method,
        "optional": result.optional,
        "choices": {g: list(options) for g, options in result.choices.items()},
        "notes": {g: list(notes) for g, notes in result.notes.items()},
        "warnings": list(result.warnings),
        "implied": [
            {
                "skill": skill,
                "level": result.held.level(skill),
                "kind": origin.kind,
                "by": origin.source,
            }
            for skill, origin in sorted(result.held.origins.items())
        ],
        "milestones": [
            {
                "role": m.role,
                "name": m.name,
                "after_step": m.step,
                "cumulative_hours": m.hours,
                "done_by": m.done_by.isoformat() if m.done_by else None,
            }
            for m in milestone_rows(result, pace, start)
        ],
        "pace_hours_per_week": pace,
        "weeks": round(weeks(result.total_hours, pace), 1) if pace else None,
        "start": start.isoformat() if start else None,
        "steps": [
            {
                "skill": row.skill,
                "name": row.name,
                "from_level": row.from_level,
                "to_level": row.to_level,
                "hours": row.hours,
                "cumulative_hours": row.cumulative_hours,
                "done_by": row.done_by.isoformat() if row.done_by else None,
                "reasons": list(row.reasons),
            }
            for row in plan_rows(result, pace, start)
        ],
    }


def suggestion_json(s: Suggestion) -> dict[str, Any]:
    """The stable JSON form of one suggestion of what to learn next."""
    return {
        "skill": s.skill,
        "name": s.name,
        "level": s.level,
        "hours": s.hours,
        "score": round(s.score, 6),
        "gain": round(s.gain, 6),
        "in_plan": s.in_plan,
        "essential": s.essential,
        "quick_win": s.quick,
        "reason": s.reason,
    }


def salary_change_text(change: tuple[float, float] | None) -> str:
    """``+10,000 / +12,000`` (low and high end of the band), or a dash."""
    if change is None:
        return "—"
    return f"{change[0]:+,.0f} / {change[1]:+,.0f}"


def route_rows(r: Route) -> list[dict[str, str]]:
    """A route's rungs as table rows."""
    return [
        {
            "rung": rung.name,
            "hours": f"{rung.hours:g}",
            "total": f"{rung.cumulative_hours:g}",
            "ready now": f"{rung.readiness:.0%}",
            "salary band": salary_text(rung.salary),
            "change": salary_change_text(rung.salary_change),
        }
        for rung in r.rungs
    ]


def route_json(r: Route) -> dict[str, Any]:
    """The stable JSON form of a route."""
    return {
        "start": r.start,
        "target": r.target,
        "roles": list(r.roles),
        "total_hours": r.total_hours,
        "rungs": [
            {
                "role": rung.role,
                "name": rung.name,
                "hours": rung.hours,
                "cumulative_hours": rung.cumulative_hours,
                "readiness": round(rung.readiness, 4),
                "salary": _plain(rung.salary),
                "salary_change": list(rung.salary_change) if rung.salary_change else None,
                "years": rung.years,
            }
            for rung in r.rungs
        ],
    }


def comparison_rows(
    index: GraphIndex, comparison: Comparison, pace: float | None = None
) -> list[dict[str, Any]]:
    """Targets side by side as table rows."""
    rows = []
    for t in comparison.targets:
        row: dict[str, Any] = {
            "target": t.name,
            "readiness": f"{t.readiness:.0%}",
            "hours left": t.hours,
        }
        if pace:
            row["weeks"] = round(weeks(t.hours, pace))
        row["salary band"] = salary_text(t.salary)
        row["only on this path"] = ", ".join(sorted(index.names[s] for s in t.distinct)) or "—"
        rows.append(row)
    return rows


def comparison_json(comparison: Comparison) -> dict[str, Any]:
    """The stable JSON form of targets side by side."""
    return {
        "shared": sorted(comparison.shared),
        "targets": [
            {
                "role": t.role,
                "readiness": round(t.readiness, 4),
                "hours": t.hours,
                "salary": _plain(t.salary),
                "distinct": sorted(t.distinct),
            }
            for t in comparison.targets
        ],
    }


def _plain(band: Mapping[str, Any] | None) -> dict[str, Any] | None:
    return dict(band) if band else None
