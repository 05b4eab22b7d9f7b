"""A layered network as a picture: neurons in columns, weights as edges, a small heatmap in each neuron.

This is not a computation graph. A computation graph (``draw``) has a box
for every number, parameters included; here each *neuron* is one box, each
*weight* is the edge it sits on, and a box can hold a picture of what its
neuron computes. It is the picture people draw of a network (TensorFlow
Playground draws this one), and it knows nothing of any library: give it
layer sizes and weights::

    from regrad_viz import draw_network

    drawing = draw_network([2, 3, 1], weights=[
        [[0.5, -1.0], [1.2, 0.3], [-0.7, 0.8]],   # layer 0 -> 1: one row per neuron, one number per input
        [[1.0, -0.5, 0.25]],                       # layer 1 -> 2
    ])
    drawing.save("network.html")                   # or .svg

``weights[k][j][i]`` is the weight from node ``i`` of layer ``k`` to node
``j`` of layer ``k + 1`` (a row per neuron, as a neuron lists its weights).
An edge is blue for a positive weight and orange for a negative one, and the
larger the weight's size the thicker and stronger its line, relative to
``scale`` (the largest size of all the weights, unless given).

``pictures[k][j]``, if given, is a grid of numbers (rows from the top, each
row from the left) shown inside node ``j`` of layer ``k``: blue where the
number is positive, orange where it is negative, transparent at 0, each
picture scaled to its own largest size. A neuron's output over a 2-D input
plane is the usual picture.

The HTML (``to_html``) has the same frame, colours, zoom buttons and light
or dark palette as the computation-graph drawings: it reuses their style
sheet, ``static/viewer.css``, with a few rules of its own in
``static/network.css``; its script is ``static/network.js``, after
``static/shell.js``, the frame (zoom, scrolling, the hover panel, focus)
that it shares with them. Hovering a node or an edge shows its numbers. A
page can show new weights and pictures in the same drawing with
``element.regradViz.update(...)`` (see network.js): regrad-nn's training
explorer does, for every epoch.
"""

from __future__ import annotations

import base64
import functools
import math
import os
import struct
import zlib
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from .drawing import save_by_extension
from .html import bar, compact_css, drawing_js, page, script_json, static_file, viewer_css
from .labels import text_width
from .names import abbreviate, safe_text
from .svg import FONT, _num

# --------------------------------------------------------------------------
# sizes (pixels at 100 %) and colours

NODE = 34.0  # a neuron's box is a square this big (its picture fills it)
NODE_GAP = 8.0  # space between two boxes of a column
LAYER_GAP = 160.0  # from one column to the next: room for the weights to fan out
TOP = 34.0  # room above the columns for the layers' titles
MARGIN = 16.0
LABEL_GAP = 6.0  # between a box and the name written beside it

#: RGB of a positive and of a negative number: the weights' lines and the pictures
POSITIVE = (28, 126, 214)
NEGATIVE = (232, 89, 12)
#: a weight of size 0 is drawn this thin and this faint, one of size ``scale`` (or more) this thick and opaque
THINNEST, THICKEST = 0.5, 4.0
FAINTEST = 0.3

Grid = Sequence[Sequence[float]]


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def line_style(weight: float, scale: float) -> tuple[str, float, float]:
    """(colour, width, opacity) of a weight's edge: blue if positive, orange if negative, thicker if larger."""
    strength = min(1.0, abs(weight) / scale) if scale > 0 and math.isfinite(weight) else 1.0
    colour = _hex(POSITIVE if weight > 0 else NEGATIVE)
    return colour, THINNEST + (THICKEST - THINNEST) * strength, FAINTEST + (1.0 - FAINTEST) * strength


# --------------------------------------------------------------------------
# pictures: a grid of numbers as a small PNG, with nothing but the standard library


def picture_png(grid: Grid) -> bytes:
    """``grid`` as an RGBA PNG, one pixel per number: blue > 0, orange < 0, alpha = size / largest size.

    NaN is transparent; an infinity has the full colour of its sign.
    """
    finite = [abs(v) for row in grid for v in row if math.isfinite(v)]
    scale = max(finite, default=0.0) or 1.0
    raw = bytearray()
    for row in grid:
        raw.append(0)  # each PNG row starts with its filter type: 0, none
        for v in row:
            r, g, b = POSITIVE if v > 0 else NEGATIVE
            alpha = 0.0 if math.isnan(v) else min(1.0, abs(v) / scale)
            raw += bytes((r, g, b, round(255 * alpha)))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", len(grid[0]), len(grid), 8, 6, 0, 0, 0)  # 8 bits per channel, RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(raw), 9))
        + chunk(b"IEND", b"")
    )


def picture_uri(grid: Grid) -> str:
    """``picture_png(grid)`` as a ``data:`` URI, for an SVG ``<image>``: nothing to fetch."""
    return "data:image/png;base64," + base64.b64encode(picture_png(grid)).decode("ascii")


# --------------------------------------------------------------------------
# checking what the caller gives


def _check_sizes(layer_sizes: Sequence[int]) -> list[int]:
    sizes = list(layer_sizes)
    if len(sizes) < 2:
        raise ValueError(f"draw_network needs at least two layer sizes (inputs and outputs), got {sizes!r}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, int) or size < 1:
            raise ValueError(f"layer sizes must be positive ints, got {sizes!r}")
    return sizes


def _check_weights(weights: Sequence[Sequence[Sequence[float]]], sizes: list[int]) -> list[list[list[float]]]:
    if len(weights) != len(sizes) - 1:
        raise ValueError(
            f"weights: expected {len(sizes) - 1} layers of weights for {len(sizes)} layers, got {len(weights)}"
        )
    out = []
    for k, rows in enumerate(weights):
        if len(rows) != sizes[k + 1]:
            raise ValueError(f"weights[{k}]: expected {sizes[k + 1]} rows (one per neuron), got {len(rows)}")
        for j, row in enumerate(rows):
            if len(row) != sizes[k]:
                raise ValueError(f"weights[{k}][{j}]: expected {sizes[k]} numbers (one per input), got {len(row)}")
        out.append([[float(w) for w in row] for row in rows])
    return out


def _check_biases(biases: Sequence[Sequence[float]] | None, sizes: list[int]) -> list[list[float]] | None:
    if biases is None:
        return None
    if len(biases) != len(sizes) - 1 or any(len(b) != n for b, n in zip(biases, sizes[1:])):
        raise ValueError(f"biases: expected one number per neuron of each layer after the inputs, sizes {sizes[1:]}")
    return [[float(b) for b in layer] for layer in biases]


def _check_pictures(pictures: Sequence[Sequence[Grid | None]] | None, sizes: list[int]) -> list[list[str | None]]:
    """Each picture as a data URI (None: no picture)."""
    if pictures is None:
        return [[None] * n for n in sizes]
    if len(pictures) != len(sizes) or any(len(p) != n for p, n in zip(pictures, sizes)):
        raise ValueError(f"pictures: expected one entry (a grid or None) per node of each layer, sizes {sizes}")
    out: list[list[str | None]] = []
    for k, layer in enumerate(pictures):
        uris: list[str | None] = []
        for j, grid in enumerate(layer):
            if grid is not None and (not grid or not grid[0] or any(len(row) != len(grid[0]) for row in grid)):
                raise ValueError(f"pictures[{k}][{j}]: a picture is a non-empty grid, every row as long as the first")
            uris.append(None if grid is None else picture_uri(grid))
        out.append(uris)
    return out


def _check_names(names: Sequence[Sequence[str]] | None, sizes: list[int]) -> list[list[str]]:
    if names is None:  # x.0, x.1 for the inputs; L0.N1 (layer 0 after the inputs, neuron 1) for the others
        return [[f"x.{j}" for j in range(sizes[0])]] + [
            [f"L{k}.N{j}" for j in range(n)] for k, n in enumerate(sizes[1:])
        ]
    if len(names) != len(sizes) or any(len(layer) != n for layer, n in zip(names, sizes)):
        raise ValueError(f"names: expected one name per node of each layer, sizes {sizes}")
    return [[safe_text(str(name)) for name in layer] for layer in names]


def _check_titles(layer_titles: Sequence[str] | None, sizes: list[int]) -> list[str]:
    if layer_titles is None:
        return ["inputs"] + [f"layer {k}" for k in range(1, len(sizes) - 1)] + ["outputs"]
    if len(layer_titles) != len(sizes):
        raise ValueError(f"layer_titles: expected {len(sizes)} titles, got {len(layer_titles)}")
    return [safe_text(str(title)) for title in layer_titles]


# --------------------------------------------------------------------------
# the drawing


class NetworkDrawing:
    """A laid-out network, ready to be written as SVG or HTML. Make one with ``draw_network``.

    ``positions[k][j]`` is the centre of node ``j`` of layer ``k``; ``width``
    and ``height`` the drawing's size, in pixels at 100 %.
    """

    __slots__ = (
        "biases",
        "caption",
        "height",
        "layer_titles",
        "names",
        "pictures",
        "positions",
        "scale",
        "sizes",
        "weights",
        "width",
    )

    def __init__(
        self,
        sizes: list[int],
        weights: list[list[list[float]]],
        biases: list[list[float]] | None,
        pictures: list[list[str | None]],
        names: list[list[str]],
        layer_titles: list[str],
        scale: float,
        caption: str,
    ) -> None:
        self.sizes = sizes
        self.weights = weights
        self.biases = biases
        self.pictures = pictures
        self.names = names
        self.layer_titles = layer_titles
        self.scale = scale
        self.caption = caption
        tallest = max(sizes)
        pitch = NODE + NODE_GAP
        # room beside the first and the last column for the names written there, and for the titles above
        left = max(text_width(self.side_label(0, j)) for j in range(sizes[0])) + LABEL_GAP
        right = max(text_width(self.side_label(len(sizes) - 1, j)) for j in range(sizes[-1])) + LABEL_GAP
        titles = max(text_width(title) for title in layer_titles) / 2
        left, right = max(left, titles - NODE / 2), max(right, titles - NODE / 2)
        self.positions = [
            [
                (MARGIN + left + NODE / 2 + k * LAYER_GAP, TOP + NODE / 2 + ((tallest - n) / 2 + j) * pitch)
                for j in range(n)
            ]
            for k, n in enumerate(sizes)
        ]
        self.width = 2 * MARGIN + left + right + NODE + (len(sizes) - 1) * LAYER_GAP
        self.height = TOP + tallest * pitch - NODE_GAP + MARGIN

    def __repr__(self) -> str:
        layers = " -> ".join(map(str, self.sizes))
        return f"<NetworkDrawing {layers}: {self.width:.0f}x{self.height:.0f}>"

    # ------------------------------------------------------------ the SVG

    def side_label(self, k: int, j: int) -> str:
        """The name written beside an input or an output (abbreviated; hovering shows it whole)."""
        return abbreviate(self.names[k][j])

    def node_details(self, k: int, j: int) -> str:
        """The hover text of node ``j`` of layer ``k``: its name, its bias, what its picture shows."""
        lines = [self.names[k][j]]
        if k > 0 and self.biases is not None:
            lines.append(f"bias = {self.biases[k - 1][j]!r}")
        if self.pictures[k][j] is not None and self.caption:
            lines.append(self.caption)
        return "\n".join(lines)

    def weight_details(self, k: int, j: int, i: int) -> str:
        """The hover text of the weight from node ``i`` of layer ``k`` to node ``j`` of layer ``k + 1``."""
        return f"{self.names[k][i]} \u2192 {self.names[k + 1][j]}\nweight = {self.weights[k][j][i]!r}"

    def _svg(self, interactive: bool) -> str:
        width, height = _num(self.width), _num(self.height)
        namespace = "" if interactive else 'xmlns="http://www.w3.org/2000/svg" '
        out = [
            f'<svg {namespace}class="rv-svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'font-family="{escape(FONT)}" font-size="12">',
            f'<rect class="rv-bg" x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
            '<g class="rv-net-titles" text-anchor="middle" fill="#5c6670">',
        ]
        for k, title in enumerate(self.layer_titles):
            out.append(f'<text x="{_num(self.positions[k][0][0])}" y="18">{escape(title)}</text>')
        out.append("</g>")
        # the weights, in the order (layer, neuron, input): network.js finds them in that order
        out.append('<g class="rv-net-weights" fill="none">')
        for k, rows in enumerate(self.weights):
            for j, row in enumerate(rows):
                x2, y2 = self.positions[k + 1][j]
                for i, w in enumerate(row):
                    x1, y1 = self.positions[k][i]
                    a, b, middle = x1 + NODE / 2, x2 - NODE / 2, (x1 + x2) / 2
                    colour, stroke_width, opacity = line_style(w, self.scale)
                    sign = "rv-positive" if w > 0 else "rv-negative"
                    out.append(
                        f'<path class="rv-weight {sign}" d="M{_num(a)} {_num(y1)}C{_num(middle)} {_num(y1)} '
                        f'{_num(middle)} {_num(y2)} {_num(b)} {_num(y2)}" stroke="{colour}" '
                        f'stroke-width="{stroke_width:.2f}" stroke-opacity="{opacity:.2f}">'
                        f"<title>{escape(self.weight_details(k, j, i))}</title></path>"
                    )
        out.append("</g>")
        out.append('<g class="rv-net-nodes">')
        last = len(self.sizes) - 1
        for k, column in enumerate(self.positions):
            for j, (x, y) in enumerate(column):
                half = NODE / 2
                parts = [
                    f'<g class="rv-neuron" data-layer="{k}" data-index="{j}" '
                    f'transform="translate({_num(x)} {_num(y)})">',
                    f"<title>{escape(self.node_details(k, j))}</title>",
                    f'<rect x="{-half}" y="{-half}" width="{NODE:g}" height="{NODE:g}" rx="4" fill="#ffffff"/>',
                ]
                uri = self.pictures[k][j]
                href = f' href="{uri}"' if uri is not None else ""  # no href at all: an empty one would fetch the page
                parts.append(
                    f'<image class="rv-picture" x="{-half}" y="{-half}" width="{NODE:g}" height="{NODE:g}"'
                    f' preserveAspectRatio="none"{href}/>'
                )
                parts.append(
                    f'<rect class="rv-neuron-border" x="{-half}" y="{-half}" width="{NODE:g}" height="{NODE:g}" '
                    'rx="4" fill="none" stroke="#6b7580"/>'
                )
                if k in (0, last):  # the inputs' names on their left, the outputs' on their right
                    side, anchor = (-half - LABEL_GAP, "end") if k == 0 else (half + LABEL_GAP, "start")
                    parts.append(
                        f'<text class="rv-net-name" x="{_num(side)}" y="0" dy="0.35em" text-anchor="{anchor}" '
                        f'fill="#1b1f24">{escape(self.side_label(k, j))}</text>'
                    )
                parts.append("</g>")
                out.append("".join(parts))
        out.append("</g></svg>")
        return "\n".join(out)

    def to_svg(self) -> str:
        """A standalone SVG document (static: hovering shows the SVG titles, where viewers support them)."""
        return self._svg(interactive=False) + "\n"

    # ------------------------------------------------------------ the HTML

    def data(self) -> dict[str, Any]:
        """What network.js reads (described at the top of ``static/network.js``)."""
        return {
            "layers": self.sizes,
            "names": self.names,
            "weights": self.weights,
            "biases": self.biases,
            "scale": self.scale,
            "caption": self.caption,
            "colours": {"positive": list(POSITIVE), "negative": list(NEGATIVE)},
            "lines": {"thinnest": THINNEST, "thickest": THICKEST, "faintest": FAINTEST},
        }

    def to_html(self, full_page: bool = True) -> str:
        """Interactive HTML: a whole page, or with ``full_page=False`` one ``<div>`` to embed.

        The fragment is a ``div.regrad-viz.rv-network``: the frame and palette
        of the graph drawings, a bar with the legend and zoom buttons, the
        SVG, the data and the script. It uses no ``id``; any number can share a page.
        """
        legend = [
            '<span><span class="rv-swatch rv-positive"></span>positive weight</span>',
            '<span><span class="rv-swatch rv-negative"></span>negative weight</span>',
            "<span>thicker: larger</span>",
        ]
        if self.caption and any(uri is not None for layer in self.pictures for uri in layer):
            legend.append(f"<span>{escape(self.caption)}</span>")
        cls = "regrad-viz rv-network rv-page" if full_page else "regrad-viz rv-network"
        fragment = "".join(
            [
                f'<div class="{cls}" tabindex="0" role="group" '  # network.js starts it (viewer.js leaves it)
                'aria-label="network: its layers, weights and what each neuron computes">',
                f"<style>{viewer_css()}{network_css()}</style>",
                bar(
                    f'<div class="rv-legend-html">{"".join(legend)}</div>',
                    "",
                    fit_title="back to the first view",
                    hover="numbers",
                    page=full_page,
                ),
                f'<div class="rv-stage">{self._svg(interactive=True)}</div>',
                '<div class="rv-tip" hidden></div>',
                f'<script type="application/json" class="rv-network-data">{script_json(self.data())}</script>',
                f"<script>{network_js()}</script>",
                "</div>",
            ]
        )
        return page(fragment, "regrad network") if full_page else fragment

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write ``.html``/``.htm`` (interactive) or ``.svg`` (static), replaced atomically; returns the path."""
        return save_by_extension(path, {".html": self.to_html, ".htm": self.to_html, ".svg": self.to_svg})

    def _repr_html_(self) -> str:
        return self.to_html(full_page=False)

    def _repr_svg_(self) -> str:
        return self.to_svg()


@functools.cache
def network_css() -> str:
    """``static/network.css``, compacted (it is added after viewer.css)."""
    return compact_css(static_file("network.css"))


@functools.cache
def network_js() -> str:
    """``static/shell.js`` and ``static/network.js``, compacted, as every network drawing carries them."""
    return drawing_js("network.js")


def draw_network(
    layer_sizes: Sequence[int],
    weights: Sequence[Sequence[Sequence[float]]],
    *,
    biases: Sequence[Sequence[float]] | None = None,
    pictures: Sequence[Sequence[Grid | None]] | None = None,
    names: Sequence[Sequence[str]] | None = None,
    layer_titles: Sequence[str] | None = None,
    scale: float | None = None,
    caption: str = "picture: what this node computes over the input plane (blue > 0, orange < 0)",
) -> NetworkDrawing:
    """Lay out a layered network: ``layer_sizes`` nodes per column, ``weights[k][j][i]`` on the edges.

    ``biases[k][j]``: the bias of node ``j`` of layer ``k + 1`` (shown on hover).
    ``pictures[k][j]``: a grid of numbers to show inside node ``j`` of layer
    ``k`` (rows from the top), or None; see the module docstring.
    ``names[k][j]``: each node's name (the inputs' and outputs' names are
    written beside them, every name shows on hover); by default ``x.0``,
    ``x.1``, ... for the inputs and ``L0.N1`` (neuron 1 of layer 0 after the
    inputs) for the others. ``layer_titles``: a title above each column.
    ``scale``: a weight this large (or larger) gets the thickest line; by
    default the largest size among the weights. ``caption``: what the
    pictures show, in the legend and on hover.

    Raises ``ValueError`` if the shapes do not match ``layer_sizes``.
    """
    sizes = _check_sizes(layer_sizes)
    checked = _check_weights(weights, sizes)
    if scale is None:
        finite = [abs(w) for rows in checked for row in rows for w in row if math.isfinite(w)]
        scale = max(finite, default=0.0) or 1.0
    elif not (math.isfinite(scale) and scale > 0):
        raise ValueError(f"scale must be a finite number > 0, got {scale!r}")
    return NetworkDrawing(
        sizes,
        checked,
        _check_biases(biases, sizes),
        _check_pictures(pictures, sizes),
        _check_names(names, sizes),
        _check_titles(layer_titles, sizes),
        float(scale),
        safe_text(caption),
    )


__all__ = ["NetworkDrawing", "draw_network", "line_style", "picture_png", "picture_uri"]
