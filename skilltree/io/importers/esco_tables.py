"""Reading the tables of an ESCO CSV download: finding the files, streaming their rows, the
occupations and their links to skills, and the skill categories taken from the skills pillar's
hierarchy. The mapping to format 2 is
:mod:`.esco`.

The download has one CSV per table, named ``<table>_<language>.csv`` (``skills_en.csv``; the
relation tables carry the suffix too though they hold URIs only). Columns are found by name, as
ESCO releases add, drop and reorder columns and only the ones we read must be present. Tables
are streamed row by row, so the full download (tens of megabytes) is never held as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import partial
from typing import Any

from .common import Collector, Spot, category_slug, clean_name, failure, plural
from .csvfiles import read_rows, sniff_delimiter

__all__ = [
    "TABLES",
    "Categories",
    "Table",
    "cell",
    "find_tables",
    "labels",
    "read_occupations",
    "read_relations",
    "rows",
    "table_key",
]

#: Key → (file stem, required, columns that must be there).
TABLES: dict[str, tuple[str, bool, tuple[str, ...]]] = {
    "occupations": ("occupations", True, ("conceptUri", "preferredLabel")),
    "skills": ("skills", True, ("conceptUri", "preferredLabel")),
    "relations": ("occupationSkillRelations", True, ("occupationUri", "relationType", "skillUri")),
    "broader": ("broaderRelationsSkillPillar", False, ("conceptUri", "broaderUri")),
    "groups": ("skillGroups", False, ("conceptUri", "preferredLabel")),
    "hierarchy": ("skillsHierarchy", False, ("Level 0 URI", "Level 0 preferred term")),
    "isco": ("ISCOGroups", False, ("code", "preferredLabel")),
}
OCCUPATION_COLUMNS = ("conceptType", "altLabels", "description", "iscoGroup", "code")
_PATTERNS = {
    key: re.compile(rf"^{stem}(_[a-z]{{2,3}})?\.csv$", re.IGNORECASE)
    for key, (stem, _, _) in TABLES.items()
}

#: A table: its file name and bytes.
Table = tuple[str, bytes]


def table_key(name: str) -> str | None:
    """Which table a file holds, by its name (``skills_en.csv`` → ``skills``), or ``None``.

    >>> table_key("data/occupationSkillRelations_en.csv"), table_key("skillSkillRelations_en.csv")
    ('relations', None)
    """
    base = re.split(r"[\\/]", name)[-1]
    return next((key for key, pattern in _PATTERNS.items() if pattern.match(base)), None)


def find_tables(files: Mapping[str, bytes], found: Collector) -> dict[str, Table]:
    """Key → (file name, bytes) for each table given; a missing required one is a problem."""
    chosen: dict[str, Table] = {}
    for key, (stem, required, _) in TABLES.items():
        hits = [n for n in files if table_key(n) == key]
        if len(hits) > 1:
            found.add(hits[1], "", f"{len(hits)} {stem} tables given ({', '.join(hits)}); give one")
        elif hits:
            chosen[key] = (hits[0], files[hits[0]])
        elif required:
            found.add(
                "ESCO download",
                "",
                f"the {stem} table is missing (a file named {stem}_<language>.csv, such as "
                f"{stem}_en.csv)",
            )
    return chosen


def rows(
    table: Table, needed: Sequence[str], wanted: Sequence[str] = ()
) -> Iterator[tuple[Spot, list[str], dict[str, int]]]:
    """``(spot, cells, index)`` per non-blank row, streamed; ``index`` maps column names to
    positions (absent ``wanted`` columns to -1). Missing ``needed`` columns, short rows, broken
    quoting and bytes that are not UTF-8 are located problems."""
    name, data = table
    if not data.strip():
        raise failure(name, "the file is empty")
    delimiter = sniff_delimiter(data[:65536].decode("utf-8-sig", "replace"), name)
    stream = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8-sig", newline="")
    records = read_rows(stream, name, delimiter)
    _, first = next(records)
    header = [h.strip() for h in first]
    index = {h: i for i, h in enumerate(header)}
    missing = [c for c in needed if c not in index]
    if missing:
        message = f"missing column (found: {', '.join(header)[:300]})"
        raise failure(name, message, where="row 1", field=missing[0], line=1)
    index.update({c: -1 for c in wanted if c not in index})
    width, last = len(header), max(index[c] for c in needed)
    for spot, cells in records:
        if not any(cells):
            continue
        if len(cells) < width:
            if len(cells) <= last:
                message = f"the row has {len(cells)} cells; the header has {width}"
                raise failure(name, message, where=f"row {spot.row}", line=spot.line)
            cells += [""] * (width - len(cells))
        yield spot, cells, index


def cell(cells: list[str], index: dict[str, int], column: str) -> str:
    """The cell of ``column``, or ``""`` where the file has no such column."""
    i = index.get(column, -1)
    return cells[i] if i >= 0 else ""


def labels(text: str) -> list[str]:
    """ESCO's alternative labels: one per line within the cell."""
    return [n for n in (clean_name(x) for x in text.split("\n")) if n]


def _group_labels(chosen: dict[str, Table]) -> dict[str, str]:
    """Skill group URI → label, from skillGroups and/or skillsHierarchy."""
    found: dict[str, str] = {}
    if "groups" in chosen:
        for _, cells, ix in rows(chosen["groups"], ("conceptUri", "preferredLabel")):
            found[cells[ix["conceptUri"]].strip()] = clean_name(cells[ix["preferredLabel"]])
    if "hierarchy" in chosen:
        cols = [(f"Level {n} URI", f"Level {n} preferred term") for n in range(4)]
        for _, cells, ix in rows(chosen["hierarchy"], cols[0], [c for p in cols for c in p]):
            for uri_col, term_col in cols:
                uri = cell(cells, ix, uri_col).strip()
                if uri:
                    found.setdefault(uri, clean_name(cell(cells, ix, term_col)))
    return found


def read_occupations(table: Table, found: Collector) -> list[dict[str, Any]]:
    """The occupations as plain records: URI, label, alternative labels, description, ISCO group
    and ESCO code; a duplicate URI or an empty label is a problem."""
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    bad = partial(found.at, table[0])
    for spot, cells, ix in rows(table, ("conceptUri", "preferredLabel"), OCCUPATION_COLUMNS):
        if cell(cells, ix, "conceptType") not in ("", "Occupation"):
            continue
        uri, label = cells[ix["conceptUri"]].strip(), clean_name(cells[ix["preferredLabel"]])
        if not uri or not label:
            bad(spot, "preferredLabel" if uri else "conceptUri", "empty")
        elif uri in seen:
            bad(spot, "conceptUri", f"duplicate occupation (first on row {seen[uri]})")
        else:
            seen[uri] = spot.row
            out.append(
                {
                    "uri": uri,
                    "label": label,
                    "alt": labels(cell(cells, ix, "altLabels")),
                    "description": cell(cells, ix, "description"),
                    "isco": cell(cells, ix, "iscoGroup").strip(),
                    "code": cell(cells, ix, "code").strip(),
                }
            )
    return out


def read_relations(
    table: Table, wanted: set[str], known: set[str], found: Collector, report: list[str]
) -> dict[str, dict[str, str]]:
    """Occupation URI → {skill URI: essential | optional}, for the wanted occupations."""
    links: dict[str, dict[str, str]] = {u: {} for u in wanted}
    merged = unknown = 0
    columns = ("occupationUri", "relationType", "skillUri")
    at: tuple[int, int, int] | None = None
    for spot, cells, ix in rows(table, columns):
        if at is None:  # the same columns on every row
            at = (ix[columns[0]], ix[columns[1]], ix[columns[2]])
        occ = cells[at[0]].strip()
        if occ not in wanted:
            unknown += occ not in known
            continue
        kind = cells[at[1]].strip().casefold()
        if kind not in ("essential", "optional"):
            message = f"{cells[at[1]]!r} is neither essential nor optional"
            found.at(table[0], spot, "relationType", message)
            continue
        skill = cells[at[2]].strip()
        old = links[occ].get(skill)
        if old is not None:
            merged += 1
            kind = "essential" if "essential" in (old, kind) else kind
        links[occ][skill] = kind
    if merged:
        report.append(
            f"{plural(merged, 'repeated occupation–skill link')} merged (essential wins)."
        )
    if unknown:
        report.append(f"{plural(unknown, 'relation')} naming no known occupation dropped.")
    return links


class Categories:
    """Each skill's category: the top group under its pillar when the broader relations are
    given (a skill's parent may be a group or another skill; the first parent listed is used),
    else its type: transversal, knowledge or skill. ``names`` holds the slugs used → labels."""

    def __init__(self, chosen: dict[str, Table], report: list[str]) -> None:
        self.parent: dict[str, str] = {}
        if "broader" in chosen:
            for _, cells, ix in rows(chosen["broader"], ("conceptUri", "broaderUri")):
                child, parent = cells[ix["conceptUri"]].strip(), cells[ix["broaderUri"]].strip()
                self.parent.setdefault(child, parent)
            report.append(
                "Categories are each skill's top group below its pillar in "
                "broaderRelationsSkillPillar (the first parent where a concept has several)."
            )
        elif "hierarchy" in chosen:
            report.append(
                "skillsHierarchy lists groups only, not which skill is in which, so categories "
                "come from skill type and reuse level."
            )
        self.labels = _group_labels(chosen) if self.parent else {}
        self.slugs: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self.memo: dict[str, str | None] = {}
        self.fallback = 0

    def _top(self, uri: str) -> str | None:
        if uri not in self.memo:
            chain = [uri]
            while chain[-1] in self.parent and len(chain) < 30:
                up = self.parent[chain[-1]]
                if up in chain:
                    break
                chain.append(up)
            self.memo[uri] = (
                chain[-2] if len(chain) >= 3 else chain[-1] if len(chain) == 2 else None
            )
        return self.memo[uri]

    def _slug(self, label: str) -> str:
        if label not in self.slugs:
            base = slug = category_slug(label)
            n = 1
            while slug in self.names:
                n += 1
                slug = f"{base[:28]}-{n}"
            self.slugs[label], self.names[slug] = slug, label
        return self.slugs[label]

    def of(self, uri: str, skill_type: str, reuse: str) -> str:
        """The category slug of skill ``uri``, declared in ``names`` on first use."""
        top = self._top(uri) if self.parent else None
        label = self.labels.get(top, "") if top else ""
        if not label:
            self.fallback += bool(self.parent)
            kind = "knowledge" if skill_type == "knowledge" else "skill"
            label = "transversal" if reuse == "transversal" else kind
        return self._slug(label)
