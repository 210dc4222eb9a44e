"""Export: the plan as image, document, checklist and JSON; the profile and the graph."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import streamlit as st

from skilltree.export import (
    DEFAULT_SIZE,
    FORMATS,
    NO_BROWSER,
    ExportRequest,
    export_bytes,
    find_browser,
    path_figure,
)
from skilltree.io import graphml_text

from ..context import Context
from ..ui import esc

__all__ = ["render"]

#: The plan's formats offered as buttons (the graph's GraphML has its own, below).
PLAN_FORMATS = ("png", "svg", "pdf", "md", "json")


def render(ctx: Context) -> None:
    G, state, result = ctx.G, ctx.state, ctx.plan
    st.subheader("Your plan")
    if result is None:
        st.info("Choose a target role in the sidebar to export a plan.")
    else:
        today = date.today()
        c1, c2, c3 = st.columns(3)
        width = c1.number_input("Width (px)", 600, 4000, DEFAULT_SIZE[0], step=100, key="w_ex_w")
        height = c2.number_input("Height (px)", 400, 4000, DEFAULT_SIZE[1], step=100, key="w_ex_h")
        scale = c3.select_slider("Scale (sharpness)", [1, 2, 3], value=2, key="w_ex_s")
        request = ExportRequest(
            G, state.profile, result, state.pace, today, int(width), int(height), float(scale)
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
        fig = path_figure(
            G,
            state.profile,
            result,
            pace=state.pace,
            start=today,
            width=int(width),
            height=int(height),
        )
        st.plotly_chart(
            fig,
            key="path_chart",
            width="content",
            config={
                "displaylogo": False,
                "toImageButtonOptions": {
                    "format": "png",
                    "filename": f"skilltree-path-{result.target}",
                    "scale": 2,
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
