"""The interactive HTML: the SVG, the viewer's CSS and JavaScript, and the drawing's data.

``fragment`` returns one self-contained ``<div class="regrad-viz">``: a bar
(legend, stepper, zoom), the stepper's message area, the SVG, the viewer's
style sheet and script, and the drawing's data as JSON in
``<script type="application/json" class="rv-data">``. ``page`` wraps one
fragment in a complete HTML document. Nothing is loaded from anywhere: no
``<script src>``, no fonts, no CDN.

The viewer is real files, written for people to read: ``static/viewer.css``,
``static/viewer.js``, and ``static/shell.js``, the frame (zoom, scrolling,
the hover panel, focus) that the network drawings (``network.py``) share.
Every fragment carries its own copy of them, because notebook front ends
such as Colab show each output in a page of its own; to keep that copy
small, it is inlined without comments, indentation and the spaces the code
does not need (``compact_css``, ``compact_js``). The script is the same in
every fragment and starts every drawing on the page that is not started
yet, and the markup uses no ``id``: any number of drawings can share a page.

What the viewer does (see ``viewer.js``):

* hover a node: its ancestors and descendants stay bright, the rest fades,
  and a panel shows its full name and its numbers at full precision;
* zoom (buttons; Ctrl + wheel, or the plain wheel on a whole page) and
  scroll or drag the drawing when it is larger than its frame;
* the backward-pass stepper: Prev / Next / Play (at a chosen speed) / Reset,
  or the arrow keys, space, Home and End while the drawing has focus, replay
  ``regrad.backward_steps`` in the engine's order. The node whose backward
  runs is outlined, each input edge is labelled with the local derivative
  and the gradient sent along it, every box shows the adjoint it has received
  so far, and the message names the boxes by what they show.
"""

from __future__ import annotations

import functools
import json
import re
from html import escape
from importlib import resources
from typing import Any

from .graph import Graph, running_totals
from .labels import LEGEND, box_title, fixed

#: Play's speeds: words shown, milliseconds per step; the second is the default
SPEEDS = (("slow", 1600), ("normal", 800), ("fast", 300))


def static_file(name: str) -> str:
    """The text of ``static/<name>``, as written."""
    return (resources.files("regrad_viz") / "static" / name).read_text(encoding="utf-8")


def compact_css(source: str) -> str:
    """The style sheet without comments, indentation, line breaks and spaces around ``{};,:``.

    ``viewer.css`` never needs a space after a colon (it writes no selector
    such as ``a :hover``), so this cannot change what the rules say.
    """
    text = re.sub(r"/\*.*?\*/", "", source, flags=re.S)
    text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    text = re.sub(r"\s*([{};,])\s*", r"\1", text)
    return re.sub(r":\s+", ":", text).replace(";}", "}")


#: a string in a script: "...", '...' or `...`, with its escapes
_JS_STRING = re.compile(r"""("(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'|`(?:\\.|[^`\\])*`)""")
#: a sign that needs no space beside it, with the spaces beside it
_JS_SIGN = re.compile(r" *([=,;:?{}()\[\]<>!&|]) *")


def compact_js(source: str) -> str:
    """The script without comments, indentation, and the spaces and line breaks it does not need.

    The scripts write comments on lines of their own or at the end of a line
    after a space (``x = 1; // why``), never `` // `` inside a string, no
    string across lines and no regular expression with a space or a quote in
    it, so this cannot change what the code does:

    * spaces beside ``= , ; : ? { } ( ) [ ] < > ! & |`` go, outside strings:
      where two of these signs meet, JavaScript reads them as before
      (``a = !b`` becomes ``a=!b``); ``+``, ``-``, ``*`` and ``/`` keep theirs
      (``a - -b`` needs its space);
    * a line break after ``{ ( [ , ;`` or before ``}`` goes: JavaScript never
      ends a statement there on its own. The others stay, as it needs some.
    """
    lines = []
    for line in source.splitlines():
        code = re.sub(r"\s// .*$", "", line).strip()
        if code and not code.startswith("//"):
            lines.append(code)
    text = re.sub(r"(?<=[{(\[,;])\n|\n(?=})", "", "\n".join(lines))
    # re.split keeps the strings it splits at: the odd pieces, left as they are
    pieces = _JS_STRING.split(text)
    return "".join(piece if n % 2 else _JS_SIGN.sub(r"\1", piece) for n, piece in enumerate(pieces))


def inline_js(source: str) -> str:
    """A script, compacted (``compact_js``), as the text of a ``<script>`` element, which it must not end."""
    code = compact_js(source)
    if "</script" in code.lower() or "<!--" in code:
        raise AssertionError("an inlined script must not contain '</script' or '<!--': it would end its <script>")
    return code


def drawing_js(name: str) -> str:
    """``static/shell.js`` and a drawing's own script, ``static/<name>``, inlined as one function run at once.

    The drawing's script calls the shell's ``makeFrame`` and ``startAll``.
    Nothing else on the page sees them, so every drawing on a page runs with
    the shell that came with it, and a page with many defines nothing twice.
    """
    return inline_js('(() => {\n"use strict";\n' + static_file("shell.js") + "\n" + static_file(name) + "\n})();")


@functools.cache
def viewer_css() -> str:
    """``static/viewer.css``, compacted, as every drawing carries it."""
    return compact_css(static_file("viewer.css"))


@functools.cache
def viewer_js() -> str:
    """``static/shell.js`` and ``static/viewer.js``, compacted, as every drawing carries them."""
    return drawing_js("viewer.js")


def script_json(value: object) -> str:
    """JSON that is safe inside a ``<script>`` element.

    ``</script>`` or ``<!--`` in a user's label must not end or confuse the
    script block, so ``<``, ``>`` and ``&`` are written as ``\\u003c`` etc.
    (JSON.parse turns them back into the characters).
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def node_names(graph: Graph, decimals: int) -> list[str]:
    """How the stepper's messages name each node: its box's first line.

    Where several boxes start with the same line (two ``Mul`` boxes), the
    value is added to tell them apart: ``Mul (val 6.0000)``.
    """
    titles = [box_title(node) for node in graph.nodes]
    seen: dict[str, int] = {}
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
    return [
        title if seen[title] == 1 else f"{title} (val {fixed(node.value, decimals)})"
        for title, node in zip(titles, graph.nodes)
    ]


def drawing_data(graph: Graph, decimals: int) -> dict[str, Any]:
    """What the viewer needs besides the SVG: node names and the backward steps.

    The fields are described at the top of ``static/viewer.js`` (the drawing's
    size is the SVG's). Numbers are sent already formatted (``decimals``
    digits, and Python's full repr), so the page shows exactly what Python
    would print.
    """
    steps = []
    for step, totals in zip(graph.steps, running_totals(graph)):
        sends = []
        for (edge, local, sent, flows), total in zip(step.sends, totals):
            sends.append(
                {
                    "edge": edge,
                    "input": graph.edges[edge].src,
                    "local": fixed(local, decimals),
                    "sent": fixed(sent, decimals),
                    "flows": flows,
                    "total": fixed(total, decimals),
                    "total_exact": repr(total),
                }
            )
        steps.append(
            {
                "node": step.node,
                "grad": fixed(step.grad, decimals),
                "grad_exact": repr(step.grad),
                "blocked": step.blocked,
                "error": step.error,
                "sends": sends,
            }
        )
    return {
        "nodes": [{"name": name} for name in node_names(graph, decimals)],
        "steps": steps,
    }


def legend_html(keys: list[str]) -> str:
    """The legend in the bar: the same entries as the SVG legend (``labels.legend_keys``)."""
    parts = ['<div class="rv-legend-html">']
    for key in keys:
        if key in ("grad", "adj"):
            sample = f'<span class="rv-sample rv-{key}">{key}</span>'
        else:
            sample = f'<span class="rv-swatch rv-{key}"></span>'
        parts.append(f"<span>{sample}{escape(LEGEND[key])}</span>")
    parts.append("</div>")
    return "".join(parts)


def bar(legend: str, controls: str, *, fit_title: str, hover: str, keys: str = "", page: bool) -> str:
    """The bar above a drawing: its legend, its own controls, the zoom buttons, and a hint.

    The hint says what hovering shows (``hover``), that dragging pans, how the
    wheel zooms (on a whole page by itself, else with Ctrl) and, if the
    drawing has any, its ``keys``. The network drawings (``network.py``)
    have the same bar.
    """
    hint = [f"hover: {hover}", "drag: pan", "wheel: zoom" if page else "Ctrl+wheel: zoom"]
    if keys:
        hint.append(f"keys: {keys}")
    return "".join(
        [
            '<div class="rv-bar">',
            legend,
            controls,
            '<div class="rv-group" role="group" aria-label="zoom">',
            '<button type="button" class="rv-out" title="zoom out">\u2212</button>',
            '<button type="button" class="rv-in" title="zoom in">+</button>',
            f'<button type="button" class="rv-fit" title="{fit_title}">Fit</button></div>',
            '<span class="rv-hint">' + " \u00b7 ".join(hint) + "</span>",
            "</div>",
        ]
    )


def fragment(svg: str, data: dict[str, Any], legend_keys: list[str], *, page: bool = False) -> str:
    """One self-contained ``<div class="regrad-viz">`` (see the module docstring)."""
    cls = "regrad-viz rv-page" if page else "regrad-viz"
    speeds = "".join(
        f'<option value="{ms}"{" selected" if n == 1 else ""}>{words}</option>' for n, (words, ms) in enumerate(SPEEDS)
    )
    stepper = "".join(
        [
            '<div class="rv-group" role="group" aria-label="backward-pass stepper">',
            '<button type="button" class="rv-reset" title="back to the start (Home)">Reset</button>',
            '<button type="button" class="rv-prev" title="one step back (\u2190)">\u25c0 Prev</button>',
            '<button type="button" class="rv-next" title="one step (\u2192)">Next \u25b6</button>',
            '<button type="button" class="rv-play" title="play or pause (space)">\u25b6 Play</button>',
            f'<label class="rv-speed-label">speed <select class="rv-speed">{speeds}</select></label>',
            '<span class="rv-count"></span></div>',
        ]
    )
    return "".join(
        [
            f'<div class="{cls}" tabindex="0" role="group" aria-label="computation graph and backward-pass stepper">',
            f"<style>{viewer_css()}</style>",
            bar(
                legend_html(legend_keys),
                stepper,
                fit_title="fit the drawing to its frame",
                hover="details",
                keys="\u2190 \u2192 space Home End",
                page=page,
            ),
            '<div class="rv-info" aria-live="polite"></div>',
            f'<div class="rv-stage">{svg}</div>',
            '<div class="rv-tip" hidden></div>',
            f'<script type="application/json" class="rv-data">{script_json(data)}</script>',
            f"<script>{viewer_js()}</script>",
            "</div>",
        ]
    )


def page(fragment_html: str, title: str) -> str:
    """A complete HTML document around one fragment; its background follows the reader's light or dark setting."""
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        "<style>html,body{margin:0;background:#eef1f4}body{padding:8px}"
        "@media (prefers-color-scheme:dark){html,body{background:#0d1014}}</style>\n"
        "</head>\n<body>\n"
        f"{fragment_html}\n</body>\n</html>\n"
    )


__all__ = ["bar", "drawing_data", "fragment", "legend_html", "page", "script_json", "viewer_css", "viewer_js"]
