"""The load test, shortened: six browser pages share one server on loopback.

Every page keeps its own state, no page shows an error, and the server's memory stays bounded.
The full run (longer, with figures for the README) is ``python benchmarks/load.py``.
"""

from __future__ import annotations

import asyncio

import pytest

from .browsers import require_browser

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_six_pages_keep_their_own_state_under_load():
    require_browser()
    from benchmarks.load import run

    result = asyncio.run(run(pages=6, seconds=15, seed=7))
    assert result["errors"] == 0, result["error_samples"]
    assert result["pages_with_actions"] == 6, result
    assert result["server_rss_peak_mib"] < 1024, result
