"""``draw`` and ``Drawing``: the public face of regrad-viz.

``draw(root)`` walks the graph (``graph``), sizes the boxes (``labels``) and
lays them out (``layout``) once; the ``Drawing`` it returns renders that
layout on demand as SVG (``svg``), HTML (``html``), DOT or Mermaid
(``export``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import regrad

from . import export, html, svg
from .graph import DEFAULT_MAX_NODES, Graph, collect_graph
from .labels import all_lines, box_size
from .layout import Layout, check_orientation, layered_layout


class Drawing:
    """A laid-out computation graph, ready to be written in several formats.

    Make one with ``regrad_viz.draw(root)``. It holds plain data only (no
    reference to the Vars), so keeping it around keeps no graph alive.
    """

    __slots__ = ("decimals", "graph", "layout", "lines", "orientation", "title")

    def __init__(
        self,
        graph: Graph,
        layout: Layout,
        lines: list[list[tuple[str, str]]],
        orientation: str,
        decimals: int,
        title: str,
    ) -> None:
        self.graph = graph
        self.layout = layout
        self.lines = lines
        self.orientation = orientation
        self.decimals = decimals
        self.title = title

    def __repr__(self) -> str:
        return (
            f"<Drawing of {self.title!r}: {len(self.graph.nodes)} nodes, {len(self.graph.edges)} edges, "
            f"{self.orientation}, {self.layout.width:.0f}x{self.layout.height:.0f}>"
        )

    # ------------------------------------------------------------------ SVG

    def to_svg(self, legend: bool = True) -> str:
        """A standalone SVG document (static: no script), with a colour legend on top."""
        return svg.render_svg(self.graph, self.layout, self.lines, legend=legend)

    # ----------------------------------------------------------------- HTML

    def to_html(self, full_page: bool = True) -> str:
        """Interactive HTML: a whole page, or with ``full_page=False`` an embeddable fragment.

        The fragment is one ``<div class="regrad-viz">`` holding the SVG, a
        scoped ``<style>`` and a ``<script>``; it uses no ``id`` attributes, so
        many fragments can go into one page. The panel sets its own light
        background and text colours, so it reads the same on dark pages.
        """
        fragment = self.to_html_fragment(page=full_page)
        return html.page(fragment, f"regrad graph: {self.title}") if full_page else fragment

    def to_html_fragment(self, page: bool = False) -> str:
        """The embeddable ``<div class="regrad-viz">`` fragment (same as ``to_html(full_page=False)``)."""
        body = svg.render_svg(self.graph, self.layout, self.lines, legend=False, interactive=True)
        data = html.drawing_data(self.graph, self.layout.width, self.layout.height, self.decimals)
        return html.fragment(body, data, page=page, height=self.layout.height)

    # -------------------------------------------------------------- exports

    def to_dot(self) -> str:
        """Graphviz DOT text of the same nodes, labels and colours."""
        return export.to_dot(self.graph, self.lines, self.orientation)

    def to_mermaid(self) -> str:
        """A Mermaid flowchart of the same nodes, labels and colours."""
        return export.to_mermaid(self.graph, self.lines, self.orientation)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write to ``path``, the format chosen by its extension (.html, .htm, .svg, .dot, .mmd).

        Returns the path written.
        """
        target = Path(path)
        writers = {
            ".html": self.to_html,
            ".htm": self.to_html,
            ".svg": self.to_svg,
            ".dot": self.to_dot,
            ".gv": self.to_dot,
            ".mmd": self.to_mermaid,
        }
        writer = writers.get(target.suffix.lower())
        if writer is None:
            raise ValueError(
                f"cannot tell the format of {str(target)!r} from its extension {target.suffix!r}: "
                f"use one of {', '.join(sorted(writers))} (for example 'graph.html' or 'graph.svg')"
            )
        target.write_text(writer(), encoding="utf-8")
        return target

    # ------------------------------------------------------------- Jupyter

    def _repr_html_(self) -> str:
        return self.to_html_fragment()

    def _repr_svg_(self) -> str:
        return self.to_svg()


def draw(
    root: regrad.Var,
    orientation: str = "TB",
    decimals: int = 4,
    max_nodes: int = DEFAULT_MAX_NODES,
    show_adjoints: bool = False,
) -> Drawing:
    """Lay out the computation graph that produced ``root``.

    ``orientation``: where the data flows, ``"TB"`` (inputs at the top, root at
    the bottom), ``"BT"``, ``"LR"`` or ``"RL"``. ``decimals``: digits shown for
    values and grads (hovering shows full precision). ``max_nodes``: a larger
    graph raises ``GraphError`` (draw a subgraph instead). ``show_adjoints``:
    print every node's dL/d(node) from a backward trace in its box (by default
    boxes show leaves' ``.grad`` only, and the stepper shows the rest).

    Drawing never changes the graph or any ``.grad``: the backward trace comes
    from ``regrad.backward_steps``, which stores and frees nothing. A graph that
    ``backward()`` already freed raises ``GraphError``: draw before backward, or
    use ``backward(retain_graph=True)``.
    """
    check_orientation(orientation)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 17:
        raise ValueError(f"decimals must be an int from 0 to 17, got {decimals!r}")
    graph = collect_graph(root, max_nodes)
    lines = all_lines(graph, decimals, show_adjoints)
    sizes = [box_size(node, node_lines, decimals) for node, node_lines in zip(graph.nodes, lines)]
    edges = [(e.src, e.dst) for e in graph.edges]
    layout = layered_layout(sizes, edges, graph.root, orientation)
    return Drawing(graph, layout, lines, orientation, decimals, root.name)


def draw_to_html(root: regrad.Var, name: str | os.PathLike[str], orientation: str = "TB", **options: Any) -> str:
    """Write ``root``'s graph as one self-contained HTML file and return its path.

    As in the seed, a ``name`` without an extension gets ``.html``
    (``"graph"`` -> ``graph.html``); a name with one is used as given.
    ``options`` go to ``draw`` (``decimals``, ``max_nodes``, ``show_adjoints``).
    """
    path = os.fspath(name)
    if not os.path.splitext(path)[1]:
        path += ".html"
    drawing = draw(root, orientation=orientation, **options)
    with open(path, "w", encoding="utf-8") as f:
        f.write(drawing.to_html())
    return path
