"""What each node's box says, how big the box must be to say it, and the legend.

A box shows, line by line: a title (op name, or the user's name, or
Var/const), the op's arguments (``power=2``), the value, and a gradient line.
The gradient line says one of two different things, and says which:

* ``grad -7.0000``: a leaf's ``.grad``, the number ``backward()`` kept in the
  Var (only leaves keep one in regrad);
* ``adj 1.0000`` (in italics): the node's adjoint dL/d(node) from the
  backward trace. Every node has one during the backward pass, but regrad
  keeps none of them: they exist only in the picture.

Long dotted names are abbreviated in the box (``names.abbreviate``); the hover
text shows them whole. Labels use a monospace font, so a line's width is
simply its number of characters times a fixed advance: no font files are
needed to size the boxes, and the layout stays pure Python.
"""

from __future__ import annotations

import math
import unicodedata

from .graph import CONST, LEAF, OP, Graph, Node, running_totals
from .names import abbreviate, safe_text

FONT_SIZE = 12.0
LINE_HEIGHT = 15.0
CHAR_WIDTH = 0.62 * FONT_SIZE  # a monospace advance (DejaVu Sans Mono: 0.602 em), plus slack
PAD_X = 10.0
PAD_Y = 6.0
MIN_WIDTH = 56.0

#: fill, border and text colours by node kind (dark blue leaf, light blue constant, grey op)
COLOURS = {
    LEAF: ("#1f4e8c", "#133561", "#ffffff"),
    CONST: ("#cfe3f7", "#7fa7cf", "#10243b"),
    OP: ("#e4e6e9", "#9aa1a9", "#1b1f24"),
}
#: colour of an adjoint line (italic) on each kind of box
ADJOINT_INK = {LEAF: "#ffd8a8", CONST: "#a33a00", OP: "#a33a00"}
#: the border of a node that passes no gradient (dashed) and of one whose backward failed
BLOCKED_COLOUR = "#6741d9"
FAILED_COLOUR = "#e03131"

#: css classes of the lines of a box; a gradient line showing an adjoint has both GRAD and ADJOINT
TITLE, ARGS, VALUE, GRAD, ADJOINT = "rv-title", "rv-args", "rv-val", "rv-grad", "rv-adj"

#: every legend entry, in order: key -> words (see ``legend_keys`` for which appear)
LEGEND = {
    LEAF: "leaf (req_grad=True)",
    CONST: "constant / no-grad Var",
    OP: "op",
    "grad": "a leaf's .grad, kept by backward()",
    "adj": "dL/d(box) from the backward pass, not kept",
    "blocked": "no gradient flows here",
    "failed": "backward failed here",
}


def fixed(x: float, decimals: int) -> str:
    """``x`` with ``decimals`` digits after the point (nan and inf as words)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{decimals}f}"


def format_arg(value: object) -> str:
    """An op argument as short box text: ``2`` for the int 2, ``0.5``, a dotted path abbreviated."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return abbreviate(value)
    text = safe_text(repr(value))
    return text if len(text) <= 40 else text[:37] + "..."


def full_args(node: Node) -> str:
    """The op's arguments as Python would write them (``neuron='layers.0.neurons.1'``), for hovering."""
    return safe_text(", ".join(f"{key}={value!r}" for key, value in node.op_args.items()))


def text_width(text: str) -> float:
    """Width of ``text`` in the monospace label font; wide (CJK) characters count double."""
    cells = 0
    for ch in text:
        cells += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return cells * CHAR_WIDTH


def shorten(text: str, limit: int = 48) -> str:
    """A very long user name cut to ``limit`` characters (the hover shows it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def box_title(node: Node) -> str:
    """The first line of the box: ``node.title`` with a long dotted name abbreviated."""
    if node.label is None:
        return shorten(node.title)  # the op's name, Var or const: nothing to abbreviate
    name = abbreviate(node.label)
    return shorten(f"{name} = {node.op_name}" if node.kind == OP else name)  # "h = Relu" or "w"


def grad_text(value: float, decimals: int, adjoint: bool) -> str:
    """The text of a gradient line: ``grad 1.0000`` for a kept .grad, ``adj 1.0000`` for an adjoint."""
    return f"{'adj' if adjoint else 'grad'} {fixed(value, decimals)}"


def grad_line(node: Node, decimals: int, show_adjoints: bool) -> tuple[str, str]:
    """The gradient line: the leaf's .grad, else the traced adjoint if asked, else empty."""
    if node.grad is not None:
        return grad_text(node.grad, decimals, adjoint=False), GRAD
    if show_adjoints and node.adjoint is not None:
        return grad_text(node.adjoint, decimals, adjoint=True), f"{GRAD} {ADJOINT}"
    return "", GRAD


def node_lines(node: Node, decimals: int, show_adjoints: bool) -> list[tuple[str, str]]:
    """The box's lines as (text, css classes): title, args, value, gradient."""
    lines = [(box_title(node), TITLE)]
    if node.kind == OP and node.op_args:
        args = ", ".join(f"{key}={format_arg(value)}" for key, value in node.op_args.items())
        lines.append((shorten(args), ARGS))
    lines.append((f"val {fixed(node.value, decimals)}", VALUE))
    if node.kind != CONST or node.grad is not None:
        lines.append(grad_line(node, decimals, show_adjoints))
    return lines


def adjoint_texts(graph: Graph, decimals: int) -> list[list[str]]:
    """For each node, every ``adj`` text the stepper can write into its box (the sums so far)."""
    texts: list[list[str]] = [[] for _ in graph.nodes]
    if graph.steps:  # the root starts with its own gradient
        texts[graph.steps[0].node].append(grad_text(graph.steps[0].grad, decimals, adjoint=True))
    for step, totals in zip(graph.steps, running_totals(graph)):
        for (edge, _local, _sent, flows), total in zip(step.sends, totals):
            if flows:
                texts[graph.edges[edge].src].append(grad_text(total, decimals, adjoint=True))
    return texts


def box_size(lines: list[tuple[str, str]], stepper_texts: list[str]) -> tuple[float, float]:
    """(width, height) of the box: its widest line, leaving room for the stepper's adjoints."""
    widest = max(text_width(text) for text, _ in [*lines, *((t, "") for t in stepper_texts)])
    return max(MIN_WIDTH, widest + 2 * PAD_X), len(lines) * LINE_HEIGHT + 2 * PAD_Y


def all_lines(graph: Graph, decimals: int, show_adjoints: bool) -> list[list[tuple[str, str]]]:
    return [node_lines(node, decimals, show_adjoints) for node in graph.nodes]


def legend_keys(graph: Graph, lines: list[list[tuple[str, str]]], stepper: bool) -> list[str]:
    """The legend entries a drawing needs: the three kinds, then what its boxes can show.

    ``stepper``: the drawing has the backward-pass stepper, which writes
    adjoints into the boxes.
    """
    shown = {cls for node_lines in lines for text, cls in node_lines if text}
    keys = [LEAF, CONST, OP]
    if GRAD in shown:
        keys.append("grad")
    if f"{GRAD} {ADJOINT}" in shown or (stepper and graph.steps):
        keys.append("adj")
    if any(node.blocked for node in graph.nodes):
        keys.append("blocked")
    if any(node.error is not None for node in graph.nodes):
        keys.append("failed")
    return keys


__all__ = [
    "ADJOINT",
    "ADJOINT_INK",
    "BLOCKED_COLOUR",
    "COLOURS",
    "CONST",
    "FAILED_COLOUR",
    "GRAD",
    "LEAF",
    "LEGEND",
    "OP",
    "adjoint_texts",
    "box_size",
    "box_title",
    "fixed",
    "legend_keys",
    "node_lines",
    "text_width",
]
