"""A layered (Sugiyama-style) graph layout in pure Python.

A computation graph is a DAG: data flows from the inputs (leaves) to the
root. Drawing it in horizontal *layers*, every edge pointing the same way,
shows that flow at a glance. The classic recipe (Sugiyama, Tagawa and Toda,
1981), which Graphviz's ``dot`` also follows, has four phases:

1. **Layering** - give each node a layer so every edge goes from a lower
   layer to a higher one. We put each node as close to the root as its
   consumers allow (the longest path to the root), so constants and weights
   sit right above the op that uses them.
2. **Dummy nodes** - an edge that spans several layers is cut into one-layer
   pieces by invisible *dummy* nodes, so the later phases only ever deal with
   edges between neighbouring layers, and long edges get a route that avoids
   the real nodes.
3. **Crossing reduction** - order the nodes inside each layer. Sweeps move
   each node to the *barycenter* (mean position) of its neighbours in the
   layer just fixed; *transposition* then swaps neighbours in a layer whenever
   that removes crossings. The best ordering seen is kept.
4. **Coordinate assignment** - choose x positions that keep the order, keep
   boxes apart, and pull every node towards its neighbours so edges are short
   and straight (long edges, through their dummies, most of all). Each layer
   is a small least-squares problem solved exactly by *pool adjacent
   violators*.

Everything is computed in a "TB" frame (u along a layer, v across layers,
inputs at the top) and mapped to the requested orientation at the end. No
randomness and no timing decisions: the same graph always gives the same
layout.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

ORIENTATIONS = ("TB", "BT", "LR", "RL")

NODE_GAP = 20.0  # space between two boxes in a layer
DUMMY_GAP = 14.0  # space next to a long edge passing through a layer
MIN_LAYER_GAP = 36.0  # space between two layers (grows for slanted edges)
MAX_LAYER_GAP = 100.0
MARGIN = 16.0
ARROW = 8.0  # arrowhead length


class Layout:
    """Positions of every node and the route of every edge, in drawing coordinates.

    ``boxes[i]`` is (centre x, centre y, width, height) of node i;
    ``paths[k]`` the SVG path commands of edge k, ending at its arrow's base;
    ``arrows[k]`` the arrowhead triangle; ``layers[i]`` node i's layer (0 =
    the inputs' side); ``order[i]`` its position in that layer.
    """

    __slots__ = ("arrows", "boxes", "height", "layers", "order", "orientation", "paths", "width")

    def __init__(self) -> None:
        self.width = 0.0
        self.height = 0.0
        self.boxes: list[tuple[float, float, float, float]] = []
        self.paths: list[list[tuple[str | float, ...]]] = []
        self.arrows: list[tuple[tuple[float, float], ...]] = []
        self.layers: list[int] = []
        self.order: list[int] = []
        self.orientation = "TB"


def check_orientation(orientation: object) -> str:
    """``orientation`` itself, or a ValueError listing the valid ones."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, got {orientation!r}")
    return str(orientation)


def layered_layout(
    sizes: Sequence[tuple[float, float]], edges: Sequence[tuple[int, int]], root: int = 0, orientation: str = "TB"
) -> Layout:
    """Lay out a DAG whose every node reaches ``root``; edges go input -> consumer.

    ``sizes`` are (width, height) of each node's box as drawn.
    """
    check_orientation(orientation)
    n = len(sizes)
    horizontal = orientation in ("LR", "RL")
    # in the TB frame: su = extent along a layer, sv = extent across layers
    su = [float(h if horizontal else w) for w, h in sizes]
    sv = [float(w if horizontal else h) for w, h in sizes]

    layer = _assign_layers(n, edges, root)
    chains, vlayer, n_all = _add_dummies(n, edges, layer)
    su += [0.0] * (n_all - n)
    sv += [0.0] * (n_all - n)
    up: list[list[int]] = [[] for _ in range(n_all)]  # neighbours one layer above
    down: list[list[int]] = [[] for _ in range(n_all)]  # neighbours one layer below
    for chain in chains:
        if chain is None:
            continue
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
    n_layers = max(vlayer) + 1
    rows = _initial_order(root, up, vlayer, n_layers, n_all)
    candidates = _reduce_crossings(rows, up, down, n_all)
    rows, pos = candidates[0], _assign_u(candidates[0], up, down, su, n)
    if len(candidates) > 1 and len(edges) <= 1000:
        # near-ties: keep the one whose edges, seen as straight lines, cross least
        best = _straight_crossings(pos, vlayer, edges)
        for other in candidates[1:]:
            other_pos = _assign_u(other, up, down, su, n)
            count = _straight_crossings(other_pos, vlayer, edges)
            if count < best:
                best, rows, pos = count, other, other_pos
    return _finish(n, rows, vlayer, pos, su, sv, chains, edges, orientation)


# --------------------------------------------------------------------------
# phase 1: layers


def _assign_layers(n: int, edges: Sequence[tuple[int, int]], root: int) -> list[int]:
    """Layer of each node: (longest path to the root) counted from the top.

    Kahn's algorithm from the root: a node's depth is final once all of its
    consumers have been processed.
    """
    consumers_left = [0] * n
    inputs: list[list[int]] = [[] for _ in range(n)]
    for s, d in edges:
        consumers_left[s] += 1
        inputs[d].append(s)
    depth = [0] * n
    ready = [root]
    while ready:
        v = ready.pop()
        for s in inputs[v]:
            if depth[v] + 1 > depth[s]:
                depth[s] = depth[v] + 1
            consumers_left[s] -= 1
            if consumers_left[s] == 0:
                ready.append(s)
    deepest = max(depth) if depth else 0
    layer = [deepest - d for d in depth]
    _lift_subgraphs(n, edges, layer, inputs, root)
    low = min(layer) if layer else 0
    return [lay - low for lay in layer]


def _lift_subgraphs(
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
    """
    out_degree = [0] * n
    for s, _ in edges:
        out_degree[s] += 1
    order = sorted(range(n), key=lambda v: (-layer[v], v))  # from the root upwards
    budget = 3_000_000  # node visits; a fixed count (not time) keeps the result deterministic
    count = [0] * n
    for _ in range(8):
        moved = False
        for v in order:
            if v == root or budget <= 0:
                continue
            members = [v]
            in_set = {v}
            i = 0
            while i < len(members):
                u = members[i]
                i += 1
                for s in inputs[u]:
                    count[s] += 1
                    if count[s] == out_degree[s] and s not in in_set:
                        in_set.add(s)
                        members.append(s)
            budget -= len(members)
            incoming = 0
            spare = None
            for u in members:
                for s in inputs[u]:
                    if s not in in_set:
                        incoming += 1
                        slack = layer[u] - layer[s] - 1
                        spare = slack if spare is None or slack < spare else spare
                count[u] = 0
                for s in inputs[u]:
                    count[s] = 0
            if spare and incoming > out_degree[v]:
                for u in members:
                    layer[u] -= spare
                moved = True
        if not moved:
            break


# --------------------------------------------------------------------------
# phase 2: dummy nodes


def _add_dummies(
    n: int, edges: Sequence[tuple[int, int]], layer: list[int]
) -> tuple[list[list[int] | None], list[int], int]:
    """Cut each long edge into a chain through dummy nodes (ids n, n+1, ...).

    Returns (chains, layer of every vertex, vertex count). A graph where one
    Var feeds ops at hundreds of different depths would need a huge number of
    dummies; past a budget the longest edges stay *direct* (chain None: drawn
    as one curve, outside crossing reduction) so big drawings finish quickly.
    """
    spans = [layer[d] - layer[s] for s, d in edges]
    budget = 4 * n + 2000
    direct = [False] * len(edges)
    extra = sum(s - 1 for s in spans)
    if extra > budget:
        for k in sorted(range(len(edges)), key=lambda k: (-spans[k], k)):
            if extra <= budget or spans[k] <= 2:
                break
            direct[k] = True
            extra -= spans[k] - 1
    vlayer = list(layer)
    chains: list[list[int] | None] = []
    next_id = n
    for k, (s, d) in enumerate(edges):
        if direct[k]:
            chains.append(None)
            continue
        chain = [s]
        for lay in range(layer[s] + 1, layer[d]):
            chain.append(next_id)
            vlayer.append(lay)
            next_id += 1
        chain.append(d)
        chains.append(chain)
    return chains, vlayer, next_id


# --------------------------------------------------------------------------
# phase 3: order within layers


def _initial_order(root: int, up: list[list[int]], vlayer: list[int], n_layers: int, n_all: int) -> list[list[int]]:
    """A first order: depth-first from the root, inputs left to right."""
    rows: list[list[int]] = [[] for _ in range(n_layers)]
    seen = [False] * n_all
    stack = [root]
    while stack:
        v = stack.pop()
        if seen[v]:
            continue
        seen[v] = True
        rows[vlayer[v]].append(v)
        stack.extend(reversed(up[v]))
    for v in range(n_all):  # unreachable from the root: cannot happen for a Var's graph
        if not seen[v]:
            rows[vlayer[v]].append(v)
    return rows


def _breadth_first_order(rows: list[list[int]], up: list[list[int]]) -> list[list[int]]:
    """Another first order: breadth-first from the root, inputs left to right."""
    layer_of = {v: i for i, row in enumerate(rows) for v in row}
    out: list[list[int]] = [[] for _ in rows]
    seen = set()
    queue = [rows[-1][0]] if rows and rows[-1] else []
    for v in queue:  # the list grows while we walk it: a queue
        if v in seen:
            continue
        seen.add(v)
        out[layer_of[v]].append(v)
        queue.extend(w for w in up[v] if w not in seen)
    for i, row in enumerate(rows):
        out[i].extend(v for v in row if v not in seen)
    return out


def _count_between(upper: list[int], pos: list[int], down: list[list[int]]) -> int:
    """Crossings between a layer and the next: inversions among the edge ends.

    With edges sorted by their upper end, two edges cross exactly when their
    lower ends are in the opposite order; a Fenwick tree counts those pairs.
    """
    ends = []
    for u in upper:
        ends.extend(sorted(pos[w] for w in down[u]))
    if len(ends) < 2:
        return 0
    size = max(ends) + 2
    tree = [0] * (size + 1)
    crossings = 0
    for seen, e in enumerate(ends):  # seen = how many ends came before e
        i = e + 1
        below = 0  # how many earlier ends are <= e
        while i > 0:
            below += tree[i]
            i -= i & -i
        crossings += seen - below
        i = e + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return crossings


def _count_all(rows: list[list[int]], pos: list[int], down: list[list[int]]) -> int:
    return sum(_count_between(rows[i], pos, down) for i in range(len(rows) - 1))


def _set_positions(rows: list[list[int]], pos: list[int]) -> None:
    for row in rows:
        for i, v in enumerate(row):
            pos[v] = i


def _barycenter_sort(row: list[int], fixed: list[list[int]], pos: list[int]) -> list[int]:
    """Sort a layer by the mean position of each node's neighbours in the fixed layer.

    A node without such neighbours keeps its current place.
    """
    keys = []
    for i, v in enumerate(row):
        nb = fixed[v]
        if nb:
            keys.append((sum(pos[w] for w in nb) / len(nb), i, v))
        else:
            keys.append((float(i), i, v))
    keys.sort()
    return [v for _, _, v in keys]


def _pair_crossings(a: int, b: int, pos: list[int], up: list[list[int]], down: list[list[int]]) -> tuple[int, int]:
    """(crossings with a left of b, crossings with b left of a), for their edges only."""
    ab = ba = 0
    for nbrs in (up, down):
        na, nb = nbrs[a], nbrs[b]
        if not na or not nb:
            continue
        for x in na:
            px = pos[x]
            for y in nb:
                py = pos[y]
                if px > py:
                    ab += 1
                elif px < py:
                    ba += 1
    return ab, ba


def _transpose(rows: list[list[int]], pos: list[int], up: list[list[int]], down: list[list[int]], passes: int) -> None:
    """Swap neighbours in a layer while that lowers the crossings (in place)."""
    for _ in range(passes):
        improved = False
        for row in rows:
            for i in range(len(row) - 1):
                a, b = row[i], row[i + 1]
                ab, ba = _pair_crossings(a, b, pos, up, down)
                if ba < ab:
                    row[i], row[i + 1] = b, a
                    pos[a], pos[b] = i + 1, i
                    improved = True
        if not improved:
            return


def _sift(rows: list[list[int]], pos: list[int], up: list[list[int]], down: list[list[int]]) -> None:
    """Move each node to the place in its layer where its edges cross the fewest others.

    Sliding a node v one place to the right, past its neighbour w, changes the
    crossings by cross(w before v) - cross(v before w); so one scan along the
    layer prices every place. Stronger than transposition, which only ever
    swaps two neighbours.
    """
    for row in rows:
        if len(row) < 3:
            continue
        for v in list(row):
            row.remove(v)
            best_change, best_at, change = 0, 0, 0
            for i, w in enumerate(row):
                pos[v], pos[w] = i, i + 1
                vw, wv = _pair_crossings(v, w, pos, up, down)
                change += wv - vw
                if change < best_change:
                    best_change, best_at = change, i + 1
            row.insert(best_at, v)
            for i, w in enumerate(row):
                pos[w] = i


def _sweeps(
    rows: list[list[int]],
    up: list[list[int]],
    down: list[list[int]],
    pos: list[int],
    rounds: int,
    passes: int,
    sift: bool,
    first_up: bool = False,
) -> tuple[int, list[list[int]]]:
    """Barycenter sweeps, alternately down and up, each improved by transposition (and sifting)."""
    _set_positions(rows, pos)
    best_count = _count_all(rows, pos, down)
    best = [list(r) for r in rows]
    stale = 0
    for r in range(rounds):
        if best_count == 0:
            break
        if (r + first_up) % 2 == 0:  # downward: order layer i by its inputs in layer i-1
            for i in range(1, len(rows)):
                rows[i] = _barycenter_sort(rows[i], up, pos)
                for j, v in enumerate(rows[i]):
                    pos[v] = j
        else:  # upward: order layer i by its consumers in layer i+1
            for i in range(len(rows) - 2, -1, -1):
                rows[i] = _barycenter_sort(rows[i], down, pos)
                for j, v in enumerate(rows[i]):
                    pos[v] = j
        if sift:
            _sift(rows, pos, up, down)
        _transpose(rows, pos, up, down, passes)
        count = _count_all(rows, pos, down)
        if count < best_count:
            best_count, best, stale = count, [list(row) for row in rows], 0
        else:
            stale += 1
            if stale >= 6:  # no progress for a while: restart from the best order so far
                rows[:] = [list(row) for row in best]
                _set_positions(rows, pos)
                stale = 0
                if r > rounds // 2:
                    break
    return best_count, best


def _reduce_crossings(
    rows: list[list[int]], up: list[list[int]], down: list[list[int]], n_all: int
) -> list[list[list[int]]]:
    """Orders of the layers with few crossings: the best of a few deterministic starts.

    Returns the best order first, then any others within 3 crossings of it
    (``layered_layout`` picks among those by how the straight lines cross).

    Starts: depth-first from the root (inputs left to right), breadth-first
    from the root, and the mirror image of each; every start is swept first
    downwards and, separately, first upwards. Big graphs get one start and
    fewer rounds, so they still draw in seconds.
    """
    pos = [0] * n_all
    small = n_all <= 1500
    rounds = 32 if n_all <= 600 else 16 if n_all <= 3000 else 10
    passes = 8 if n_all <= 3000 else 4
    starts = [rows]
    if small:
        starts.append(_breadth_first_order(rows, up))
        starts += [[row[::-1] for row in start] for start in starts]
    results: list[tuple[int, int, list[list[int]]]] = []
    for start in starts:
        for first_up in (False, True) if small else (False,):
            count, order = _sweeps([list(r) for r in start], up, down, pos, rounds, passes, True, first_up)
            if count == 0:
                return [order]
            results.append((count, len(results), order))
    results.sort(key=lambda item: item[:2])
    return [order for count, _, order in results if count <= results[0][0] + 3]


def _straight_crossings(pos: list[float], vlayer: list[int], edges: Sequence[tuple[int, int]]) -> int:
    """Crossings if every edge were the straight line between its ends' centres.

    Used to choose between orderings that cross about equally often between
    neighbouring layers: the straight line is what the eye follows. O(edges^2),
    so only for small graphs.
    """
    segs = [(s, d, pos[s], vlayer[s], pos[d], vlayer[d]) for s, d in edges]
    total = 0
    for i, (s1, d1, x1, y1, x2, y2) in enumerate(segs):
        for s2, d2, x3, y3, x4, y4 in segs[i + 1 :]:
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


# --------------------------------------------------------------------------
# phase 4: coordinates


def _pool_adjacent_violators(target: list[float], weight: list[float], sep: list[float]) -> list[float]:
    """Positions x minimising sum w_i (x_i - target_i)^2 with x_{i+1} - x_i >= sep_i.

    Shifting by the cumulative separations turns the constraint into "y is
    non-decreasing", and the best non-decreasing fit is found by pooling
    neighbouring blocks whose means are out of order (isotonic regression).
    """
    offset = [0.0] * len(target)
    for i in range(1, len(target)):
        offset[i] = offset[i - 1] + sep[i - 1]
    blocks: list[list[float]] = []  # [sum of w*t, sum of w, count]
    for t, w, o in zip(target, weight, offset):
        blocks.append([w * (t - o), w, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            wt, ww, c = blocks.pop()
            blocks[-1][0] += wt
            blocks[-1][1] += ww
            blocks[-1][2] += c
    x = []
    for wt, ww, c in blocks:
        x.extend([wt / ww] * int(c))
    return [xi + o for xi, o in zip(x, offset)]


def _assign_u(
    rows: list[list[int]], up: list[list[int]], down: list[list[int]], su: list[float], n: int
) -> list[float]:
    """Position along each layer: near the neighbours, in order, boxes apart.

    Edge weights follow dot's idea: a piece of a long edge between two dummies
    counts 16, dummy-real 4, real-real 1, so long edges come out straight.
    """
    n_all = len(su)
    pos = [0.0] * n_all
    seps = []
    for row in rows:
        sep = []
        for a, b in itertools.pairwise(row):
            gap = NODE_GAP if a < n and b < n else DUMMY_GAP
            sep.append((su[a] + su[b]) / 2 + gap)
        seps.append(sep)
        x = 0.0
        for i, v in enumerate(row):
            pos[v] = x if i == 0 else x + sep[i - 1]
            x = pos[v]

    def w(a: int, b: int) -> float:
        dummies = (a >= n) + (b >= n)
        return 16.0 if dummies == 2 else 4.0 if dummies == 1 else 1.0

    order = list(range(len(rows)))
    sweeps = 20 if n_all <= 1500 else 10 if n_all <= 3000 else 5
    for s in range(sweeps):
        for i in order if s % 2 == 0 else order[::-1]:
            row = rows[i]
            target, weight = [], []
            for v in row:
                tw = tot = 0.0
                for nb in up[v]:
                    ew = w(v, nb)
                    tw += ew * pos[nb]
                    tot += ew
                for nb in down[v]:
                    ew = w(v, nb)
                    tw += ew * pos[nb]
                    tot += ew
                if tot:
                    target.append(tw / tot)
                    weight.append(tot)
                else:
                    target.append(pos[v])
                    weight.append(0.5)
            for v, x in zip(row, _pool_adjacent_violators(target, weight, seps[i])):
                pos[v] = x
    return pos


# --------------------------------------------------------------------------
# layer positions, edge routes, orientation


def _finish(
    n: int,
    rows: list[list[int]],
    vlayer: list[int],
    pos: list[float],
    su: list[float],
    sv: list[float],
    chains: list[list[int] | None],
    edges: Sequence[tuple[int, int]],
    orientation: str,
) -> Layout:
    """Layer positions, edge routes, and the turn into the requested orientation."""
    n_all = len(su)
    left = min(pos[v] - su[v] / 2 for v in range(n_all))
    right = max(pos[v] + su[v] / 2 for v in range(n_all))
    shift = MARGIN - left
    u = [p + shift for p in pos]
    extent_u = right - left + 2 * MARGIN

    row_h = [max((sv[v] for v in row if v < n), default=0.0) for row in rows]
    # a layer gap grows with how far its edges travel sideways, so they stay steep
    slant = [0.0] * len(rows)
    for chain in chains:
        if chain is None:
            continue
        for a, b in itertools.pairwise(chain):
            dx = abs(u[a] - u[b])
            if dx > slant[vlayer[a]]:
                slant[vlayer[a]] = dx
    top = []
    v = MARGIN
    for i, h in enumerate(row_h):
        top.append(v)
        v += h + min(MAX_LAYER_GAP, max(MIN_LAYER_GAP, 0.15 * slant[i]))
    extent_v = v - min(MAX_LAYER_GAP, max(MIN_LAYER_GAP, 0.15 * slant[-1])) + MARGIN
    centre_v = [top[vlayer[x]] + row_h[vlayer[x]] / 2 for x in range(n_all)]

    # ports: a node's outgoing edges leave its bottom side spread left to right
    # in the order of where they go, incoming ones arrive on its top side the same way
    out_port: dict[int, float] = {}
    in_port: dict[int, float] = {}
    outs: list[list[tuple[float, int, int]]] = [[] for _ in range(n)]
    ins: list[list[tuple[float, int, int]]] = [[] for _ in range(n)]
    for k, (s, d) in enumerate(edges):
        chain = chains[k]
        nxt = chain[1] if chain is not None else d
        prv = chain[-2] if chain is not None else s
        outs[s].append((u[nxt], k, s))
        ins[d].append((u[prv], k, d))
    for group, ports in ((outs, out_port), (ins, in_port)):
        for node, items in enumerate(group):
            items.sort()
            m = len(items)
            spread = min(0.6 * su[node], 14.0 * (m - 1))
            for j, (_, k, _) in enumerate(items):
                ports[k] = u[node] - spread / 2 + (spread * j / (m - 1) if m > 1 else 0.0)

    lay = Layout()
    lay.orientation = orientation
    horizontal = orientation in ("LR", "RL")
    flip = orientation in ("BT", "RL")

    def pt(pu: float, pv: float) -> tuple[float, float]:
        if flip:
            pv = extent_v - pv
        return (pv, pu) if horizontal else (pu, pv)

    for x in range(n):
        cx, cy = pt(u[x], centre_v[x])
        w, h = (sv[x], su[x]) if horizontal else (su[x], sv[x])
        lay.boxes.append((cx, cy, w, h))
    for k, (s, d) in enumerate(edges):
        chain = chains[k]
        if chain is None:  # a short edge: no dummies between its ends
            chain = [s, d]
        p_out, p_in = out_port[k], in_port[k]
        # corners of the route: leave s's box, cross each dummy's layer vertically
        pts = [(p_out, centre_v[s] + sv[s] / 2), (p_out, top[vlayer[s]] + row_h[vlayer[s]])]
        for dmy in chain[1:-1]:
            lv = vlayer[dmy]
            pts.append((u[dmy], top[lv]))
            pts.append((u[dmy], top[lv] + row_h[lv]))
        end_v = centre_v[d] - sv[d] / 2
        pts.append((p_in, top[vlayer[d]]))
        pts.append((p_in, end_v - ARROW))
        cmds: list[tuple[str | float, ...]] = [("M", *pt(*pts[0]))]
        for i in range(1, len(pts)):
            (au, av), (bu, bv) = pts[i - 1], pts[i]
            if i % 2 == 1:  # inside a layer: straight down
                if bv > av:
                    cmds.append(("L", *pt(bu, bv)))
            else:  # between layers: a curve with vertical ends
                mid = (av + bv) / 2
                cmds.append(("C", *pt(au, mid), *pt(bu, mid), *pt(bu, bv)))
        lay.paths.append(cmds)
        lay.arrows.append((pt(p_in - ARROW / 2, end_v - ARROW), pt(p_in + ARROW / 2, end_v - ARROW), pt(p_in, end_v)))
    lay.layers = vlayer[:n]
    order = [0] * n_all
    for row in rows:
        for j, x in enumerate(row):
            order[x] = j
    lay.order = order[:n]
    lay.width, lay.height = (extent_v, extent_u) if horizontal else (extent_u, extent_v)
    return lay
