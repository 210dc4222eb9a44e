"""The ESCO CSV download to a format-2 file: occupations as roles, skills as skills.

ESCO (the European Skills, Competences, Qualifications and Occupations classification) is the
largest public list of which skills each occupation needs, which makes it a ready start for a
ladder. It ships one CSV per table. We need ``occupations``, ``skills`` and
``occupationSkillRelations`` and use, when given, ``broaderRelationsSkillPillar``,
``skillGroups`` and ``skillsHierarchy`` (categories) and ``ISCOGroups`` (choosing occupations by
ISCO group name). Reading the tables is :mod:`.esco_tables`.

ESCO has no levels, no hours and no career ladder, so: two levels with every requirement at
``require_level``, hours guessed from the skill's reuse level, and every occupation a rank-1
role on the individual track with no ``next`` links (ISCO groups classify occupations; they do
not order them). Essential and optional links are kept as importance.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

from ...gcpause import gc_paused
from .common import (
    MAX_NAME,
    MAX_TEXT,
    Collector,
    IdMaker,
    OptionError,
    check_levels,
    check_require_level,
    clean_name,
    clean_text,
    declare_categories,
    failure,
    guess_hours,
    plural,
    resource,
    truncate,
)
from .esco_tables import (
    Categories,
    Table,
    cell,
    find_tables,
    labels,
    read_occupations,
    read_relations,
    rows,
)

__all__ = ["import_esco"]

#: Hours to reach level 1 by ESCO reuse level: the more specific a skill, the longer it takes.
FIRST_STEP_HOURS = {
    "transversal": 10,
    "cross-sector": 20,
    "sector-specific": 40,
    "occupation-specific": 60,
}
UNKNOWN_REUSE_HOURS = 30
STEP_FACTOR = 2.5
MAX_ALIASES = 10
#: Requirements past which the YAML form of the result may pass the loader's 8 MiB cap.
BIG_OUTPUT = 20_000
SKILL_COLUMNS = ("altLabels", "description", "definition", "scopeNote", "skillType", "reuseLevel")


def _base(file: str) -> str:
    return re.split(r"[\\/]", file)[-1]


def _concept(uri: str) -> list[dict[str, str]]:
    """The concept's URI as a resource, when it is a link the format accepts."""
    link = resource("ESCO concept", uri)
    return [link] if link else []


def _select(
    occupations: list[dict[str, Any]],
    chosen: Sequence[str],
    isco: dict[str, str],
    report: list[str],
) -> list[dict[str, Any]]:
    """The occupations named by URI, ISCO code (a prefix: ``25`` takes 2511…2519) or label
    (preferred or alternative, any case; an ISCO group's label also works)."""
    if not chosen:
        report.append(f"No occupation was chosen, so all {len(occupations):,} were imported.")
        return occupations
    by_label: dict[str, list[dict[str, Any]]] = {}
    for occ in occupations:
        for label in (occ["label"], *occ["alt"]):
            by_label.setdefault(label.casefold(), []).append(occ)
    isco_codes = {label.casefold(): code for code, label in isco.items()}
    picked: set[str] = set()
    unknown: list[str] = []
    for text in (c.strip() for c in chosen):
        if re.match(r"https?://", text):
            hits = [o for o in occupations if o["uri"] == text]
        elif re.fullmatch(r"\d{1,4}", text) or text.casefold() in isco_codes:
            code = text if text.isdigit() else isco_codes[text.casefold()]
            hits = [o for o in occupations if o["isco"].startswith(code)]
        else:
            hits = by_label.get(text.casefold(), [])
        if not hits:
            close = difflib.get_close_matches(text.casefold(), list(by_label), n=3, cutoff=0.7)
            hint = f" — did you mean {', '.join(map(repr, close))}?" if close else ""
            unknown.append(f"{text!r}{hint}")
        picked |= {o["uri"] for o in hits}
        report.append(f"Occupation choice {text!r} matched {plural(len(hits), 'occupation')}.")
    if unknown:
        raise OptionError(
            "occupations", "no occupation has this URI, ISCO code or label: " + "; ".join(unknown)
        )
    return [o for o in occupations if o["uri"] in picked]


class _Skills:
    """The needed skills read from the skills table, with ids, categories and guessed hours."""

    def __init__(self, levels: int, aliases: bool) -> None:
        self.levels, self.aliases = levels, aliases
        self.by_uri: dict[str, dict[str, Any]] = {}
        self.ids = IdMaker()
        self.twins: dict[str, int] = {}
        self.cut = 0

    def read(
        self, table: Table, needed: set[str], categories: Categories, found: Collector
    ) -> None:
        bad = partial(found.at, table[0])
        first: dict[str, int] = {}
        for spot, cells, ix in rows(table, ("conceptUri", "preferredLabel"), SKILL_COLUMNS):
            uri = cells[ix["conceptUri"]].strip()
            if uri not in needed:
                continue
            label, cut = truncate(clean_name(cells[ix["preferredLabel"]]), MAX_NAME)
            if uri in first:
                bad(spot, "conceptUri", f"duplicate skill (first on row {first[uri]})")
                continue
            if not label:
                bad(spot, "preferredLabel", "empty")
                continue
            first[uri] = spot.row
            folded = label.casefold()
            if folded in self.twins:
                self.twins[folded] += 1
                label = truncate(f"{label} ({self.twins[folded]})", MAX_NAME)[0]
            self.twins.setdefault(label.casefold(), 1)
            texts = (cell(cells, ix, c) for c in ("description", "definition", "scopeNote"))
            description, cut_text = truncate(
                clean_text(next((t for t in texts if t.strip()), "")), MAX_TEXT
            )
            self.cut += cut + cut_text
            reuse = cell(cells, ix, "reuseLevel").strip().casefold()
            kind = cell(cells, ix, "skillType").strip().casefold()
            hours = FIRST_STEP_HOURS.get(reuse, UNKNOWN_REUSE_HOURS)
            self.by_uri[uri] = {
                "id": self.ids.make(label),
                "name": label,
                "category": categories.of(uri, kind, reuse),
                "description": description or f"An ESCO {kind or 'skill'} with no description.",
                "hours": guess_hours(hours, self.levels, STEP_FACTOR),
                "resources": _concept(uri),
                "alt": labels(cell(cells, ix, "altLabels")) if self.aliases else [],
            }

    def entries(self, report: list[str]) -> list[dict[str, Any]]:
        """The skills as format-2 entries; alternative labels become aliases unless they equal
        another skill's name or an alias already taken (the loader resolves names by both)."""
        names = {s["name"].casefold() for s in self.by_uri.values()}
        used: set[str] = set()
        clashes = capped = 0
        out = []
        for skill in self.by_uri.values():
            keep: list[str] = []
            for alias in (truncate(a, MAX_NAME)[0] for a in skill.pop("alt")):
                if alias.casefold() in names or alias.casefold() in used:
                    clashes += alias.casefold() != skill["name"].casefold()
                elif len(keep) == MAX_ALIASES:
                    capped += 1
                else:
                    used.add(alias.casefold())
                    keep.append(alias)
            out.append(skill | ({"aliases": keep} if keep else {}))
        if self.aliases:
            gone = [f"{plural(clashes, 'label')} equal to another skill's name or alias"] * bool(
                clashes
            ) + [f"{plural(capped, 'label')} past {MAX_ALIASES} per skill"] * bool(capped)
            dropped = f"; dropped: {'; '.join(gone)}" if gone else ""
            report.append(f"ESCO alternative labels became aliases{dropped}.")
        twins = sum(n - 1 for n in self.twins.values())
        if twins:
            report.append(f"{plural(twins, 'skill')} sharing a label with another got a number.")
        return out


@gc_paused()
def import_esco(
    files: Mapping[str, bytes],
    *,
    occupations: Sequence[str] = (),
    levels: Sequence[str] = ("basics", "working"),
    require_level: int = 1,
    aliases: bool = True,
    name: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """ESCO CSV files (file name → bytes) as format-2 data and the report of every assumption.

    ``occupations`` chooses by URI, ISCO code (a prefix) or label (all when empty); ``levels``
    names the ladder's levels; every requirement is at ``require_level``; ``aliases`` keeps
    ESCO's alternative labels.

    Raises
    ------
    DataError
        Every problem found in the tables (up to 50), each with its file, row, line and column.
    OptionError
        For options it cannot use (an occupation that matches nothing, bad level names, …).
    """
    levels = check_levels(levels)
    require_level = check_require_level(require_level, levels)
    if isinstance(occupations, str):
        occupations = [occupations]
    found = Collector()
    chosen = find_tables(files, found)
    found.check()
    report = [f"Read ESCO tables: {', '.join(_base(n) for n, _ in chosen.values())}."]
    for other in sorted(set(files) - {n for n, _ in chosen.values()}):
        why = "it is not one of the tables this importer uses"
        if "skillskill" in other.casefold():
            why = "ESCO's links between skills are not prerequisites"
        report.append(f"{_base(other)} was not read: {why}.")
    isco: dict[str, str] = {}
    if "isco" in chosen:
        for _, cells, ix in rows(chosen["isco"], ("code", "preferredLabel")):
            isco[cells[ix["code"]].strip()] = clean_name(cells[ix["preferredLabel"]])
    everyone = read_occupations(chosen["occupations"], found)
    found.check()
    if not everyone:
        raise failure(chosen["occupations"][0], "the table lists no occupation")
    picked = _select(everyone, occupations, isco, report)
    wanted, known = {o["uri"] for o in picked}, {o["uri"] for o in everyone}
    links = read_relations(chosen["relations"], wanted, known, found, report)
    found.check()
    needed = {s for per in links.values() for s in per}
    categories = Categories(chosen, report)
    skills = _Skills(len(levels), aliases)
    skills.read(chosen["skills"], needed, categories, found)
    found.check()
    missing = len(needed - set(skills.by_uri))
    if missing:
        report.append(
            f"{plural(missing, 'skill')} named by relations but absent from the skills "
            "table dropped with their links."
        )
    if categories.fallback:
        report.append(
            f"{plural(categories.fallback, 'skill')} outside the hierarchy took the "
            "skill type as category."
        )
    roles = _roles(picked, links, skills, require_level, isco, report)
    return _result(roles, skills, categories, levels, require_level, name, report)


def _roles(
    picked: list[dict[str, Any]],
    links: dict[str, dict[str, str]],
    skills: _Skills,
    require_level: int,
    isco: dict[str, str],
    report: list[str],
) -> list[dict[str, Any]]:
    roles, total, optional = [], 0, 0
    for occ in picked:
        essential, extra = [], []
        for uri, kind in links[occ["uri"]].items():
            if uri in skills.by_uri:
                entry = {"id": skills.by_uri[uri]["id"], "level": require_level}
                if kind == "essential":
                    essential.append(entry)
                else:
                    extra.append(entry | {"importance": "optional"})
        total, optional = total + len(essential) + len(extra), optional + len(extra)
        about = clean_text(occ["description"])
        if occ["isco"]:
            group = f" ({isco[occ['isco']]})" if occ["isco"] in isco else ""
            about += f"\n\nESCO code {occ['code'] or '—'}; ISCO-08 group {occ['isco']}{group}."
        label, cut = truncate(occ["label"], MAX_NAME)
        about, cut_text = truncate(about.strip(), MAX_TEXT)
        skills.cut += cut + cut_text
        roles.append(
            {
                "id": skills.ids.make(label),
                "name": label,
                "rank": 1,
                "track": "individual",
                "description": about,
                "resources": _concept(occ["uri"]),
                "requires": essential + extra,
            }
        )
    became = "a rank-1 role" if len(roles) == 1 else "rank-1 roles"
    report.append(
        f"{plural(len(roles), 'occupation')} became {became} on the individual track with no "
        "next links: ESCO has no career ladder."
    )
    report.append(
        f"{plural(total, 'requirement')} imported, {optional:,} of them optional (ESCO "
        "relationType optional); the rest are essential."
    )
    if total > BIG_OUTPUT:
        report.append(
            f"The result holds {total:,} requirements: as YAML it may pass the loader's "
            "8 MiB cap; write JSON (64 MiB cap) or choose fewer occupations."
        )
    return roles


def _result(
    roles: list[dict[str, Any]],
    skills: _Skills,
    categories: Categories,
    levels: Sequence[str],
    require_level: int,
    name: str | None,
    report: list[str],
) -> tuple[dict[str, Any], list[str]]:
    entries = skills.entries(report)
    report.append(
        f"ESCO has no proficiency levels: the ladder has {len(levels)} "
        f"({', '.join(levels)}) and every requirement is at level {require_level}."
    )
    steps = ", ".join(
        f"{k} {guess_hours(v, len(levels), STEP_FACTOR)}" for k, v in FIRST_STEP_HOURS.items()
    )
    other = guess_hours(UNKNOWN_REUSE_HOURS, len(levels), STEP_FACTOR)
    report.append(
        f"Hours were guessed for all {plural(len(entries), 'skill')} from the ESCO "
        f"reuse level: {steps}, otherwise {other}."
    )
    if skills.cut:
        report.append(
            f"{plural(skills.cut, 'name or description')} cut to the format's limits "
            f"({MAX_NAME} and {MAX_TEXT} characters)."
        )
    report += skills.ids.report("roles or skills")
    title = clean_name(name or "")
    if not title:
        title = (
            f"ESCO: {roles[0]['name']}" if len(roles) == 1 else f"ESCO occupations ({len(roles):,})"
        )
    result = {
        "format": 2,
        "name": truncate(title, MAX_NAME)[0],
        "source": "ESCO classification, CSV download (European Commission).",
        "notes": [
            "Occupations, skills and whether a skill is essential or optional come from "
            "ESCO; levels, hours and categories are the importer's assumptions (see the "
            "import report)."
        ],
        "levels": list(levels),
        "categories": declare_categories(categories.names, report),
        "roles": roles,
        "skills": entries,
    }
    # Built here from fresh dicts and lists of text and whole numbers, nothing shared (a test
    # checks): no copy through plain(), which was a tenth of an ESCO-size import.
    return result, report
