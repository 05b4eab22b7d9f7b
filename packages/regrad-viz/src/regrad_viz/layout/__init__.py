"""A layered (Sugiyama-style) graph layout in pure Python.

A computation graph is a DAG: data flows from the inputs (leaves) to the
root. Drawing it in horizontal *layers*, every edge pointing the same way,
shows that flow at a glance. The classic recipe (Sugiyama, Tagawa and Toda,
1981), which Graphviz's ``dot`` also follows, has four phases, one module
each:

1. **Layering** (``layers``) - give each node a layer so every edge goes from
   a lower layer to a higher one. We put each node as close to the root as
   its consumers allow (the longest path to the root), so constants and
   weights sit right above the op that uses them.
2. **Dummy nodes** (``dummies``) - an edge that spans several layers is cut
   into one-layer pieces by invisible *dummy* nodes, so the later phases only
   ever deal with edges between neighbouring layers, and long edges get a
   route that avoids the real nodes.
3. **Crossing reduction** (``ordering``, counting with ``crossings``) - order
   the nodes inside each layer. Sweeps move each node to the *barycenter*
   (mean position) of its neighbours in the layer just fixed; *sifting* then
   slides each node to the nearby place where its edges cross least, and
   *transposition* swaps neighbours in a layer whenever that removes
   crossings. The best ordering seen is kept.
4. **Coordinate assignment** (``coordinates``) - choose x positions that keep
   the order, keep boxes apart, and pull every node towards its neighbours so
   edges are short and straight (long edges, through their dummies, most of
   all). Each layer is a small least-squares problem solved exactly by *pool
   adjacent violators*.

Then ``routing`` stacks the layers, draws each edge through its dummies and
turns the result into the ``Layout`` (``result``) that the renderers read.
Every number the phases were tuned with is named in ``tunings``.

Everything is computed in a "TB" frame (x along a layer, y across layers,
inputs at the top) and mapped to the requested orientation at the end. No
randomness and no timing decisions: the same graph always gives the same
layout. Every phase's work is bounded by budgets that grow with the graph
(edges too long to route are drawn direct, nodes slide a bounded distance),
so a 20,000-node graph still lays out in seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .coordinates import assign_x
from .crossings import straight_crossings
from .dummies import add_dummies
from .layers import assign_layers
from .ordering import reduce_crossings
from .result import ORIENTATIONS, Layout, check_orientation
from .routing import build_layout
from .tunings import STRAIGHT_TIEBREAK_EDGES

__all__ = ["ORIENTATIONS", "Layout", "check_orientation", "layered_layout"]


def layered_layout(
    sizes: Sequence[tuple[float, float]], edges: Sequence[tuple[int, int]], root: int = 0, orientation: str = "TB"
) -> Layout:
    """Lay out a DAG whose every node reaches ``root``; edges go input -> consumer.

    ``sizes`` are (width, height) of each node's box as drawn.
    """
    check_orientation(orientation)
    n = len(sizes)
    horizontal = orientation in ("LR", "RL")
    # box extents in the TB frame: width along a layer, height across layers
    widths = [float(h if horizontal else w) for w, h in sizes]
    heights = [float(w if horizontal else h) for w, h in sizes]

    layer = assign_layers(n, edges, root)  # phase 1
    chains, layer_of = add_dummies(n, edges, layer)  # phase 2
    n_vertices = len(layer_of)
    widths += [0.0] * (n_vertices - n)
    heights += [0.0] * (n_vertices - n)
    above: list[list[int]] = [[] for _ in range(n_vertices)]  # neighbours one layer above
    below: list[list[int]] = [[] for _ in range(n_vertices)]  # neighbours one layer below
    for chain in chains:
        if chain is None:
            continue
        for a, b in itertools.pairwise(chain):
            below[a].append(b)
            above[b].append(a)

    candidates = reduce_crossings(root, above, below, layer_of)  # phase 3
    rows, x = candidates[0], assign_x(candidates[0], above, below, widths, n)  # phase 4
    if len(candidates) > 1 and len(edges) <= STRAIGHT_TIEBREAK_EDGES:
        # near-ties: keep the one whose edges, seen as straight lines, cross least
        best = straight_crossings(x, layer_of, edges)
        for other in candidates[1:]:
            other_x = assign_x(other, above, below, widths, n)
            count = straight_crossings(other_x, layer_of, edges)
            if count < best:
                best, rows, x = count, other, other_x
    return build_layout(n, rows, layer_of, x, widths, heights, chains, edges, orientation)
