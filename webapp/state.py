"""The app's shareable state: what goes into the URL, and back out of it.

``state_from_params`` reads untrusted query parameters: what it cannot use (unknown ids, bad
levels, huge or malformed values) it drops, and it says what it dropped, so the page can warn
and carry on. ``params_from_state`` writes the state back; the two round-trip.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import networkx as nx

from skilltree import Profile, UnknownIdError, clean_profile, format_have, resolve_id
from skilltree.profile import split_have

__all__ = [
    "DATA_DIGEST",
    "DEFAULT_PACE",
    "KEYS",
    "MAX_PACE",
    "MAX_PARAM_CHARS",
    "AppState",
    "params_from_state",
    "state_from_params",
]

#: The query parameters a link may hold.
KEYS = (
    "have",
    "role",
    "assume",
    "prefer",
    "avoid",
    "learn",
    "target",
    "pace",
    "opt",
    "node",
    "view",
    "cmp",
    "data",
    "show",
    "exp",
)
DEFAULT_PACE = 10.0
#: What a view of the graph or a category is named by in a link.
SLUG = re.compile(r"^[a-z][a-z0-9-]{0,31}$")
#: How a stored ladder is named in a link: the hex SHA-256 of its bytes.
DATA_DIGEST = re.compile(r"^[0-9a-f]{64}$")
MAX_PARAM_CHARS = 4000
MAX_PACE = 168.0


@dataclass(frozen=True)
class AppState:
    """Everything a shared link restores."""

    profile: Profile = field(default_factory=Profile)
    target: str | None = None
    pace: float = DEFAULT_PACE
    optional: bool = False
    selected: str | None = None
    view: str = "explore"
    compare: tuple[str, ...] = ()
    data: str | None = None
    show: str | None = None
    expand: tuple[str, ...] = ()

    def with_(self, **changes: object) -> AppState:
        return replace(self, **changes)  # type: ignore[arg-type]


def _last(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def _role(G: nx.DiGraph, text: str, what: str, warnings: list[str]) -> str | None:
    try:
        return resolve_id(G, text, "role")
    except UnknownIdError as exc:
        warnings.append(f"{what}: {exc}; ignored")
        return None


def state_from_params(
    G: nx.DiGraph, params: Mapping[str, str | Sequence[str]], views: Sequence[str] = ("explore",)
) -> tuple[AppState, list[str]]:
    """The state a URL describes, and a warning for everything in it that was dropped.

    ``views`` are the page ids the app has, the first one the default.

    Examples
    --------
    >>> from skilltree import load_graph
    >>> state, warnings = state_from_params(load_graph(), {"have": "python:2,cobol", "pace": "5"})
    >>> state.profile.skills, state.pace
    ({'python': 2}, 5.0)
    >>> warnings
    ["skills in the link: unknown skill 'cobol'; dropped"]
    """
    warnings: list[str] = []
    values: dict[str, str] = {}
    for key in KEYS:
        raw = _last(params.get(key))
        if raw is None:
            continue
        if len(raw) > MAX_PARAM_CHARS:
            warnings.append(f"'{key}' in the link is over {MAX_PARAM_CHARS} characters; ignored")
            continue
        values[key] = raw
    unknown = sorted(set(params) - set(KEYS))
    if unknown:
        shown = ", ".join(repr(k[:40]) for k in unknown[:5])
        warnings.append(f"unknown link parameter(s) {shown}; ignored")

    def ids(key: str) -> list[str]:
        return [t.strip() for t in values.get(key, "").split(",") if t.strip()]

    profile, problems = clean_profile(
        G,
        split_have(values.get("have", "")),
        prefer=ids("prefer"),
        avoid=ids("avoid"),
        learning=ids("learn"),
        assume_role=values.get("assume") != "0",
    )
    warnings += [f"skills in the link: {p}; dropped" for p in problems]
    role = _role(G, values["role"], "current role", warnings) if "role" in values else None
    profile = replace(profile, role=role)

    target = _role(G, values["target"], "target", warnings) if "target" in values else None

    pace = DEFAULT_PACE
    if "pace" in values:
        try:
            pace = float(values["pace"])
        except ValueError:
            pace = math.nan
        if not (0 < pace <= MAX_PACE):
            warnings.append(
                f"pace {values['pace'][:20]!r} is not 0–{MAX_PACE:g} hours a week; using "
                f"{DEFAULT_PACE:g}"
            )
            pace = DEFAULT_PACE

    selected = None
    if "node" in values:
        if values["node"] in G:
            selected = values["node"]
        else:
            warnings.append(f"selected node {values['node'][:60]!r} is not in the graph; ignored")

    view = values.get("view", views[0])
    if view not in views:
        warnings.append(f"view {view[:30]!r} does not exist; showing {views[0]}")
        view = views[0]

    compare: list[str] = []
    for text in values.get("cmp", "").split(","):
        if text.strip():
            role_id = _role(G, text.strip(), "compared role", warnings)
            if role_id and role_id not in compare:
                compare.append(role_id)

    data = values.get("data")
    if data is not None and not DATA_DIGEST.match(data):
        warnings.append(f"ladder {data[:20]!r} in the link is not a ladder's digest; ignored")
        data = None

    show = values.get("show")
    if show is not None and not SLUG.match(show):
        warnings.append(f"view of the graph {show[:20]!r} does not exist; ignored")
        show = None
    expand = tuple(dict.fromkeys(c for c in ids("exp") if SLUG.match(c)))[:50]

    state = AppState(
        profile=profile,
        target=target,
        pace=pace,
        selected=selected,
        view=view,
        optional=values.get("opt") == "1",
        show=show,
        expand=expand,
        data=data,
        compare=tuple(compare),
    )
    return state, warnings


def params_from_state(state: AppState) -> dict[str, str]:
    """Query parameters for a state, leaving out what is at its default.

    >>> params_from_state(AppState(Profile({"sql": 1}), target="junior"))
    {'have': 'sql:1', 'target': 'junior'}
    """
    out: dict[str, str] = {}
    if state.profile.skills:
        out["have"] = format_have(state.profile)
    if state.profile.role:
        out["role"] = state.profile.role
    if not state.profile.assume_role:
        out["assume"] = "0"
    for key, skills in (
        ("prefer", state.profile.prefer),
        ("avoid", state.profile.avoid),
        ("learn", state.profile.learning),
    ):
        if skills:
            out[key] = ",".join(sorted(skills))
    if state.target:
        out["target"] = state.target
    if state.pace != DEFAULT_PACE:
        out["pace"] = f"{state.pace:g}"
    if state.optional:
        out["opt"] = "1"
    if state.selected:
        out["node"] = state.selected
    if state.view != "explore":
        out["view"] = state.view
    if state.compare:
        out["cmp"] = ",".join(state.compare)
    if state.data:
        out["data"] = state.data
    if state.show:
        out["show"] = state.show
    if state.expand:
        out["exp"] = ",".join(state.expand)
    return out
