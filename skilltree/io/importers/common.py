"""What the importers share: located problems, ids, clean text, level names, guessed hours and
the few checks that keep their output inside what the loader accepts.

Importers are pure functions from a source's bytes to ``(data, report)``. Everything here
serves three promises they make: every problem is located (file, row or line, column or field)
as a :class:`~skilltree.errors.Problem`, up to :data:`MAX_PROBLEMS` of them are raised together
as one :class:`~skilltree.errors.DataError`, and no partial output is ever returned. A bad
*option* (not a bad source) raises :class:`OptionError` instead, so that a shell can call it a
usage error.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from typing import Any, NamedTuple

from ...errors import DataError, Problem, SkilltreeError
from ...model import MAX_LEVELS, MIN_LEVELS
from ...schema import MAX_RESOURCES, MAX_STEP_HOURS, is_web_address

__all__ = [
    "DEFAULT_LEVEL_NAMES",
    "MAX_CATEGORIES",
    "MAX_LEVEL_NAME",
    "MAX_NAME",
    "MAX_PROBLEMS",
    "MAX_RESOURCES",
    "MAX_TEXT",
    "Collector",
    "IdMaker",
    "OptionError",
    "Spot",
    "category_slug",
    "check_levels",
    "check_require_level",
    "clean_name",
    "clean_text",
    "declare_categories",
    "failure",
    "file_stem",
    "guess_hours",
    "level_names",
    "plain",
    "plural",
    "resource",
    "truncate",
]

#: Problems gathered at most before an import stops looking.
MAX_PROBLEMS = 50
#: Longest name the data format accepts (roles, skills, groups, aliases, categories).
MAX_NAME = 120
#: Longest free text the data format accepts (descriptions).
MAX_TEXT = 2000
#: Longest title of a link the data format accepts.
MAX_LINK_TITLE = 200
#: Longest level name the data format accepts.
MAX_LEVEL_NAME = 40
#: Categories a file may declare (the rest stay undeclared: the palette names and colours them).
MAX_CATEGORIES = 200
#: Level names used when the source has none: the first ones of format 2's examples.
DEFAULT_LEVEL_NAMES = ("basics", "working", "advanced", "expert", "authority")


class OptionError(SkilltreeError, ValueError):
    """An importer was given an option it cannot use (level names, an unknown occupation, …).

    ``option`` is the importer's keyword (a shell names its own flag for it). The source may be
    fine: the command line reports this as a usage error (exit code 2).
    """

    def __init__(self, option: str, message: str):
        self.option = option
        self.message = message
        super().__init__(f"{option}: {message}")


class Spot(NamedTuple):
    """Where a row of a table is: its row number as a spreadsheet shows it (the header is row
    1) and the line of the file it starts on (they differ after a cell holding line breaks)."""

    row: int
    line: int


def failure(
    file: str, message: str, *, where: str = "", field: str = "", line: int | None = None
) -> DataError:
    """A :class:`DataError` holding one problem, ready to raise."""
    return DataError([Problem(file, where, message, field, line)])


class Collector:
    """Problems as they are found. At :data:`MAX_PROBLEMS` it raises them at once, with a last
    entry saying it stopped (as the loader does at its own cap)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(
        self, file: str, where: str, message: str, field: str = "", line: int | None = None
    ) -> None:
        self.problems.append(Problem(file, where, message, field, line))
        if len(self.problems) >= MAX_PROBLEMS:
            stop = f"stopped after {MAX_PROBLEMS} problems; fix these and import again"
            raise DataError([*self.problems, Problem(file, "", stop)])

    def at(self, file: str, spot: Spot | None, field: str | None, message: str) -> None:
        """A problem at a row of a table (``spot``), in a column (``field``); either may be
        unknown."""
        where = f"row {spot.row}" if spot else ""
        self.add(file, where, message, field or "", spot.line if spot else None)

    def __bool__(self) -> bool:
        return bool(self.problems)

    def check(self) -> None:
        """Raise what was found, if anything."""
        if self.problems:
            raise DataError(self.problems)


# --------------------------------------------------------------------------------------------
# Text and ids
# --------------------------------------------------------------------------------------------

# What the schema refuses in text, less tab and line feed (line breaks are normalised first).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029]")


def clean_text(text: str) -> str:
    """Text the loader accepts: line breaks as ``\\n``, no other control characters, trimmed."""
    if text.isprintable():  # the common case, and far quicker than the regular expressions
        return text.strip()
    return _CONTROL.sub("", _BREAKS.sub("\n", text)).strip()


def clean_name(text: str) -> str:
    """A one-line name: cleaned text with every run of white space turned into one space."""
    return " ".join(clean_text(text).split())


def truncate(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters with an ellipsis, and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def file_stem(file: str) -> str:
    """The file's name without folders and extension, as words: ``data/team_matrix.csv`` →
    ``team matrix``."""
    base = re.split(r"[\\/]", file)[-1]
    stem = base.rsplit(".", 1)[0] if "." in base[1:] else base
    return clean_name(stem.replace("_", " ").replace("-", " "))


_SYMBOLS = (
    ("c++", "cpp"),
    ("++", "pp"),
    ("c#", "csharp"),
    ("f#", "fsharp"),
    ("#", "sharp"),
    ("+", "plus"),
    ("&", "and"),
    ("@", "at"),
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_DOT_WORD = re.compile(r"(^|\s)\.(?=\w)")
_DANGLING = re.compile(r"(-(and|or|of|the|for|with|in|to|a|an))+$")


def _slug_words(name: str) -> str:
    text = name.casefold().strip()
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    if any(ch in text for ch in "+#&@."):
        for symbol, word in _SYMBOLS:
            text = text.replace(symbol, f" {word} ")
        text = _DOT_WORD.sub(r"\1dot", text)  # ".NET" → "dotnet"
    return _NOT_SLUG.sub("-", text).strip("-")


def _cut(slug: str, limit: int) -> str:
    """``slug`` at most ``limit`` long, cut at a hyphen when one is near the end."""
    if len(slug) <= limit:
        return slug
    cut = slug[:limit]
    if "-" in cut[limit // 2 :]:
        cut = cut[: cut.rindex("-")]
    return cut.strip("-")


def category_slug(name: str) -> str:
    """A category (or track) slug, ``^[a-z][a-z0-9-]*$`` and at most 32 long; ``general`` for a
    name with no letters or digits.

    >>> category_slug("CI/CD & delivery"), category_slug("3D printing")
    ('ci-cd-and-delivery', 'c-3d-printing')
    """
    slug = _DANGLING.sub("", _cut(_slug_words(name), 30))
    if not slug:
        return "general"
    return slug if slug[0].isalpha() else f"c-{slug}"


class IdMaker:
    """Unique ids (``^[a-z0-9][a-z0-9_-]*$``, at most 64 long) made from names.

    One maker per output file: roles, skills and groups share one id space in the graph.
    ``renamed`` keeps the names whose id is not simply their slug, for the report.

    >>> ids = IdMaker()
    >>> ids.make("C#"), ids.make(".NET"), ids.make("c#")
    ('csharp', 'dotnet', 'csharp-2')
    """

    LIMIT = 64

    def __init__(self, fallback: str = "item") -> None:
        self.used: set[str] = set()
        self.fallback = fallback
        self.renamed: list[tuple[str, str]] = []
        self.example: tuple[str, str] | None = None

    def make(self, name: str) -> str:
        """A new id for ``name``: its slug, with ``-2``, ``-3`` … when that is taken."""
        base = _cut(_slug_words(name), self.LIMIT - 6) or self.fallback
        ident, n = base, 1
        while ident in self.used:
            n += 1
            ident = f"{base}-{n}"
        self.used.add(ident)
        if n > 1 or base == self.fallback:
            self.renamed.append((name, ident))
        elif ident != name and (
            self.example is None or (" " in name and " " not in self.example[0])
        ):
            self.example = (name, ident)  # one with spaces shows the rule best
        return ident

    def report(self, what: str) -> list[str]:
        """Sentences on how ids were made, naming those that are not plain slugs of their names."""
        out = [
            "Ids were made from names: lower-case ASCII words joined by hyphens"
            + (f" ({self.example[0]!r} → {self.example[1]!r})." if self.example else ".")
        ]
        if self.renamed:
            shown = ", ".join(f"{n!r} → {i!r}" for n, i in self.renamed[:5])
            more = f" and {len(self.renamed) - 5} more" if len(self.renamed) > 5 else ""
            out.append(
                f"{plural(len(self.renamed), what)} had a name whose id was taken or empty, "
                f"so the id got a number: {shown}{more}."
            )
        return out


# --------------------------------------------------------------------------------------------
# Levels, hours, links, categories
# --------------------------------------------------------------------------------------------


def check_levels(levels: Sequence[str] | str, option: str = "levels") -> list[str]:
    """Level names given as an option, cleaned: 2–8 distinct names of 1–40 characters.

    >>> check_levels(["seen", " done "])
    ['seen', 'done']
    """
    if isinstance(levels, str):
        levels = [levels]
    names = [clean_name(str(n)) for n in levels]
    if not MIN_LEVELS <= len(names) <= MAX_LEVELS:
        raise OptionError(
            option, f"give {MIN_LEVELS}–{MAX_LEVELS} level names, lowest first (got {len(names)})"
        )
    for name in names:
        if not 1 <= len(name) <= MAX_LEVEL_NAME:
            raise OptionError(option, f"a level name is 1–{MAX_LEVEL_NAME} characters: {name!r}")
    if len({n.casefold() for n in names}) < len(names):
        raise OptionError(option, "level names must be distinct")
    return names


def check_require_level(level: int, levels: Sequence[str]) -> int:
    """The level every requirement is set at, checked against the ladder's levels."""
    if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= len(levels):
        raise OptionError("require_level", f"must be 1–{len(levels)}, got {level!r}")
    return level


def level_names(count: int, given: Sequence[str] | None = None) -> list[str]:
    """Names for ``count`` levels: ``given`` when passed, else the defaults, then 'level N'."""
    if given is not None:
        return list(given)
    names = list(DEFAULT_LEVEL_NAMES[:count])
    names += [f"level {i}" for i in range(len(names) + 1, count + 1)]
    return names


def guess_hours(first_step: float, levels: int, factor: float = 2.0) -> list[int]:
    """Hours per level step: ``first_step`` to reach level 1, each further step ``factor`` times
    the last; whole hours, each within the loader's cap.

    >>> guess_hours(20, 4)
    [20, 40, 80, 160]
    """
    return [min(MAX_STEP_HOURS, round(first_step * factor**i)) for i in range(levels)]


def resource(title: str, url: str) -> dict[str, str] | None:
    """A link as the data format holds it (:class:`skilltree.schema.Resource`), or ``None`` when
    the format would refuse it: not http or https, spaces or control characters, too long.

    The same rules as the schema's, checked without it: an ESCO import makes tens of thousands.

    >>> resource("Docs", "https://example.org/a"), resource("Bad", "javascript:alert(1)")
    ({'title': 'Docs', 'url': 'https://example.org/a'}, None)
    """
    title, url = truncate(clean_name(title), MAX_LINK_TITLE)[0], url.strip()
    if not title or len(url) > MAX_TEXT or not is_web_address(url):
        return None
    return {"title": title, "url": url}


def declare_categories(names: dict[str, str], report: list[str]) -> list[dict[str, str]]:
    """The ``categories`` section for slug → display name, at most :data:`MAX_CATEGORIES`; the
    rest stay undeclared (the app then names them from their slug), and the report says so."""
    items = [{"id": c, "name": truncate(n, MAX_NAME)[0] or c} for c, n in names.items()]
    if len(items) > MAX_CATEGORIES:
        report.append(
            f"{plural(len(items), 'category', 'categories')}: the first {MAX_CATEGORIES} are "
            "declared with their names; the others are named from their ids."
        )
    return items[:MAX_CATEGORIES]


def plural(count: int, word: str, many: str | None = None) -> str:
    """``"1 skill"``, ``"3 skills"``: a count with its noun in the right number.

    >>> plural(1, "skill"), plural(2_000, "category", "categories")
    ('1 skill', '2,000 categories')
    """
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def plain(data: Any) -> Any:
    """``data`` as fresh plain JSON values: no shared objects (so YAML dumps need no anchors),
    no NaN or infinity, nothing but dicts with text keys, lists, strings, numbers, booleans and
    None. A walk that copies the containers (an ESCO import holds a million values: this is
    about half the cost of a JSON round trip).

    >>> shared = [1, 2]
    >>> out = plain({"a": shared, "b": (shared, None)})
    >>> out, out["a"] is out["b"][0]
    ({'a': [1, 2], 'b': [[1, 2], None]}, False)
    >>> plain({"x": float("nan")})
    Traceback (most recent call last):
    ValueError: not a plain value: nan
    """
    kind = type(data)
    if kind is dict:
        if not all(type(key) is str for key in data):
            raise ValueError(f"not a plain mapping (keys must be text): {list(data)[:3]!r}")
        return {key: plain(value) for key, value in data.items()}
    if kind is list or kind is tuple:
        return [plain(value) for value in data]
    if kind is str or kind is int or kind is bool or data is None:
        return data
    if kind is float and math.isfinite(data):
        return data
    raise ValueError(f"not a plain value: {data!r:.60}")
