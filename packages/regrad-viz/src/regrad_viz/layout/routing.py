"""The last step: layer positions, edge routes, and the turn into the requested orientation."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from .result import Layout
from .tunings import (
    ARROW,
    LAYER_GAP_PER_SIDEWAYS,
    MARGIN,
    MAX_LAYER_GAP,
    MAX_PORT_SPREAD,
    MIN_LAYER_GAP,
    PORT_SPACING,
)


def build_layout(
    n: int,
    rows: list[list[int]],
    layer_of: list[int],
    x: list[float],
    widths: list[float],
    heights: list[float],
    chains: list[list[int] | None],
    edges: Sequence[tuple[int, int]],
    orientation: str,
) -> Layout:
    """Place the layers, route every edge, and turn the whole into ``orientation``.

    Works in the top-to-bottom frame of the other phases: ``x`` along a
    layer, ``y`` down across the layers; ``widths`` and ``heights`` are the
    boxes' extents in that frame. Only at the end is each point mapped to
    the drawing (flipped for BT and RL, transposed for LR and RL).
    """
    n_vertices = len(widths)
    left = min(x[v] - widths[v] / 2 for v in range(n_vertices))
    right = max(x[v] + widths[v] / 2 for v in range(n_vertices))
    shift = MARGIN - left
    x = [each + shift for each in x]
    total_width = right - left + 2 * MARGIN

    # a layer is as tall as its tallest node; the gap below it grows with how far
    # its edges travel sideways, so they stay steep
    layer_height = [max((heights[v] for v in row if v < n), default=0.0) for row in rows]
    sideways = [0.0] * len(rows)
    for chain in chains:
        if chain is None:
            continue
        for a, b in itertools.pairwise(chain):
            sideways[layer_of[a]] = max(sideways[layer_of[a]], abs(x[a] - x[b]))
    gap_below = [min(MAX_LAYER_GAP, max(MIN_LAYER_GAP, LAYER_GAP_PER_SIDEWAYS * s)) for s in sideways]
    layer_top = []
    y = MARGIN
    for height, gap in zip(layer_height, gap_below):
        layer_top.append(y)
        y += height + gap
    total_height = y - gap_below[-1] + MARGIN
    centre_y = [layer_top[layer_of[v]] + layer_height[layer_of[v]] / 2 for v in range(n_vertices)]

    # ports: a node's outgoing edges leave its bottom side spread left to right
    # in the order of where they go; incoming ones arrive on its top side the same way
    out_port: dict[int, float] = {}
    in_port: dict[int, float] = {}
    outs: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    ins: list[list[tuple[float, int]]] = [[] for _ in range(n)]
    for k, (source, target) in enumerate(edges):
        chain = chains[k]
        after_source = chain[1] if chain is not None else target
        before_target = chain[-2] if chain is not None else source
        outs[source].append((x[after_source], k))
        ins[target].append((x[before_target], k))
    for group, ports in ((outs, out_port), (ins, in_port)):
        for node, items in enumerate(group):
            items.sort()
            m = len(items)
            spread = min(MAX_PORT_SPREAD * widths[node], PORT_SPACING * (m - 1))
            for j, (_, k) in enumerate(items):
                ports[k] = x[node] - spread / 2 + (spread * j / (m - 1) if m > 1 else 0.0)

    layout = Layout()
    horizontal = orientation in ("LR", "RL")
    flip = orientation in ("BT", "RL")

    def to_drawing(px: float, py: float) -> tuple[float, float]:
        """A point of the top-to-bottom frame in drawing coordinates."""
        if flip:
            py = total_height - py
        return (py, px) if horizontal else (px, py)

    for node in range(n):
        cx, cy = to_drawing(x[node], centre_y[node])
        w, h = (heights[node], widths[node]) if horizontal else (widths[node], heights[node])
        layout.boxes.append((cx, cy, w, h))
    for k, (source, target) in enumerate(edges):
        chain = chains[k] or [source, target]  # None: a direct edge, one curve from end to end
        start_x, end_x = out_port[k], in_port[k]
        source_layer, target_layer = layer_of[source], layer_of[target]
        # corners of the route: leave the source's box, cross each dummy's layer vertically
        corners = [
            (start_x, centre_y[source] + heights[source] / 2),
            (start_x, layer_top[source_layer] + layer_height[source_layer]),
        ]
        for dummy in chain[1:-1]:
            dummy_layer = layer_of[dummy]
            corners.append((x[dummy], layer_top[dummy_layer]))
            corners.append((x[dummy], layer_top[dummy_layer] + layer_height[dummy_layer]))
        end_y = centre_y[target] - heights[target] / 2
        corners.append((end_x, layer_top[target_layer]))
        corners.append((end_x, end_y - ARROW))
        commands: list[tuple[str | float, ...]] = [("M", *to_drawing(*corners[0]))]
        for i in range(1, len(corners)):
            (ax, ay), (bx, by) = corners[i - 1], corners[i]
            if i % 2 == 1:  # inside a layer: straight down
                if by > ay:
                    commands.append(("L", *to_drawing(bx, by)))
            else:  # between layers: a curve with vertical ends
                middle = (ay + by) / 2
                commands.append(("C", *to_drawing(ax, middle), *to_drawing(bx, middle), *to_drawing(bx, by)))
        layout.paths.append(commands)
        base_y = end_y - ARROW
        layout.arrows.append(
            (to_drawing(end_x - ARROW / 2, base_y), to_drawing(end_x + ARROW / 2, base_y), to_drawing(end_x, end_y))
        )
    layout.layers = layer_of[:n]
    layout.width, layout.height = (total_height, total_width) if horizontal else (total_width, total_height)
    return layout
