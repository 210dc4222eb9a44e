"""skilltree in the browser: explore the career graph, plan a path, compare targets, export.

The entry script: page set-up, the ladder in use, the state from the URL, the sidebar, and the
page the person chose (see :mod:`webapp.pages`). Library errors are caught once, here, and shown
as messages. Run with ``streamlit run app.py`` (add ``-- --data FILE`` or set
``SKILLTREE_DATA`` for a custom ladder).
"""

from __future__ import annotations

# plotly looks pandas up in sys.modules while building figures, and would find it half
# imported if another session were importing it at that moment. An import statement waits for
# the import to finish, so every session passes here before it draws anything.
import pandas  # noqa: F401
import streamlit as st

from skilltree import SkilltreeError, index_of, plan
from webapp.context import Context
from webapp.data import active_graph, catalogue
from webapp.pages import PAGES
from webapp.session import current_state, init_state, keep_state, mirror_url
from webapp.sidebar import sidebar, welcome
from webapp.ui import esc, page_style, progress
from webapp.uploads import profile_upload

VIEWS = tuple(PAGES)


def main() -> None:
    # Someone arriving with nothing set is asked on the page itself; the sidebar, where the
    # answers then live, opens once there is something in it.
    fresh = not any(k in st.query_params for k in ("have", "role", "target"))
    st.set_page_config(
        page_title="skilltree",
        page_icon="🌳",
        layout="wide",
        initial_sidebar_state="collapsed" if fresh else "auto",
    )
    G, token = active_graph()
    st.session_state.graph_token = token
    ladder = str(G.graph.get("name") or "career ladder")
    # The tab says which ladder this is, as the caption does: never a ladder it is not.
    st.set_page_config(page_title=f"skilltree — {ladder}")
    index = index_of(G)
    cat = catalogue(G, token)
    init_state(G, token, cat, index.levels, VIEWS)
    keep_state()
    profile_upload(G, cat, VIEWS)
    sidebar(G, cat)
    page_style()

    st.title("skilltree")
    st.caption(
        f"{esc(ladder)} — {G.number_of_nodes()} nodes. "
        "Tell it what you know; see how ready you are, the cheapest plan, and what to learn next."
    )
    for notice in st.session_state.get("notices", []):
        st.warning(esc(notice))

    state = current_state(G, cat, VIEWS)
    result = plan(G, state.profile, state.target, optional=state.optional) if state.target else None
    if state.target is None or (state.profile.role is None and not state.profile.skills):
        # Until both questions have an answer, they stay asked on the page.
        welcome(G, cat, state)
    if result is not None:
        progress(result)
    view = st.radio(
        "View",
        VIEWS,
        key="w_view",
        horizontal=True,
        format_func=lambda v: PAGES[v].label,
        label_visibility="collapsed",
    )
    PAGES[view].render(Context(G, token, index, cat, state, result))
    mirror_url(current_state(G, cat, VIEWS))


try:
    main()
except SkilltreeError as exc:
    st.error(f"Something in the input is wrong: {esc(exc)}")
