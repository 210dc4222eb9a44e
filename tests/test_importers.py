"""Importers: each good fixture gives a ladder that loads, plans and draws; each malformed one a
located problem and no output file; the ``import`` command end to end; a ``.csv`` read by the
loader directly. Fixtures (``tests/fixtures/importers``) are small files written for these tests
in each source's layout: a pottery, brewing and sailing matrix, a made-up lighthouse corner of
ESCO, an urban beekeeping roadmap."""

from __future__ import annotations

import csv
import io
import json
import random
import time
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml
from pydantic import ValidationError

import skilltree
from benchmarks.synthetic_esco import synthetic_esco
from skilltree import DataError, graph_from_data, graph_from_text, load_graph
from skilltree.cli.imports import yaml_events
from skilltree.index import index_of
from skilltree.io import read_document
from skilltree.io.importers import (
    IMPORTERS,
    OptionError,
    Setting,
    import_csv_matrix,
    import_esco,
    import_roadmap_sh,
    matrix_ladder,
)
from skilltree.io.importers.common import resource
from skilltree.schema import Resource
from skilltree.views import graph_figure, layered_layout

from .conftest import run_cli

FIX = Path(__file__).parent / "fixtures" / "importers"
ESCO_GOOD = FIX / "esco" / "good"


def _csv(fixture: str, **options: Any) -> tuple[dict[str, Any], list[str]]:
    return import_csv_matrix((FIX / "csv" / fixture).read_bytes(), filename=fixture, **options)


def _esco_files(*overrides: str) -> dict[str, bytes]:
    files = {p.name: p.read_bytes() for p in ESCO_GOOD.glob("*.csv")}
    for folder in overrides:
        files.update({p.name: p.read_bytes() for p in (FIX / "esco" / folder).glob("*.csv")})
    return files


def _roadmap(fixture: str, **options: Any) -> tuple[dict[str, Any], list[str]]:
    return import_roadmap_sh((FIX / "roadmap" / fixture).read_bytes(), filename=fixture, **options)


def _usable(data: dict[str, Any], report: list[str]) -> nx.DiGraph:
    """What every import promises: a ladder the loader accepts, that plans to each of its roles
    and draws; data that survives a YAML round trip; a report in sentences."""
    G = graph_from_data(data, "imported")
    roles = [n for n, kind in G.nodes(data="kind") if kind == "role"]
    assert roles
    for role in roles:
        skilltree.plan(G, skilltree.Profile(), role)
    graph_figure(G, layered_layout(G))
    assert yaml.safe_load(yaml.safe_dump(data, allow_unicode=True)) == data
    assert report
    assert all(isinstance(s, str) and s.rstrip().endswith((".", ")")) for s in report)
    return G


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for i in items}


def _problems(exc: DataError) -> list[tuple[str, str, int | None, str]]:
    return [(p.file, p.where, p.line, p.field) for p in exc.problems]


def _located(exc: DataError, file: str, where: str, line: int | None, fld: str, text: str) -> bool:
    return any(
        (p.file, p.where, p.line, p.field) == (file, where, line, fld) and text in p.message
        for p in exc.problems
    )


# --------------------------------------------------------------------------------------------
# CSV skills matrix
# --------------------------------------------------------------------------------------------


def test_wide_matrix() -> None:
    data, report = _csv("good_wide.csv")
    G = _usable(data, report)
    assert data["levels"] == ["basics", "working", "advanced", "expert"]
    roles = _by_id(data["roles"])
    assert [r["id"] for r in data["roles"]] == ["trainee", "practitioner", "lead", "head-of-kiln"]
    assert roles["practitioner"]["next"] == [{"id": "lead"}, {"id": "head-of-kiln"}]
    assert roles["head-of-kiln"]["track"] == "management"
    practitioner = _by_id(roles["practitioner"]["requires"])
    assert practitioner["glaze-chemistry"] == {
        "id": "glaze-chemistry",
        "level": 1,
        "importance": "optional",
    }
    assert practitioner["teaching-apprentices"]["importance"] == "optional"
    assert "kiln-firing" not in _by_id(roles["lead"]["requires"])  # inherited at the same level
    assert _by_id(roles["lead"]["requires"])["teaching-apprentices"]["level"] == 2  # a level name
    skills = _by_id(data["skills"])
    assert skills["clay-wedging"]["hours"] == [10, 25, 60, 120]
    assert skills["glaze-chemistry"]["hours"] == [30, 30, 30, 30]
    assert skills["wheel-throwing"]["hours"] == [20, 40, 80, 160]
    assert skills["raku"]["category"] == "general"
    text = " ".join(report)
    assert "Hours were guessed for 5" in text
    assert "byte-order mark" in text
    assert "Head of kiln asks for Kiln firing at level 2 but inherits level 3" in text
    assert "3 empty cells filled by inheritance" in text
    # What the loader makes of it: the lead still needs kiln firing at 3, through the ladder.
    lead = {(q.node, q.level, q.importance) for q in index_of(G).requirements("lead")}
    assert ("kiln-firing", 3, "essential") in lead


def test_long_matrix_with_semicolons_and_decimal_commas() -> None:
    data, report = _csv("good_long.csv")
    _usable(data, report)
    assert "';'" in report[0]
    assert data["levels"] == ["basics", "working", "advanced"]
    assert {t["id"] for t in data["tracks"]} == {"individual", "management"}
    skills = _by_id(data["skills"])
    assert skills["water-chemistry"]["hours"] == [8.5, 8.5, 8.5]
    assert skills["cellar-hygiene"]["hours"] == [4, 8, 16]
    roles = _by_id(data["roles"])
    assert roles["brewer"]["next"] == [{"id": "head-brewer"}]
    assert _by_id(roles["brewer"]["requires"])["recipe-design"]["importance"] == "optional"


def test_level_names_and_folding() -> None:
    data, report = _csv(
        "good_wide.csv", levels=["seen", "working", "taught", "led"], name="Pottery"
    )
    _usable(data, report)
    assert data["levels"] == ["seen", "working", "taught", "led"]
    assert data["name"] == "Pottery"
    matrix = b"skill,A,B\nx,3,10\ny,1,5\n"
    data, report = import_csv_matrix(matrix, filename="ten.csv")
    _usable(data, report)
    assert len(data["levels"]) == 8
    assert any("folded" in s for s in report)
    with pytest.raises(DataError) as caught:
        import_csv_matrix(matrix, filename="ten.csv", levels=list("abcde"))
    assert _located(caught.value, "ten.csv", "row 2", 2, "B", "level 10 is above 5")


def _keep_every_cell(
    draft: matrix_ladder.Draft, roles: Any, links: Any, report: list[str]
) -> dict[str, list[tuple[str, int, bool]]]:
    kept: dict[str, list[tuple[str, int, bool]]] = {r.name.casefold(): [] for r in roles}
    for q in draft.reqs:
        kept[q.role].append((q.skill, q.level, q.optional))
    return kept


def _effective(G: nx.DiGraph) -> dict[str, set[tuple[str, int, str]]]:
    index = index_of(G)
    return {
        role: {(q.node, q.level, q.importance) for q in index.requirements(role)}
        for role in index.roles
    }


def _random_matrix(rng: random.Random) -> bytes:
    roles = [f"R{i}" for i in range(rng.randint(2, 5))]
    header = ["skill", *roles]
    rows = (
        ["rank", *(str(rng.randint(1, 3)) for _ in roles)],
        ["track"] + [rng.choice(["", "individual", "management"]) for _ in roles],
    )
    for s in range(rng.randint(1, 6)):
        cells = [rng.choice(["", "", "1", "2", "3", "1?", "2?", "3*"]) for _ in roles]
        rows += ([f"skill {s}", *cells],)
    rows[-1][1] = "2"  # at least one requirement
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


@pytest.mark.parametrize("source", ["good_wide.csv", "good_long.csv", "python,3?,2", "random"])
def test_leaving_out_inherited_cells_changes_no_role(monkeypatch, source: str) -> None:
    """The file leaves out cells a role inherits; the loader must give every role exactly the
    requirements it would have with every cell written out."""
    if source == "random":
        rng = random.Random(7)
        matrices = [_random_matrix(rng) for _ in range(150)]
    elif source.endswith(".csv"):
        matrices = [(FIX / "csv" / source).read_bytes()]
    else:  # an optional cell below an essential one at a lower level
        matrices = [f"skill,Junior,Senior\n{source}\ngit,1,1?\n".encode()]
    for raw in matrices:
        trimmed, _ = import_csv_matrix(raw, filename="m.csv")
        with monkeypatch.context() as m:
            m.setattr(matrix_ladder, "_trim", _keep_every_cell)
            full, _ = import_csv_matrix(raw, filename="m.csv")
        assert _effective(graph_from_data(trimmed)) == _effective(graph_from_data(full)), raw
    if source == "python,3?,2":
        assert ("python", 2, "essential") in _effective(graph_from_data(trimmed))["senior"]


BAD_CSV = [
    ("bad_level.csv", "row 7", 7, "level", "'x' is not a level"),
    ("bad_level.csv", "row 8", 8, "importance", "'sometimes' is neither essential nor optional"),
    ("wrong_columns.csv", "row 1", 1, "", "missing: role"),
    ("duplicate_skill.csv", "row 4", 4, "skill", "duplicate skill 'knot tying' (first on row 2)"),
    ("empty.csv", "", None, "", "the file is empty"),
    ("header_only.csv", "row 1", 1, "", "no rows under it"),
    ("wrong_delimiter.csv", "row 1", 1, "", "is a single column"),
    ("huge_cell.csv", "row 2", 2, "description", "2,550 characters long; at most 2,000"),
    ("bad_hours.csv", "row 2", 2, "hours", "has 2 figures; this ladder has 3 levels"),
    ("bad_hours.csv", "row 3", 3, "hours", "above 0"),
    ("not_utf8.csv", "", 2, "", "not UTF-8"),
    ("ragged_row.csv", "row 2", 2, "", "5 cells but the header has 4"),
    ("bad_rank.csv", "row 2", 2, "Apprentice", "rank 'first' is not a whole number"),
    # A quoted cell spans lines 2–3, so spreadsheet row 3 starts on line 4.
    ("multiline_row.csv", "row 3", 4, "Senior", "'three' is not a level"),
]


@pytest.mark.parametrize(("name", "where", "line", "fld", "text"), BAD_CSV)
def test_bad_matrix_is_located(name: str, where: str, line: int | None, fld: str, text: str):
    with pytest.raises(DataError) as caught:
        _csv(name)
    assert _located(caught.value, name, where, line, fld, text), _problems(caught.value)


def test_problem_text_and_the_cap() -> None:
    with pytest.raises(DataError) as caught:
        import_csv_matrix((FIX / "csv" / "bad_level.csv").read_bytes(), filename="matrix.csv")
    assert str(caught.value.problems[0]).startswith(
        "matrix.csv:7: row 7 › level: 'x' is not a level"
    )
    assert "2 problems in the data" in str(caught.value)
    many = "skill,A\n" + "".join(f"s{i},zz\n" for i in range(80))
    with pytest.raises(DataError) as caught:
        import_csv_matrix(many.encode(), filename="many.csv")
    assert len(caught.value.problems) == 51
    assert "stopped after 50 problems" in caught.value.problems[-1].message


def test_cell_beyond_the_csv_field_limit() -> None:
    giant = b"skill,A\nok,1\nbig," + b'"' + b"y" * 200_000 + b'"\n'
    with pytest.raises(DataError, match="unreadable CSV: field larger than field limit"):
        import_csv_matrix(giant, filename="giant.csv")


def test_matrix_limits_of_the_format() -> None:
    """More categories than a file may declare, control characters and line separators in
    cells, names the format would refuse: the result still loads."""
    rows = ["skill,category,description,A"] + [
        f"s{i},cat {i},line\u2028break\x07,1" for i in range(210)
    ]
    data, report = import_csv_matrix("\n".join(rows), filename="wide.csv")
    _usable(data, report)
    assert len(data["categories"]) == 200
    assert any("210 categories" in s for s in report)
    assert data["skills"][0]["description"] == "line\nbreak"


def test_bad_options() -> None:
    with pytest.raises(OptionError, match="levels: give 2–8 level names"):
        _csv("good_wide.csv", levels=["only"])
    with pytest.raises(OptionError, match="a level name is 1–40 characters"):
        _csv("good_wide.csv", levels=["a", "b" * 41])
    with pytest.raises(OptionError, match="layout: one of auto, wide, long"):
        _csv("good_wide.csv", layout="diagonal")


def test_csv_reads_through_the_loader(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_bytes((FIX / "csv" / "good_wide.csv").read_bytes())
    G = load_graph(path)
    assert G.graph["format"] == 2
    assert G.nodes["head-of-kiln"]["kind"] == "role"
    text = (FIX / "csv" / "good_long.csv").read_text(encoding="utf-8")
    assert graph_from_text(text, "team.csv").nodes["brewer"]["kind"] == "role"
    doc = read_document(text.encode(), "team.csv")
    assert any("long layout" in note for note in doc.notes)
    assert read_document(b"format: 1\nname: x\n", "ladder.yaml").notes == []
    bad = tmp_path / "bad.csv"
    bad.write_bytes((FIX / "csv" / "bad_level.csv").read_bytes())
    with pytest.raises(DataError) as caught:
        load_graph(bad)
    assert _located(caught.value, str(bad), "row 7", 7, "level", "not a level")


# --------------------------------------------------------------------------------------------
# ESCO
# --------------------------------------------------------------------------------------------


def test_esco_download() -> None:
    data, report = import_esco(_esco_files())
    _usable(data, report)
    assert data["levels"] == ["basics", "working"]
    roles = _by_id(data["roles"])
    assert set(roles) == {"lighthouse-keeper", "harbour-pilot", "beacon-technician"}
    assert all(r["rank"] == 1 and "next" not in r for r in data["roles"])
    pilot = _by_id(roles["harbour-pilot"]["requires"])
    assert "importance" not in pilot["operate-marine-radio"]  # essential and optional: essential
    assert _by_id(roles["lighthouse-keeper"]["requires"])["tide-tables"]["importance"] == "optional"
    skills = _by_id(data["skills"])
    assert "knot-history" not in skills  # no chosen occupation needs it
    assert skills["steer-large-vessels"]["category"] == "the-sea-and-its-ways"  # via a skill
    assert skills["stay-calm-under-pressure"]["category"] == "transversal"
    assert skills["maintain-signal-lamps"]["hours"] == [60, 150]
    assert "log the weather" not in skills["operate-marine-radio"].get("aliases", [])
    assert skills["solder-electrical-joints"]["description"].startswith("A joint is made")
    assert any("no career ladder" in s for s in report)


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (["harbour pilot"], ["harbour-pilot"]),
        (["LAMP KEEPER"], ["lighthouse-keeper"]),
        (["54"], ["lighthouse-keeper"]),
        (["Ship pilots and navigators"], ["harbour-pilot"]),
        (
            ["http://data.europa.eu/esco/occupation/fixture-tech", "3152"],
            ["harbour-pilot", "beacon-technician"],
        ),
    ],
)
def test_esco_choice(choice: list[str], expected: list[str]) -> None:
    data, report = import_esco(_esco_files(), occupations=choice)
    _usable(data, report)
    assert [r["id"] for r in data["roles"]] == expected


BAD_ESCO = [
    ("bad_relation", "occupationSkillRelations_en.csv", "row 5", 5, "relationType", "'sometimes'"),
    ("missing_column", "skills_en.csv", "row 1", 1, "preferredLabel", "missing column"),
    # Row 2 holds a quoted cell over two lines: row 5 starts on line 6.
    ("duplicate_uri", "occupations_en.csv", "row 5", 6, "conceptUri", "(first on row 3)"),
    ("empty_file", "skills_en.csv", "", None, "", "the file is empty"),
    ("short_row", "skills_en.csv", "row 5", 7, "", "the row has 2 cells; the header has 13"),
]


@pytest.mark.parametrize(("folder", "file", "where", "line", "fld", "text"), BAD_ESCO)
def test_bad_esco_is_located(
    folder: str, file: str, where: str, line: int | None, fld: str, text: str
) -> None:
    with pytest.raises(DataError) as caught:
        import_esco(_esco_files(folder))
    assert _located(caught.value, file, where, line, fld, text), _problems(caught.value)


def test_esco_missing_table_and_unknown_choice() -> None:
    files = _esco_files()
    del files["occupationSkillRelations_en.csv"]
    with pytest.raises(DataError, match="the occupationSkillRelations table is missing"):
        import_esco(files)
    with pytest.raises(OptionError, match="did you mean 'lighthouse keeper'") as caught:
        import_esco(_esco_files(), occupations=["lighthouse keepr"])
    assert caught.value.option == "occupations"
    with pytest.raises(OptionError, match="require_level: must be 1–2"):
        import_esco(_esco_files(), require_level=3)


def test_esco_of_some_size_through_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "esco"
    folder.mkdir()
    for name, raw in synthetic_esco(60, 400, 2400, seed=3).items():
        (folder / name).write_bytes(raw)
    (folder / "skillSkillRelations_en.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    out = tmp_path / "esco.json"
    code, text, err = run_cli("import", "esco", str(folder), "--out", str(out))
    assert code == 0, err
    assert "Not read in the folder (not tables this importer uses): skillSkillRelations" in text
    G = load_graph(out)
    assert sum(1 for _n, kind in G.nodes(data="kind") if kind == "role") == 60


@pytest.mark.slow
def test_esco_full_size(tmp_path: Path) -> None:
    """The real download's size: fast enough, loadable, and refused as YAML (too big)."""
    files = synthetic_esco()
    start = time.process_time()
    data, report = import_esco(files)
    took = time.process_time() - start
    assert len(data["roles"]) == 3000
    assert sum(len(r["requires"]) for r in data["roles"]) == 130000
    assert took < 20, f"{took:.1f} s of CPU"
    assert any("8 MiB" in s for s in report)
    graph_from_data(data)
    folder = tmp_path / "esco"
    folder.mkdir()
    for name, raw in files.items():
        (folder / name).write_bytes(raw)
    code, _text, err = run_cli("import", "esco", str(folder), "--out", str(tmp_path / "e.yaml"))
    assert code == 2
    assert "write JSON" in err
    assert not (tmp_path / "e.yaml").exists()
    code, _text, err = run_cli("import", "esco", str(folder), "--out", str(tmp_path / "e.json"))
    assert code == 0, err
    assert load_graph(tmp_path / "e.json").number_of_nodes() > 16000


# --------------------------------------------------------------------------------------------
# roadmap.sh
# --------------------------------------------------------------------------------------------


def test_roadmap() -> None:
    data, report = _roadmap("good.json")
    _usable(data, report)
    assert data["name"] == "Urban Beekeeping"
    (role,) = data["roles"]
    requires = _by_id(role["requires"])
    assert requires["choose-a-hive"] == {"id": "choose-a-hive", "level": 1}
    assert requires["mite-counts"]["importance"] == "optional"
    assert requires["selling-honey"]["importance"] == "optional"
    assert "langstroth-hive" not in requires  # required through its group
    hives, swarms, extractors = data["groups"]
    assert swarms["id"] == "swarm-control-pick-one"  # alternatives hanging off a subtopic
    assert {"id": "swarm-control"} in _by_id(data["skills"])["hive-splits"]["after"]
    assert hives["preferred"] == "langstroth-hive"
    assert [o["id"] for o in hives["options"]] == ["top-bar-hive", "langstroth-hive", "warre-hive"]
    assert extractors["name"] == "Extractor type"  # a labelled box of alternatives under Harvest
    assert extractors["preferred"] == "tangential-extractor"
    assert "harvest" in requires  # the topic stays a skill when the group is a box below it
    skills = _by_id(data["skills"])
    assert "after" not in skills["waggle-dance"]  # order not strict
    assert skills["seasonal-care"]["after"] == [{"id": "bee-biology"}]  # through the group
    assert skills["harvest"]["after"] == [{"id": "seasonal-care"}]  # through the button
    assert skills["wax-rendering"]["after"] == [{"id": "harvest"}]  # inside the linked box
    assert skills["langstroth-hive"]["after"] == [{"id": "bee-biology"}]
    assert {"id": "caste-roles"} in skills["pheromones"]["after"]  # subtopic to subtopic edge
    assert skills["pheromones"]["category"] == "bee-biology"  # two nodes, one skill
    assert role["resources"][0] == {
        "title": "Gardening roadmap",
        "url": "https://roadmap.sh/gardening",
    }
    text = " ".join(report)
    assert "missing a source or target" in text
    assert "1 legend" in text


def test_roadmap_legend_override() -> None:
    data, report = _roadmap("good.json", legend_kinds={"lg-alt": "none"})
    _usable(data, report)
    assert "groups" not in data
    assert "langstroth-hive" in _by_id(data["roles"][0]["requires"])
    with pytest.raises(OptionError, match="lg-alt=maybe: the kinds are"):
        _roadmap("good.json", legend_kinds={"lg-alt": "maybe"})


BAD_ROADMAP = [
    ("broken.json", "", 645, "", "broken JSON: Unterminated string"),
    ("dangling_edge.json", "edges[19] 'e-ghost'", 1272, "target", "names no node ('n-ghost')"),
    ("not_roadmap.json", "", 1, "nodes", "an object with a 'nodes' list"),
    ("duplicate_node.json", "nodes[25] 'n-caste'", 928, "id", "duplicate node id"),
    ("mockup.json", "", 1, "", "older Balsamiq mockup format"),
    ("empty.json", "", None, "", "the file is empty"),
    ("bad_node.json", "nodes[2] 'n-bio'", 94, "data.label", "the label must be text"),
    ("bad_node.json", "nodes[4] 'n-dance'", 168, "type", "needs a 'type' string"),
    ("no_topics.json", "", None, "nodes", "nothing to learn"),
]


@pytest.mark.parametrize(("name", "where", "line", "fld", "text"), BAD_ROADMAP)
def test_bad_roadmap_is_located(name: str, where: str, line: int | None, fld: str, text: str):
    with pytest.raises(DataError) as caught:
        _roadmap(name)
    assert _located(caught.value, name, where, line, fld, text), _problems(caught.value)
    if name == "bad_node.json":
        assert len(caught.value.problems) == 2  # edges to the broken nodes are not reported again


def _topic(ident: str, label: str, y: int, kind: str = "topic") -> dict[str, Any]:
    return {"id": ident, "type": kind, "position": {"x": 0, "y": y}, "data": {"label": label}}


def test_roadmap_cycles_are_cut_and_links_capped() -> None:
    buttons = [
        {**_topic(f"b{i}", f"Link {i}", 500 + i, "button"), "data": {"label": f"Link {i}"}}
        for i in range(25)
    ]
    for i, b in enumerate(buttons):
        b["data"]["href"] = f"/other-{i}" if i != 3 else "javascript:alert(1)"
    doc = {
        "nodes": [_topic("a", "A", 0), _topic("b", "B", 100), *buttons],
        "edges": [
            {"id": "1", "source": "a", "target": "b"},
            {"id": "2", "source": "b", "target": "a"},
        ],
    }
    data, report = import_roadmap_sh(json.dumps(doc), filename="loop.json")
    _usable(data, report)
    assert any("closing a cycle" in s for s in report)
    links = data["roles"][0]["resources"]
    assert len(links) == 20
    assert all(link["url"].startswith("https://roadmap.sh/other-") for link in links)
    assert any("24 button links: the first 20" in s for s in report)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=c",
        "HTTP://EXAMPLE.ORG",
        "http://data.europa.eu/esco/skill/x",
        "ftp://example.org",
        "javascript:alert(1)",
        "https:///no-host",
        "https://exa mple.org",
        "https://example.org/\u2028",
        "https://example.org/\x85",
        "http://[::1",
        "https://example.org/" + "a" * 2000,
        " https://padded.org ",
        "",
    ],
)
def test_links_are_kept_as_the_schema_would(url: str) -> None:
    """The importers check links without the schema (it is slow at ESCO's size): the same
    rules, so that a link kept always loads and a link dropped would never have."""
    link = resource("A link", url)
    try:
        Resource.model_validate({"title": "A link", "url": url.strip()})
    except ValidationError:
        assert link is None
    else:
        assert link == {"title": "A link", "url": url.strip()}


# --------------------------------------------------------------------------------------------
# Damaged input: a ladder that loads, or located problems; never another exception
# --------------------------------------------------------------------------------------------

NOISE = list(b',;\t"\n\r?*()-0123456789abcxyz \xc3\xa9\xff\x00/|{}[]:\xe2\x80\xa8')


def _damage(raw: bytes, rng: random.Random) -> bytes:
    out = bytearray(raw)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(out) + 1)
        if rng.random() < 0.4 and out:
            del out[min(at, len(out) - 1)]
        else:
            out.insert(at, rng.choice(NOISE))
    return bytes(out)


def _loads_or_located(call: Any, source: Any) -> None:
    data: dict[str, Any] | None = None
    problems: tuple[skilltree.Problem, ...] = ()
    try:
        data, _ = call(source)
    except DataError as exc:
        problems = exc.problems
    if data is None:
        assert problems
        assert all(p.file and p.message for p in problems)
    else:
        graph_from_data(data)


def test_damaged_input_fails_cleanly() -> None:
    rng = random.Random(11)
    sources = [
        (lambda raw: import_csv_matrix(raw, filename="m.csv"), FIX / "csv" / "good_wide.csv"),
        (lambda raw: import_csv_matrix(raw, filename="m.csv"), FIX / "csv" / "good_long.csv"),
        (lambda raw: import_roadmap_sh(raw, filename="r.json"), FIX / "roadmap" / "good.json"),
    ]
    for run, path in sources:
        raw = path.read_bytes()
        for _ in range(120):
            _loads_or_located(run, _damage(raw, rng))
    good = _esco_files()
    for _ in range(120):
        name = rng.choice(sorted(good))
        _loads_or_located(import_esco, good | {name: _damage(good[name], rng)})


# --------------------------------------------------------------------------------------------
# The table and the command line
# --------------------------------------------------------------------------------------------


def test_the_importers_table() -> None:
    assert list(IMPORTERS) == ["csv", "esco", "roadmap-sh"]
    assert [i.several for i in IMPORTERS.values()] == [False, True, False]
    for importer in IMPORTERS.values():
        flags = [s.flag for s in importer.settings]
        assert len(flags) == len(set(flags))
    assert IMPORTERS["esco"].reads("skills_en.csv")
    assert not IMPORTERS["esco"].reads("skillSkillRelations_en.csv")
    number = Setting("require_level", "--require-level", "number", "")
    with pytest.raises(OptionError, match="a whole number"):
        number.value("two")
    with pytest.raises(OptionError, match="give KEY=VALUE"):
        Setting("legend_kinds", "--legend", "pairs", "").value(["nokind"])


@pytest.mark.parametrize(
    ("kind", "source", "out", "extra"),
    [
        (
            "csv",
            FIX / "csv" / "good_wide.csv",
            "ladder.yaml",
            ["--levels", "seen,working,taught,led"],
        ),
        ("csv", FIX / "csv" / "good_long.csv", "ladder.json", ["--name", "Brewery"]),
        ("esco", ESCO_GOOD, "esco.yml", ["--occupation", "harbour pilot", "--no-aliases"]),
        ("roadmap-sh", FIX / "roadmap" / "good.json", "bees.yaml", ["--legend", "lg-alt=none"]),
    ],
)
def test_import_command_writes_a_valid_ladder(
    tmp_path: Path, kind: str, source: Path, out: str, extra: list[str]
) -> None:
    target = tmp_path / out
    code, text, err = run_cli("import", kind, str(source), "--out", str(target), *extra)
    assert (code, err) == (0, "")
    assert text.startswith("Import report (")
    assert f"wrote {target} (format 2, " in text
    G = load_graph(target)
    assert G.graph["format"] == 2
    code, text, _ = run_cli("validate", str(target))
    assert code == 0
    if out.endswith(".json"):
        assert json.loads(target.read_text(encoding="utf-8"))["name"] == "Brewery"
    else:
        assert target.read_text(encoding="utf-8").startswith("# skilltree ladder, format 2")
    if kind == "esco":
        assert not any(G.nodes[n].get("aliases") for n in G)
    if not out.endswith(".json"):  # the command counts what the loader will count
        text = target.read_text(encoding="utf-8")
        events = sum(1 for _ in yaml.parse(text, Loader=yaml.SafeLoader))
        assert yaml_events(yaml.safe_load(text)) == events


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["csv", "csv/bad_level.csv"], 1, "bad_level.csv:7: row 7 › level: 'x' is not a level"),
        (["roadmap-sh", "roadmap/dangling_edge.json"], 1, "edges[19] 'e-ghost' › target"),
        (["esco", "esco/missing_column/skills_en.csv"], 1, "occupations table is missing"),
        (["csv", "csv/no_such.csv"], 1, "cannot read the file"),
        (["esco", "esco/good", "--occupation", "lighthouse keepr"], 2, "--occupation: no occ"),
        (["csv", "csv/good_wide.csv", "--levels", "one"], 2, "--levels: give 2–8 level names"),
        (["esco", "esco/good", "--require-level", "3"], 2, "--require-level: must be 1–2"),
        (["esco", "esco/good", "--require-level", "x"], 2, "--require-level: a whole number"),
        (["roadmap-sh", "roadmap/good.json", "--legend", "x"], 2, "--legend: give KEY=VALUE"),
        (["csv", "csv"], 2, "is a folder; the csv importer reads one file"),
        (["csv", "csv/good_wide.csv", "--layout", "diagonal"], 2, "invalid choice"),
        (["csv", "csv/good_wide.csv", "csv/good_long.csv"], 2, "unrecognized arguments"),
    ],
)
def test_import_command_failures_write_nothing(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    target = tmp_path / "out.yaml"
    target.write_text("# an earlier ladder\n", encoding="utf-8")
    kind, source, *rest = args
    got, text, err = run_cli("import", kind, str(FIX / source), "--out", str(target), *rest)
    assert got == code, err
    assert message in err
    assert "Import report" not in text
    assert target.read_text(encoding="utf-8") == "# an earlier ladder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]  # no temporary file left


def test_import_command_refuses_what_it_cannot_write(tmp_path: Path, monkeypatch) -> None:
    source = str(FIX / "csv" / "good_wide.csv")
    code, _, err = run_cli("import", "csv", source, "--out", str(tmp_path / "x.txt"))
    assert code == 2
    assert "--out must end in .yaml, .yml, .json" in err
    roadmap = str(FIX / "roadmap" / "good.json")
    code, _, err = run_cli("import", "roadmap-sh", roadmap, "--out", roadmap)
    assert code == 2
    assert "would overwrite the source" in err
    code, _, err = run_cli("import", "csv", source)
    assert code == 2
    assert "--out" in err
    monkeypatch.setattr("skilltree.cli.imports.MAX_YAML_EVENTS", 300)
    code, _, err = run_cli("import", "csv", source, "--out", str(tmp_path / "big.yaml"))
    assert code == 2
    assert "300 values at most" in err
    monkeypatch.undo()
    monkeypatch.setattr("skilltree.cli.imports.MAX_YAML_BYTES", 2000)
    code, _, err = run_cli("import", "csv", source, "--out", str(tmp_path / "big.yaml"))
    assert code == 2
    assert "too large for a YAML ladder" in err
    assert f"write JSON (--out {tmp_path / 'big.json'})" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("source", ["fixture", "synthetic"])
def test_an_esco_import_is_plain_data_with_nothing_shared(source):
    files = _esco_files() if source == "fixture" else synthetic_esco(30, 140, 1300)
    data, _report = import_esco(files)
    seen: set[int] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict | list):
            assert id(value) not in seen, "a container appears twice (YAML would alias it)"
            seen.add(id(value))
            items = value.values() if isinstance(value, dict) else value
            assert all(type(k) is str for k in value) if isinstance(value, dict) else True
            for item in items:
                walk(item)
        else:
            assert type(value) in (str, int, bool) or value is None, repr(value)

    walk(data)
    text = yaml.dump(data, Dumper=yaml.SafeDumper, sort_keys=False, allow_unicode=True)
    assert "&id" not in text
    assert yaml.safe_load(text) == data
