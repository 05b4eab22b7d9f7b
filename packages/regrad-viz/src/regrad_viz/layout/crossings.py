"""Counting edge crossings: between two neighbouring layers, for two vertices, and for straight lines."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from .tunings import FEW_ENDS


def count_between(upper: list[int], place: list[int], below: list[list[int]]) -> int:
    """Crossings between a layer and the next: inversions among the edge ends.

    With the edges sorted by their upper end, two edges cross exactly when
    their lower ends are in the opposite order; a Fenwick tree counts those
    pairs in O(edges log edges).
    """
    ends = []
    for vertex in upper:
        ends.extend(sorted(place[w] for w in below[vertex]))
    if len(ends) < 2:
        return 0
    size = max(ends) + 2
    tree = [0] * (size + 1)
    crossings = 0
    for seen, end in enumerate(ends):  # seen = how many ends came before this one
        i = end + 1
        not_after = 0  # how many earlier ends are <= end
        while i > 0:
            not_after += tree[i]
            i -= i & -i
        crossings += seen - not_after
        i = end + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def count_all(rows: list[list[int]], place: list[int], below: list[list[int]]) -> int:
    """Crossings between every pair of neighbouring layers."""
    return sum(count_between(rows[i], place, below) for i in range(len(rows) - 1))


def pair_crossings(a: int, b: int, place: list[int], above: list[list[int]], below: list[list[int]]) -> tuple[int, int]:
    """(crossings with a left of b, crossings with b left of a), counting a's and b's edges only.

    On each side (the layer above, the layer below), an edge of a and an edge
    of b cross when a is left of b but a's edge ends right of b's edge.
    """
    a_left = b_left = 0
    for neighbours in (above, below):
        of_a, of_b = neighbours[a], neighbours[b]
        if not of_a or not of_b:
            continue
        if len(of_a) <= FEW_ENDS or len(of_b) <= FEW_ENDS:  # compare every pair of ends
            for x in of_a:
                place_x = place[x]
                for y in of_b:
                    place_y = place[y]
                    if place_x > place_y:
                        a_left += 1
                    elif place_x < place_y:
                        b_left += 1
        else:  # two big fan-outs: sort b's ends once, then count by binary search
            ends_b = sorted(place[y] for y in of_b)
            for x in of_a:
                place_x = place[x]
                a_left += bisect_left(ends_b, place_x)  # b's ends left of a's end
                b_left += len(ends_b) - bisect_right(ends_b, place_x)  # ... and right of it
    return a_left, b_left


def straight_crossings(x: list[float], layer_of: list[int], edges: Sequence[tuple[int, int]]) -> int:
    """Crossings if every edge were the straight line between its ends' centres.

    Used to choose between orderings that cross about equally often between
    neighbouring layers: the straight line is what the eye follows.
    O(edges^2), so only for small graphs.
    """
    segments = [(s, d, x[s], layer_of[s], x[d], layer_of[d]) for s, d in edges]
    total = 0
    for i, (s1, d1, x1, y1, x2, y2) in enumerate(segments):
        for s2, d2, x3, y3, x4, y4 in segments[i + 1 :]:
            if s1 in (s2, d2) or d1 in (s2, d2):
                continue
            if max(y1, y2) <= min(y3, y4) or max(y3, y4) <= min(y1, y2):
                continue  # no common layer range: cannot cross
            o1 = (x2 - x1) * (y3 - y1) - (y2 - y1) * (x3 - x1)
            o2 = (x2 - x1) * (y4 - y1) - (y2 - y1) * (x4 - x1)
            o3 = (x4 - x3) * (y1 - y3) - (y4 - y3) * (x1 - x3)
            o4 = (x4 - x3) * (y2 - y3) - (y4 - y3) * (x2 - x3)
            if ((o1 > 0) != (o2 > 0)) and ((o3 > 0) != (o4 > 0)):
                total += 1
    return total
