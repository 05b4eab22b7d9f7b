"""Fixtures of the regrad-viz tests that open drawings in Chromium (``tests/support/browser.py``).

``browser``: the system Chromium, one per test module. ``open_html(path,
width=, height=, scheme=, clock=)``: opens an HTML file and returns (page,
log) once every drawing on it has started; ``clock=True`` runs the page on
Playwright's fake clock, paused. A test module that uses them skips itself
where Chromium or Playwright is missing.
"""

from __future__ import annotations

import pytest
from browser import Pages, running_chromium


@pytest.fixture(scope="module")
def browser():
    yield from running_chromium()


@pytest.fixture
def open_html(browser):
    pages = Pages(browser)
    yield pages.open
    pages.close()
