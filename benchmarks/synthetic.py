"""Synthetic career graphs the size of a national skills taxonomy, for benchmarks and tests.

ESCO has about 3,000 occupations, 14,000 skills and 129,000 occupation–skill links (about half of
them essential), with sparse skill-to-skill links. :func:`generate` builds a data file of that
shape in our own format, deterministic for a seed:

* roles come in families of 3–5 rungs linked by ``next`` (ranks 1..k; about a third of the
  families end in two top rungs, an expert and a management track), so that a rung inherits the
  requirements of the rungs below it;
* each role names about 40 skills (half essential, levels rising with rank) and every "any k of"
  group of its family (2–4 groups of 3–8 options, shared by the rungs of the family), about 43
  requirement links per role in all;
* skills belong to domains of 100; a family draws mostly on a home domain and a second one, plus
  a few skills popular everywhere;
* prerequisites point only from earlier skills to later ones, so there is never a cycle. By
  default skills sit in four shallow layers with about 0.4 prerequisites per skill; ``deep=True``
  makes one long sequence in which every skill needs one or two of the few hundred before it,
  so that a role has thousands of ancestors.

The result loads through the ordinary loader, validation included. Run as a script to write a
file: ``python benchmarks/synthetic.py --out FILE [--roles N] [--skills M] [--seed S] [--deep]
[--shared]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from skilltree.model import DEFAULT_CATEGORIES  # noqa: E402

__all__ = ["DEFAULT_ROLES", "DEFAULT_SKILLS", "generate", "main", "summary", "write"]

DEFAULT_ROLES = 3000
DEFAULT_SKILLS = 14000
CATEGORIES = tuple(c.id for c in DEFAULT_CATEGORIES)
DOMAIN_SIZE = 100
# Own skill requirements per role (a uniform draw); with 2–4 groups, about 43 links per role.
SKILLS_PER_ROLE = (31, 50)
# Shallow variant: a skill's layer is picked from this by its index (four layers, 40/30/20/10 %).
SHALLOW_LAYERS = (0, 0, 0, 0, 1, 1, 1, 2, 2, 3)
# Deep variant: each skill needs one or two of the previous DEEP_WINDOW skills.
DEEP_WINDOW = 300


def _hours(rng: random.Random) -> list[int]:
    first = rng.randint(4, 60)
    second = round(first * rng.uniform(1.5, 3.0))
    return [first, second, round(second * rng.uniform(1.5, 2.5))]


def _skills(rng: random.Random, count: int, deep: bool) -> list[dict[str, Any]]:
    by_domain_layer: dict[tuple[int, int], list[str]] = {}
    by_layer: dict[int, list[str]] = {}
    out: list[dict[str, Any]] = []
    for i in range(count):
        ident = f"s{i:05d}"
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        requires: list[dict[str, int | str]] = []
        if deep:
            if i:
                window = range(max(0, i - DEEP_WINDOW), i)
                picks = rng.sample(window, min(len(window), rng.randint(1, 2)))
                requires = [
                    {"id": f"s{j:05d}", "level": 1 if rng.random() < 0.8 else 2}
                    for j in sorted(picks)
                ]
        else:
            domain, layer = i // DOMAIN_SIZE, SHALLOW_LAYERS[i % len(SHALLOW_LAYERS)]
            if layer:
                draw = rng.random()
                wanted = 0 if draw < 0.4 else 1 if draw < 0.9 else 2
                chosen: list[str] = []
                for _ in range(wanted):
                    below = rng.randrange(layer)
                    pool = by_domain_layer.get((domain, below), [])
                    if not pool or rng.random() < 0.2:
                        pool = by_layer.get(below, [])
                    if pool:
                        pick = pool[rng.randrange(len(pool))]
                        if pick not in chosen:
                            chosen.append(pick)
                requires = [
                    {"id": p, "level": 1 if rng.random() < 0.8 else 2} for p in sorted(chosen)
                ]
            by_domain_layer.setdefault((domain, layer), []).append(ident)
            by_layer.setdefault(layer, []).append(ident)
        entry: dict[str, Any] = {
            "id": ident,
            "name": f"{category.capitalize()} skill {i}",
            "category": category,
            "description": f"Synthetic {category} skill.",
            "hours": _hours(rng),
        }
        if requires:
            entry["requires"] = requires
        out.append(entry)
    return out


def _family_shape(rng: random.Random, size: int) -> list[tuple[int, str]]:
    """(rank, track) of each rung of a family: a ladder, maybe forked at the top."""
    if size >= 3 and rng.random() < 0.35:
        return [(r, "individual") for r in range(1, size - 1)] + [
            (size - 1, "expert"),
            (size - 1, "management"),
        ]
    return [(r, "individual") for r in range(1, size + 1)]


def generate(
    roles: int = DEFAULT_ROLES,
    skills: int = DEFAULT_SKILLS,
    seed: int = 0,
    deep: bool = False,
    shared: bool = False,
) -> dict[str, Any]:
    """A synthetic data file (as JSON-ready data) with ``roles`` roles and ``skills`` skills.

    With ``shared``, a family's groups draw their options from one pool of its skills, so one
    skill is an option of several groups, and most groups ask for two or three of five to ten
    options: the group choice is then a real combinatorial problem.

    The same arguments always give the same data.

    >>> data = generate(roles=8, skills=60, seed=1)
    >>> len(data["roles"]), len(data["skills"]), data == generate(roles=8, skills=60, seed=1)
    (8, 60, True)
    """
    if roles < 1 or skills < 10:
        raise ValueError(f"need at least 1 role and 10 skills, got {roles} and {skills}")
    rng = random.Random(seed)
    skill_entries = _skills(rng, skills, deep)
    ids = [s["id"] for s in skill_entries]
    domains = [ids[d : d + DOMAIN_SIZE] for d in range(0, skills, DOMAIN_SIZE)]
    popular = ids[:]
    rng.shuffle(popular)

    role_entries: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    family = 0
    while len(role_entries) < roles:
        size = min(rng.randint(3, 5), roles - len(role_entries))
        shape = _family_shape(rng, size)
        home = domains[rng.randrange(len(domains))]
        second = domains[rng.randrange(len(domains))]
        near = home + [s for s in second if s not in home]

        family_groups: list[str] = []
        pool = rng.sample(near, min(len(near), 12)) if shared else []
        for g in range(rng.randint(2, 4)):
            if shared:
                options = rng.sample(pool, min(len(pool), rng.randint(5, 10)))
                pick = rng.choice((1, 2, 2, 3))
            else:
                options = rng.sample(near, min(len(near), rng.randint(3, 8)))
                pick = 2 if len(options) >= 4 and rng.random() < 0.1 else 1
            gid = f"g{family:04d}-{g}"
            groups.append(
                {
                    "id": gid,
                    "name": f"Any {pick} of family {family} choice {g}",
                    "pick": pick,
                    "options": [
                        {"id": o, "level": 1 if rng.random() < 0.85 else 2} for o in options
                    ],
                }
            )
            family_groups.append(gid)

        base_pay = rng.randint(25, 60) * 1000
        first = len(role_entries)
        for j, (rank, track) in enumerate(shape):
            want = min(rng.randint(*SKILLS_PER_ROLE), max(1, skills // 4))
            chosen: dict[str, None] = {}
            for _ in range(want * 4):
                if len(chosen) == want:
                    break
                draw = rng.random()
                if draw < 0.6:
                    pick_from = home
                elif draw < 0.8:
                    pick_from = second
                else:
                    pick_from = popular[: max(1, int(len(popular) * rng.random() ** 3) + 1)]
                chosen.setdefault(pick_from[rng.randrange(len(pick_from))])
            requires: list[dict[str, Any]] = [
                {"id": g, "level": min(3, 1 + rank // 2)} for g in family_groups
            ]
            for s in chosen:
                requires.append(
                    {
                        "id": s,
                        "level": rng.randint(1, min(3, 1 + rank)),
                        "importance": "essential" if rng.random() < 0.5 else "optional",
                    }
                )
            mid = base_pay * 1.2 ** (rank - 1)
            entry: dict[str, Any] = {
                "id": f"r{first + j:05d}",
                "name": f"Family {family} rank {rank}"
                + (f" ({track})" if track != "individual" else ""),
                "rank": rank,
                "track": track,
                "description": "Synthetic role.",
                "salary": {
                    "min": round(mid * 0.9, -2),
                    "max": round(mid * 1.1, -2),
                    "source": "synthetic",
                    "estimate": True,
                },
                "requires": requires,
            }
            role_entries.append(entry)
        # Each rung leads to the next; a forked top has both tracks after the rung below.
        for j, (rank, _track) in enumerate(shape):
            nexts = [
                f"r{first + k:05d}"
                for k, (other_rank, _t) in enumerate(shape)
                if other_rank == rank + 1
            ]
            if nexts:
                role_entries[first + j]["next"] = [
                    {"id": n, "years": rng.choice([1, 2, 3, 4])} for n in nexts
                ]
        family += 1

    variant = ("deep" if deep else "shallow") + (", shared options" if shared else "")
    return {
        "format": 1,
        "name": f"Synthetic taxonomy ({variant}, {roles} roles, {skills} skills, seed {seed})",
        "description": "Generated by benchmarks/synthetic.py for benchmarks and tests.",
        "source": "synthetic",
        "notes": ["Every figure here is random: hours are in hours per level step."],
        "roles": role_entries,
        "skills": skill_entries,
        "groups": groups,
    }


def summary(data: dict[str, Any]) -> dict[str, int]:
    """Counts of a generated file: entries and links of each kind."""
    reqs = [r for role in data["roles"] for r in role["requires"]]
    return {
        "roles": len(data["roles"]),
        "skills": len(data["skills"]),
        "groups": len(data["groups"]),
        "requirement_links": len(reqs),
        "essential_links": sum(1 for r in reqs if r.get("importance", "essential") == "essential"),
        "prerequisite_links": sum(len(s.get("requires", ())) for s in data["skills"]),
        "option_links": sum(len(g["options"]) for g in data["groups"]),
    }


def write(data: dict[str, Any], path: str | Path) -> Path:
    """Write ``data`` as compact JSON to ``path``; return the path."""
    out = Path(path)
    out.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", required=True, help="the JSON file to write")
    parser.add_argument("--roles", type=int, default=DEFAULT_ROLES)
    parser.add_argument("--skills", type=int, default=DEFAULT_SKILLS)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--deep", action="store_true", help="long prerequisite chains")
    parser.add_argument(
        "--shared", action="store_true", help="options shared between groups, picks of 2 or 3"
    )
    args = parser.parse_args(argv)
    try:
        data = generate(args.roles, args.skills, args.seed, args.deep, args.shared)
    except ValueError as exc:
        parser.error(str(exc))
    path = write(data, args.out)
    counts = ", ".join(f"{v:,} {k.replace('_', ' ')}" for k, v in summary(data).items())
    print(f"wrote {path} ({path.stat().st_size:,} bytes): {counts}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
