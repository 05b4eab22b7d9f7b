"""Render a laid-out graph as SVG text.

The SVG is plain and self-describing so that tools (and our tests) can read
it back: every graph node is a ``<g data-node="n3" data-kind="op">`` and
every edge a ``<g data-src="n5" data-dst="n3">``; nothing else (legend,
background) carries those attributes. Colours are given as attributes, not
only CSS, so a saved ``.svg`` looks right in any viewer. No ``id``
attributes are used at all: several drawings can share one HTML page.

Every piece of user text goes through ``escape`` (``&``, ``<``, ``>`` and
quotes), so a Var named ``<script>alert(1)</script>`` is shown, never run.
"""

from __future__ import annotations

from html import escape

from .graph import Graph
from .labels import COLOURS, FONT_SIZE, LEGEND, LINE_HEIGHT, fixed
from .layout import Layout

FONT = "'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace"
EDGE_COLOUR = "#6b7580"
LEGEND_HEIGHT = 30.0


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
    """Full-precision text for a node (the SVG ``<title>``, shown on hover)."""
    node = graph.nodes[i]
    lines = [f"{node.id}: {node.title} ({node.kind})"]
    if node.op_args:
        lines.append(", ".join(f"{k}={v!r}" for k, v in node.op_args.items()))
    lines.append(f"value = {node.value!r}")
    if node.grad is not None:
        lines.append(f"grad = {node.grad!r}")
    if node.adjoint is not None:
        lines.append(f"dL/d{node.id} (backward trace) = {node.adjoint!r}")
    return "\n".join(lines)


def render_svg(
    graph: Graph, layout: Layout, lines: list[list[tuple[str, str]]], *, legend: bool = True, interactive: bool = False
) -> str:
    """The drawing as one ``<svg>`` element (a string).

    ``legend`` adds a colour key above the graph (the HTML page has its own);
    ``interactive`` sizes the SVG to its container instead of its content.
    """
    top = LEGEND_HEIGHT if legend else 0.0
    width = layout.width
    height = layout.height + top
    if legend:
        width = max(width, 600.0)
    if interactive:  # inside HTML the parser knows <svg>: no namespace URL needed
        size = 'width="100%" height="100%" preserveAspectRatio="xMidYMid meet"'
        namespace = ""
    else:
        size = f'width="{_num(width)}" height="{_num(height)}"'
        namespace = 'xmlns="http://www.w3.org/2000/svg" '
    out = [
        f'<svg {namespace}class="rv-svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'{size} font-family="{escape(FONT)}" font-size="{_num(FONT_SIZE)}">',
        f'<rect class="rv-bg" x="0" y="0" width="{_num(width)}" height="{_num(height)}" fill="#ffffff"/>',
    ]
    if legend:
        out.append(_legend_svg())
    out.append(f'<g class="rv-graph" transform="translate(0 {_num(top)})">')
    out.append(f'<g class="rv-edges" fill="none" stroke="{EDGE_COLOUR}" stroke-width="1.3">')
    nodes = graph.nodes
    for k, edge in enumerate(graph.edges):
        ax, ay = layout.arrows[k][0]
        bx, by = layout.arrows[k][1]
        cx, cy = layout.arrows[k][2]
        out.append(
            f'<g class="rv-edge" data-src="{nodes[edge.src].id}" data-dst="{nodes[edge.dst].id}">'
            f'<path d="{_path_d(layout.paths[k])}"/>'
            f'<path class="rv-arrow" d="M{_num(ax)} {_num(ay)}L{_num(bx)} {_num(by)}L{_num(cx)} {_num(cy)}Z" '
            f'fill="{EDGE_COLOUR}" stroke="none"/></g>'
        )
    out.append("</g>")
    out.append('<g class="rv-nodes">')
    half_lines = LINE_HEIGHT / 2
    for i, node in enumerate(nodes):
        x, y, w, h = layout.boxes[i]
        fill, stroke, ink = COLOURS[node.kind]
        parts = [
            f'<g class="rv-node rv-{node.kind}" data-node="{node.id}" data-kind="{node.kind}" '
            f'transform="translate({_num(x)} {_num(y)})">',
            f"<title>{escape(node_tooltip(graph, i))}</title>",
            f'<rect x="{_num(-w / 2)}" y="{_num(-h / 2)}" width="{_num(w)}" height="{_num(h)}" rx="6" '
            f'fill="{fill}" stroke="{stroke}"/>',
        ]
        node_lines = lines[i]
        first = -(len(node_lines) - 1) * half_lines
        for j, (text, cls) in enumerate(node_lines):
            weight = ' font-weight="bold"' if cls == "rv-title" else ""
            parts.append(
                f'<text class="{cls}" x="0" y="{_num(first + j * LINE_HEIGHT)}" dy="0.35em" '
                f'text-anchor="middle" fill="{ink}"{weight}>{escape(text)}</text>'
            )
        parts.append("</g>")
        out.append("".join(parts))
    out.append("</g>")
    out.append('<g class="rv-overlay"></g>')  # the stepper writes edge labels here
    out.append("</g></svg>")
    return "\n".join(out)


def _legend_svg() -> str:
    """The colour key: three swatches with words (no data-* attributes)."""
    parts = [f'<g class="rv-legend" transform="translate(16 8)" font-size="{_num(FONT_SIZE)}">']
    x = 0.0
    for kind, text in LEGEND:
        fill, stroke, _ = COLOURS[kind]
        parts.append(f'<rect x="{_num(x)}" y="0" width="16" height="14" rx="3" fill="{fill}" stroke="{stroke}"/>')
        parts.append(f'<text x="{_num(x + 22)}" y="7" dy="0.35em" fill="#1b1f24">{escape(text)}</text>')
        x += 22 + len(text) * 7.4 + 18
    parts.append("</g>")
    return "".join(parts)


__all__ = ["fixed", "node_tooltip", "render_svg"]
