"""Text exports: Graphviz DOT and Mermaid flowcharts of the same graph.

Both carry the same node ids (``n0`` = root), the same lines of text and the
same colours as the SVG, so a drawing can be handed to other tools (or
compared with Graphviz's own layout, as ``benchmarks/bench_viz_layout.py``
does). User text is already free of control characters and lone surrogates
(``names.safe_text``) and is escaped here for each language, so ``dot``
accepts every export.
"""

from __future__ import annotations

from .graph import Graph
from .labels import COLOURS

_RANKDIR = {"TB": "TB", "BT": "BT", "LR": "LR", "RL": "RL"}


def _dot_text(text: str) -> str:
    """Text for inside a DOT double-quoted string: backslashes and quotes escaped."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_dot(graph: Graph, lines: list[list[tuple[str, str]]], orientation: str = "TB") -> str:
    """The graph in Graphviz DOT (``dot -Tsvg`` draws it); edges point input -> op."""
    out = [
        "digraph regrad {",
        f"  rankdir={_RANKDIR[orientation]};",
        '  node [shape=box, style="rounded,filled", fontname="DejaVu Sans Mono", fontsize=12];',
        '  edge [color="#6b7580"];',
    ]
    for i, node in enumerate(graph.nodes):
        fill, stroke, ink = COLOURS[node.kind]
        label = "\\n".join(_dot_text(text) for text, _ in lines[i] if text)  # \n: DOT's line break
        out.append(
            f'  {node.id} [label="{label}", fillcolor="{fill}", color="{stroke}", '
            f'fontcolor="{ink}", tooltip="{_dot_text(node.title)} ({node.kind})"];'
        )
    for edge in graph.edges:
        out.append(f"  {graph.nodes[edge.src].id} -> {graph.nodes[edge.dst].id};")
    out.append("}")
    return "\n".join(out) + "\n"


def _mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid ``["..."]`` label: entity codes for special characters."""
    out = []
    for ch in text:
        if ch in '"#<>&[]{}()|`\\;':
            out.append(f"#{ord(ch)};")
        else:
            out.append(ch)
    return "".join(out)


def to_mermaid(graph: Graph, lines: list[list[tuple[str, str]]], orientation: str = "TB") -> str:
    """The graph as a Mermaid flowchart (the original regrad's format), with the kinds as classes."""
    out = [f"flowchart {orientation}"]
    for i, node in enumerate(graph.nodes):
        label = "<br/>".join(_mermaid_text(text) for text, _ in lines[i] if text)
        out.append(f'  {node.id}["{label}"]:::{node.kind}')
    for edge in graph.edges:
        out.append(f"  {graph.nodes[edge.src].id} --> {graph.nodes[edge.dst].id}")
    for kind, (fill, stroke, ink) in COLOURS.items():
        out.append(f"  classDef {kind} fill:{fill},stroke:{stroke},color:{ink}")
    return "\n".join(out) + "\n"
