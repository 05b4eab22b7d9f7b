"""Phase 4: an x position for every vertex, keeping the order, keeping boxes apart, edges short and straight."""

from __future__ import annotations

import itertools

from .tunings import (
    COORDINATE_SWEEPS,
    COORDINATE_SWEEPS_LARGE,
    COORDINATE_SWEEPS_SMALL,
    DUMMY_GAP,
    LARGE_GRAPH,
    MULTI_START_GRAPH,
    NODE_GAP,
    WEIGHT_ALONE,
    WEIGHT_DUMMY_DUMMY,
    WEIGHT_DUMMY_NODE,
    WEIGHT_NODE_NODE,
)


def pool_adjacent_violators(target: list[float], weight: list[float], gap: list[float]) -> list[float]:
    """Positions x minimising sum w_i (x_i - target_i)^2 with x_{i+1} - x_i >= gap_i.

    Shifting by the cumulative gaps turns the constraint into "y is
    non-decreasing", and the best non-decreasing fit is found by pooling
    neighbouring blocks whose means are out of order (isotonic regression).
    """
    offset = [0.0] * len(target)
    for i in range(1, len(target)):
        offset[i] = offset[i - 1] + gap[i - 1]
    blocks: list[list[float]] = []  # [sum of w*t, sum of w, count]
    for t, w, o in zip(target, weight, offset):
        blocks.append([w * (t - o), w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            weighted, total, count = blocks.pop()
            blocks[-1][0] += weighted
            blocks[-1][1] += total
            blocks[-1][2] += count
    y = []
    for weighted, total, count in blocks:
        y.extend([weighted / total] * int(count))
    return [yi + o for yi, o in zip(y, offset)]


def assign_x(
    rows: list[list[int]], above: list[list[int]], below: list[list[int]], widths: list[float], n: int
) -> list[float]:
    """Position of every vertex along its layer: near its neighbours, in order, boxes apart.

    Sweeps the layers down and up, each time solving one layer exactly
    (``pool_adjacent_violators``) with its neighbours held still. Edge weights
    follow dot's idea: a piece of a long edge between two dummies counts most,
    so long edges come out straight. Vertices ``n`` and above are dummies.
    """
    x = [0.0] * len(widths)
    gaps = []
    for row in rows:
        gap = []
        for a, b in itertools.pairwise(row):
            space = NODE_GAP if a < n and b < n else DUMMY_GAP
            gap.append((widths[a] + widths[b]) / 2 + space)
        gaps.append(gap)
        left = 0.0
        for i, vertex in enumerate(row):
            x[vertex] = left if i == 0 else left + gap[i - 1]
            left = x[vertex]

    def edge_weight(a: int, b: int) -> float:
        dummies = (a >= n) + (b >= n)
        return WEIGHT_DUMMY_DUMMY if dummies == 2 else WEIGHT_DUMMY_NODE if dummies == 1 else WEIGHT_NODE_NODE

    n_vertices = len(widths)
    if n_vertices <= MULTI_START_GRAPH:
        sweeps = COORDINATE_SWEEPS_SMALL
    else:
        sweeps = COORDINATE_SWEEPS if n_vertices <= LARGE_GRAPH else COORDINATE_SWEEPS_LARGE
    down = list(range(len(rows)))
    for sweep in range(sweeps):
        for i in down if sweep % 2 == 0 else down[::-1]:
            row = rows[i]
            target, weight = [], []
            for vertex in row:
                pull = total = 0.0
                for neighbour in above[vertex] + below[vertex]:
                    w = edge_weight(vertex, neighbour)
                    pull += w * x[neighbour]
                    total += w
                if total:
                    target.append(pull / total)
                    weight.append(total)
                else:
                    target.append(x[vertex])
                    weight.append(WEIGHT_ALONE)
            for vertex, new_x in zip(row, pool_adjacent_violators(target, weight, gaps[i])):
                x[vertex] = new_x
    return x
