"""Importers: ladders from other sources' skill data, written as our format 2.

A team rarely starts from nothing: it has a skills matrix in a spreadsheet, or wants to start
from a public taxonomy (ESCO) or a public learning path (roadmap.sh). Each importer is a pure
function from the source's bytes (and options) to ``(data, report)``: ``data`` a format-2
mapping of plain values, ready for ``yaml.safe_dump`` or ``json.dumps``; ``report`` plain
sentences naming every assumption it made (hours guessed, levels folded, links dropped …), as
the sources hold less than a ladder needs. A malformed source raises
:class:`~skilltree.errors.DataError` with every problem located (up to 50); an option it cannot
use raises :class:`OptionError`. No importer returns partial data.

:data:`IMPORTERS` lists them by name with what each reads and the options it takes, so that a
shell (the ``import`` command) is driven by the table; adding an importer is one module and one
entry here. A CSV matrix is also a reader (:data:`skilltree.io.READERS`), so ``load_graph`` reads
``.csv`` files directly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .common import OptionError
from .csv_matrix import LAYOUTS, import_csv_matrix
from .csv_matrix import MAX_BYTES as CSV_MAX_BYTES
from .esco import import_esco
from .esco_tables import table_key
from .roadmap_read import LEGEND_KINDS
from .roadmap_read import MAX_BYTES as ROADMAP_MAX_BYTES
from .roadmap_sh import import_roadmap_sh

__all__ = [
    "IMPORTERS",
    "Importer",
    "OptionError",
    "Setting",
    "import_csv_matrix",
    "import_esco",
    "import_roadmap_sh",
]

#: What an importer returns: format-2 data and the report of its assumptions.
Result = tuple[dict[str, Any], list[str]]

#: How an option is given as text: one text, comma-separated names, a whole number, one of
#: ``choices``, a repeatable text, repeatable ``KEY=VALUE`` pairs, or a switch turning a
#: default-on option off.
Form = Literal["text", "names", "number", "choice", "many", "pairs", "off"]


@dataclass(frozen=True, slots=True)
class Setting:
    """One option of an importer: the keyword its function takes and how a person gives it."""

    keyword: str
    flag: str
    form: Form
    help: str
    metavar: str = ""
    choices: tuple[str, ...] = ()

    def value(self, given: Any) -> Any:
        """The keyword's value from what a shell collected (text, or a list of texts for
        repeatable forms); :class:`OptionError` when it cannot be read.

        >>> Setting("levels", "--levels", "names", "").value("seen, done")
        ['seen', 'done']
        >>> Setting("legend_kinds", "--legend", "pairs", "").value(["lg-1=none"])
        {'lg-1': 'none'}
        """
        if self.form == "names":
            return [part.strip() for part in str(given).split(",")]
        if self.form == "number":
            try:
                return int(str(given))
            except ValueError:
                raise OptionError(self.keyword, f"a whole number, not {given!r}") from None
        if self.form == "choice" and given not in self.choices:
            raise OptionError(self.keyword, f"one of {', '.join(self.choices)}, not {given!r}")
        if self.form == "many":
            return [str(v) for v in given]
        if self.form == "pairs":
            pairs: dict[str, str] = {}
            for item in given:
                key, sep, val = str(item).partition("=")
                if not sep or not key.strip():
                    raise OptionError(self.keyword, f"give KEY=VALUE, not {item!r}")
                pairs[key.strip()] = val.strip()
            return pairs
        if self.form == "off":
            return not given
        return given


@dataclass(frozen=True, slots=True)
class Importer:
    """A source of ladders the ``import`` command reads.

    ``several`` says whether it takes one file or several named files (a folder, say);
    ``extensions`` are the files it reads and ``reads`` picks them out of a folder by name;
    ``max_bytes`` caps each file; ``function`` is the importer itself, called through
    :meth:`run`.
    """

    name: str
    label: str
    help: str
    several: bool
    extensions: tuple[str, ...]
    reads: Callable[[str], bool]
    max_bytes: int
    function: Callable[..., Result]
    settings: tuple[Setting, ...] = ()

    def run(self, sources: Mapping[str, bytes], **options: Any) -> Result:
        """Import ``sources`` (file name → bytes): one file, or several for ``several``."""
        if self.several:
            return self.function(sources, **options)
        if len(sources) != 1:
            message = f"the {self.name} importer reads one file, got {len(sources)}"
            raise OptionError("sources", message)
        ((file, raw),) = sources.items()
        return self.function(raw, filename=file, **options)


def _extension(*extensions: str) -> Callable[[str], bool]:
    return lambda name: name.lower().endswith(extensions)


_NAME = Setting("name", "--name", "text", "the ladder's name (default: from the source)", "TEXT")
_LEVELS = Setting(
    "levels", "--levels", "names", "level names, lowest first, 2 to 8: basics,working", "A,B,…"
)
_REQUIRE = Setting(
    "require_level", "--require-level", "number", "the level every requirement asks (1)", "N"
)

IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer(
            "csv",
            "CSV skills matrix",
            "A team's skills matrix saved as CSV: skills down and roles across (levels in the "
            "cells), or one row per role, skill and level.",
            False,
            (".csv",),
            _extension(".csv"),
            CSV_MAX_BYTES,
            import_csv_matrix,
            (
                _LEVELS,
                _NAME,
                Setting(
                    "layout",
                    "--layout",
                    "choice",
                    "wide (a column per role), long (a row per requirement) or auto",
                    choices=LAYOUTS,
                ),
            ),
        ),
        Importer(
            "esco",
            "ESCO classification (CSV download)",
            "ESCO's CSV download: a folder, or its occupations, skills and "
            "occupationSkillRelations files (plus, for categories, broaderRelationsSkillPillar "
            "and skillGroups; ISCOGroups to choose by ISCO group name).",
            True,
            (".csv",),
            lambda name: table_key(name) is not None,
            256 * 1024 * 1024,
            import_esco,
            (
                Setting(
                    "occupations",
                    "--occupation",
                    "many",
                    "an occupation to import, by label, ESCO URI or ISCO code (a prefix: 25 "
                    "takes every 25xx); repeat for more; default: all (write JSON then)",
                    "LABEL|URI|ISCO",
                ),
                _LEVELS,
                _REQUIRE,
                Setting("aliases", "--no-aliases", "off", "leave ESCO's alternative labels out"),
                _NAME,
            ),
        ),
        Importer(
            "roadmap-sh",
            "roadmap.sh roadmap (editor JSON)",
            "A roadmap.sh roadmap as its editor saves it (src/data/roadmaps/NAME/NAME.json).",
            False,
            (".json",),
            _extension(".json"),
            ROADMAP_MAX_BYTES,
            import_roadmap_sh,
            (
                _NAME,
                _LEVELS,
                _REQUIRE,
                Setting(
                    "legend_kinds",
                    "--legend",
                    "pairs",
                    "what a legend marker means, by its id or label: "
                    + "|".join(LEGEND_KINDS)
                    + "; repeatable",
                    "ID=KIND",
                ),
            ),
        ),
    )
}
