"""A profile: the skills (with levels) one person has, and optionally their current role.

Profiles are plain data. They come from a CLI flag (``python:2,sql,git:1``), a JSON file, or the
app's URL, and go back out the same ways. Every source goes through one reader of pairs
(:func:`clean_profile`): ``parse_have``, ``profile_from_json`` and ``profile_from_bytes`` are
strict and raise with every problem and close matches; ``clean_profile`` is lenient for
untrusted sources (URLs), dropping what it cannot use and saying what it dropped. Unknown ids
are capped (``MAX_UNKNOWN``): past that many, the rest are counted, not looked up.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol

import networkx as nx

from .errors import ProfileError, UnknownIdError
from .index import GraphIndex, index_of

__all__ = [
    "MAX_PROFILE_BYTES",
    "MAX_PROFILE_SKILLS",
    "MAX_UNKNOWN",
    "Levels",
    "Origin",
    "Profile",
    "Raised",
    "clean_profile",
    "format_have",
    "parse_have",
    "profile_from_bytes",
    "profile_from_json",
    "split_have",
]

MAX_PROFILE_SKILLS = 5000
MAX_PROFILE_BYTES = 1_000_000
#: Unknown skills reported (and looked up for close matches) at most; the rest are counted.
MAX_UNKNOWN = 20


class Levels(Protocol):
    """Anything that says the level held in a skill: a profile, or one raised by a step."""

    def level(self, skill: str) -> int: ...


@dataclass(frozen=True, slots=True)
class Raised:
    """``base`` with ``skill`` raised to ``to`` at least, without copying the profile (the
    engine tries one step on a profile of thousands of skills many times).

    >>> Raised(Profile({"python": 1}), "python", 2).level("python")
    2
    """

    base: Levels
    skill: str
    to: int

    def level(self, skill: str) -> int:
        held = self.base.level(skill)
        return max(held, self.to) if skill == self.skill else held


@dataclass(frozen=True, slots=True)
class Origin:
    """Why a skill is held without the person saying so: implied as a prerequisite of
    ``source`` (a skill), or assumed from the current role ``source``."""

    kind: Literal["prerequisite", "role"]
    source: str


@dataclass(frozen=True)
class Profile:
    """What a person has and wants: skill id → level, their current role, the skills they
    prefer and avoid, what they are learning now, and whether their role may be assumed.

    As a person states it, ``skills`` holds what they said (0 meaning "I do not have it": it
    is then never implied). The engine plans from the profile's closure
    (:func:`skilltree.closure.implied`): a copy whose ``skills`` also hold every level implied
    by a prerequisite or assumed from the role, with ``origins`` saying why.

    >>> p = Profile({"python": 2}, role="junior")
    >>> p.level("python"), p.level("java")
    (2, 0)
    >>> p.with_level("python", 3).level("python")
    3
    """

    skills: Mapping[str, int] = field(default_factory=dict)
    role: str | None = None
    prefer: frozenset[str] = frozenset()
    avoid: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()
    assume_role: bool = True
    origins: Mapping[str, Origin] = field(default_factory=dict)
    closed: bool = False

    def __post_init__(self) -> None:
        # Private sorted copies: callers cannot change a profile after the fact. (Sorting the
        # names alone is several times faster than sorting pairs, on thousands of skills.)
        skills = self.skills
        object.__setattr__(self, "skills", {s: skills[s] for s in sorted(skills)})
        for name in ("prefer", "avoid", "learning"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        object.__setattr__(self, "origins", dict(self.origins))
        self._seal()

    @classmethod
    def adopt_closure(
        cls, profile: Profile, skills: dict[str, int], origins: dict[str, Origin]
    ) -> Profile:
        """The closure of ``profile`` over dicts made for it and handed over: ``skills`` in name
        order (not copied again: a closure on a deep ladder holds thousands of skills)."""
        closed = object.__new__(cls)
        for name, value in (
            ("skills", skills),
            ("role", profile.role),
            ("prefer", profile.prefer),
            ("avoid", profile.avoid),
            ("learning", profile.learning),
            ("assume_role", profile.assume_role),
            ("origins", origins),
            ("closed", True),
        ):
            object.__setattr__(closed, name, value)
        closed._seal()
        return closed

    def _seal(self) -> None:
        # Names and levels as two flat tuples: a closure holds thousands of skills, and one
        # (name, level) pair each would be thousands of objects for the collector to walk.
        key = (
            tuple(self.skills),
            tuple(self.skills.values()),
            self.role,
            tuple(sorted(self.prefer)),
            tuple(sorted(self.avoid)),
            tuple(sorted(self.learning)),
            self.assume_role,
            self.closed,
        )
        object.__setattr__(self, "_key", key)
        object.__setattr__(self, "_hash", hash(key))

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined,no-any-return]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return self._key == other._key  # type: ignore[attr-defined,no-any-return]

    def level(self, skill: str) -> int:
        """The level the profile has in ``skill`` (0 when it does not have it)."""
        return self.skills.get(skill, 0)

    def stated(self) -> dict[str, int]:
        """The levels the person gave (on a closure: those that were not implied)."""
        return {s: lv for s, lv in self.skills.items() if s not in self.origins}

    def with_level(self, skill: str, level: int) -> Profile:
        """A new profile with ``skill`` at ``level`` at least."""
        return self.with_levels([(skill, level)])

    def with_levels(self, levels: Iterable[tuple[str, int]]) -> Profile:
        """A new profile with each (skill, level) raised to at least that level.

        A closure stays closed: the engine raises only skills whose prerequisites are held (the
        next level of a startable skill, or the steps of a plan, in order).
        """
        skills = dict(self.skills)
        origins = dict(self.origins)
        for skill, level in levels:
            if level > skills.get(skill, 0):
                skills[skill] = level
                origins.pop(skill, None)
        return replace(self, skills=skills, origins=origins)

    def with_stated(self, skill: str, level: int) -> Profile:
        """A new stated profile where the person gives ``skill`` at exactly ``level`` (0: not
        held), as they do when they correct an implied or assumed level."""
        skills = self.stated()
        skills[skill] = level
        return replace(self, skills=skills, origins={}, closed=False)

    def to_json(self) -> dict[str, Any]:
        """The profile as the person stated it, JSON-ready: ``{"role": ..., "skills": {id:
        level}}`` plus ``prefer``, ``avoid``, ``learning`` and ``assume_role`` when set."""
        out: dict[str, Any] = {"role": self.role, "skills": self.stated()}
        for name in ("prefer", "avoid", "learning"):
            if getattr(self, name):
                out[name] = sorted(getattr(self, name))
        if not self.assume_role:
            out["assume_role"] = False
        return out


def split_have(text: str) -> list[tuple[str, str | int]]:
    """``python:2, sql`` as (name, level) pairs; a bare name means level 1.

    >>> split_have("python:2, sql,,")
    [('python', '2'), ('sql', 1)]
    """
    pairs: list[tuple[str, str | int]] = []
    for item in text.split(","):
        item = item.strip()
        if item:
            name, sep, level = item.partition(":")
            pairs.append((name.strip(), level if sep else 1))
    return pairs


def _check_level(skill: str, raw: Any, top: int) -> tuple[int | None, str | None]:
    bad = f"{skill}: level must be a whole number 0–{top} (0: you do not have it), got {raw!r}"
    if isinstance(raw, bool):
        return None, bad
    if isinstance(raw, str):
        raw = raw.strip()
        # isdecimal() alone admits other scripts' digits; a level is one or two ASCII digits.
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 2):
            return None, bad
        raw = int(raw)
    if not isinstance(raw, int) or not 0 <= raw <= top:
        return None, bad
    return raw, None


def clean_profile(
    G: nx.DiGraph,
    skills: Iterable[tuple[Any, Any]],
    role: Any = None,
    *,
    prefer: Iterable[Any] = (),
    avoid: Iterable[Any] = (),
    learning: Iterable[Any] = (),
    assume_role: bool = True,
) -> tuple[Profile, list[str]]:
    """A profile from untrusted input: what cannot be used is dropped and described.

    Names resolve by id, name or alias in any case; levels must be whole numbers within the
    skill's levels (0: "I do not have it"). At most ``MAX_PROFILE_SKILLS`` pairs are read and
    ``MAX_UNKNOWN`` unknown names described. A skill both preferred and avoided is dropped from
    both, with a problem saying so.
    """
    index = index_of(G)
    found: dict[str, int] = {}
    problems: list[str] = []
    unknown = 0
    for count, (text, raw_level) in enumerate(skills):
        if count >= MAX_PROFILE_SKILLS:
            problems.append(f"more than {MAX_PROFILE_SKILLS} skills; the rest were ignored")
            break
        name = str(text)[:200]
        try:
            skill = index.resolve(name, "skill") if unknown < MAX_UNKNOWN else _exact(index, name)
        except UnknownIdError as exc:
            unknown += 1
            if unknown <= MAX_UNKNOWN:
                problems.append(str(exc))
            continue
        level, problem = _check_level(skill, raw_level, index.top_level(skill))
        if problem:
            problems.append(problem)
            continue
        assert level is not None
        found[skill] = max(level, found.get(skill, 0))
    if unknown > MAX_UNKNOWN:
        problems.append(f"… and {unknown - MAX_UNKNOWN:,} more unknown skills")
    role_id = None
    if role not in (None, ""):
        try:
            role_id = index.resolve(str(role)[:200], "role")
        except UnknownIdError as exc:
            problems.append(str(exc))
    sets = {
        what: _skill_set(index, names, what, problems)
        for what, names in (("prefer", prefer), ("avoid", avoid), ("learning", learning))
    }
    both = sets["prefer"] & sets["avoid"]
    for skill in sorted(both):
        problems.append(f"{skill}: both preferred and avoided; neither is kept")
    return (
        Profile(
            found,
            role_id,
            prefer=frozenset(sets["prefer"] - both),
            avoid=frozenset(sets["avoid"] - both),
            learning=frozenset(sets["learning"]),
            assume_role=assume_role,
        ),
        problems,
    )


def _skill_set(index: GraphIndex, names: Iterable[Any], what: str, problems: list[str]) -> set[str]:
    found: set[str] = set()
    for count, name in enumerate(names):
        if count >= MAX_PROFILE_SKILLS:
            problems.append(f"{what}: more than {MAX_PROFILE_SKILLS} skills; the rest were ignored")
            break
        try:
            found.add(index.resolve(str(name)[:200], "skill"))
        except UnknownIdError as exc:
            if count < MAX_UNKNOWN:
                problems.append(f"{what}: {exc}")
    return found


def _exact(index: GraphIndex, name: str) -> str:
    """Past the cap on unknown names, only exact ids are accepted (no lookups by name)."""
    if index.kinds.get(name) == "skill":
        return name
    raise UnknownIdError("skill", name)


def parse_have(G: nx.DiGraph, text: str, role: str | None = None) -> Profile:
    """Parse ``python:2,sql,git:1`` (a bare id means level 1) into a profile checked against G.

    Raises
    ------
    ProfileError
        Naming every unknown id (with close matches) and every bad level.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> parse_have(load_graph(), "python:2, sql").skills
    {'python': 2, 'sql': 1}
    """
    profile, problems = clean_profile(G, split_have(text), role)
    if problems:
        raise ProfileError(problems)
    return profile


def format_have(profile: Profile) -> str:
    """The inverse of :func:`parse_have`: ``python:2,sql:1``."""
    return ",".join(f"{skill}:{level}" for skill, level in profile.skills.items())


def profile_from_json(G: nx.DiGraph, data: Any) -> Profile:
    """A profile from JSON data ``{"role": ..., "skills": {id: level}}``, checked against G.

    A bare mapping of skills (``{"python": 2}``) is accepted too.

    Raises
    ------
    ProfileError
        When the data is not of that shape, or names unknown ids or bad levels.
    """
    if not isinstance(data, Mapping):
        raise ProfileError([f"a profile must be a JSON object, got {type(data).__name__}"])
    fields = {"skills", "role", "prefer", "avoid", "learning", "assume_role"}
    lists: dict[str, list[Any]] = {"prefer": [], "avoid": [], "learning": []}
    assume = True
    if fields & set(data):
        extra = sorted(set(data) - fields, key=str)
        if extra:
            raise ProfileError(
                [f"unknown field {str(k)[:40]!r} in the profile" for k in extra[:10]]
            )
        skills = data.get("skills") or {}
        role = data.get("role")
        for name in lists:
            value = data.get(name) or []
            if not isinstance(value, list):
                raise ProfileError([f"'{name}' must be a list of skill ids"])
            lists[name] = value
        assume = data.get("assume_role", True)
        if not isinstance(assume, bool):
            raise ProfileError(["'assume_role' must be true or false"])
    else:
        skills, role = data, None
    if not isinstance(skills, Mapping):
        raise ProfileError(
            [f"'skills' must be an object of id: level, got {type(skills).__name__}"]
        )
    profile, problems = clean_profile(G, skills.items(), role, assume_role=assume, **lists)
    if problems:
        raise ProfileError(problems)
    return profile


def profile_from_bytes(G: nx.DiGraph, raw: bytes, name: str = "profile") -> Profile:
    """A profile from the bytes of a JSON file (an upload, or ``--profile FILE``).

    Raises
    ------
    ProfileError
        With ``name`` in front of each problem: too big, not UTF-8 JSON, nested too deeply, or
        what :func:`profile_from_json` finds.
    """
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError([f"{name}: the profile file is over {MAX_PROFILE_BYTES:,} bytes"])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:  # JSONDecodeError is a ValueError
        raise ProfileError([f"{name}: not a JSON profile: {exc}"]) from None
    except RecursionError:
        raise ProfileError([f"{name}: the profile is nested too deeply"]) from None
    try:
        return profile_from_json(G, data)
    except ProfileError as exc:
        raise ProfileError([f"{name}: {p}" for p in exc.problems]) from None
