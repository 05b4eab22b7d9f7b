"""What each node's box says, and how big the box must be to say it.

A box shows, line by line: a title (op name, or the user's name, or
Var/const), the op's arguments (``power=2``), the value, and the gradient
where one exists. Labels use a monospace font, so a line's width is simply
its number of characters times a fixed advance: no font files are needed to
size the boxes, and the layout stays pure Python.
"""

from __future__ import annotations

import math
import unicodedata

from .graph import CONST, LEAF, OP, Graph, Node

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
LEGEND = (
    (LEAF, "leaf (req_grad=True)"),
    (CONST, "constant / no-grad Var"),
    (OP, "op"),
)


def fixed(x: float, decimals: int) -> str:
    """``x`` with ``decimals`` digits after the point (nan and inf as words)."""
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:.{decimals}f}"


def format_arg(value: object) -> str:
    """An op argument as short text: ``2`` for the int 2, ``0.5``, a repr otherwise."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (int, str)):
        return str(value)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def text_width(text: str) -> float:
    """Width of ``text`` in the monospace label font; wide (CJK) characters count double."""
    cells = 0
    for ch in text:
        cells += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return cells * CHAR_WIDTH


def shorten(text: str, limit: int = 48) -> str:
    """A very long user name cut to ``limit`` characters (the hover shows it whole)."""
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def grad_line(node: Node, decimals: int, show_adjoints: bool) -> str:
    """The text of the gradient line: the leaf's .grad, or the traced adjoint if asked."""
    if node.grad is not None:
        return f"grad {fixed(node.grad, decimals)}"
    if show_adjoints and node.adjoint is not None:
        return f"grad {fixed(node.adjoint, decimals)}"
    return ""


def node_lines(node: Node, decimals: int, show_adjoints: bool) -> list[tuple[str, str]]:
    """The box's lines as (text, css class): title, args, value, grad."""
    lines = [(shorten(node.title), "rv-title")]
    if node.kind == OP and node.op_args:
        args = ", ".join(f"{k}={format_arg(v)}" for k, v in node.op_args.items())
        lines.append((shorten(args), "rv-args"))
    lines.append((f"val {fixed(node.value, decimals)}", "rv-val"))
    if node.kind != CONST or node.grad is not None:
        lines.append((grad_line(node, decimals, show_adjoints), "rv-grad"))
    return lines


def box_size(node: Node, lines: list[tuple[str, str]], decimals: int) -> tuple[float, float]:
    """(width, height) of the box: its widest line, leaving room for the stepper's grads."""
    widest = max(text_width(text) for text, _ in lines)
    if node.adjoint is not None:  # the stepper writes the adjoint into the grad line
        widest = max(widest, text_width(f"grad {fixed(node.adjoint, decimals)}"))
    return max(MIN_WIDTH, widest + 2 * PAD_X), len(lines) * LINE_HEIGHT + 2 * PAD_Y


def all_lines(graph: Graph, decimals: int, show_adjoints: bool) -> list[list[tuple[str, str]]]:
    return [node_lines(node, decimals, show_adjoints) for node in graph.nodes]


__all__ = ["COLOURS", "CONST", "LEAF", "LEGEND", "OP", "box_size", "fixed", "node_lines", "text_width"]
