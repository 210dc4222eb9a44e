"""Ladders that are hard to draw, shared by the layout, figure, app and browser tests.

* :func:`long_label_ladder` — the synthetic generator's ladder of 153 nodes (6 roles, 140 skills,
  two job families, one forking into an expert and a management rung), the size at which the
  old layout collapsed, with a dozen names replaced by hard cases: long English names (60–200
  characters), Chinese and Japanese without spaces, right-to-left Arabic, emoji, and long role
  titles. Written as a data file, so the app can load it too (names over the schema's
  120-character limit are cut to it there; :func:`long_label_graph` sets them whole).
* :func:`edge_case_ladders` — a ladder of one role, one with no prerequisites at all, and one
  with 500 skills in one category.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import networkx as nx

from benchmarks.synthetic import generate
from skilltree import load_graph

__all__ = ["LONG_NAMES", "edge_case_ladders", "long_label_graph", "write_long_label_ladder"]

#: Hard label cases, written for these tests.
LONG_NAMES: list[str] = [
    "Designing resilient event-driven architectures with idempotent consumers, "
    "outbox tables and exactly-once semantics",
    "Observability: structured logging, distributed tracing, RED and USE metrics, SLOs, "
    "error budgets and alert fatigue management for on-call rotations across several teams "
    "in a growing organisation",
    "Zero-downtime schema migrations on very large PostgreSQL tables",
    "分布式系统中的数据一致性与事务管理",
    "データベース設計と正規化、インデックス最適化、トランザクション管理の実践的な知識",
    "تصميم واجهات برمجة التطبيقات القابلة للتوسع وإدارة الإصدارات",
    "🚀 Continuous delivery 🔁 and release engineering 🛠️",
    "🔐 Secrets management",
    "Performance-profiling-and-capacity-planning-for-high-throughput-services",
    "Mentoring, pairing and code review that help juniors grow without slowing the team down",
    "مراجعة الكود 👀 and pair programming",
    "Kubernetes operators",
]

#: Role titles by (family, rank, track), families numbered as the generator names them.
_ROLE_TITLES: dict[tuple[str, int, str], str] = {
    ("0", 1, "individual"): "Junior software engineer, platform services",
    ("0", 2, "individual"): "Software engineer II (mid-level), platform services",
    ("0", 3, "expert"): "Staff engineer for platform reliability and developer experience "
    "(expert track)",
    ("0", 3, "management"): "Engineering manager 👥, platform services (management track)",
    ("1", 1, "individual"): "Associate data engineer",
    ("1", 2, "individual"): "Data engineer",
}
_SCHEMA_NAME_CHARS = 120


@functools.cache
def _long_label_data() -> dict[str, Any]:
    data = generate(roles=6, skills=140, seed=0)
    data["name"] = "Platform and data ladder (synthetic, long names)"
    for role in data["roles"]:
        family = str(role["name"]).split()[1]
        key = (family, int(role["rank"]), str(role["track"]))
        role["name"] = _ROLE_TITLES.get(key, str(role["name"]))
    for group in data["groups"][:2]:
        group["name"] = f"Any {group['pick']} of: {group['name'].split(' of ', 1)[1]} options"
    # Every 11th skill, so that every layer gets hard labels.
    for skill, name in zip(data["skills"][3::11], LONG_NAMES, strict=False):
        skill["full_name"] = name
        skill["name"] = name[:_SCHEMA_NAME_CHARS]
    return data


def write_long_label_ladder(path: Path) -> Path:
    """The long-label ladder as a data file at ``path`` (names cut to the schema's limit)."""
    data = json.loads(json.dumps(_long_label_data()))
    for skill in data["skills"]:
        skill.pop("full_name", None)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@functools.cache
def long_label_graph(tmp: str = "/tmp") -> nx.DiGraph:
    """The long-label ladder loaded through the project's loader, with its names whole."""
    path = write_long_label_ladder(Path(tmp) / "skilltree-long-label-ladder.json")
    loaded = load_graph(path)
    G = nx.DiGraph(loaded)
    G.graph.update(loaded.graph)
    for skill in _long_label_data()["skills"]:
        if "full_name" in skill:
            G.nodes[skill["id"]]["name"] = skill["full_name"]
    return nx.freeze(G)


def _ladder(roles: list[dict[str, Any]], skills: list[dict[str, Any]]) -> nx.DiGraph:
    G = nx.DiGraph(name="edge case")
    for role in roles:
        G.add_node(
            role["id"], kind="role", name=role["name"], rank=role["rank"], track="individual"
        )
    for skill in skills:
        G.add_node(
            skill["id"],
            kind="skill",
            name=skill["name"],
            category=skill.get("category", "language"),
            hours=(10.0, 20.0, 40.0),
        )
        for need in skill.get("requires", ()):
            G.add_edge(need, skill["id"], kind="prerequisite", level=1)
        for role in skill.get("roles", ()):
            G.add_edge(skill["id"], role, kind="requirement", level=1, importance="essential")
    return G


def edge_case_ladders() -> dict[str, nx.DiGraph]:
    """Small literal ladders at the edges: one role; no prerequisites; 500 skills in one
    category."""
    one_role = _ladder([{"id": "dev", "name": "Developer", "rank": 1}], [])
    flat = _ladder(
        [
            {"id": "junior", "name": "Junior", "rank": 1},
            {"id": "senior", "name": "Senior", "rank": 2},
        ],
        [{"id": f"s{i}", "name": f"Skill {i}", "roles": ["junior"]} for i in range(12)],
    )
    flat.add_edge("junior", "senior", kind="progression", years=2)
    crowded = _ladder(
        [{"id": "dev", "name": "Developer", "rank": 1}],
        [
            {"id": f"t{i:03d}", "name": f"Tool number {i}", "category": "tool", "roles": ["dev"]}
            for i in range(500)
        ],
    )
    return {"one role": one_role, "no prerequisites": flat, "500 in one category": crowded}
