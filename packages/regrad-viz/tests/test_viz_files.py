"""Files: written atomically, and the viewer's own files shipped and inlined small."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
from scripts import HAVE_NODE, javascript_errors

import regrad_viz
from regrad import Var
from regrad_viz import html

STATIC = Path(regrad_viz.__file__).parent / "static"


def pow_drawing():
    a = Var(-4.0, req_grad=True, name="a")
    return a, a + a**2


# ------------------------------------------------------- atomic writes


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "graph.html"
    path.write_text("the old drawing", encoding="utf-8")
    return path


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_viz_a_failure_mid_write_leaves_the_old_file(old_file, monkeypatch):
    """The disk fills up half-way through: the old file is untouched, no temporary file is left."""
    _, y = pow_drawing()
    drawing = regrad_viz.draw(y)
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, file):
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def write(self, data):
            self.file.write(data[: len(data) // 2])
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda *args, **kwargs: HalfWriter(real_fdopen(*args, **kwargs)))
    with pytest.raises(OSError, match="No space left"):
        drawing.save(old_file)
    assert old_file.read_text(encoding="utf-8") == "the old drawing"
    assert leftovers(old_file.parent) == []


def test_viz_a_failure_to_replace_leaves_the_old_file(old_file, monkeypatch):
    _, y = pow_drawing()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        regrad_viz.draw_to_html(y, old_file)
    assert old_file.read_text(encoding="utf-8") == "the old drawing"
    assert leftovers(old_file.parent) == []


def test_viz_a_failure_while_rendering_leaves_the_old_file(old_file, monkeypatch):
    _, y = pow_drawing()

    def broken(self, full_page=True):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(regrad_viz.Drawing, "to_html", broken)
    with pytest.raises(RuntimeError):
        regrad_viz.draw(y).save(old_file)
    assert old_file.read_text(encoding="utf-8") == "the old drawing"
    assert leftovers(old_file.parent) == []


def test_viz_text_that_cannot_be_encoded_never_opens_the_file(old_file):
    """Names are made safe, so this cannot happen through draw(); the writer guards anyway."""
    from regrad_viz.drawing import write_atomically

    with pytest.raises(UnicodeEncodeError):
        write_atomically(old_file, "half a pair: \ud800")
    assert old_file.read_text(encoding="utf-8") == "the old drawing"
    assert leftovers(old_file.parent) == []


def test_viz_save_replaces_a_file_and_makes_an_ordinary_one(old_file):
    _, y = pow_drawing()
    path = regrad_viz.draw(y).save(old_file)
    assert path == old_file and old_file.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(old_file.stat().st_mode) == 0o644
    assert leftovers(old_file.parent) == []


# --------------------------------------------------- the viewer's files


def test_viz_viewer_is_inlined_from_its_files():
    fragment = regrad_viz.draw(pow_drawing()[1]).to_html(full_page=False)
    css = re.search(r"<style>(.*?)</style>", fragment, re.S).group(1)
    js = re.search(r"<script>(.*?)</script>", fragment, re.S).group(1)
    assert css == html.compact_css((STATIC / "viewer.css").read_text(encoding="utf-8"))
    # the shell (the frame both kinds of drawing share) and the viewer, in one function that runs at once
    assert js.startswith('(()=>{"use strict";') and js.endswith("})();")
    shell = html.compact_js((STATIC / "shell.js").read_text(encoding="utf-8"))
    viewer = html.compact_js((STATIC / "viewer.js").read_text(encoding="utf-8"))
    assert js.index(shell) < js.index(viewer)
    # the data it reads has named fields (see the top of viewer.js)
    for field in ("data.steps", "data.nodes[i].name", "send.total_exact", "step.blocked", "step.error"):
        assert field in (STATIC / "viewer.js").read_text(encoding="utf-8")


def test_viz_inlined_viewer_is_compact_and_the_same_code():
    css_source = (STATIC / "viewer.css").read_text(encoding="utf-8")
    js_source = (STATIC / "shell.js").read_text(encoding="utf-8") + (STATIC / "viewer.js").read_text(encoding="utf-8")
    css, js = html.viewer_css(), html.viewer_js()
    assert "/*" not in css and "\n" not in css
    assert not any(line.startswith((" ", "//")) for line in js.splitlines())
    assert not re.search(r"\s// ", js)
    assert len(css) < 0.7 * len(css_source) and len(js) < 0.7 * len(js_source)
    # the same rules: every selector and declaration of the source is still there
    for rule in re.findall(r"[.@][^{}/]*\{", css_source):
        assert re.sub(r"\s*([{,])\s*", r"\1", rule.strip()).replace(": ", ":") in css, rule


@pytest.mark.skipif(not HAVE_NODE, reason="needs node to parse JavaScript")
def test_viz_viewer_script_parses_before_and_after_compacting(tmp_path):
    scripts = {
        "shell.js": (STATIC / "shell.js").read_text(encoding="utf-8"),
        "source.js": (STATIC / "viewer.js").read_text(encoding="utf-8"),
        "inline.js": html.viewer_js(),
    }
    assert javascript_errors(scripts, tmp_path) == []


def overhead(fragment):
    """Bytes a drawing's HTML adds beyond its SVG and its data: style, script, bar and wrappers."""
    svg = re.search(r"<svg.*?</svg>", fragment, re.S).group(0)
    data = re.search(r'<script type="application/json" class="rv-data">(.*?)</script>', fragment, re.S).group(1)
    return len(fragment.encode()) - len(svg.encode()) - len(data.encode())


def test_viz_per_drawing_overhead_stays_small():
    """Every fragment carries the viewer (notebook outputs cannot share one): keep it small."""
    _, y = pow_drawing()
    small = overhead(regrad_viz.draw(y).to_html(full_page=False))
    x = Var(0.5, req_grad=True)
    other = overhead(regrad_viz.draw(1 / (1 + (-x).exp()), orientation="LR").to_html(full_page=False))
    assert small == other  # the same for every drawing
    inlined_as_written = sum(len((STATIC / name).read_bytes()) for name in ("viewer.css", "shell.js", "viewer.js"))
    assert small < 23_000 and small < 0.75 * inlined_as_written
