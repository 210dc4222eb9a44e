"""The data-file format: pydantic models for one career-graph file (YAML or JSON).

A file lists roles, skills, groups ("any k of these") and, optionally, training routes. Each
entry names what it needs by id; the loader (:mod:`skilltree.graph`) turns those references into
edges that point from what is needed to what needs it. This module checks the shape of each
entry only; references, duplicates and cycles are checked by the loader, which sees the whole
file. ``json_schema()`` gives the JSON Schema committed as ``data/schema.json``.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "FORMAT_VERSION",
    "MAX_LEVEL",
    "DataFile",
    "GroupEntry",
    "Option",
    "Prerequisite",
    "Progression",
    "Requirement",
    "RoleEntry",
    "Salary",
    "SkillEntry",
    "TrainingEntry",
    "json_schema",
]

FORMAT_VERSION = 1
MAX_LEVEL = 3
MAX_STEP_HOURS = 5000

Id = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9][a-z0-9_-]*$",
        max_length=64,
        description="Lower-case id: letters, digits, '-' and '_'.",
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=120)]
Text = Annotated[str, Field(max_length=2000)]
Level = Annotated[int, Field(ge=1, le=MAX_LEVEL, description="1 basics, 2 working, 3 advanced.")]
Importance = Literal["essential", "optional"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prerequisite(_Strict):
    """To start learning a skill (any level of it) you need ``id`` at ``level``."""

    id: Id
    level: Level = 1


class Requirement(_Strict):
    """A role needs skill or group ``id`` at ``level``."""

    id: Id
    level: Level = 1
    importance: Importance = "essential"


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

    min: Annotated[float, Field(ge=0)]
    max: Annotated[float, Field(ge=0)]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")] = "EUR"
    period: Literal["year", "month", "hour"] = "year"
    basis: Literal["gross", "net"] = "gross"
    source: Annotated[str, Field(min_length=1, max_length=300)]
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


class RoleEntry(_Strict):
    """A rung of the career ladder."""

    id: Id
    name: Name
    rank: Annotated[
        int, Field(ge=0, le=100, description="Position on the ladder, 1 = entry level.")
    ]
    track: Literal["individual", "expert", "management"] = "individual"
    description: Text = ""
    salary: Salary | None = None
    salary_note: Text = ""
    years: YearsRange | None = None
    responsibilities: list[Text] = []
    works_with: list[Text] = []
    requires: list[Requirement] = []
    next: list[Progression] = []


class SkillEntry(_Strict):
    """A language, framework, database, tool, practice, architecture, problem or people skill."""

    id: Id
    name: Name
    category: Annotated[str, Field(pattern=r"^[a-z][a-z-]*$", max_length=32)]
    description: Text
    hours: Annotated[
        list[Annotated[float, Field(gt=0, le=MAX_STEP_HOURS)]],
        Field(
            min_length=MAX_LEVEL,
            max_length=MAX_LEVEL,
            description="Hours of effort for each level step: to 1, from 1 to 2, from 2 to 3.",
        ),
    ]
    levels: Annotated[
        list[Text],
        Field(max_length=MAX_LEVEL, description="What each level means for this skill."),
    ] = []
    aliases: list[Name] = []
    requires: list[Prerequisite] = []


class GroupEntry(_Strict):
    """ "Any ``pick`` of these options": satisfied by that many of its option skills."""

    id: Id
    name: Name
    description: Text = ""
    pick: Annotated[int, Field(ge=1, le=50)] = 1
    options: Annotated[list[Option], Field(min_length=1)]

    @model_validator(mode="after")
    def _enough_options(self) -> GroupEntry:
        if self.pick > len(self.options):
            raise ValueError(f"pick is {self.pick} but the group has {len(self.options)} option(s)")
        return self


class Teaches(_Strict):
    """A training route teaches skill ``id`` up to ``level``."""

    id: Id
    level: Level = 1


class TrainingEntry(_Strict):
    """An entry route into the first role (school, university, bootcamp, self-taught)."""

    id: Id
    name: Name
    description: Text = ""
    months: Annotated[float, Field(ge=0, le=120)] | None = None
    teaches: list[Teaches] = []
    leads_to: list[Id] = []


class DataFile(_Strict):
    """One career-graph file."""

    format: Literal[1] = 1
    name: Name
    description: Text = ""
    source: Text = ""
    notes: list[Text] = []
    roles: list[RoleEntry] = []
    skills: list[SkillEntry] = []
    groups: list[GroupEntry] = []
    training: list[TrainingEntry] = []


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
