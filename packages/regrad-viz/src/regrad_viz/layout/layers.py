"""Phase 1: give every node a layer, so that every edge points from a lower layer to a higher one."""

from __future__ import annotations

from collections.abc import Sequence

from .tunings import LIFT_ROUNDS, LIFT_VISITS_PER_NODE


def assign_layers(n: int, edges: Sequence[tuple[int, int]], root: int) -> list[int]:
    """Layer of each node: (longest path to the root) counted from the top.

    Kahn's algorithm from the root: a node's depth is final once all of its
    consumers have been processed. Then ``lift_subgraphs`` shortens the
    edges that this stretches.
    """
    consumers_left = [0] * n
    inputs: list[list[int]] = [[] for _ in range(n)]
    for source, target in edges:
        consumers_left[source] += 1
        inputs[target].append(source)
    depth = [0] * n
    ready = [root]
    while ready:
        node = ready.pop()
        for source in inputs[node]:
            if depth[node] + 1 > depth[source]:
                depth[source] = depth[node] + 1
            consumers_left[source] -= 1
            if consumers_left[source] == 0:
                ready.append(source)
    deepest = max(depth) if depth else 0
    layer = [deepest - d for d in depth]
    lift_subgraphs(n, edges, layer, inputs, root)
    top = min(layer) if layer else 0
    return [each - top for each in layer]


def lift_subgraphs(
    n: int, edges: Sequence[tuple[int, int]], layer: list[int], inputs: list[list[int]], root: int
) -> None:
    """Shorten the edges by lifting whole subgraphs (in place).

    Longest-path layers put every node as low as possible. That can stretch
    many edges: in an MLP, each neuron's sum chain ends up one layer lower than
    the previous neuron's, so every input of the layer needs a long edge to
    reach the lower neurons. Graphviz finds the ranking with the shortest total
    edge length by network simplex; we use a simpler move that catches these
    cases. For a node v, take ``private(v)``: v and every node all of whose
    consumers lie in that set (the part of the graph that only feeds v).
    Lifting it by k layers lengthens v's out-edges by k each and shortens
    every edge coming into the set from outside by k, as long as each of
    those has k layers to spare. Lift whenever more edges come in than go out.

    The walks that find the private sets are the cost. Private sets nest
    (a long chain has one inside another all the way down), so an edge with
    no layer to spare blocks every set that it enters: those are skipped
    without a walk. ``LIFT_VISITS_PER_NODE`` bounds what is left.
    """
    out_degree = [0] * n
    only_consumer = [-1] * n  # a node's consumer, if it has exactly one
    for source, target in edges:
        out_degree[source] += 1
        only_consumer[source] = target
    for node in range(n):
        if out_degree[node] != 1:
            only_consumer[node] = -1
    from_the_root_up = sorted(range(n), key=lambda v: (-layer[v], v))
    visits_left = LIFT_VISITS_PER_NODE * n
    consumers_inside = [0] * n  # while walking private(v): how many of a node's consumers are in it
    for _ in range(LIFT_ROUNDS):
        moved = False
        blocked = [False] * n
        for v in from_the_root_up:
            if v == root or blocked[v] or visits_left <= 0:
                continue
            members = [v]
            is_member = {v}
            i = 0
            while i < len(members):  # the list grows while we walk it: breadth-first
                node = members[i]
                i += 1
                for source in inputs[node]:
                    consumers_inside[source] += 1
                    if consumers_inside[source] == out_degree[source] and source not in is_member:
                        is_member.add(source)
                        members.append(source)
            visits_left -= len(members)
            incoming = 0
            spare = None  # the fewest layers any incoming edge has to spare
            tight = []  # members that an incoming edge with no layer to spare enters
            for node in members:
                for source in inputs[node]:
                    if source not in is_member:
                        incoming += 1
                        slack = layer[node] - layer[source] - 1
                        spare = slack if spare is None or slack < spare else spare
                        if slack == 0:
                            tight.append(node)
                consumers_inside[node] = 0
                for source in inputs[node]:
                    consumers_inside[source] = 0
            if spare and incoming > out_degree[v]:
                for node in members:
                    layer[node] -= spare
                moved = True
            else:
                _block_nested_sets(tight, v, only_consumer, blocked)
        if not moved:
            break


def _block_nested_sets(tight: list[int], v: int, only_consumer: list[int], blocked: list[bool]) -> None:
    """Mark the private sets inside private(v) that a tight edge also enters: they cannot be lifted.

    If u's only consumer is c, then every path from u to the root passes c,
    so private(c) holds u; and so on up u's chain of only consumers, as far as
    v. An edge with no layer to spare that enters private(v) at u enters each
    of those sets too (its source is outside the bigger set, so outside the
    smaller), and keeps them where they are until its source itself moves,
    which comes later in the same round (inputs come after their consumers).
    """
    for node in tight:
        while node != v and node >= 0 and not blocked[node]:  # a blocked node: the rest is marked already
            blocked[node] = True
            node = only_consumer[node]
