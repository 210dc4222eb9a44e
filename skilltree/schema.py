"""The data-file format: pydantic models for one career-graph file (YAML or JSON).

A file lists roles, skills, groups ("any k of these") and, optionally, training routes. Each
entry names what it needs by id; the loader (:mod:`skilltree.io.build`) turns those references
into edges that point from what is needed to what needs it. This module checks the shape of each
entry only; what depends on the whole file (references, duplicates, cycles, levels against the
ladder's own ``levels``, tracks against its ``tracks``) is checked by the loader.
``json_schema()`` gives the JSON Schema committed as ``data/schema.json``.

Format 2 adds, to format 1: the ladder's own ``levels`` (2 to 8 names), ``tracks`` and
``categories``; ``resources`` (links) on any node; soft ``after`` links between skills; a
``preferred`` option on a group; ``pick`` on a requirement. A format 1 file is a format 2 file
that uses none of these, with the default three levels.

Text refuses control characters (names refuse line breaks too), and numbers must be finite, so
that nothing in a file can drive a terminal or break an XML export.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from .model import MAX_LEVELS, MIN_LEVELS

__all__ = [
    "FORMAT_VERSION",
    "MAX_STEP_HOURS",
    "DataFile",
    "GroupEntry",
    "Option",
    "Prerequisite",
    "Progression",
    "Requirement",
    "Resource",
    "RoleEntry",
    "Salary",
    "SkillEntry",
    "TrainingEntry",
    "is_web_address",
    "json_schema",
]

FORMAT_VERSION = 2
MAX_STEP_HOURS = 5000
MAX_RESOURCES = 20

# Control characters: tab, line feed and carriage return are allowed in longer texts only.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f\u2028\u2029]")
_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f\x80-\x9f\u2028\u2029]")


def _no_control(text: str) -> str:
    found = _CONTROL.search(text)
    if found:
        raise ValueError(f"control character U+{ord(found.group()):04X} is not allowed in text")
    return text


def _one_line(text: str) -> str:
    found = _CONTROL_OR_BREAK.search(text)
    if found:
        raise ValueError(
            f"control character U+{ord(found.group()):04X} is not allowed in a name (one line)"
        )
    return text


_WEB_ADDRESS = re.compile(
    r"^https?://(?:[^/?#\s@]*@)?(?:\[[0-9a-f:.]+\](?::\d+)?|[^/?#\s\[\]]+)(?:[/?#]\S*)?$",
    re.IGNORECASE,
)


def _web_address(url: str) -> str:
    if _CONTROL_OR_BREAK.search(url) or " " in url:
        raise ValueError("a link may not hold spaces or control characters")
    if not _WEB_ADDRESS.match(url):
        raise ValueError("a link must be an http:// or https:// address")
    return url


def is_web_address(url: str) -> bool:
    """Whether a resource may link to ``url``: an http or https address with a host, no spaces
    or control characters (the rule the schema applies, for code that makes links in bulk).

    >>> is_web_address("https://docs.python.org/3/"), is_web_address("javascript:alert(1)")
    (True, False)
    """
    return not (_CONTROL_OR_BREAK.search(url) or " " in url) and bool(_WEB_ADDRESS.match(url))


Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case id: letters, digits, '-' and '_'.",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=120), AfterValidator(_one_line)]
Text = Annotated[str, Field(max_length=2000), AfterValidator(_no_control)]
Level = Annotated[
    int,
    Field(
        ge=1,
        le=MAX_LEVELS,
        description="1 to the number of the ladder's levels (by default 1 basics, 2 working, "
        "3 advanced).",
    ),
]
Importance = Literal["essential", "optional"]
Color = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$", description="#RRGGBB")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Resource(_Strict):
    """A link to read more: official documentation, a course, a team handbook."""

    title: Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_one_line)]
    url: Annotated[str, Field(max_length=2000), AfterValidator(_web_address)]


Resources = Annotated[list[Resource], Field(max_length=MAX_RESOURCES)]


class Prerequisite(_Strict):
    """To start learning a skill (any level of it) you need ``id`` at ``level``."""

    id: Id
    level: Level = 1


class After(_Strict):
    """A recommended order: learn this skill after ``id`` (not a hard prerequisite)."""

    id: Id


class Requirement(_Strict):
    """A role needs skill or group ``id`` at ``level``; ``pick`` overrides a group's own."""

    id: Id
    level: Level = 1
    importance: Importance = "essential"
    pick: Annotated[int, Field(ge=1, le=50)] | None = None


class Option(_Strict):
    """Skill ``id`` counts for the group at ``level`` (or the requirement's level, if higher)."""

    id: Id
    level: Level = 1


class Progression(_Strict):
    """The usual next rung after a role, after about ``years`` in it."""

    id: Id
    years: Annotated[float, Field(ge=0, le=50)] | None = None


class Salary(_Strict):
    """A salary band. ``source`` says where the figures come from; an estimate says so."""

    min: Annotated[float, Field(ge=0, le=1e12)]
    max: Annotated[float, Field(ge=0, le=1e12)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    period: Literal["year", "month", "hour"] = "year"
    basis: Literal["gross", "net"] = "gross"
    source: Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_no_control)]
    estimate: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Salary:
        if self.min > self.max:
            raise ValueError(f"salary min {self.min:g} is above max {self.max:g}")
        return self


class YearsRange(_Strict):
    """Typical years of experience for a role (our estimate unless the data says otherwise)."""

    min: Annotated[float, Field(ge=0, le=60)]
    max: Annotated[float, Field(ge=0, le=60)] | None = None


class _Entry(_Strict):
    """What every entry of a ladder has: an id, a name, a description and links to read more."""

    id: Id
    name: Name
    description: Text = ""
    resources: Resources = Field(default_factory=list)


class RoleEntry(_Entry):
    """A rung of the career ladder."""

    rank: Annotated[
        int, Field(ge=0, le=100, description="Position on the ladder, 1 = entry level.")
    ]
    track: Annotated[Id, Field(description="One of the ladder's tracks.")] = "individual"
    salary: Salary | None = None
    salary_note: Text = ""
    years: YearsRange | None = None
    responsibilities: list[Text] = Field(default_factory=list)
    works_with: list[Text] = Field(default_factory=list)
    requires: list[Requirement] = Field(default_factory=list)
    next: list[Progression] = Field(default_factory=list)


class SkillEntry(_Entry):
    """A language, framework, database, tool, practice, architecture, problem or people skill."""

    description: Text
    category: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=32)]
    hours: Annotated[
        list[Annotated[float, Field(gt=0, le=MAX_STEP_HOURS)]],
        Field(
            min_length=MIN_LEVELS,
            max_length=MAX_LEVELS,
            description="Hours of effort for each level step (to 1, from 1 to 2, …): one figure "
            "per level of the ladder.",
        ),
    ]
    levels: Annotated[
        list[Text],
        Field(max_length=MAX_LEVELS, description="What each level means for this skill."),
    ] = Field(default_factory=list)
    aliases: list[Name] = Field(default_factory=list)
    requires: list[Prerequisite] = Field(default_factory=list)
    after: list[After] = Field(default_factory=list)


class GroupEntry(_Entry):
    """ "Any ``pick`` of these options": satisfied by that many of its option skills."""

    pick: Annotated[int, Field(ge=1, le=50)] = 1
    preferred: Id | None = None
    options: Annotated[list[Option], Field(min_length=1)]

    @model_validator(mode="after")
    def _enough_options(self) -> GroupEntry:
        if self.pick > len(self.options):
            raise ValueError(f"pick is {self.pick} but the group has {len(self.options)} option(s)")
        if self.preferred is not None and self.preferred not in {o.id for o in self.options}:
            raise ValueError(f"preferred option {self.preferred!r} is not one of the options")
        return self


class Teaches(_Strict):
    """A training route teaches skill ``id`` up to ``level``."""

    id: Id
    level: Level = 1


class TrainingEntry(_Entry):
    """An entry route into the first role (school, university, bootcamp, self-taught)."""

    months: Annotated[float, Field(ge=0, le=120)] | None = None
    teaches: list[Teaches] = Field(default_factory=list)
    leads_to: list[Id] = Field(default_factory=list)


class TrackEntry(_Strict):
    """A track of the ladder: roles name one, and each is drawn in its own lane."""

    id: Id
    name: Name
    description: Text = ""


class CategoryEntry(_Strict):
    """A category of skills with the name a legend shows and, optionally, its colour."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=32)]
    name: Name
    color: Color | None = None


class DataFile(_Strict):
    """One career-graph file (the top-level fields; entries are checked one by one)."""

    format: Literal[1, 2] = 1
    name: Name
    description: Text = ""
    source: Text = ""
    notes: list[Text] = Field(default_factory=list)
    levels: (
        Annotated[
            list[Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_one_line)]],
            Field(
                min_length=MIN_LEVELS,
                max_length=MAX_LEVELS,
                description="The ladder's level names, lowest first (default: basics, working, "
                "advanced).",
            ),
        ]
        | None
    ) = None
    tracks: Annotated[list[TrackEntry], Field(min_length=1, max_length=20)] | None = None
    categories: Annotated[list[CategoryEntry], Field(max_length=200)] = Field(default_factory=list)
    roles: list[RoleEntry] = Field(default_factory=list)
    skills: list[SkillEntry] = Field(default_factory=list)
    groups: list[GroupEntry] = Field(default_factory=list)
    training: list[TrainingEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> DataFile:
        for what, ids in (
            ("level name", self.levels or []),
            ("track", [t.id for t in self.tracks or []]),
            ("category", [c.id for c in self.categories]),
        ):
            seen: set[str] = set()
            for ident in ids:
                if ident in seen:
                    raise ValueError(f"{what} {ident!r} is declared twice")
                seen.add(ident)
        return self


ENTRY_MODELS: dict[str, type[BaseModel]] = {
    "roles": RoleEntry,
    "skills": SkillEntry,
    "groups": GroupEntry,
    "training": TrainingEntry,
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a data file, for editors and other tools."""
    schema = DataFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "skilltree career graph"
    return schema


def json_schema_text() -> str:
    """The JSON Schema as the text committed in ``data/schema.json``."""
    return json.dumps(json_schema(), indent=2, sort_keys=True) + "\n"
