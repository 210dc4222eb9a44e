"""A parsed skills matrix (roles, skills, requirements) to format-2 data: the ladder half of the
CSV matrix importer. Reading the CSV is :mod:`.csv_matrix`; here levels are counted and named,
roles ranked, tracked and chained with ``next`` links, and requirements a role already inherits
from the rungs below are left out.

That last step follows the loader's own rule (:meth:`skilltree.index.GraphIndex.requirements`):
a role inherits every requirement of the rungs below it, essential and optional statements kept
apart, the highest level of each winning, and an optional one dropped when an essential one asks
as much. A cell is left out only when that rule gives the role the same requirement without
it, so the loaded ladder asks exactly what the matrix asks, plus what inheritance adds (which
the report counts).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from ...model import DEFAULT_TRACKS, MAX_LEVELS
from ...schema import MAX_STEP_HOURS
from .common import (
    MAX_NAME,
    Collector,
    IdMaker,
    Spot,
    category_slug,
    clean_name,
    declare_categories,
    file_stem,
    guess_hours,
    level_names,
    plain,
    plural,
)
from .csvfiles import parse_number

__all__ = ["Draft", "Req", "Role", "Skill", "build_ladder", "ladder_links", "parse_hours"]

#: Hours guessed to reach level 1 when the matrix gives none; each further step doubles.
GUESS_FIRST_STEP = 20.0
#: Highest rank and most tracks the data format accepts.
MAX_RANK = 100
MAX_TRACKS = 20
TRACK_NAMES = {t.id: t.name for t in DEFAULT_TRACKS}

Bad = Callable[[Spot | None, str | None, str], None]
#: (skill key, importance) → level: a role's requirements as the loader merges them.
Merged = dict[tuple[str, str], int]


@dataclass
class Role:
    name: str
    spot: Spot
    order: int
    rank: int | None = None
    track: str | None = None


@dataclass
class Skill:
    name: str
    spot: Spot
    category: str = ""
    hours: str = ""
    hours_at: tuple[Spot, str] | None = None
    description: str = ""
    importance: str = ""


@dataclass
class Req:
    role: str
    skill: str
    level: int
    optional: bool
    spot: Spot
    column: str


@dataclass
class Draft:
    """What the CSV said, keyed by case-folded names."""

    roles: dict[str, Role] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    reqs: list[Req] = field(default_factory=list)


def parse_hours(text: str, levels: int) -> list[float]:
    """One figure for every step (``40``) or one per step (``20/60/120``); ``ValueError`` else.

    >>> parse_hours("40", 3), parse_hours("8,5/20/30", 3)
    ([40, 40, 40], [8.5, 20, 30])
    """
    values = [parse_number(p) for p in text.replace("|", "/").split("/")]
    figures = [
        int(v) if v.is_integer() else v for v in values if v is not None and 0 < v <= MAX_STEP_HOURS
    ]
    if len(figures) < len(values):
        raise ValueError(
            f"{text!r}: hours are numbers above 0 and at most {MAX_STEP_HOURS}, like 40 or 20/60"
        )
    if len(figures) == 1:
        return figures * levels
    if len(figures) != levels:
        raise ValueError(f"{text!r} has {len(figures)} figures; this ladder has {levels} levels")
    return figures


def _count_levels(draft: Draft, given: Sequence[str] | None, bad: Bad, report: list[str]) -> int:
    top = max(r.level for r in draft.reqs)
    if given is not None:
        for r in draft.reqs:
            if r.level > len(given):
                bad(
                    r.spot,
                    r.column,
                    f"level {r.level} is above {len(given)}: this ladder has {len(given)} levels",
                )
        report.append(f"Levels were named by the caller: {', '.join(given)}.")
        return len(given)
    if top > 100:
        bad(None, None, f"level {top} is not plausible (at most {MAX_LEVELS}, or 100 to fold)")
        return MAX_LEVELS
    count = min(max(top, 2), MAX_LEVELS)
    if top > MAX_LEVELS:
        for r in draft.reqs:
            r.level = math.ceil(r.level * MAX_LEVELS / top)
        report.append(
            f"The matrix goes up to level {top}; levels were folded onto {MAX_LEVELS} "
            f"(level n became ceil(n × {MAX_LEVELS} / {top}))."
        )
    report.append(
        f"The highest level in the matrix is {top}, so the ladder has {count} levels, "
        f"named {', '.join(level_names(count))} (give level names to change them)."
    )
    return count


def _rank_and_track(roles: list[Role], bad: Bad, report: list[str]) -> dict[str, str]:
    """Fill in ranks (column order when none is given) and tracks; the tracks used, by id."""
    if all(r.rank is None for r in roles):
        for r in roles:
            r.rank = r.order
        report.append(
            "No rank was given, so the roles are ranked in the order they appear: "
            + " → ".join(r.name for r in roles[:12])
            + (" …" if len(roles) > 12 else "")
            + "."
        )
        if len(roles) > MAX_RANK:
            bad(None, None, f"{len(roles)} roles, but ranks go to {MAX_RANK}: give a rank to each")
    for r in roles:
        if r.rank is None:
            bad(r.spot, r.name, "other roles have a rank but this one has none")
    if not any(r.track for r in roles):
        report.append("No track was given: every role is on the individual track.")
    tracks: dict[str, str] = {}
    for r in roles:
        label = r.track or "individual"
        r.track = label.casefold() if label.casefold() in TRACK_NAMES else category_slug(label)
        tracks.setdefault(r.track, TRACK_NAMES.get(r.track, label[:MAX_NAME]))
    if len(tracks) > MAX_TRACKS:
        bad(None, "track", f"{len(tracks)} tracks; a ladder has at most {MAX_TRACKS}")
    return tracks


def ladder_links(roles: list[Role]) -> dict[str, list[str]]:
    """Role key → its next rungs: the roles at the next rank above, in its own track when there
    is one there; a track that starts at that rank branches off here too."""
    links: dict[str, list[str]] = {}
    ranked = [(r, r.rank or 0) for r in roles]
    for r, rank in ranked:
        above = [(x, k) for x, k in ranked if k > rank]
        if not above:
            continue
        step = min(k for _, k in above)
        at = [x for x, k in above if k == step]
        same = [x for x in at if x.track == r.track]
        branch = [
            x
            for x in at
            if x.track != r.track and not any(y.track == x.track and k < step for y, k in ranked)
        ]
        links[r.name.casefold()] = [x.name.casefold() for x in (same + branch if same else at)]
    return links


def _effective(inherited: Merged, own: dict[str, tuple[int, bool]]) -> Merged:
    """A role's requirements as the loader merges them: the highest level per skill and
    importance, an optional one dropped where an essential one asks as much."""
    merged = dict(inherited)
    for skill, (level, optional) in own.items():
        key = (skill, "optional" if optional else "essential")
        merged[key] = max(merged.get(key, 0), level)
    for (skill, importance), level in list(merged.items()):
        if importance == "optional" and merged.get((skill, "essential"), 0) >= level:
            del merged[skill, importance]
    return merged


def _trim(
    draft: Draft, roles: list[Role], links: dict[str, list[str]], report: list[str]
) -> dict[str, list[tuple[str, int, bool]]]:
    """Each role's own requirements, less those the rungs below already give it."""
    own: dict[str, dict[str, tuple[int, bool]]] = {r.name.casefold(): {} for r in roles}
    for q in draft.reqs:
        own[q.role][q.skill] = (q.level, q.optional)
    below: dict[str, list[str]] = {key: [] for key in own}
    for key, nexts in links.items():
        for nxt in nexts:
            below[nxt].append(key)
    effective: dict[str, Merged] = {}
    kept: dict[str, list[tuple[str, int, bool]]] = {}
    dropped, conflicts, filled = 0, [], []
    for r in sorted(roles, key=lambda r: r.rank or 0):  # links only go up the ranks
        key = r.name.casefold()
        inherited: Merged = {}
        for lower in below[key]:
            for pair, level in effective[lower].items():
                inherited[pair] = max(inherited.get(pair, 0), level)
        effective[key] = _effective(inherited, own[key])
        kept[key] = []
        for skill, (level, optional) in own[key].items():
            essential = inherited.get((skill, "essential"), 0)
            covered = max(essential, inherited.get((skill, "optional"), 0) if optional else 0)
            if covered < level:
                kept[key].append((skill, level, optional))
            elif covered == level:
                dropped += 1
            else:
                what = "essential" if essential == covered else "optional"
                conflicts.append(
                    f"{r.name} asks for {draft.skills[skill].name} at level {level} but "
                    f"inherits level {covered} ({what}) from the rungs below"
                )
        gained = {s: lvl for (s, _), lvl in effective[key].items() if s not in own[key]}
        filled += [(r.name, draft.skills[s].name, lvl) for s, lvl in gained.items()]
    if dropped:
        report.append(
            f"{plural(dropped, 'cell')} repeating what the role inherits from the rungs below "
            "(same level) left out of the file; the loader merges them back."
        )
    report += [f"{c}: the higher level holds." for c in conflicts[:10]]
    if len(conflicts) > 10:
        report.append(f"{plural(len(conflicts) - 10, 'more cell')} below what is inherited.")
    if filled:
        role, skill, level = filled[0]
        report.append(
            f"{plural(len(filled), 'empty cell')} filled by inheritance: a role needs everything "
            f"the rungs below it need (for example, {role} needs {skill} at level {level})."
        )
    return kept


def build_ladder(
    draft: Draft, file: str, given: Sequence[str] | None, title: str | None, report: list[str]
) -> tuple[dict[str, Any], list[str]]:
    """Format-2 data from the draft; raises the problems found (levels, ranks, hours)."""
    found = Collector()
    bad: Bad = partial(found.at, file)
    count = _count_levels(draft, given, bad, report)
    roles = sorted(draft.roles.values(), key=lambda r: r.order)
    tracks = _rank_and_track(roles, bad, report)
    found.check()
    ids = IdMaker()
    role_ids = {r.name.casefold(): ids.make(r.name) for r in roles}
    skill_ids = {key: ids.make(s.name) for key, s in draft.skills.items()}
    report += ids.report("roles or skills")
    links = ladder_links(roles)
    kept = _trim(draft, roles, links, report)
    out_roles = []
    for r in roles:
        key = r.name.casefold()
        role: dict[str, Any] = {
            "id": role_ids[key],
            "name": r.name,
            "rank": r.rank,
            "track": r.track,
            "requires": [],
        }
        for skill, lvl, opt in kept[key]:
            entry = {"id": skill_ids[skill], "level": lvl}
            role["requires"].append(entry | ({"importance": "optional"} if opt else {}))
        if links.get(key):
            role["next"] = [{"id": role_ids[n]} for n in links[key]]
        out_roles.append(role)
    if links:
        chain = "; ".join(
            f"{draft.roles[k].name} → {', '.join(draft.roles[n].name for n in v)}"
            for k, v in list(links.items())[:12]
        )
        report.append(
            f"Roles were chained by rank with next links: {chain}"
            + (" …" if len(links) > 12 else "")
            + " (no years: the matrix does not say how long a rung takes)."
        )
    skills, categories, guessed = _skills(draft, skill_ids, count, bad)
    found.check()
    _summary(draft, guessed, count, report)
    name = clean_name(title or "")
    if not name:
        name = file_stem(file)[:MAX_NAME] or "Imported ladder"
        report.append(f"The ladder is named after the file: {name!r} (give a name to change it).")
    result: dict[str, Any] = {
        "format": 2,
        "name": name[:MAX_NAME],
        "source": f"Skills matrix {file}, imported from CSV.",
        "levels": level_names(count, given),
    }
    if guessed:
        note = "Hours the import report calls guessed are rough estimates, not the matrix's."
        result["notes"] = [note]
    if set(tracks) - {"individual"}:
        result["tracks"] = [{"id": t, "name": n} for t, n in tracks.items()]
    result["categories"] = declare_categories(categories, report)
    result["roles"] = out_roles
    result["skills"] = skills
    return plain(result), report


def _skills(
    draft: Draft, skill_ids: dict[str, str], count: int, bad: Bad
) -> tuple[list[dict[str, Any]], dict[str, str], int]:
    """The skill entries, the categories they use (slug → name) and how many hours were
    guessed; bad hours are problems."""
    skills: list[dict[str, Any]] = []
    categories: dict[str, str] = {}
    guessed = 0
    for key, s in draft.skills.items():
        cat = category_slug(s.category) if s.category else "general"
        categories.setdefault(cat, s.category or "General")
        try:
            hours = parse_hours(s.hours, count) if s.hours else guess_hours(GUESS_FIRST_STEP, count)
        except ValueError as exc:
            spot, column = s.hours_at or (s.spot, "hours")
            bad(spot, column, str(exc))
            continue
        guessed += not s.hours
        skills.append(
            {
                "id": skill_ids[key],
                "name": s.name,
                "category": cat,
                "description": s.description,
                "hours": hours,
            }
        )
    return skills, categories, guessed


def _summary(draft: Draft, guessed: int, count: int, report: list[str]) -> None:
    if guessed:
        steps = " / ".join(f"{h:g}" for h in guess_hours(GUESS_FIRST_STEP, count))
        report.append(
            f"Hours were guessed for {guessed} of {plural(len(draft.skills), 'skill')}: "
            f"{steps} h per level step ({GUESS_FIRST_STEP:g} h to level 1, doubling)."
        )
    blank = sum(not s.description for s in draft.skills.values())
    if blank:
        report.append(f"{plural(blank, 'skill')} without a description got an empty one.")
    loose = sum(not s.category for s in draft.skills.values())
    if loose:
        report.append(f"{plural(loose, 'skill')} with no category went to 'general'.")
    unused = len(draft.skills) - len({q.skill for q in draft.reqs})
    if unused:
        report.append(f"{plural(unused, 'skill')} listed but needed by no role kept.")
    optional = sum(q.optional for q in draft.reqs)
    if optional:
        report.append(
            f"{plural(optional, 'requirement')} marked optional (a cell ending in '?', "
            "'*' or '(optional)', or the importance column) imported as optional."
        )
