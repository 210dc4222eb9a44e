"""Export: the plan as image, document, checklist and JSON; the profile and the graph."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import streamlit as st

from skilltree.export import (
    DEFAULT_SIZE,
    FORMATS,
    MAX_PIXELS,
    MAX_SIDE,
    NO_BROWSER,
    ExportRequest,
    export_bytes,
    find_browser,
    fitted_size,
    path_figure,
)
from skilltree.io import graphml_text

from ..context import Context
from ..ui import esc, kept_figure

__all__ = ["render"]

#: The plan's formats offered as buttons (the graph's GraphML has its own, below).
PLAN_FORMATS = ("png", "svg", "pdf", "md", "json")
#: The width the preview is drawn at.
PREVIEW_WIDTH = 1100


def _natural_size(ctx: Context, today: date) -> tuple[int, int]:
    """The size the plan needs, capped at what the renderer accepts (keeping its proportions)."""
    assert ctx.plan is not None
    state = ctx.state
    key = (ctx.token, state.profile, state.target, state.optional, state.pace, today)
    kept = st.session_state.get("_path_size")
    if kept and kept[0] == key:
        return tuple(kept[1])  # type: ignore[return-value]
    size = fitted_size(ctx.G, state.profile, ctx.plan, state.pace, today)
    st.session_state["_path_size"] = (key, size)
    return size


def render(ctx: Context) -> None:
    G, state, result = ctx.G, ctx.state, ctx.plan
    st.subheader("Your plan")
    if result is None:
        st.info("Choose a target role in the sidebar to export a plan.")
    else:
        today = date.today()
        natural = _natural_size(ctx, today)
        fit = st.toggle(
            f"Size to fit the plan ({natural[0]:,} × {natural[1]:,} px)",
            value=True,
            key="w_ex_fit",
            help="The image grows with the plan, so nothing is cut or crowded. Choose another "
            "size to have the whole drawing scaled to it.",
        )
        c1, c2, c3 = st.columns(3)
        if fit:
            width, height = natural
        else:
            width = c1.number_input(
                "Width (px)", 400, MAX_SIDE, DEFAULT_SIZE[0], step=100, key="w_ex_w"
            )
            height = c2.number_input(
                "Height (px)", 300, MAX_SIDE, DEFAULT_SIZE[1], step=100, key="w_ex_h"
            )
        scale = (c1 if fit else c3).select_slider(
            "Scale (sharpness)", [1, 2, 3], value=2, key="w_ex_s"
        )
        # The renderer refuses images past its pixel budget: lower the sharpness to fit it.
        scale = min(float(scale), (MAX_PIXELS / (int(width) * int(height))) ** 0.5)
        request = ExportRequest(
            G, state.profile, result, state.pace, today, int(width), int(height), scale
        )

        def producer(fmt: str) -> Callable[[], bytes]:
            # Made when the button is pressed, not on every rerun of the page.
            return lambda: export_bytes(request, fmt)

        can_render = find_browser() is not None
        if not can_render:
            st.warning(esc(NO_BROWSER))
        columns = st.columns(len(PLAN_FORMATS))
        for column, fmt in zip(columns, PLAN_FORMATS, strict=True):
            spec = FORMATS[fmt]
            column.download_button(
                spec.label,
                producer(fmt),
                file_name=f"skilltree-path-{result.target}.{fmt}",
                mime=spec.mime,
                key=f"dl_{fmt}",
                disabled=spec.image and not can_render,
                on_click="ignore",
            )
        # The preview fits the page; the downloads are at the size chosen above.
        shrink = min(1.0, PREVIEW_WIDTH / int(width))
        preview = (round(int(width) * shrink), round(int(height) * shrink))
        fig = kept_figure(
            (
                "path",
                ctx.token,
                state.profile,
                result.target,
                result.optional,
                state.pace,
                today,
                preview,
            ),
            lambda: path_figure(
                G,
                state.profile,
                result,
                pace=state.pace,
                start=today,
                width=preview[0],
                height=preview[1],
            ),
        )
        if shrink < 1:
            st.caption(
                f"Preview at {shrink:.0%}; the image is {int(width):,} × {int(height):,} px."
            )
        st.plotly_chart(
            fig,
            key="path_chart",
            width="content",
            theme=None,
            config={
                "displaylogo": False,
                "toImageButtonOptions": {
                    "format": "png",
                    "filename": f"skilltree-path-{result.target}",
                    "width": int(width),
                    "height": int(height),
                    "scale": 1,
                },
            },
        )
    st.subheader("Your profile and the graph")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Profile (JSON)",
        json.dumps(state.profile.to_json(), indent=2),
        file_name="skilltree-profile.json",
        mime="application/json",
        key="dl_profile",
        on_click="ignore",
    )
    c2.download_button(
        "Graph (GraphML, for Gephi or yEd)",
        lambda: graphml_text(G),
        file_name="skilltree.graphml",
        mime=FORMATS["graphml"].mime,
        key="dl_graphml",
        on_click="ignore",
    )
