"""Plotly charts beside the graph: the salary ladder and readiness per role.

Small functions from data to ``go.Figure``; none shows or saves anything. Text from data goes
through :func:`skilltree.views.text.plain`.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import networkx as nx
import plotly.graph_objects as go

from ..errors import UnknownIdError
from ..index import rank_of, track_order
from .palette import HIGHLIGHT_COLOR
from .text import band_text, plain, unit, unit_text

__all__ = ["readiness_figure", "salary_figure"]

#: The look of plotly's "plotly_white" template that these charts use, written out: naming the
#: template makes plotly copy all of it into every figure (25 ms a chart), and the app's
#: charts are redrawn on most clicks.
_WHITE_AXIS = {"gridcolor": "#EBF0F8", "linecolor": "#EBF0F8", "zerolinecolor": "#EBF0F8"}
WHITE = {
    "paper_bgcolor": "white",
    "plot_bgcolor": "white",
    "font": {"color": "#2a3f5f"},
    "xaxis": _WHITE_AXIS,
    "yaxis": _WHITE_AXIS,
}


def salary_figure(G: nx.DiGraph, roles: Sequence[str] | None = None) -> go.Figure:
    """The salary ladder: one range bar (min → max) per role with a salary band, by rank.

    Estimated bands are drawn lighter and hatched, and their label ends in "(estimate)". The
    axis title gives the currency, period and basis; if roles use different units, each label
    carries its own instead.

    Parameters
    ----------
    G : networkx.DiGraph
        The career graph.
    roles : sequence of str, optional
        The roles to show (default: every role of ``G``); those without a salary are skipped.

    Returns
    -------
    plotly.graph_objects.Figure
        Junior at the bottom; ``customdata`` of each bar is the role id.

    Raises
    ------
    UnknownIdError
        If a role of ``roles`` is not in ``G``.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> band = dict(min=35000, max=48000, currency="EUR", period="year", basis="gross",
    ...             source="survey", estimate=False)
    >>> G.add_node("junior", kind="role", name="Junior", rank=1, salary=band)
    >>> fig = salary_figure(G)
    >>> fig.data[0].base, fig.data[0].x
    ((35000,), (13000,))
    """
    if roles is None:
        roles = [n for n, kind in G.nodes(data="kind") if kind == "role"]
    for r in roles:
        if r not in G:
            raise UnknownIdError("role", str(r))
    paid = [r for r in roles if isinstance(G.nodes[r].get("salary"), Mapping)]
    tracks = track_order(G)
    paid.sort(
        key=lambda r: (rank_of(G, r), tracks.get(G.nodes[r].get("track"), len(tracks)), str(r))
    )
    fig = go.Figure()
    if not paid:
        fig.add_annotation(
            text="No role here has a salary band.",
            showarrow=False,
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
        )
        fig.update_layout(WHITE, xaxis_visible=False, yaxis_visible=False)
        return fig

    units = {unit(G.nodes[r]["salary"]) for r in paid}
    labels = _unique_labels(G, paid)
    category = {}
    for r in paid:
        band = G.nodes[r]["salary"]
        label = labels[r]
        if len(units) > 1:
            label += f" ({plain(unit_text(band))})"
        if band.get("estimate"):
            label += " (estimate)"
        category[r] = label

    for estimate, name, color, pattern in (
        (False, "Published band", "#0072B2", ""),
        (True, "Estimate", "#8EC9EC", "/"),
    ):
        group = [r for r in paid if bool(G.nodes[r]["salary"].get("estimate")) == estimate]
        if not group:
            continue
        bands = [G.nodes[r]["salary"] for r in group]
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=[category[r] for r in group],
                base=[b["min"] for b in bands],
                x=[b["max"] - b["min"] for b in bands],
                text=[f"{b['min']:,.0f} – {b['max']:,.0f}" for b in bands],
                textposition="outside",
                cliponaxis=False,
                customdata=[[r] for r in group],
                hovertext=[_salary_hover(G, r) for r in group],
                hoverinfo="text",
                marker={
                    "color": color,
                    "line": {"color": "#0072B2", "width": 1},
                    "pattern": {"shape": pattern, "fgcolor": "#0072B2", "solidity": 0.2},
                },
            )
        )
    axis = (
        plain(unit_text(G.nodes[paid[0]]["salary"]))
        if len(units) == 1
        else "units differ, see labels"
    )
    fig.update_layout(
        WHITE,
        title="Salary band per role",
        xaxis={
            "title": {"text": f"Salary ({axis})"},
            # Room on the right for the figures printed after each bar.
            "range": [0, 1.3 * max(G.nodes[r]["salary"]["max"] for r in paid)],
            "separatethousands": True,
        },
        yaxis={"categoryorder": "array", "categoryarray": [category[r] for r in paid]},
        barmode="overlay",
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.02, "yanchor": "bottom"},
        height=max(300, 60 + 40 * len(paid)),
    )
    return fig


def readiness_figure(
    scores: Mapping[str, float], names: Mapping[str, str], target: str | None = None
) -> go.Figure:
    """Readiness per role as horizontal bars from 0 to 100 %, the target emphasised.

    Parameters
    ----------
    scores : mapping of str to float
        Role id → readiness as a fraction from 0 to 1, listed top to bottom in mapping order.
    names : mapping of str to str
        Role id → display name; a role without one shows its id.
    target : str, optional
        The role to emphasise: a different colour, a bold label marked "(target)".

    Returns
    -------
    plotly.graph_objects.Figure
        ``customdata`` of each bar is the role id.

    Raises
    ------
    ValueError
        If a score is not a number from 0 to 1.
    UnknownIdError
        If ``target`` is given but has no score.

    Examples
    --------
    >>> fig = readiness_figure({"junior": 0.8, "senior": 0.25}, {"junior": "Junior"}, "senior")
    >>> fig.data[0].text
    ('80%', '25%')
    """
    for role, score in scores.items():
        if not isinstance(score, int | float) or not 0 <= score <= 1:
            raise ValueError(f"readiness of {role!r} must be a fraction from 0 to 1, got {score!r}")
    if target is not None and target not in scores:
        raise UnknownIdError("scored role", str(target))
    roles = list(scores)
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for r in roles:
        label = plain(names.get(r, r))
        if label in seen:
            label += f" [{plain(r)}]"
        seen.add(label)
        labels[r] = f"<b>{label}</b> (target)" if r == target else label

    fig = go.Figure(
        go.Bar(
            orientation="h",
            y=[labels[r] for r in roles],
            x=[float(scores[r]) for r in roles],
            text=[f"{scores[r]:.0%}" for r in roles],
            textposition="outside",
            cliponaxis=False,
            customdata=[[r] for r in roles],
            hovertext=[f"{labels[r]}: {scores[r]:.0%} ready" for r in roles],
            hoverinfo="text",
            marker={
                "color": [HIGHLIGHT_COLOR if r == target else "#0072B2" for r in roles],
                "line": {
                    "color": ["#000000" if r == target else "#0072B2" for r in roles],
                    "width": [2.5 if r == target else 0.5 for r in roles],
                },
            },
            showlegend=False,
        )
    )
    fig.update_layout(
        WHITE,
        title="Readiness per role",
        xaxis={
            "range": [0, 1.08],
            "tickvals": [0, 0.25, 0.5, 0.75, 1],
            "tickformat": ".0%",
            "title": {"text": "Readiness"},
        },
        # Plotly lists horizontal categories bottom-up; reverse so the first role is on top.
        yaxis={"categoryorder": "array", "categoryarray": [labels[r] for r in reversed(roles)]},
        height=max(250, 60 + 36 * len(roles)),
    )
    return fig


def _salary_hover(G: nx.DiGraph, role: str) -> str:
    attrs = G.nodes[role]
    band = attrs["salary"]
    lines = [f"<b>{plain(attrs.get('name', role))}</b>", plain(band_text(band))]
    if band.get("source"):
        lines.append("source: " + plain(textwrap.shorten(str(band["source"]), width=80)))
    return "<br>".join(lines)


def _unique_labels(G: nx.DiGraph, roles: Sequence[str]) -> dict[str, str]:
    """Escaped role names, with the id added where two roles share one (categories must differ)."""
    names = {r: plain(G.nodes[r].get("name", r)) for r in roles}
    counts: dict[str, int] = {}
    for name in names.values():
        counts[name] = counts.get(name, 0) + 1
    return {r: name if counts[name] == 1 else f"{name} [{plain(r)}]" for r, name in names.items()}
