"""``draw`` and ``Drawing``: the public face of regrad-viz.

``draw(root)`` walks the graph (``graph``), sizes the boxes (``labels``) and
lays them out (``layout``) once; the ``Drawing`` it returns renders that
layout on demand as SVG (``svg``), HTML (``html``), DOT or Mermaid
(``export``).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import regrad

from . import export, html, svg
from .graph import DEFAULT_MAX_NODES, Graph, collect_graph
from .labels import adjoint_texts, all_lines, box_size, legend_keys
from .layout import Layout, check_orientation, layered_layout
from .names import safe_text


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
        """A standalone SVG document (static: no script), with a legend on top."""
        keys = legend_keys(self.graph, self.lines, stepper=False) if legend else None
        return svg.render_svg(self.graph, self.layout, self.lines, legend=keys)

    # ----------------------------------------------------------------- HTML

    def to_html(self, full_page: bool = True) -> str:
        """Interactive HTML: a whole page, or with ``full_page=False`` a fragment to embed.

        The fragment is one ``<div class="regrad-viz">`` holding the SVG, a
        scoped ``<style>``, the data and a ``<script>``; it uses no ``id``
        attributes, so many fragments can go into one page. It is as wide as
        the column it is put in, and as tall as the drawing up to about the
        window's height (then it scrolls). Its colours follow the page's
        light or dark palette. A whole page fills the browser window.
        """
        body = svg.render_svg(self.graph, self.layout, self.lines, interactive=True)
        data = html.drawing_data(self.graph, self.decimals)
        keys = legend_keys(self.graph, self.lines, stepper=True)
        fragment = html.fragment(body, data, keys, page=full_page)
        return html.page(fragment, f"regrad graph: {self.title}") if full_page else fragment

    # -------------------------------------------------------------- exports

    def to_dot(self) -> str:
        """Graphviz DOT text of the same nodes, labels and colours."""
        return export.to_dot(self.graph, self.lines, self.orientation)

    def to_mermaid(self) -> str:
        """A Mermaid flowchart of the same nodes, labels and colours."""
        return export.to_mermaid(self.graph, self.lines, self.orientation)

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write to ``path``, the format chosen by its extension (.html, .htm, .svg, .dot, .gv, .mmd).

        Returns the path written. The file is replaced in one step: if anything
        fails, an existing file at ``path`` is left as it was.
        """
        writers = {
            ".html": self.to_html,
            ".htm": self.to_html,
            ".svg": self.to_svg,
            ".dot": self.to_dot,
            ".gv": self.to_dot,
            ".mmd": self.to_mermaid,
        }
        return save_by_extension(path, writers)

    # ------------------------------------------------------------- Jupyter

    def _repr_html_(self) -> str:
        return self.to_html(full_page=False)

    def _repr_svg_(self) -> str:
        return self.to_svg()


def save_by_extension(path: str | os.PathLike[str], writers: dict[str, Callable[[], str]]) -> Path:
    """Write the text of ``writers[path's extension]()`` to ``path`` (``write_atomically``); returns the path.

    Both kinds of drawing save this way (``Drawing``, ``network.NetworkDrawing``).
    An extension not in ``writers`` raises ``ValueError``, which names those there are.
    """
    target = Path(path)
    writer = writers.get(target.suffix.lower())
    if writer is None:
        *others, last = writers
        raise ValueError(
            f"cannot tell the format of {str(target)!r} from its extension {target.suffix!r}: "
            f"use {', '.join(others)} or {last}"
        )
    write_atomically(target, writer())
    return target


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8 so that ``path`` is either the old file or the whole new one.

    The text goes to a temporary file in the same folder, which then replaces
    ``path`` in one step (``os.replace``). If anything fails on the way (the
    text cannot be encoded, the disk is full), the temporary file is removed
    and an existing file at ``path`` is not touched.
    """
    data = text.encode("utf-8")  # fails here, before any file is opened, if it cannot be written
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)  # mkstemp makes it private; the drawing is an ordinary file
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def draw(
    root: regrad.Var,
    orientation: str = "TB",
    decimals: int = 4,
    max_nodes: int = DEFAULT_MAX_NODES,
    show_adjoints: bool | None = None,
) -> Drawing:
    """Lay out the computation graph that produced ``root``.

    ``orientation``: where the data flows, ``"TB"`` (inputs at the top, root at
    the bottom), ``"BT"``, ``"LR"`` or ``"RL"``. ``decimals``: digits shown for
    values and gradients (hovering shows full precision). ``max_nodes``: a
    larger graph raises ``GraphError`` (draw a subgraph instead).

    ``show_adjoints``: print every node's adjoint dL/d(node) from a backward
    trace in its box, as ``adj 1.0000`` (in italics); a leaf's own ``.grad`` is
    shown as ``grad 1.0000``. ``None`` (the default) shows them when the graph
    has been through ``backward()``; ``True`` or ``False`` decide. In the HTML
    viewer, the stepper shows the adjoints step by step either way.

    Drawing never changes the graph or any ``.grad``: the backward trace comes
    from ``regrad.backward_steps``, which stores nothing and uses nothing up.
    Any graph draws at any time: before ``backward()``, after it (the graph
    stays, as in PyTorch), and when its backward fails (the stepper stops at
    the failing node and says why).
    """
    check_orientation(orientation)
    if not isinstance(decimals, int) or isinstance(decimals, bool) or not 0 <= decimals <= 17:
        raise ValueError(f"decimals must be an int from 0 to 17, got {decimals!r}")
    if show_adjoints not in (None, True, False):
        raise ValueError(f"show_adjoints must be None, True or False, got {show_adjoints!r}")
    graph = collect_graph(root, max_nodes)
    shown = graph.after_backward if show_adjoints is None else show_adjoints
    lines = all_lines(graph, decimals, shown)
    stepper_texts = adjoint_texts(graph, decimals)
    sizes = [box_size(node_lines, texts) for node_lines, texts in zip(lines, stepper_texts)]
    edges = [(e.src, e.dst) for e in graph.edges]
    layout = layered_layout(sizes, edges, graph.root, orientation)
    return Drawing(graph, layout, lines, orientation, decimals, safe_text(root.name))


def draw_to_html(root: regrad.Var, name: str | os.PathLike[str], orientation: str = "TB", **options: Any) -> str:
    """Write ``root``'s graph as one self-contained HTML file and return its path.

    As in the original regrad, ``name`` gets ``.html`` added (``"graph"`` ->
    ``graph.html``) unless it already ends in ``.html`` or ``.htm``: the file
    is always an HTML page. ``options`` go to ``draw`` (``decimals``,
    ``max_nodes``, ``show_adjoints``). The same as
    ``draw(root, orientation, **options).save(path)``.
    """
    path = os.fspath(name)
    if not path.lower().endswith((".html", ".htm")):
        path += ".html"
    draw(root, orientation=orientation, **options).save(path)
    return path
