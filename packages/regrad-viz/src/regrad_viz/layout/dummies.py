"""Phase 2: cut every long edge into one-layer pieces joined by invisible *dummy* vertices."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from .tunings import DUMMY_BUDGET_BASE, DUMMY_BUDGET_PER_NODE, MAX_DUMMIES_PER_LAYER


def add_dummies(n: int, edges: Sequence[tuple[int, int]], layer: list[int]) -> tuple[list[list[int] | None], list[int]]:
    """Cut each long edge into a chain through dummy vertices (ids n, n+1, ...).

    Returns ``(chains, layer_of)``: ``chains[k]`` lists the vertices of edge k
    from its source through its dummies to its target, and ``layer_of`` gives
    the layer of every vertex, nodes then dummies (so ``len(layer_of)`` is the
    vertex count).

    A graph where one Var feeds ops at hundreds of different depths would need
    a huge number of dummies, in bands hundreds wide. So a layer carries at
    most as many long edges as the widest layer has nodes (at least
    ``MAX_DUMMIES_PER_LAYER``), all of them together at most a budget that
    grows with the graph; edges longer than that allows stay *direct* (chain
    None: drawn as one curve that may cross boxes, outside crossing
    reduction). Big drawings then stay about as wide as their nodes make them,
    and finish quickly.
    """
    spans = [layer[target] - layer[source] for source, target in edges]
    budget = DUMMY_BUDGET_PER_NODE * n + DUMMY_BUDGET_BASE
    widest = max(Counter(layer).values(), default=0)
    longest = _longest_routed_span(edges, layer, spans, budget, max(MAX_DUMMIES_PER_LAYER, widest))
    layer_of = list(layer)
    chains: list[list[int] | None] = []
    for (source, target), span in zip(edges, spans):
        if span > longest:
            chains.append(None)
            continue
        chain = [source]
        for between in range(layer[source] + 1, layer[target]):
            chain.append(len(layer_of))
            layer_of.append(between)
        chain.append(target)
        chains.append(chain)
    return chains, layer_of


def _longest_routed_span(
    edges: Sequence[tuple[int, int]], layer: list[int], spans: list[int], budget: int, per_layer: int
) -> int:
    """The longest span whose edges all get dummies, found by bisection.

    That is the largest L such that the edges spanning at most L layers need
    at most ``budget`` dummies in all and at most ``per_layer`` in any one
    layer. Edges spanning two layers (one dummy) always get theirs.
    """

    def fits(longest: int) -> bool:
        change = [0] * (max(layer, default=0) + 2)  # per layer: long edges starting - ending there
        needed = 0
        for (source, target), span in zip(edges, spans):
            if 1 < span <= longest:
                needed += span - 1
                change[layer[source] + 1] += 1
                change[layer[target]] -= 1
        if needed > budget:
            return False
        passing = 0
        for step in change:
            passing += step
            if passing > per_layer:
                return False
        return True

    low, high = 2, max(spans, default=2)  # the answer lies in [low, high]
    if fits(high):
        return high
    while high - low > 1:  # invariant: low is the answer or below it, high does not fit
        middle = (low + high) // 2
        if fits(middle):
            low = middle
        else:
            high = middle
    return low
