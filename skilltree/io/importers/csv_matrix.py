"""A team's skills matrix, as a spreadsheet exports it to CSV, to a format-2 ladder.

Teams keep their expectations in spreadsheets long before they write a ladder file, and there
is no standard layout, so two common ones are read (the header tells which, or ``layout=``
forces one):

* **wide** — the first column names the skill, every other column a role (left to right is the
  ladder, unless a row whose first cell is ``rank`` numbers the roles; a ``track`` row names each
  role's track); a cell holds the level the role needs. Optional columns: ``category``, ``hours``
  (one figure for every level step, or ``a/b/c`` one per step), ``importance``, ``description``.
* **long** — one row per requirement: ``role,skill,level`` plus optional ``importance``, ``rank``,
  ``track``, ``category``, ``hours``, ``description``. A header with a ``level`` column is long.

A level is a number, a level name (``levels=`` or the default names) or empty/``-``/``0`` for
none. A trailing ``?``, ``*`` or ``(optional)`` marks the requirement optional — our choice, as
spreadsheets have no standard mark; the ``importance`` column says the same in words.
Files: UTF-8 with or without a byte-order mark; comma, semicolon or tab, sniffed; quoted cells.
Building the ladder from what was read is :mod:`.matrix_ladder`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from ...gcpause import gc_paused
from .common import (
    DEFAULT_LEVEL_NAMES,
    MAX_NAME,
    MAX_TEXT,
    Collector,
    OptionError,
    Spot,
    check_levels,
    clean_name,
    clean_text,
    failure,
)
from .csvfiles import decode_utf8, read_rows, sniff_delimiter
from .matrix_ladder import Draft, Req, Role, Skill, build_ladder

__all__ = ["LAYOUTS", "MAX_BYTES", "import_csv_matrix", "parse_level"]

#: Largest matrix read (the app's upload cap; a matrix is far smaller).
MAX_BYTES = 5 * 1024 * 1024
#: Longest cell accepted; a description is the longest thing a cell holds.
MAX_CELL = MAX_TEXT
LAYOUTS = ("auto", "wide", "long")
WIDE_ATTRS = {"category", "hours", "importance", "description"}
LONG_COLUMNS = WIDE_ATTRS | {"role", "skill", "level", "rank", "track"}
SYNONYMS = {
    "skill name": "skill",
    "role name": "role",
    "required level": "level",
    "notes": "description",
    "group": "category",
}
NO_LEVEL = {"", "-", "–", "—", "0", "none", "n/a", "na"}
OPTIONAL_MARK = re.compile(r"\s*(\(optional\)|\?|\*)\s*$", re.IGNORECASE)
ESSENTIAL_WORDS = {"", "essential", "required", "must", "must have", "core", "yes"}
OPTIONAL_WORDS = {"optional", "nice to have", "nice-to-have", "bonus", "plus", "no"}

Bad = Callable[[Spot | None, str | None, str], None]
Rows = list[tuple[Spot, list[str]]]


def _norm(header: str) -> str:
    key = " ".join(header.casefold().replace("_", " ").split())
    return SYNONYMS.get(key, key)


def parse_level(cell: str, names: Sequence[str]) -> tuple[int | None, bool]:
    """``(level or None, optional)`` from a cell; ``ValueError`` with the reason otherwise.

    >>> parse_level("2?", ["basics", "working"]), parse_level("Working", ["basics", "working"])
    ((2, True), (2, False))
    """
    text, optional = cell.strip(), False
    marked = OPTIONAL_MARK.search(text)
    if marked:
        optional, text = True, text[: marked.start()].strip()
    folded = text.casefold()
    if folded in NO_LEVEL:
        return None, False
    number = re.fullmatch(r"(?:l|level\s*)?(\d{1,3})", folded)
    if number:
        return int(number.group(1)), optional
    for level, name in enumerate(names, 1):
        if folded == name.casefold():
            return level, optional
    choices = ", ".join(names)
    raise ValueError(f"{cell.strip()!r} is not a level (a number, one of {choices}, or empty)")


def _importance(cell: str, spot: Spot, column: str, bad: Bad) -> str | None:
    word = " ".join(cell.casefold().split())
    if word in ESSENTIAL_WORDS or word in OPTIONAL_WORDS:
        return "optional" if word in OPTIONAL_WORDS else "essential"
    bad(spot, column, f"{cell.strip()!r} is neither essential nor optional")
    return None


def _rank(text: str, spot: Spot, column: str, bad: Bad) -> int | None:
    if re.fullmatch(r"\d{1,3}", text) and int(text) <= 100:
        return int(text)
    bad(spot, column, f"rank {text!r} is not a whole number 0–100")
    return None


def _row_cells(spot: Spot, cells: list[str], header: list[str], bad: Bad) -> list[str] | None:
    """The row padded to the header's width; ``None`` (and problems) if a cell is too long or
    the row has more cells than the header."""
    ok = True
    for i, cell in enumerate(cells):
        if len(cell) > MAX_CELL:
            column = header[i] if i < len(header) else f"#{i + 1}"
            bad(spot, column, f"the cell is {len(cell):,} characters long; at most {MAX_CELL:,}")
            ok = False
    if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
        why = "a delimiter inside an unquoted cell?"
        bad(spot, None, f"the row has {len(cells)} cells but the header has {len(header)} ({why})")
        ok = False
    return cells + [""] * (len(header) - len(cells)) if ok else None


def _skill(draft: Draft, name: str, spot: Spot, column: str, bad: Bad, unique: bool) -> str | None:
    """The key of skill ``name``, added when new; in the wide layout a repeat is a problem."""
    key = name.casefold()
    if not name or len(name) > MAX_NAME:
        bad(spot, column, f"a skill name is 1–{MAX_NAME} characters, this one {len(name)}")
    elif key in draft.skills and unique:
        first = draft.skills[key].spot.row
        bad(spot, column, f"duplicate skill {name!r} (first on row {first})")
    else:
        draft.skills.setdefault(key, Skill(name, spot))
        return key
    return None


def _read_wide(rows: Rows, names: Sequence[str], bad: Bad) -> Draft:
    draft = Draft()
    head_spot, header = rows[0][0], [clean_name(h) for h in rows[0][1]]
    attrs: dict[str, int] = {}
    role_cols: dict[int, str] = {}
    for i, text in enumerate(header[1:], 1):
        if _norm(text) in WIDE_ATTRS:
            attrs[_norm(text)] = i
        elif not text or len(text) > MAX_NAME:
            bad(head_spot, f"#{i + 1}", f"a role column needs a name of 1–{MAX_NAME} characters")
        elif text.casefold() in draft.roles:
            bad(head_spot, text, "two role columns have this name")
        else:
            role_cols[i] = text
            draft.roles[text.casefold()] = Role(text, head_spot, len(role_cols))
    if not role_cols:
        bad(head_spot, None, "no role columns: after the skill column, name the roles")
    for spot, raw in rows[1:]:
        cells = _row_cells(spot, raw, header, bad)
        if cells is None:
            continue
        first = clean_name(cells[0])
        if first.casefold() in ("rank", "track"):
            for i, role_name in role_cols.items():
                role, text = draft.roles[role_name.casefold()], clean_name(cells[i])
                if first.casefold() == "track":
                    role.track = text or None
                elif text:
                    role.rank = _rank(text, spot, role_name, bad)
            continue
        key = _skill(draft, first, spot, header[0] or "skill", bad, unique=True)
        if key is None:
            continue
        skill = draft.skills[key]
        cell = {k: cells[i] for k, i in attrs.items()}
        skill.category = clean_name(cell.get("category", ""))
        skill.description = clean_text(cell.get("description", ""))
        if "hours" in attrs:
            skill.hours, skill.hours_at = cell["hours"].strip(), (spot, header[attrs["hours"]])
        if "importance" in attrs:
            column = header[attrs["importance"]]
            skill.importance = _importance(cell["importance"], spot, column, bad) or ""
        for i, role_name in role_cols.items():
            try:
                level, optional = parse_level(cells[i], names)
            except ValueError as exc:
                bad(spot, role_name, str(exc))
                continue
            if level is not None:
                optional = optional or skill.importance == "optional"
                draft.reqs.append(Req(role_name.casefold(), key, level, optional, spot, role_name))
    return draft


def _agree(obj: Any, attr: str, value: Any, spot: Spot, column: str, bad: Bad) -> None:
    """Set a per-skill or per-role value that several long-layout rows repeat; they must agree."""
    old = getattr(obj, attr)
    if value in ("", None):
        return
    if old in ("", None):
        setattr(obj, attr, value)
    elif str(old).casefold() != str(value).casefold():
        bad(spot, column, f"{value!r} here, but {old!r} on an earlier row for {obj.name!r}")


def _read_long(rows: Rows, names: Sequence[str], bad: Bad, report: list[str]) -> Draft:
    draft = Draft()
    head_spot, header = rows[0][0], [clean_name(h) for h in rows[0][1]]
    cols: dict[str, int] = {}
    for i, text in enumerate(header):
        if _norm(text) in LONG_COLUMNS and _norm(text) not in cols:
            cols[_norm(text)] = i
        elif text:
            report.append(f"Column {text!r} is not one the long layout reads; it was ignored.")
    missing = [c for c in ("role", "skill", "level") if c not in cols]
    if missing:
        found = ", ".join(h for h in header if h)
        bad(
            head_spot,
            None,
            f"the long layout needs role, skill and level columns; missing: "
            f"{', '.join(missing)} (found: {found})",
        )
        return draft
    title = {k: header[i] for k, i in cols.items()}
    pairs: dict[tuple[str, str], int] = {}
    for spot, raw in rows[1:]:
        cells = _row_cells(spot, raw, header, bad)
        if cells is None:
            continue
        cell = {k: cells[i] for k, i in cols.items()}
        role_name, skill_name = clean_name(cell["role"]), clean_name(cell["skill"])
        if not role_name or len(role_name) > MAX_NAME:
            bad(spot, title["role"], f"a role name is 1–{MAX_NAME} characters")
            continue
        new_role = Role(role_name, spot, len(draft.roles) + 1)
        role = draft.roles.setdefault(role_name.casefold(), new_role)
        key = _skill(draft, skill_name, spot, title["skill"], bad, unique=False)
        if key is None:
            continue
        skill = draft.skills[key]
        for attr in ("category", "hours", "description"):
            if attr in cols:
                text = clean_text(cell[attr]) if attr == "description" else clean_name(cell[attr])
                _agree(skill, attr, text, spot, title[attr], bad)
        if "hours" in cols and cell["hours"].strip() and skill.hours_at is None:
            skill.hours_at = (spot, title["hours"])
        if clean_name(cell.get("rank", "")):
            rank = _rank(clean_name(cell["rank"]), spot, title["rank"], bad)
            _agree(role, "rank", rank, spot, title["rank"], bad)
        if "track" in cols:
            _agree(role, "track", clean_name(cell["track"]), spot, title["track"], bad)
        try:
            level, optional = parse_level(cell["level"], names)
        except ValueError as exc:
            bad(spot, title["level"], str(exc))
            continue
        if "importance" in cols:
            word = _importance(cell["importance"], spot, title["importance"], bad)
            optional = optional or word == "optional"
        if level is None and not cell["level"].strip():
            bad(spot, title["level"], "the level is empty (write 0 or - for none)")
        if level is None:
            continue
        pair = (role_name.casefold(), key)
        if pair in pairs:
            again = f"{role_name!r} already needs {skill.name!r} (row {pairs[pair]})"
            bad(spot, title["skill"], again)
            continue
        pairs[pair] = spot.row
        draft.reqs.append(Req(pair[0], key, level, optional, spot, title["level"]))
    return draft


@gc_paused()
def import_csv_matrix(
    data: bytes | str,
    *,
    filename: str = "matrix.csv",
    levels: Sequence[str] | None = None,
    name: str | None = None,
    layout: str = "auto",
) -> tuple[dict[str, Any], list[str]]:
    """A skills matrix (CSV) as format-2 data and the report of every assumption made.

    ``levels`` names the levels (2–8; numbers in cells then go up to that many); without it the
    number of levels is the highest level seen (at least 2, at most 8: higher ones are folded)
    and the names are the defaults. ``name`` names the ladder (else the file does).

    Raises
    ------
    DataError
        Every problem found in the matrix (up to 50), each with its file, row, line and column.
    OptionError
        For options it cannot use (``levels``, ``layout``).
    """
    file = filename
    if layout not in LAYOUTS:
        raise OptionError("layout", f"one of {', '.join(LAYOUTS)}, not {layout!r}")
    given = check_levels(levels) if levels is not None else None
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if len(raw) > MAX_BYTES:
        raise failure(file, f"the file is {len(raw):,} bytes; at most {MAX_BYTES:,}")
    text = decode_utf8(raw, file)
    if not text.strip():
        raise failure(file, "the file is empty")
    delimiter = sniff_delimiter(text, file)
    rows = [(s, c) for s, c in read_rows(text, file, delimiter) if any(x.strip() for x in c)]
    if len(rows) < 2:
        raise failure(file, "the header has no rows under it", where="row 1", line=1)
    bom = " (a byte-order mark was skipped)" if raw.startswith(b"\xef\xbb\xbf") else ""
    report = [f"Read {file} as UTF-8 CSV with {delimiter!r} between cells{bom}."]
    heads = {_norm(h) for h in rows[0][1]}
    kind = layout if layout != "auto" else ("long" if "level" in heads else "wide")
    shape = "one row per requirement" if kind == "long" else "one column per role"
    if layout != "auto":
        why = "as asked"
    else:
        why = f"as the header has {'a' if kind == 'long' else 'no'} 'level' column"
    report.append(f"The {kind} layout ({shape}) was used, {why}.")
    names = given or list(DEFAULT_LEVEL_NAMES)
    found = Collector()
    bad: Bad = partial(found.at, file)
    draft = _read_long(rows, names, bad, report) if kind == "long" else _read_wide(rows, names, bad)
    found.check()
    if not draft.reqs:
        raise failure(file, "no role needs any skill: every level cell is empty")
    return build_ladder(draft, file, given, name, report)
