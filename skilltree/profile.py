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
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .errors import ProfileError, UnknownIdError
from .index import GraphIndex, index_of

__all__ = [
    "MAX_PROFILE_BYTES",
    "MAX_PROFILE_SKILLS",
    "MAX_UNKNOWN",
    "Profile",
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


@dataclass(frozen=True)
class Profile:
    """Skill id → level that a person has, and their current role (or None).

    >>> p = Profile({"python": 2}, role="junior")
    >>> p.level("python"), p.level("java")
    (2, 0)
    >>> p.with_level("python", 3).level("python")
    3
    """

    skills: Mapping[str, int] = field(default_factory=dict)
    role: str | None = None

    def __post_init__(self) -> None:
        # A private sorted copy: callers cannot change a profile after the fact.
        object.__setattr__(self, "skills", dict(sorted(self.skills.items())))

    def __hash__(self) -> int:
        return hash((tuple(self.skills.items()), self.role))

    def level(self, skill: str) -> int:
        """The level the profile has in ``skill`` (0 when it does not have it)."""
        return self.skills.get(skill, 0)

    def with_level(self, skill: str, level: int) -> Profile:
        """A new profile with ``skill`` at ``level`` at least."""
        return self.with_levels([(skill, level)])

    def with_levels(self, levels: Iterable[tuple[str, int]]) -> Profile:
        """A new profile with each (skill, level) raised to at least that level."""
        skills = dict(self.skills)
        for skill, level in levels:
            skills[skill] = max(level, skills.get(skill, 0))
        return Profile(skills, self.role)

    def to_json(self) -> dict[str, Any]:
        """The profile as JSON-ready data: ``{"role": ..., "skills": {id: level}}``."""
        return {"role": self.role, "skills": dict(self.skills)}


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
    bad = f"{skill}: level must be a whole number 1–{top}, got {raw!r}"
    if isinstance(raw, bool):
        return None, bad
    if isinstance(raw, str):
        raw = raw.strip()
        # isdecimal() alone admits other scripts' digits; a level is one or two ASCII digits.
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 2):
            return None, bad
        raw = int(raw)
    if not isinstance(raw, int) or not 1 <= raw <= top:
        return None, bad
    return raw, None


def clean_profile(
    G: nx.DiGraph, skills: Iterable[tuple[Any, Any]], role: Any = None
) -> tuple[Profile, list[str]]:
    """A profile from untrusted (name, level) pairs: what cannot be used is dropped and described.

    Names resolve by id, name or alias in any case; levels must be whole numbers within the
    skill's levels. At most ``MAX_PROFILE_SKILLS`` pairs are read and ``MAX_UNKNOWN`` unknown
    names described.
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
    return Profile(found, role_id), problems


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
    if "skills" in data or "role" in data:
        extra = sorted(set(data) - {"skills", "role"})
        if extra:
            raise ProfileError(
                [f"unknown field {str(k)[:40]!r} in the profile" for k in extra[:10]]
            )
        skills = data.get("skills") or {}
        role = data.get("role")
    else:
        skills, role = data, None
    if not isinstance(skills, Mapping):
        raise ProfileError(
            [f"'skills' must be an object of id: level, got {type(skills).__name__}"]
        )
    profile, problems = clean_profile(G, skills.items(), role)
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
