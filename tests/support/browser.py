"""One way to open pages in a real browser for the tests: the system Chromium, offline.

The Debian ``chromium`` package provides ``/usr/bin/chromium``; Playwright's
Python package drives it (it never downloads a browser of its own). Every page
opened with ``open_page`` has every request to anything but the allowed local
addresses aborted and recorded, and its console errors and warnings, script
errors and dialogs collected, so a test can assert that a page did nothing it
should not.

    with sync_playwright() as p:
        browser = launch(p)
        page, log = open_page(browser, "file:///tmp/graph.html")
        ...
        assert log.problems() == []

The browser tests' fixtures (``packages/regrad-viz/tests/conftest.py``,
the training explorer's tests) are made of ``running_chromium`` (the browser
of a test module) and ``Pages`` (the pages it opens, each once the drawings
on it have started). This module imports no pytest: the benchmarks use it too.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
#: headless, and nothing that talks to the network on its own (updates, sync, QUIC)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
]
#: addresses a page may always load: itself from disk, and data made in the page
ALWAYS_LOCAL = ("file:", "data:", "blob:", "about:")


def have_chromium() -> bool:
    return os.path.exists(CHROMIUM)


def launch(playwright: Any) -> Any:
    """The system Chromium, headless, with a fresh profile (Playwright makes one per launch)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


class PageLog:
    """What a page did that a test may want to forbid."""

    def __init__(self) -> None:
        self.requests: list[str] = []  # every URL the page asked for
        self.blocked: list[str] = []  # the non-local ones, aborted
        self.errors: list[str] = []  # uncaught script errors and console errors
        self.warnings: list[str] = []  # console warnings
        self.dialogs: list[str] = []  # alert(), confirm(), ... (dismissed)

    def problems(self) -> list[str]:
        """Everything above except the allowed requests: an empty list for a well-behaved page."""
        return (
            [f"request: {url}" for url in self.blocked]
            + [f"error: {text}" for text in self.errors]
            + [f"warning: {text}" for text in self.warnings]
            + [f"dialog: {text}" for text in self.dialogs]
        )


def open_page(
    browser: Any,
    url: str,
    *,
    local: tuple[str, ...] = (),
    viewport: tuple[int, int] = (1100, 800),
    color_scheme: str = "light",
    wait_until: str = "load",
    before: Callable[[Any], None] | None = None,
) -> tuple[Any, PageLog]:
    """Open ``url`` in a new page; returns (page, log).

    Requests to URLs that start with one of ``local`` (or ``ALWAYS_LOCAL``)
    go through; every other request is aborted and recorded in ``log.blocked``.
    ``before(page)`` runs before the page loads (to install Playwright's fake
    clock, for example).
    """
    allowed = (*local, *ALWAYS_LOCAL)
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]}, color_scheme=color_scheme)
    log = PageLog()

    def route(route: Any) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
        else:
            log.blocked.append(route.request.url)
            route.abort()

    def console(message: Any) -> None:
        if message.type == "error":
            log.errors.append(message.text)
        elif message.type == "warning":
            log.warnings.append(message.text)

    def dialog(dialog: Any) -> None:
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.route("**/*", route)
    page.on("request", lambda request: log.requests.append(request.url))
    page.on("pageerror", lambda error: log.errors.append(str(error)))
    page.on("console", console)
    page.on("dialog", dialog)
    if before is not None:
        before(page)
    page.goto(url, wait_until=wait_until)
    return page, log


def running_chromium() -> Iterator[Any]:
    """The system Chromium for as long as the caller needs it: a fixture's body, ``yield from running_chromium()``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)  # Playwright uses a fresh profile
        yield browser
        browser.close()


#: JavaScript, true once every drawing and training explorer on the page is started (its script marks each)
EVERYTHING_STARTED = (
    "!document.querySelector('div.regrad-viz:not(.rv-network):not([data-rv-ready]), "
    "div.rv-network:not([data-rv-network-ready]), div.regrad-explorer:not([data-rx-ready])')"
)


class Pages:
    """HTML files opened in one browser, each once what it shows has started; ``close()`` closes them all."""

    def __init__(self, browser: Any, viewport: tuple[int, int] = (1100, 800)) -> None:
        self.browser = browser
        self.viewport = viewport  # the window's (width, height), unless open() says otherwise
        self.opened: list[Any] = []

    def open(
        self,
        path: str | os.PathLike[str],
        *,
        width: int | None = None,
        height: int | None = None,
        scheme: str = "light",
        clock: bool = False,
    ) -> tuple[Any, PageLog]:
        """Open the file at ``path``; returns (page, log) once every drawing and explorer on it has started.

        ``clock=True``: the page runs on Playwright's fake clock, paused.
        """
        before = (lambda page: page.clock.install()) if clock else None
        viewport = (width or self.viewport[0], height or self.viewport[1])
        page, log = open_page(self.browser, Path(path).as_uri(), viewport=viewport, color_scheme=scheme, before=before)
        self.opened.append(page)
        page.wait_for_function(EVERYTHING_STARTED)
        if clock:  # from now on, time moves only when the test says so (no timer is set before Play)
            page.clock.pause_at(page.evaluate("Date.now()") + 1000)
        return page, log

    def close(self) -> None:
        for page in self.opened:
            page.close()
        self.opened.clear()


def write_page_of_text(path: Path, *fragments: str, body: str = "") -> Path:
    """A page of text with drawings in it, like a docs page or a notebook; ``body``: attributes of its <body>."""
    html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'></head>"
        f"<body {body}><h1>docs</h1>" + "<p>text</p>".join(fragments) + "</body></html>"
    )
    path.write_text(html, encoding="utf-8")
    return path
