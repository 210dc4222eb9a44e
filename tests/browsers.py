"""Browser tests need a Chrome or Chromium: find it, or skip with the reason.

Where no browser is installed, browser tests skip with the reason; under ``CI=true`` they fail
instead, so that CI can never pass without having run them.
"""

from __future__ import annotations

import os

import pytest

from deploy.serve import BROWSER_FLAGS, ROOT, serve_app
from skilltree.export import find_browser

__all__ = ["BROWSER_FLAGS", "ROOT", "require_browser", "serve_app"]


def require_browser() -> str:
    """The browser's path; skip (or, under CI=true, fail) when there is none."""
    found = find_browser()
    if found:
        return found
    message = (
        "no Chrome or Chromium installed (on Debian: apt-get install chromium); "
        "browser tests need one"
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " — and CI=true requires them to run")
    pytest.skip(message)
