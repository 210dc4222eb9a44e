"""A synthetic ESCO download: the real one's tables and columns, at its size, in made-up words.

Used by the benchmarks (timing the ESCO importer at full size) and by the importer's tests.
Nothing here comes from ESCO itself.
"""

from __future__ import annotations

import csv
import io
import random

__all__ = ["synthetic_esco"]

P = "http://data.europa.eu/esco/"
WORDS = [f"{a}{b}" for a in ("bl", "cr", "dr", "gl", "pl", "sk", "st", "tr") for b in "aeiou"]


def synthetic_esco(
    occupations: int = 3000, skills: int = 14000, relations: int = 130000, seed: int = 0
) -> dict[str, bytes]:
    """An ESCO download with ESCO's columns and about its proportions (the defaults are the real
    size: 3,000 occupations, 14,000 skills, 130,000 relations, some 640 groups under four
    pillars), made of made-up words. Nothing here comes from ESCO itself."""
    rng = random.Random(seed)

    def table(header: list[str], rows: list[list[str]]) -> bytes:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([header, *rows])
        return out.getvalue().encode()

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    groups = [f"{P}skill/synth-group-{g}" for g in range(max(8, skills // 22))]
    broader = [["SkillGroup", g, "SkillGroup", groups[i % 4]] for i, g in enumerate(groups[4:])]
    skill_rows = []
    for s in range(skills):
        uri = f"{P}skill/synth-{s}"
        alt = "\n".join(f"{words(2)} {s}-{a}" for a in range(rng.randrange(5)))
        kind = rng.choice(["knowledge", "skill/competence"])
        reuse = rng.choice(
            ["transversal", "cross-sector", "sector-specific", "occupation-specific"]
        )
        skill_rows.append(["KnowledgeSkillCompetence", uri, kind, reuse, f"{words(2)} {s}"])
        skill_rows[-1] += [alt, words(25)]
        broader.append(["KnowledgeSkillCompetence", uri, "SkillGroup", rng.choice(groups[4:])])
    occupation_rows, relation_rows = [], []
    per = relations // occupations
    for o in range(occupations):
        uri = f"{P}occupation/synth-{o}"
        isco = str(1000 + rng.randrange(9000))
        occupation_rows.append(["Occupation", uri, isco, f"{words(2)}er {o}", "", words(40)])
        for s in rng.sample(range(skills), per + (relations % occupations if o == 0 else 0)):
            kind = rng.choice(["essential", "optional"])
            relation_rows.append([uri, kind, skill_rows[s][2], skill_rows[s][1]])
    group_rows = [["SkillGroup", g, f"group {words(2)} {i}"] for i, g in enumerate(groups)]
    return {
        "occupations_en.csv": table(
            [
                "conceptType",
                "conceptUri",
                "iscoGroup",
                "preferredLabel",
                "altLabels",
                "description",
            ],
            occupation_rows,
        ),
        "skills_en.csv": table(
            [
                *("conceptType", "conceptUri", "skillType", "reuseLevel", "preferredLabel"),
                *("altLabels", "description"),
            ],
            skill_rows,
        ),
        "occupationSkillRelations_en.csv": table(
            ["occupationUri", "relationType", "skillType", "skillUri"], relation_rows
        ),
        "broaderRelationsSkillPillar_en.csv": table(
            ["conceptType", "conceptUri", "broaderType", "broaderUri"], broader
        ),
        "skillGroups_en.csv": table(["conceptType", "conceptUri", "preferredLabel"], group_rows),
    }
