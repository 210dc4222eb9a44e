"""The project's exceptions: one base class, and subclasses that carry what went wrong.

Shells (the CLI, the app) catch :class:`SkilltreeError` once and show its message; everything
below it carries data (the unknown id and close matches, the list of problems) so that a shell
can present it in its own way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "DataError",
    "ExportError",
    "Problem",
    "ProfileError",
    "SkilltreeError",
    "UnknownIdError",
]


class SkilltreeError(Exception):
    """Base class of every error the library raises on purpose."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a data file: where it is and what is wrong.

    ``where`` names the entry (``skills[3] 'django'``), ``field`` the field inside it
    (``requires[0].id``), ``line`` the 1-based line in the file when it is known.
    """

    file: str
    where: str
    message: str
    field: str = ""
    line: int | None = None

    def __str__(self) -> str:
        place = self.file
        if self.line is not None:
            place += f":{self.line}"
        location = self.where
        if self.field:
            location = f"{location} › {self.field}" if location else self.field
        if location:
            return f"{place}: {location}: {self.message}"
        return f"{place}: {self.message}"


class DataError(SkilltreeError):
    """A data file (or uploaded document) is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the data"
        super().__init__(head + ":\n" + "\n".join(f"  - {p}" for p in self.problems))


class UnknownIdError(SkilltreeError, KeyError):
    """An id (of a skill, role, group, ...) that the graph does not hold."""

    def __init__(self, what: str, ident: str, suggestions: Iterable[str] = ()):
        self.what = what
        self.ident = ident
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        message = f"unknown {what} {ident!r}"
        if self.suggestions:
            message += " — did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class ProfileError(SkilltreeError):
    """A profile (skills and levels a person has) is malformed; ``problems`` lists each one."""

    def __init__(self, problems: Sequence[str]):
        self.problems: tuple[str, ...] = tuple(problems)
        super().__init__("; ".join(self.problems))


class ExportError(SkilltreeError):
    """An export could not be produced (unknown format, no browser, unwritable path)."""
