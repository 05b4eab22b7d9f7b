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
"""

from __future__ import annotations

import os
from collections.abc import Callable
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
