"""A profile: the skills (with levels) one person has, and optionally their current role.

Profiles are plain data. They come from a CLI flag (``python:2,sql,git:1``), a JSON file, or the
app's URL, and go back out the same ways. ``parse_have`` and ``profile_from_json`` are strict and
raise with every problem and close matches; ``clean_profile`` is lenient for untrusted sources
(URLs), dropping what it cannot use and saying what it dropped.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from .errors import ProfileError, UnknownIdError
from .schema import MAX_LEVEL

__all__ = [
    "Profile",
    "clean_profile",
    "format_have",
    "parse_have",
    "profile_from_json",
    "resolve_id",
]

MAX_PROFILE_SKILLS = 5000


@dataclass(frozen=True)
class Profile:
    """Skill id → level (1–3) that a person has, and their current role (or None).

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
        skills = dict(self.skills)
        skills[skill] = max(level, skills.get(skill, 0))
        return Profile(skills, self.role)

    def with_levels(self, levels: Iterable[tuple[str, int]]) -> Profile:
        """A new profile with each (skill, level) raised to at least that level."""
        skills = dict(self.skills)
        for skill, level in levels:
            skills[skill] = max(level, skills.get(skill, 0))
        return Profile(skills, self.role)

    def to_json(self) -> dict[str, Any]:
        """The profile as JSON-ready data: ``{"role": ..., "skills": {id: level}}``."""
        return {"role": self.role, "skills": dict(self.skills)}


def _suggest(G: nx.DiGraph, ident: str, kind: str) -> list[str]:
    ids = [n for n, k in G.nodes(data="kind") if k == kind]
    return difflib.get_close_matches(ident.lower(), ids, n=3, cutoff=0.6)


def resolve_id(G: nx.DiGraph, text: str, kind: str) -> str:
    """The id of the ``kind`` node that ``text`` names: its id, or its name or an alias (any case).

    Raises
    ------
    UnknownIdError
        When no node of that kind matches, with close ids as suggestions.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> resolve_id(load_graph(), "PostgreSQL", "skill")
    'postgresql'
    """
    if text in G and G.nodes[text].get("kind") == kind:
        return text
    folded = text.strip().casefold()
    for node, attrs in G.nodes(data=True):
        if attrs.get("kind") != kind:
            continue
        names = [node, attrs.get("name", ""), *attrs.get("aliases", ())]
        if any(folded == str(name).casefold() for name in names):
            return str(node)
    if text in G:
        raise UnknownIdError(kind, text, [f"{text} is a {G.nodes[text].get('kind')}"])
    raise UnknownIdError(kind, text, _suggest(G, text, kind))


def _check_level(skill: str, raw: Any) -> tuple[int | None, str | None]:
    if isinstance(raw, bool):
        return None, f"{skill}: level must be a whole number 1–{MAX_LEVEL}, got {raw!r}"
    if isinstance(raw, str):
        raw = raw.strip()
        # isdecimal() alone admits other scripts' digits; a level is one ASCII digit.
        if not (raw.isascii() and raw.isdecimal() and len(raw) <= 2):
            return None, f"{skill}: level must be a whole number 1–{MAX_LEVEL}, got {raw!r}"
        raw = int(raw)
    if not isinstance(raw, int) or not 1 <= raw <= MAX_LEVEL:
        return None, f"{skill}: level must be a whole number 1–{MAX_LEVEL}, got {raw!r}"
    return raw, None


def _build(G: nx.DiGraph, pairs: Iterable[tuple[str, Any]], role: Any) -> tuple[Profile, list[str]]:
    skills: dict[str, int] = {}
    problems: list[str] = []
    for count, (text, raw_level) in enumerate(pairs):
        if count >= MAX_PROFILE_SKILLS:
            problems.append(f"more than {MAX_PROFILE_SKILLS} skills; the rest were ignored")
            break
        try:
            skill = resolve_id(G, str(text), "skill")
        except UnknownIdError as exc:
            problems.append(str(exc))
            continue
        level, problem = _check_level(skill, raw_level)
        if problem:
            problems.append(problem)
            continue
        assert level is not None
        skills[skill] = max(level, skills.get(skill, 0))
    role_id = None
    if role not in (None, ""):
        try:
            role_id = resolve_id(G, str(role), "role")
        except UnknownIdError as exc:
            problems.append(str(exc))
    return Profile(skills, role_id), problems


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
    pairs: list[tuple[str, Any]] = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        name, sep, level = item.partition(":")
        pairs.append((name.strip(), level if sep else 1))
    profile, problems = _build(G, pairs, role)
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
            raise ProfileError([f"unknown field {k!r} in the profile" for k in extra])
        skills = data.get("skills") or {}
        role = data.get("role")
    else:
        skills, role = data, None
    if not isinstance(skills, Mapping):
        raise ProfileError(
            [f"'skills' must be an object of id: level, got {type(skills).__name__}"]
        )
    profile, problems = _build(G, skills.items(), role)
    if problems:
        raise ProfileError(problems)
    return profile


def clean_profile(
    G: nx.DiGraph, skills: Iterable[tuple[str, Any]], role: Any = None
) -> tuple[Profile, list[str]]:
    """A profile from untrusted pairs: what cannot be used is dropped and described."""
    return _build(G, skills, role)
