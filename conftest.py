"""Doctests in ``skilltree`` read the default ladder as ``G``, as loaded by
``skilltree.load_graph()`` (its own docstring shows the call)."""

import pytest


@pytest.fixture(autouse=True)
def _ladder_for_doctests(doctest_namespace: dict[str, object]) -> None:
    from skilltree import load_graph

    doctest_namespace["G"] = load_graph()
