"""Phase 3: order the vertices inside each layer so that few edges cross (crossing reduction).

``rows[i]`` lists the vertices of layer i from left to right and ``place[v]``
is v's index in its row; ``above[v]`` and ``below[v]`` are v's neighbours in
the layers just above and below (every edge, cut by its dummies, joins
neighbouring layers). Only the order matters here: x positions come later.
"""

from __future__ import annotations

from collections import deque

from .crossings import count_all, pair_crossings
from .tunings import (
    LARGE_GRAPH,
    MULTI_START_GRAPH,
    MULTI_START_WORK,
    NEAR_TIE_CROSSINGS,
    SIFT_REACH,
    SMALL_GRAPH,
    STALE_ROUNDS,
    SWEEP_ROUNDS,
    SWEEP_ROUNDS_SMALL,
    TRANSPOSITION_PASSES,
    TRANSPOSITION_PASSES_LARGE,
)


def first_order(root: int, above: list[list[int]], layer_of: list[int], breadth_first: bool = False) -> list[list[int]]:
    """A first order: the vertices in the order a walk from the root meets them, inputs left to right.

    The walk is depth-first, or with ``breadth_first`` breadth-first: the
    vertices waiting to be visited are a stack (the last one found goes next)
    or a queue (the first one found goes next).
    """
    rows: list[list[int]] = [[] for _ in range(max(layer_of) + 1)]
    seen = [False] * len(layer_of)
    waiting = deque([root])
    while waiting:
        vertex = waiting.popleft() if breadth_first else waiting.pop()
        if seen[vertex]:
            continue
        seen[vertex] = True
        rows[layer_of[vertex]].append(vertex)
        # on a stack the inputs go backwards, so that the first input is the next one visited
        waiting.extend(above[vertex] if breadth_first else reversed(above[vertex]))
    for vertex, layer in enumerate(layer_of):  # unreachable from the root: cannot happen for a Var's graph
        if not seen[vertex]:
            rows[layer].append(vertex)
    return rows


def _set_places(rows: list[list[int]], place: list[int]) -> None:
    for row in rows:
        for i, vertex in enumerate(row):
            place[vertex] = i


def _barycenter_sort(row: list[int], fixed: list[list[int]], place: list[int]) -> list[int]:
    """Sort a layer by the mean place of each vertex's neighbours in the fixed layer.

    A vertex without such neighbours keeps its current place.
    """
    keys = []
    for i, vertex in enumerate(row):
        neighbours = fixed[vertex]
        if neighbours:
            keys.append((sum(place[w] for w in neighbours) / len(neighbours), i, vertex))
        else:
            keys.append((float(i), i, vertex))
    keys.sort()
    return [vertex for _, _, vertex in keys]


def _transpose(
    rows: list[list[int]], place: list[int], above: list[list[int]], below: list[list[int]], passes: int
) -> None:
    """Swap neighbours in a layer while that lowers the crossings (in place)."""
    for _ in range(passes):
        improved = False
        for row in rows:
            for i in range(len(row) - 1):
                a, b = row[i], row[i + 1]
                a_left, b_left = pair_crossings(a, b, place, above, below)
                if b_left < a_left:
                    row[i], row[i + 1] = b, a
                    place[a], place[b] = i + 1, i
                    improved = True
        if not improved:
            return


def _sift(rows: list[list[int]], place: list[int], above: list[list[int]], below: list[list[int]]) -> None:
    """Move each vertex to the place near it where its edges cross the fewest others.

    Sliding a vertex v one place to the right, past its neighbour w, changes
    the crossings by cross(w before v) - cross(v before w); so one scan along
    the layer prices every place. Stronger than transposition, which only ever
    swaps two neighbours. A vertex moves at most ``SIFT_REACH`` places either
    way, so a layer of L vertices costs at most L * 2 * SIFT_REACH prices,
    not L * L: wide layers (a Var feeding thousands of ops) stay fast.
    """
    for row in rows:
        if len(row) < 3:
            continue
        for v in list(row):
            at = place[v]
            del row[at]
            start, stop = max(0, at - SIFT_REACH), min(len(row), at + SIFT_REACH)
            best_change, best_at, change = 0, start, 0
            for i in range(start, stop):  # slide v past row[i], from place i to place i + 1
                v_left, w_left = pair_crossings(v, row[i], place, above, below)
                change += w_left - v_left
                if change < best_change:
                    best_change, best_at = change, i + 1
            row.insert(best_at, v)  # the leftmost of the best places
            for i in range(min(at, best_at), max(at, best_at) + 1):  # the vertices that moved
                place[row[i]] = i


def _sweeps(
    rows: list[list[int]],
    above: list[list[int]],
    below: list[list[int]],
    place: list[int],
    rounds: int,
    passes: int,
    first_up: bool,
) -> tuple[int, list[list[int]]]:
    """Barycenter sweeps, alternately down and up, each improved by sifting and transposition.

    Returns the fewest crossings seen and the order that had them.
    """
    _set_places(rows, place)
    best_count = count_all(rows, place, below)
    best = [list(row) for row in rows]
    stale = 0
    for r in range(rounds):
        if best_count == 0:
            break
        if (r + first_up) % 2 == 0:  # downward: order layer i by its inputs in layer i-1
            for i in range(1, len(rows)):
                rows[i] = _barycenter_sort(rows[i], above, place)
                for j, vertex in enumerate(rows[i]):
                    place[vertex] = j
        else:  # upward: order layer i by its consumers in layer i+1
            for i in range(len(rows) - 2, -1, -1):
                rows[i] = _barycenter_sort(rows[i], below, place)
                for j, vertex in enumerate(rows[i]):
                    place[vertex] = j
        _sift(rows, place, above, below)
        _transpose(rows, place, above, below, passes)
        count = count_all(rows, place, below)
        if count < best_count:
            best_count, best, stale = count, [list(row) for row in rows], 0
        else:
            stale += 1
            if stale >= STALE_ROUNDS:  # no progress for a while: restart from the best order so far
                rows[:] = [list(row) for row in best]
                _set_places(rows, place)
                stale = 0
                if r > rounds // 2:
                    break
    return best_count, best


def reduce_crossings(
    root: int, above: list[list[int]], below: list[list[int]], layer_of: list[int]
) -> list[list[list[int]]]:
    """Orders of the layers with few crossings: the best of a few deterministic starts.

    Returns the best order first, then any others within ``NEAR_TIE_CROSSINGS``
    of it (``layered_layout`` picks among those by how the straight lines cross).

    Starts: depth-first from the root (inputs left to right), breadth-first
    from the root, and the mirror image of each; every start is swept first
    downwards and, separately, first upwards. Big graphs, and graphs whose
    layers are so wide that one start's sifting is already much work (a
    neuron's weights side by side), get one start; big graphs also get fewer
    rounds. So they still draw in seconds.
    """
    n_vertices = len(above)
    rows = first_order(root, above, layer_of)
    place = [0] * n_vertices
    rounds = SWEEP_ROUNDS_SMALL if n_vertices <= SMALL_GRAPH else SWEEP_ROUNDS
    # pairs one start's sifting may price: per round, each vertex against the places within its reach
    sift_work = rounds * sum(len(row) * min(len(row), 2 * SIFT_REACH) for row in rows)
    multi_start = n_vertices <= MULTI_START_GRAPH and sift_work <= MULTI_START_WORK
    passes = TRANSPOSITION_PASSES if n_vertices <= LARGE_GRAPH else TRANSPOSITION_PASSES_LARGE
    starts = [rows]
    if multi_start:
        starts.append(first_order(root, above, layer_of, breadth_first=True))
        starts += [[row[::-1] for row in start] for start in starts]
    results: list[tuple[int, int, list[list[int]]]] = []
    for start in starts:
        for first_up in (False, True) if multi_start else (False,):
            count, order = _sweeps([list(row) for row in start], above, below, place, rounds, passes, first_up)
            if count == 0:
                return [order]
            results.append((count, len(results), order))
    results.sort(key=lambda item: item[:2])
    return [order for count, _, order in results if count <= results[0][0] + NEAR_TIE_CROSSINGS]
