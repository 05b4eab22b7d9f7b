"""A drawing in a real notebook: executed by a Jupyter kernel, its output rendered in Chromium.

The notebook is built with nbformat in a temporary folder and executed with
nbclient on the ``python3`` kernel of this environment (ipykernel). What a
front end would show is the output's ``text/html`` (``Drawing._repr_html_``);
it is put in a 900 px wide output area, as in a notebook, and measured there.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from browser import have_chromium, launch, open_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not have_chromium(), reason="needs the Debian chromium package at /usr/bin/chromium"),
]
nbformat = pytest.importorskip("nbformat", reason="the test env has nbformat (hatch.toml)")
nbclient = pytest.importorskip("nbclient", reason="the test env has nbclient (hatch.toml)")
pytest.importorskip("ipykernel", reason="the test env has ipykernel (hatch.toml)")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright Python package")

SUPPORT = str(Path(__file__).resolve().parents[3] / "tests" / "support")
OUTPUT_WIDTH = 900


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The text/html outputs of a notebook that draws the original regrad's example and a small graph."""
    folder = tmp_path_factory.mktemp("notebook")
    cells = [
        f"import sys\nsys.path.insert(0, {json.dumps(SUPPORT)})\n"
        "import regrad_viz\nfrom example_graphs import original_example\n"
        "g, a, b = original_example()\nprint(f'{g.val:.4f}')",
        "regrad_viz.draw(g)",  # no orientation given: top to bottom
        "from regrad import Var\nx = Var(-4.0, req_grad=True, name='a')\nregrad_viz.draw(x + x ** 2)",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code) for code in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "drawings.ipynb"
    nbformat.write(notebook, path)
    client = nbclient.NotebookClient(
        nbformat.read(path, as_version=4),
        kernel_name="python3",
        timeout=120,
        resources={"metadata": {"path": str(folder)}},
    )
    executed = client.execute()
    assert executed.cells[0].outputs[0]["text"].strip() == "24.7041"
    html = []
    for cell in executed.cells[1:]:
        (result,) = [out for out in cell.outputs if out["output_type"] == "execute_result"]
        assert "image/svg+xml" in result["data"]  # front ends without HTML get the static picture
        html.append(result["data"]["text/html"])
    return html


def test_viz_notebook_output_is_readable_in_a_900px_output(outputs, tmp_path):
    graph, small = outputs
    assert graph.startswith('<div class="regrad-viz"') and "<html" not in graph
    # a page like a notebook's: outputs in a column 900 px wide, one after the other
    page_html = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'></head><body style='margin:0'>"
        f"<div class='output' style='width:{OUTPUT_WIDTH}px'>{graph}</div>"
        f"<div class='output' style='width:{OUTPUT_WIDTH}px'>{small}</div></body></html>"
    )
    path = tmp_path / "notebook.html"
    path.write_text(page_html, encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page, log = open_page(browser, path.as_uri(), viewport=(OUTPUT_WIDTH + 20, 1000))
            page.wait_for_function("document.querySelectorAll('div.regrad-viz[data-rv-ready=\"1\"]').length === 2")
            sizes = page.locator("div.regrad-viz").evaluate_all(
                """els => els.map(el => {
                  const text = el.querySelector('g[data-node] text');
                  const svg = el.querySelector('svg.rv-svg').getBoundingClientRect();
                  const stage = el.querySelector('.rv-stage');
                  return {
                    font: text.getScreenCTM().a * parseFloat(getComputedStyle(text).fontSize),
                    svgWidth: svg.width, svgHeight: svg.height,
                    panelWidth: el.getBoundingClientRect().width,
                    stageHeight: stage.clientHeight, scrolls: stage.scrollHeight > stage.clientHeight,
                  };
                })"""
            )
            big, little = sizes
            # the original example (33 nodes, about 820 x 1260 top to bottom) at a readable size ...
            assert big["font"] >= 10
            # ... fitting the output's width, not wider
            assert big["panelWidth"] <= OUTPUT_WIDTH and big["svgWidth"] <= big["panelWidth"]
            assert big["svgHeight"] > big["svgWidth"]  # laid out top to bottom by default
            # the stage grows with the drawing (no 640 px cap) up to about the window's height, then scrolls
            assert 640 < big["stageHeight"] <= 0.86 * 1000 and big["scrolls"]
            # a small drawing gets a small stage: no empty band below it
            assert little["font"] == pytest.approx(12, abs=0.05) and not little["scrolls"]
            assert little["stageHeight"] == pytest.approx(little["svgHeight"], abs=2)
            # both drawings work on the one page
            page.locator("div.regrad-viz").nth(1).locator("button.rv-next").click()
            assert page.locator("div.regrad-viz").nth(1).locator(".rv-active").count() == 1
            assert page.locator("div.regrad-viz").nth(0).locator(".rv-active").count() == 0
            page.screenshot(path=str(tmp_path / "notebook.png"), full_page=True)
            assert log.problems() == []
        finally:
            browser.close()
