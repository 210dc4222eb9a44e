"""The Streamlit app around the engine: URL state, data loading, the sidebar and one module per
page. ``app.py`` at the top of the repository is the entry script; it only wires these up.

Layers: :mod:`.state` (the shareable state, pure, no Streamlit), :mod:`.session` (that state in
widgets and the URL), :mod:`.data` (which ladder is in use, cached), :mod:`.sidebar`,
:mod:`.ui` (drawing helpers every page uses) and :mod:`.pages` (one module per page, listed in
:data:`.pages.PAGES`).
"""
