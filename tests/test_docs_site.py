"""The documentation site: it builds strictly from generated assets, in English and Chinese, and works offline.

The build runs ``docs/gen_assets.py --strict`` (every graph and plot made by the
project's own code, once for both languages) and ``mkdocs build --strict`` (any
warning fails; mkdocs-static-i18n builds the English site at the root and the
Chinese one under ``zh/``) into a temporary folder, as ``hatch run docs:build``
does. A real browser then opens every page of both languages from a local
server and checks that no script fails, that nothing is requested from outside
this machine, that the embedded graphs are drawn, fit the text column and
follow Material's light and dark palettes, that the backward-pass stepper
responds and its buttons stay whole on a phone, that the language switcher
leads to the same page in the other language, and that a Chinese search finds
a Chinese page.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import importlib
import io
import os
import re
import runpy
import subprocess
import sys
import threading
from collections.abc import Iterator
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from browser import have_chromium, launch, open_page

from regrad import Var

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
#: every page, by its folder in the English site; the Chinese site has the same pages under zh/
PAGES = [
    "",
    "how-it-works",
    "derivatives",
    "examples",
    "custom-op",
    "moons",
    "explorer",
    "viz-guide",
    "benchmarks",
    "changelog",
    "api/core",
    "api/viz",
    "api/nn",
]
#: where each language's pages are
LANGUAGES = {"en": "", "zh": "zh/"}
#: pages written in Chinese in the Chinese site (the API reference is the docstrings, in English)
TRANSLATED = [page for page in PAGES if not page.startswith("api/")]
#: pages that embed interactive regrad-viz drawings
PAGES_WITH_GRAPHS = ["examples", "how-it-works", "derivatives", "custom-op", "viz-guide", "explorer"]
#: the examples the Examples page includes and whose drawings it embeds, in page order
DRAWING_EXAMPLES = ["basic_0_usage", "basic_1_sigmoid", "basic_2_mlp"]
#: what a Chinese reader searches for, and a word the page it finds must contain
CHINESE_QUERY = "计算图"


def _run(command: list[str]) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site, generated and built strictly (both languages) into a temporary folder."""
    pytest.importorskip("mkdocs", reason="the docs packages are part of the test env (hatch.toml)")
    pytest.importorskip("mkdocs_static_i18n", reason="the docs packages are part of the test env (hatch.toml)")
    out = tmp_path_factory.mktemp("site")
    _run([sys.executable, "docs/gen_assets.py", "--strict"])
    _run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)])
    return out


def _html(site: Path, prefix: str, page: str) -> str:
    return (site / prefix / page / "index.html").read_text(encoding="utf-8")


def _text(html: str) -> str:
    """The text a reader sees (tags removed, entities decoded)."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_every_page_is_built_with_its_generated_assets(site: Path) -> None:
    for prefix in LANGUAGES.values():
        for page in PAGES:
            assert (site / prefix / page / "index.html").is_file(), f"page {prefix + page!r} missing"
        for page in PAGES_WITH_GRAPHS:
            html = _html(site, prefix, page)
            assert "data-kind=" in html, f"{prefix + page}: no embedded graph"
            assert "Not generated yet" not in html, f"{prefix + page}: an asset was not generated"
        # program output under each listing is that listing's output
        assert "2.0 15.0" in _html(site, prefix, "")
        examples = _html(site, prefix, "examples")
        for number in ("24.7041", "222.1341", "978.7784"):  # the numbers the original regrad documents
            assert number in examples
    # the moons plot and the orientation pictures were drawn during this build, once for both languages
    assert (site / "generated" / "img" / "moons.png").stat().st_size > 10_000
    for orientation in ("TB", "BT", "LR", "RL"):
        svg = (site / "generated" / "img" / f"sigmoid_{orientation}.svg").read_text(encoding="utf-8")
        assert "data-kind=" in svg
    assert not (site / "zh" / "generated").exists(), "the Chinese site has a second copy of the generated assets"
    assert 'src="../../generated/img/moons.png"' in _html(site, "zh/", "moons")


def test_both_languages_are_built(site: Path) -> None:
    """English at the root, Chinese under zh/: each page in its language, with its navigation translated."""
    for language, prefix in LANGUAGES.items():
        for page in PAGES:
            assert f'<html lang="{language}"' in _html(site, prefix, page), f"{prefix + page}: not marked {language}"
    han = re.compile(r"[\u4e00-\u9fff]")
    for page in TRANSLATED:
        article = _text(_html(site, "zh/", page).split("<article", 1)[1].split("</article>", 1)[0])
        assert len(han.findall(article)) > 30, f"zh/{page} is not written in Chinese"
        title = re.search(r"<h1[^>]*>(.*?)</h1>", _html(site, "zh/", page), re.S)
        assert title is not None and (page == "" or han.search(title.group(1))), f"zh/{page}: the title is not Chinese"
        assert not han.search(_text(_html(site, "", page).split("<article", 1)[1])), f"{page}: Chinese in English"
    nav = _html(site, "zh/", "moons")
    for title in ("首页", "反向自动微分如何工作", "编写自定义算子", "画计算图", "更新日志", "API 参考"):
        assert title in nav, f"the Chinese navigation lacks {title}"


def _switcher_links(html: str) -> dict[str, str]:
    """The language switcher's link for each language (hreflang -> href)."""
    return dict(
        (lang, href) for href, lang in re.findall(r'<a href="([^"]*)" hreflang="(\w+)" class="md-select__link">', html)
    )


def test_the_language_switcher_links_the_same_page_in_the_other_language(site: Path) -> None:
    base = "http://docs.test/"
    for page in PAGES:
        for language, prefix in LANGUAGES.items():
            url = urljoin(base, prefix + page + ("/" if page else ""))
            links = _switcher_links(_html(site, prefix, page))
            assert set(links) == set(LANGUAGES), f"{prefix + page}: switcher has {links}"
            for other, other_prefix in LANGUAGES.items():
                target = urljoin(url, links[other])
                expected = urljoin(base, other_prefix + page + ("/" if page else ""))
                assert target == expected, f"{language} {page!r}: the {other} link goes to {target}"


def test_every_snippet_was_included(site: Path) -> None:
    """A snippet directive that reached the HTML as text was not included (e.g. mangled by a formatter)."""
    for page in site.rglob("*.html"):
        text = _text(page.read_text(encoding="utf-8"))
        assert not re.search(r"--8\s*<\s*--", text), f"{page.relative_to(site)} shows a snippet directive"


def test_the_pages_show_the_examples_themselves(site: Path) -> None:
    """Where a page shows an example, it includes the file from examples/ (no copy in docs/code)."""
    examples = _text(_html(site, "", "examples"))
    derivatives = _text(_html(site, "", "derivatives"))

    def windows(source: str) -> set[tuple[str, ...]]:
        """Every run of 4 consecutive non-blank lines (stripped): a copied passage shares at least one."""
        lines = [line.strip() for line in source.splitlines() if line.strip()]
        return {tuple(lines[i : i + 4]) for i in range(len(lines) - 3)}

    copies = set().union(*(windows(p.read_text(encoding="utf-8")) for p in (ROOT / "docs" / "code").glob("*.py")))
    for path in sorted(EXAMPLES.glob("basic_*.py")):
        source = path.read_text(encoding="utf-8")
        body = [line for line in source.splitlines() if line.strip() and not line.startswith(("#", '"""'))]
        shown = derivatives if path.stem == "basic_4_derivatives" else examples
        for line in body[-5:]:  # the end of the file: the whole file is shown, not a part of it
            assert line in shown, f"{path.name}: {line!r} is not on the page"
        assert not windows(source) & copies, f"docs/code holds a copy of part of {path.name}"


def test_the_changelog_page_includes_each_package_changelog(site: Path) -> None:
    for prefix in LANGUAGES.values():
        page = _text(_html(site, prefix, "changelog"))
        for changelog in sorted((ROOT / "packages").glob("*/CHANGELOG.md")):
            assert changelog.parent.name in page
            entries = re.findall(r"^- ([^`*\[(\n]{20,60})", changelog.read_text(encoding="utf-8"), re.M)
            assert entries, changelog
            for entry in entries[:5]:
                assert entry in page, f"{prefix}changelog lacks {entry!r} from {changelog.relative_to(ROOT)}"


@pytest.mark.parametrize("package", ["regrad", "regrad_viz", "regrad_nn"])
def test_the_api_reference_documents_every_public_name(site: Path, package: str) -> None:
    module = importlib.import_module(package)
    page = {"regrad": "core", "regrad_viz": "viz", "regrad_nn": "nn"}[package]
    for prefix in LANGUAGES.values():
        anchors = set(re.findall(r'id="([\w.]+)"', _html(site, prefix, f"api/{page}")))
        missing = [
            name
            for name in module.__all__
            if not any(anchor == name or anchor.endswith("." + name) for anchor in anchors)
        ]
        assert missing == [], prefix


def test_nothing_on_the_site_loads_from_the_network(site: Path) -> None:
    # a link to another site is fine; a script, style sheet, image or font fetched from one is not
    loads = re.compile(
        r"""(?:<(?:script|img|iframe|source|embed|audio|video)\b[^>]*\bsrc|<link\b[^>]*\bhref)\s*=\s*["']?(?:https?:)?//""",
        re.I,
    )
    css_loads = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])(?:https?:)?//""", re.I)
    offenders = []
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".svg"):
            content = path.read_text(encoding="utf-8", errors="replace")
            if loads.search(content) or css_loads.search(content):
                offenders.append(str(path.relative_to(site)))
    assert offenders == []


# ---------------------------------------------------------------- in a real browser


def _graph_size(root: Var) -> int:
    """How many Vars ``root``'s graph holds (itself, ops, leaves, constants)."""
    seen, stack = {root}, [root]
    while stack:
        for parent in stack.pop().src or ():
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


@contextlib.contextmanager
def _inside(folder: Path) -> Iterator[None]:
    old_cwd, old_argv, old_path = Path.cwd(), sys.argv, list(sys.path)
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(old_cwd)
        sys.argv, sys.path[:] = old_argv, old_path


def _example_graph_sizes(scratch: Path) -> list[int]:
    """Node counts of the graphs the Examples page embeds: the Vars examples/basic_{0,1,2}*.py pass to draw_to_html."""
    import regrad_viz

    drawn: list[Any] = []
    real = regrad_viz.draw_to_html
    regrad_viz.draw_to_html = lambda root, name, *args, **kwargs: drawn.append(root) or str(name)  # type: ignore[assignment]
    try:
        for name in DRAWING_EXAMPLES:
            path = EXAMPLES / f"{name}.py"
            with _inside(scratch), contextlib.redirect_stdout(io.StringIO()):
                sys.argv = [str(path)]
                sys.path.insert(0, str(EXAMPLES))
                runpy.run_path(str(path), run_name="__main__")
    finally:
        regrad_viz.draw_to_html = real  # type: ignore[assignment]
    return [_graph_size(root) for root in drawn]


@pytest.fixture(scope="module")
def server(site: Path):  # type: ignore[no-untyped-def]
    """The built site on http://127.0.0.1:<free port>/."""

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/"
    httpd.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    """The system Chromium (headless, offline), shared by the browser tests of this module."""
    if not have_chromium():
        pytest.skip("needs the Debian chromium package")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = launch(p)
        yield chromium
        chromium.close()


def _local(server: str, url: str) -> bool:
    return url.startswith(server) or url.startswith(("file:", "data:", "blob:", "about:"))


def _check_figures(page: Any, where: str) -> None:
    """Every drawing on the page (a figure, or the training explorer with its drawings) is drawn and fits the column."""
    column = page.locator(".md-content").bounding_box()
    assert column is not None
    figures = page.locator(".regrad-figure, .regrad-explorer").all()
    assert figures, f"{where}: no drawing"
    for figure in figures:
        assert figure.locator("svg [data-kind]").count() > 0, where
        box = figure.locator("svg").first.bounding_box()
        assert box is not None and 0 < box["width"] <= column["width"] + 1, where
        for panel in figure.locator(".regrad-viz").all():  # the explorer holds two: the network and a graph
            box = panel.bounding_box()
            assert box is not None and box["width"] <= column["width"] + 1, where


def _panel_is_dark(page: Any) -> bool:
    """Whether the first drawing's panel has a dark background (its colours follow the page's palette)."""
    rgb = page.locator(".regrad-viz").first.evaluate(
        "el => getComputedStyle(el).backgroundColor.match(/[\\d.]+/g).slice(0, 3).map(Number)"
    )
    return bool(0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 128)


@pytest.mark.browser
@pytest.mark.slow
def test_every_page_of_both_languages_loads_cleanly_in_a_real_browser(server: str, browser: Any) -> None:
    """No script error, no console error, nothing from outside this machine; every drawing drawn and in the column."""
    for prefix in LANGUAGES.values():
        for name in PAGES:
            url = server + prefix + name + ("/" if name else "")
            page, log = open_page(browser, url, local=(server,), viewport=(1280, 900))
            try:
                page.wait_for_timeout(200)  # let the drawings start and Material load what it loads
                assert log.errors == [], f"{url}: {log.errors}"
                assert log.requests and all(_local(server, r) for r in log.requests), log.blocked
                assert log.blocked == []
                if name in PAGES_WITH_GRAPHS:
                    _check_figures(page, url)
            finally:
                page.close()


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("language", list(LANGUAGES))
def test_graph_pages_in_a_real_browser(server: str, browser: Any, scheme: str, language: str, tmp_path: Path) -> None:
    prefix = LANGUAGES[language]
    page, log = open_page(
        browser, server + prefix + "examples/", local=(server,), viewport=(1280, 900), color_scheme=scheme
    )
    try:
        figures = page.locator(".regrad-figure")
        assert figures.count() == 4  # pow, sigmoid, MLP as the original regrad drew it, MLP one node per neuron
        for figure, expected in zip(figures.all(), _example_graph_sizes(tmp_path), strict=True):
            assert figure.locator("svg [data-kind]").count() == expected
        first = figures.first
        kinds = first.locator("svg [data-kind]").evaluate_all("els => els.map(e => e.getAttribute('data-kind'))")
        assert sorted(kinds) == ["leaf", "op", "op"]  # a, then Pow and Add

        before = first.inner_html()
        next_button = first.get_by_role("button", name=re.compile(r"next", re.I))
        assert next_button.count() == 1
        next_button.click()
        page.wait_for_timeout(100)
        assert first.inner_html() != before, "Next changed nothing in the drawing"

        # the panels follow Material's palette: the reader's system setting first, then the toggle
        assert _panel_is_dark(page) == (scheme == "dark")
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
        page.wait_for_timeout(100)
        assert _panel_is_dark(page) == (scheme != "dark"), "the drawings did not follow the palette toggle"

        for name in PAGES_WITH_GRAPHS:  # every drawing is drawn and fits the text column, in this palette too
            page.goto(server + prefix + name + "/", wait_until="load")
            _check_figures(page, prefix + name)
            assert _panel_is_dark(page) == (scheme != "dark")  # Material remembers the reader's choice
    finally:
        page.close()
    assert log.errors == []
    assert log.requests and all(_local(server, url) for url in log.requests), log.blocked


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_stepper_buttons_stay_whole_on_a_phone(server: str, browser: Any, scheme: str) -> None:
    """At 390 px the stepper's buttons wrap as whole buttons, never in the middle of a word."""
    page, log = open_page(browser, server + "zh/examples/", local=(server,), viewport=(390, 844), color_scheme=scheme)
    try:
        for bar in page.locator(".regrad-viz .rv-bar").all():
            buttons = bar.locator("button").all()
            assert buttons
            heights = set()
            for button in buttons:
                box = button.bounding_box()
                assert box is not None and box["width"] > 0
                fits = button.evaluate(
                    "b => b.scrollWidth <= b.clientWidth + 1 && b.scrollHeight <= b.clientHeight + 1"
                )
                assert fits, f"{button.inner_text()!r} does not fit its button"
                heights.add(round(box["height"]))
            assert max(heights) - min(heights) <= 1, f"a button's text wrapped: heights {sorted(heights)}"
        column = page.locator(".md-content").bounding_box()
        for panel in page.locator(".regrad-viz").all():
            box = panel.bounding_box()
            assert column is not None and box is not None and box["width"] <= column["width"] + 1
    finally:
        page.close()
    assert log.errors == []


@pytest.mark.browser
def test_a_chinese_search_finds_a_chinese_page(server: str, browser: Any) -> None:
    """Material's search, with the index segmented by jieba at build time, finds Chinese words in Chinese pages."""
    page, log = open_page(browser, server + "zh/", local=(server,), viewport=(1280, 900))
    try:
        query = page.locator("input.md-search__input")
        query.click()
        # the search worker is ready when the results line stops saying it is starting
        page.wait_for_function(
            "() => { const m = document.querySelector('.md-search-result__meta');"
            " return m && m.textContent.trim() !== '' && !m.textContent.includes('初始化'); }"
        )
        query.press_sequentially(CHINESE_QUERY, delay=50)  # Chinese characters arrive as text input, without keys
        query.press("End")  # Material searches on a key going up, as when an input method hands its text over
        page.wait_for_selector(".md-search-result__item", timeout=10_000)
        results = page.locator(".md-search-result__item a").evaluate_all("els => els.map(a => a.href)")
        chinese = [url for url in results if url.startswith(server + "zh/")]
        assert chinese, f"searching {CHINESE_QUERY} found no Chinese page: {results}"
        first = page.locator(".md-search-result__item").first.inner_text()
        assert "计算" in first and "图" in first, first
        page.goto(chinese[0], wait_until="load")
        assert CHINESE_QUERY in _text(page.content())
    finally:
        page.close()
    assert log.errors == []
    assert all(_local(server, url) for url in log.requests), log.blocked


@pytest.mark.browser
def test_the_language_switcher_opens_the_same_page_in_the_other_language(server: str, browser: Any) -> None:
    page, log = open_page(browser, server + "moons/", local=(server,), viewport=(1280, 900))
    try:
        for language, expected in [("zh", server + "zh/moons/"), ("en", server + "moons/")]:
            page.locator(".md-select").hover()  # Material opens the language list on hover
            page.locator(f"a.md-select__link[hreflang={language}]").click()
            page.wait_for_load_state("load")
            assert page.url == expected
            assert f'<html lang="{language}"' in page.content()
    finally:
        page.close()
    assert log.errors == []
