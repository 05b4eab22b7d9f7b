"""Render a laid-out graph as SVG text.

The SVG is plain and self-describing so that tools (and our tests) can read
it back: every graph node is a ``<g data-node="n3" data-kind="op">`` and
every edge a ``<g data-src="n5" data-dst="n3">``; nothing else (legend,
background) carries those attributes. Colours are given as attributes, not
only CSS, so a saved ``.svg`` looks right in any viewer (the HTML viewer's
stylesheet overrides them to follow the page's light or dark palette). No
``id`` attributes are used at all: several drawings can share one HTML page.

Every piece of user text is already safe for XML (``graph`` passed it through
``names.safe_text``) and goes through ``escape`` here (``&``, ``<``, ``>``
and quotes), so a Var named ``<script>alert(1)</script>`` is shown, never
run, and the SVG always parses as XML.
"""

from __future__ import annotations

from html import escape

from .graph import CONST, LEAF, Graph
from .labels import (
    ADJOINT,
    ADJOINT_INK,
    BLOCKED_COLOUR,
    COLOURS,
    FAILED_COLOUR,
    FONT_SIZE,
    LEGEND,
    LINE_HEIGHT,
    OP,
    TITLE,
    full_args,
    text_width,
)
from .layout import Layout

FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
EDGE_COLOUR = "#6b7580"
LEGEND_ROW = 24.0
LEGEND_MIN_WIDTH = 600.0

#: how the hover text names each kind of node: as the legend does, but a leaf in words
KIND_WORDS = {LEAF: "leaf that requires grad", CONST: LEGEND[CONST], OP: LEGEND[OP]}


def _num(x: float) -> str:
    """A coordinate with one decimal, without a useless ``.0``."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _path_d(cmds: list[tuple[str | float, ...]]) -> str:
    parts = []
    for cmd in cmds:
        letter, *numbers = cmd  # ("C", x1, y1, x2, y2, x, y) -> "C x1 y1 x2 y2 x y"
        parts.append(str(letter) + " ".join(_num(float(v)) for v in numbers))
    return "".join(parts)


def node_tooltip(graph: Graph, i: int) -> str:
    """Everything about a node at full precision, names whole (the SVG ``<title>``, shown on hover).

    The HTML viewer shows the same text in its hover panel.
    """
    node = graph.nodes[i]
    lines = [f"{node.title}  ({KIND_WORDS[node.kind]})"]
    if node.op_args:
        lines.append(full_args(node))
    lines.append(f"value = {node.value!r}")
    if node.grad is not None:
        lines.append(f"grad = {node.grad!r}  (its .grad, kept by backward())")
    if node.adjoint is not None:
        lines.append(f"adj = {node.adjoint!r}  (dL/d(this box), from the backward pass)")
    if node.blocked:
        lines.append("no gradient flows here: for these values its op passes none to its inputs")
    if node.error is not None:
        lines.append(f"backward failed here: {node.error}")
    return "\n".join(lines)


def render_svg(
    graph: Graph,
    layout: Layout,
    lines: list[list[tuple[str, str]]],
    *,
    legend: list[str] | None = None,
    interactive: bool = False,
) -> str:
    """The drawing as one ``<svg>`` element (a string).

    ``legend``: the keys of a legend to draw above the graph (see
    ``labels.legend_keys``), or None for none (the HTML viewer has its own);
    ``interactive``: for the HTML viewer, which sizes the SVG itself.
    """
    legend_svg, top = _legend_svg(legend, max(layout.width, LEGEND_MIN_WIDTH)) if legend else ("", 0.0)
    width = max(layout.width, LEGEND_MIN_WIDTH) if legend else layout.width
    height = layout.height + top
    # inside HTML the parser knows <svg>: no namespace URL needed
    namespace = "" if interactive else 'xmlns="http://www.w3.org/2000/svg" '
    out = [
        f'<svg {namespace}class="rv-svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" font-family="{escape(FONT)}" font-size="{_num(FONT_SIZE)}">',
        f'<rect class="rv-bg" x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
        legend_svg,
        f'<g class="rv-graph" transform="translate(0 {_num(top)})">',
        f'<g class="rv-edges" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.3">',
    ]
    nodes = graph.nodes
    for k, edge in enumerate(graph.edges):
        (ax, ay), (bx, by), (cx, cy) = layout.arrows[k][:3]
        # an edge into a node that passes no gradient is dashed, like that node's border
        dashed = ' stroke-dasharray="4 3"' if nodes[edge.dst].blocked else ""
        out.append(
            f'<g class="rv-edge" data-src="{nodes[edge.src].id}" data-dst="{nodes[edge.dst].id}">'
            f'<path d="{_path_d(layout.paths[k])}"{dashed}/>'
            f'<path class="rv-arrow" d="M{_num(ax)} {_num(ay)}L{_num(bx)} {_num(by)}L{_num(cx)} {_num(cy)}Z" '
            f'fill="{EDGE_COLOUR}" stroke="none"/></g>'
        )
    out.append("</g>")
    out.append('<g class="rv-nodes">')
    half_lines = LINE_HEIGHT / 2
    for i, node in enumerate(nodes):
        x, y, w, h = layout.boxes[i]
        fill, stroke, ink = COLOURS[node.kind]
        classes = f"rv-node rv-{node.kind}"
        border = f'stroke="{stroke}"'
        if node.blocked:
            classes += " rv-blocked"
            border = f'stroke="{BLOCKED_COLOUR}" stroke-width="2" stroke-dasharray="5 3"'
        if node.error is not None:
            classes += " rv-failed"
            border = f'stroke="{FAILED_COLOUR}" stroke-width="3"'
        parts = [
            f'<g class="{classes}" data-node="{node.id}" data-kind="{node.kind}" '
            f'transform="translate({_num(x)} {_num(y)})">',
            f"<title>{escape(node_tooltip(graph, i))}</title>",
            f'<rect x="{_num(-w / 2)}" y="{_num(-h / 2)}" width="{_num(w)}" height="{_num(h)}" rx="6" '
            f'fill="{fill}" {border}/>',
        ]
        node_lines = lines[i]
        first = -(len(node_lines) - 1) * half_lines
        for j, (text, cls) in enumerate(node_lines):
            style = f'fill="{ink}"'
            if cls == TITLE:
                style += ' font-weight="bold"'
            elif ADJOINT in cls.split():
                style = f'fill="{ADJOINT_INK[node.kind]}" font-style="italic"'
            parts.append(
                f'<text class="{cls}" x="0" y="{_num(first + j * LINE_HEIGHT)}" dy="0.35em" '
                f'text-anchor="middle" {style}>{escape(text)}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))
    out.append("</g>")
    out.append('<g class="rv-overlay"></g>')  # the stepper writes edge labels here
    out.append("</g></svg>")
    return "\n".join(part for part in out if part)


def _legend_svg(keys: list[str], width: float) -> tuple[str, float]:
    """The legend, in rows as wide as the drawing; returns (svg, its height).

    Each entry is a key (a swatch of the node colours and borders, or for the
    gradient lines the word ``grad`` or ``adj`` styled as in the boxes) and
    its words. No data-* attributes: tools that read the graph never mistake
    it for nodes.
    """
    parts = [f'<g class="rv-legend" font-size="{_num(FONT_SIZE)}">']
    x, y = 16.0, 8.0
    for key in keys:
        words = LEGEND[key]
        sample = key if key in ("grad", "adj") else ""
        key_width = text_width(sample) + 12 if sample else 16.0
        item_width = key_width + 6 + text_width(words)
        if x > 16 and x + item_width > width - 16:  # next row
            x, y = 16.0, y + LEGEND_ROW
        fill, stroke, ink = COLOURS[key] if key in COLOURS else COLOURS[OP]
        border = f'stroke="{stroke}"'
        if key == "blocked":
            border = f'stroke="{BLOCKED_COLOUR}" stroke-width="2" stroke-dasharray="4 2"'
        elif key == "failed":
            border = f'stroke="{FAILED_COLOUR}" stroke-width="2.5"'
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(y)}" width="{_num(key_width)}" height="16" rx="3" fill="{fill}" {border}/>'
        )
        if sample:
            style = f'fill="{ADJOINT_INK[OP]}" font-style="italic"' if key == "adj" else f'fill="{ink}"'
            parts.append(f'<text x="{_num(x + 6)}" y="{_num(y + 8)}" dy="0.35em" {style}>{sample}</text>')
        parts.append(
            f'<text x="{_num(x + key_width + 6)}" y="{_num(y + 8)}" dy="0.35em" fill="#1b1f24">{escape(words)}</text>'
        )
        x += item_width + 18
    parts.append("</g>")
    return "".join(parts), y + LEGEND_ROW + 6


__all__ = ["node_tooltip", "render_svg"]
