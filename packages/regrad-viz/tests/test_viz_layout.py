"""Layout invariants, read back from the SVG as a viewer would see it.

For the original regrad's graphs, MLPs, random expression graphs, a long
recurrence and a wide fan-out: every node drawn once, every edge drawn once
and pointing the right way for the orientation, no two boxes overlapping,
and no edge passing through a box other than its own two ends (except the
edges too long to route). Plus determinism across processes, and the pieces
of the layout (crossing counts, dummy budgets, subgraph lifting) against
simple versions of the same computation.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import random
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from example_graphs import fan_out_output, mlp_output, recurrence_output
from hypothesis import given, settings
from hypothesis import strategies as st

import regrad_viz
from regrad import Var
from regrad_viz.layout import crossings, dummies, layers, ordering, tunings

SVG = "{http://www.w3.org/2000/svg}"


def original_graphs():
    """The original regrad's examples, and a slightly bigger MLP."""
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    c = Var(0.5)
    return {
        "pow": a + a**2,
        "sigmoid": 1 / (1 + (-x).exp()),
        "mlp": mlp_output(2, [3, 1], inputs=[c, c**2]),
        "mlp441": mlp_output(2, [4, 4, 1]),
    }


def random_expression(seed: int, size: int) -> Var:
    """A random DAG: ops over earlier Vars and numbers, reusing Vars (fan-out)."""
    rng = random.Random(seed)
    pool = [Var(rng.uniform(0.5, 2), req_grad=True, name=f"x{i}") for i in range(rng.randint(1, 4))]
    pool.append(Var(1.5))  # a no-grad Var
    for _ in range(size):
        a, b = rng.choice(pool), rng.choice(pool)
        kind = rng.randrange(6)
        if kind == 0:
            v = a + b
        elif kind == 1:
            v = a * b
        elif kind == 2:
            v = a - rng.uniform(-2, 2)
        elif kind == 3:
            v = (a * 0.1).tanh()
        elif kind == 4:
            v = a**2
        else:
            v = 2.0 * b
        pool.append(v)
    terms = [v for v in pool if v.req_grad]
    return terms[-1] + terms[len(terms) // 2] if len(terms) > 1 else terms[0] * 3


def distinct_vars(root):
    """The Vars of root's graph and its (src, dst) edges, by an independent walk."""
    seen, order, edges, stack = set(), [], [], [root]
    while stack:
        v = stack.pop()
        if id(v) in seen:
            continue
        seen.add(id(v))
        order.append(v)
        for p in v.src or ():
            edges.append((p, v))
            stack.append(p)
    return order, edges


# --------------------------------------------------------------------------
# reading the SVG back


def parse_svg(svg_text):
    root = ET.fromstring(svg_text)
    boxes = {}
    for g in root.iter(SVG + "g"):
        if "data-node" in g.attrib:
            tx, ty = map(float, re.match(r"translate\(([-\d.]+) ([-\d.]+)\)", g.attrib["transform"]).groups())
            rect = g.find(SVG + "rect")
            w, h = float(rect.attrib["width"]), float(rect.attrib["height"])
            boxes[g.attrib["data-node"]] = (tx, ty, w, h, g.attrib["data-kind"])
    edges = []
    for g in root.iter(SVG + "g"):
        if "data-src" in g.attrib:
            edges.append((g.attrib["data-src"], g.attrib["data-dst"], g.find(SVG + "path").attrib["d"]))
    return root, boxes, edges


def path_points(d, samples=12):
    """Points along an SVG path made of M, L and C commands."""
    tokens = re.findall(r"[MLC]|-?\d+(?:\.\d+)?", d)
    pts, cur, i = [], None, 0
    while i < len(tokens):
        cmd = tokens[i]
        if cmd == "M":
            cur = (float(tokens[i + 1]), float(tokens[i + 2]))
            pts.append(cur)
            i += 3
        elif cmd == "L":
            nxt = (float(tokens[i + 1]), float(tokens[i + 2]))
            for t in range(1, samples + 1):
                f = t / samples
                pts.append((cur[0] + (nxt[0] - cur[0]) * f, cur[1] + (nxt[1] - cur[1]) * f))
            cur = nxt
            i += 3
        elif cmd == "C":
            c = [float(x) for x in tokens[i + 1 : i + 7]]
            p0, p1, p2, p3 = cur, (c[0], c[1]), (c[2], c[3]), (c[4], c[5])
            for t in range(1, samples + 1):
                f = t / samples
                g = 1 - f
                pts.append(
                    (
                        g**3 * p0[0] + 3 * g * g * f * p1[0] + 3 * g * f * f * p2[0] + f**3 * p3[0],
                        g**3 * p0[1] + 3 * g * g * f * p1[1] + 3 * g * f * f * p2[1] + f**3 * p3[1],
                    )
                )
            cur = p3
            i += 7
        else:
            raise AssertionError(f"unexpected path token {cmd!r}")
    return pts


class BoxGrid:
    """The boxes bucketed by where their centres fall on a grid of the largest box's size.

    Two boxes can overlap, or a point lie inside a box, only within one cell
    of each other: checks stay linear for graphs of thousands of nodes.
    """

    def __init__(self, boxes):
        self.boxes = boxes
        self.cell_w = max(b[2] for b in boxes.values())
        self.cell_h = max(b[3] for b in boxes.values())
        self.cells = defaultdict(list)
        for name, (x, y, *_) in boxes.items():
            self.cells[self.cell(x, y)].append(name)

    def cell(self, x, y):
        return (math.floor(x / self.cell_w), math.floor(y / self.cell_h))

    def near(self, x, y):
        """Names of the boxes that could hold the point (x, y) or overlap a box centred there."""
        cx, cy = self.cell(x, y)
        for dx, dy in itertools.product((-1, 0, 1), repeat=2):
            yield from self.cells.get((cx + dx, cy + dy), ())


def direct_edge_ends(drawing):
    """(source id, target id) of the edges too long to get dummy nodes: drawn as one curve that may cross boxes."""
    graph = drawing.graph
    edges = [(e.src, e.dst) for e in graph.edges]
    n = len(graph.nodes)
    chains, _ = dummies.add_dummies(n, edges, layers.assign_layers(n, edges, graph.root))
    return {(graph.nodes[s].id, graph.nodes[d].id) for (s, d), chain in zip(edges, chains) if chain is None}


def check_layout(root_var, orientation="TB", direct_edges_allowed=False):
    """Draw root_var and check the invariants; edges drawn direct (too long to route) are allowed only if asked."""
    drawing = regrad_viz.draw(root_var, orientation=orientation)
    _, boxes, edges = parse_svg(drawing.to_svg(legend=False))
    vars_, var_edges = distinct_vars(root_var)
    assert len(boxes) == len(vars_)
    assert len(edges) == len(var_edges)
    kinds = sorted(b[4] for b in boxes.values())
    expected = sorted("op" if v.op is not None else "leaf" if v.req_grad else "const" for v in vars_)
    assert kinds == expected
    # no two boxes overlap
    grid = BoxGrid(boxes)
    for a, (ax, ay, aw, ah, _) in boxes.items():
        for b in grid.near(ax, ay):
            if b <= a:
                continue  # each pair once, and not a box with itself
            bx, by, bw, bh, _ = boxes[b]
            overlap_x = min(ax + aw / 2, bx + bw / 2) - max(ax - aw / 2, bx - bw / 2)
            overlap_y = min(ay + ah / 2, by + bh / 2) - max(ay - ah / 2, by - bh / 2)
            assert overlap_x <= 0 or overlap_y <= 0, f"boxes {a} and {b} overlap"
    # every edge points the way of the orientation
    for s, d, _ in edges:
        (sx, sy, *_), (dx, dy, *_) = boxes[s], boxes[d]
        ahead = {"TB": dy - sy, "BT": sy - dy, "LR": dx - sx, "RL": sx - dx}[orientation]
        assert ahead > 0, f"edge {s}->{d} does not go {orientation}"
    # no edge passes through a box other than its own ends (edges drawn direct may)
    direct = direct_edge_ends(drawing)
    assert direct_edges_allowed or not direct, f"{len(direct)} edges drawn direct"
    for s, d, path in edges:
        if (s, d) in direct:
            continue
        for px, py in path_points(path):
            for name in grid.near(px, py):
                x, y, w, h, _ = boxes[name]
                if name in (s, d):
                    continue
                inside = abs(px - x) < w / 2 - 0.5 and abs(py - y) < h / 2 - 0.5
                assert not inside, f"edge {s}->{d} cuts through node {name}"
    return drawing


def test_viz_layout_first_orders_walk_depth_first_or_breadth_first():
    # the root 0 (layer 2) has inputs 1 (layer 1) and 2 (layer 0, a long edge); 1 has the input 3 (layer 0)
    above = [[1, 2], [3], [], []]
    layer_of = [2, 1, 0, 0]
    assert ordering.first_order(0, above, layer_of) == [[3, 2], [1], [0]]
    assert ordering.first_order(0, above, layer_of, breadth_first=True) == [[2, 3], [1], [0]]
    # a vertex the walk never meets goes at the end of its layer
    assert ordering.first_order(0, [*above, []], [*layer_of, 1]) == [[3, 2], [1, 4], [0]]


@pytest.mark.parametrize("name", ["pow", "sigmoid", "mlp", "mlp441"])
def test_viz_layout_invariants_on_original_graphs(name):
    check_layout(original_graphs()[name])


@pytest.mark.parametrize("orientation", ["TB", "BT", "LR", "RL"])
def test_viz_layout_orientations(orientation):
    drawing = check_layout(original_graphs()["mlp"], orientation)
    w, h = drawing.layout.width, drawing.layout.height
    if orientation in ("LR", "RL"):
        assert w > h  # layers run across: the MLP's many layers make it wide
    else:
        assert h > w * 0.5


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), size=st.integers(1, 40), orientation=st.sampled_from(["TB", "BT", "LR", "RL"]))
def test_viz_layout_invariants_on_random_graphs(seed, size, orientation):
    check_layout(random_expression(seed, size), orientation)


def test_viz_layout_invariants_on_a_large_graph():
    check_layout(mlp_output(3, [12, 6, 1], seed=3))  # ~500 nodes


def test_viz_layout_shared_input_with_itself():
    a = Var(3.0, req_grad=True, name="a")
    drawing = check_layout(a * a)  # two edges between the same two nodes
    _, _, edges = parse_svg(drawing.to_svg())
    assert len({path for _, _, path in edges}) == 2  # drawn apart, not on top of each other


def long_edge_graphs():
    """Small members of the benchmark's long-edge family."""
    return {"recurrence": recurrence_output(12), "fan_out": fan_out_output(12)}


def test_viz_layout_is_deterministic_across_processes(tmp_path):
    """Same graph -> byte-identical files, even with a different hash seed."""
    here = Path(__file__).parent
    code = (
        f"import sys; sys.path[:0] = [{str(here)!r}, {str(here.parents[2] / 'tests' / 'support')!r}]\n"
        "from test_viz_layout import long_edge_graphs, original_graphs\n"
        "import regrad_viz\n"
        "for name, root in {**original_graphs(), **long_edge_graphs()}.items():\n"
        "    regrad_viz.draw(root).save(sys.argv[1] + '/' + name + '.html')\n"
    )
    for run, hashseed in (("a", "1"), ("b", "2")):
        out = tmp_path / run
        out.mkdir()
        subprocess.run(
            [sys.executable, "-c", code, str(out)],
            check=True,
            env={"PYTHONHASHSEED": hashseed, "PATH": "/usr/bin:/bin"},
        )
    graphs = {**original_graphs(), **long_edge_graphs()}
    here = {name: regrad_viz.draw(root).to_html() for name, root in graphs.items()}
    for name in here:
        a = (tmp_path / "a" / f"{name}.html").read_text(encoding="utf-8")
        b = (tmp_path / "b" / f"{name}.html").read_text(encoding="utf-8")
        assert a == b == here[name]


def test_viz_layout_edges_are_short_for_a_chain():
    """A chain of unary ops is a straight column: every edge spans one layer."""
    x = Var(0.3, req_grad=True)
    y = x
    for _ in range(30):
        y = y.tanh()
    drawing = regrad_viz.draw(y)
    xs = {round(b[0], 1) for b in drawing.layout.boxes}
    assert len(xs) == 1
    assert sorted(drawing.layout.layers) == list(range(31))
    assert not math.isnan(drawing.layout.width)


def test_viz_layout_keeps_huge_fan_out_fast_and_valid():
    """x feeds ops at 400 depths: too many dummy nodes, so the longest edges go direct.

    The drawing stays valid (layers, no overlaps, and the routed edges avoid
    every box) though the direct edges may cross boxes.
    """
    x = Var(1.0001, req_grad=True, name="x")
    y = x
    for _ in range(400):
        y = y * x
    drawing = check_layout(y, direct_edges_allowed=True)
    assert len(drawing.graph.nodes) == 401
    assert direct_edge_ends(drawing)


# --------------------------------------------------------------------------
# graphs with long edges everywhere, and very wide layers


def test_viz_layout_invariants_on_a_long_recurrence():
    """One leaf feeding each of 700 steps (2,102 nodes): valid, and only that leaf's longest edges go direct."""
    root = recurrence_output(700)
    drawing = check_layout(root, direct_edges_allowed=True)
    assert len(drawing.graph.nodes) == 2102
    direct = direct_edge_ends(drawing)
    x_id = next(node.id for node in drawing.graph.nodes if node.title == "x")
    assert direct and all(source == x_id for source, _ in direct)  # only x's edges are that long


def test_viz_layout_invariants_on_a_wide_fan_out():
    """One leaf feeding 400 branches side by side (1,599 nodes): all of its edges are routed."""
    drawing = check_layout(fan_out_output(400), "LR")
    layer_sizes = Counter(drawing.layout.layers)
    assert max(layer_sizes.values()) == 401  # x and the 400 weights share the first layer


# --------------------------------------------------------------------------
# the pieces, against simple versions of the same computation


def crossings_pair_by_pair(a_ends, b_ends):
    """(a left of b, b left of a) crossings between the edges of a and b, one pair of ends at a time."""
    a_left = sum(pa > pb for pa in a_ends for pb in b_ends)
    b_left = sum(pa < pb for pa in a_ends for pb in b_ends)
    return a_left, b_left


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_viz_layout_pair_crossings_match_pair_by_pair(data):
    """Both ways of pricing two vertices (pair by pair, and sorted for big fan-outs) give the plain count."""
    ends = st.lists(st.integers(0, 40), max_size=3 * tunings.FEW_ENDS)
    a_up, a_down, b_up, b_down = (data.draw(ends) for _ in range(4))
    # vertices 0 and 1 are a and b; the vertex at place p of the other layers is 2 + p
    place = [0, 1, *range(41)]
    above = [[2 + p for p in a_up], [2 + p for p in b_up], *([[]] * 41)]
    below = [[2 + p for p in a_down], [2 + p for p in b_down], *([[]] * 41)]
    up, down = crossings_pair_by_pair(a_up, b_up), crossings_pair_by_pair(a_down, b_down)
    assert crossings.pair_crossings(0, 1, place, above, below) == (up[0] + down[0], up[1] + down[1])


@settings(max_examples=60, deadline=None)
@given(edges=st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), max_size=30))
def test_viz_layout_count_between_layers_matches_pair_by_pair(edges):
    """The Fenwick count of crossings between two layers equals the count over all pairs of edges."""
    upper = list(range(7))
    place = [0] * 7 + list(range(7))  # upper vertices 0..6, lower vertices 7..13 at places 0..6
    below = [[7 + d for s2, d in edges if s2 == s] for s in range(7)] + [[] for _ in range(7)]
    expected = sum(
        (s1 - s2) * (d1 - d2) < 0 for (s1, d1), (s2, d2) in itertools.combinations(edges, 2)
    )  # opposite orders at the two ends
    assert crossings.count_between(upper, place, below) == expected


def test_viz_layout_dummies_stay_within_their_budgets():
    """Long edges get dummies up to one span, within the budget and the per-layer limit; longer ones go direct."""
    n, edges, root = indexed_graph(recurrence_output(700))
    layer = layers.assign_layers(n, edges, root)
    chains, layer_of = dummies.add_dummies(n, edges, layer)
    spans = [layer[d] - layer[s] for s, d in edges]
    routed = [span for span, chain in zip(spans, chains) if chain is not None]
    direct = [span for span, chain in zip(spans, chains) if chain is None]
    assert direct and min(direct) > max(routed)  # every routed edge is shorter than every direct one
    assert min(direct) > 2  # edges with one dummy are always routed
    assert len(layer_of) - n <= tunings.DUMMY_BUDGET_PER_NODE * n + tunings.DUMMY_BUDGET_BASE
    widest = max(Counter(layer).values())
    assert max(Counter(layer_of[n:]).values()) <= max(tunings.MAX_DUMMIES_PER_LAYER, widest)
    for (s, d), chain in zip(edges, chains):  # a routed edge passes one dummy per layer in between
        if chain is not None:
            assert [layer_of[v] for v in chain] == list(range(layer[s], layer[d] + 1))


def test_viz_layout_dummies_may_fill_a_layer_as_wide_as_the_widest():
    """A layer may carry more than MAX_DUMMIES_PER_LAYER long edges if some layer has that many nodes anyway.

    200 leaves in layer 0 feed 200 nodes in layer 3 (and a chain runs
    through layers 0 to 3): 200 long edges pass layers 1 and 2, and the 200
    leaves of layer 0 make room for them.
    """
    wide = tunings.MAX_DUMMIES_PER_LAYER + 72
    leaves, targets, chain = range(wide), range(wide, 2 * wide), range(2 * wide, 2 * wide + 4)
    edges = [(chain[i], chain[i + 1]) for i in range(3)] + list(zip(leaves, targets))
    layer = [0] * wide + [3] * wide + [0, 1, 2, 3]
    chains, layer_of = dummies.add_dummies(len(layer), edges, layer)
    assert all(chain is not None for chain in chains)
    assert Counter(layer_of[len(layer) :]) == {1: wide, 2: wide}


def indexed_graph(root_var):
    """(node count, (source, target) edges by index, root's index) of root_var's graph."""
    vars_, var_edges = distinct_vars(root_var)
    index = {id(v): i for i, v in enumerate(vars_)}
    return len(vars_), [(index[id(s)], index[id(d)]) for s, d in var_edges], index[id(root_var)]


def lift_without_shortcuts(n, edges, layer, root):
    """Subgraph lifting as first written: every private set walked, no budget, no skipping (in place)."""
    inputs = [[] for _ in range(n)]
    consumers = [[] for _ in range(n)]
    for s, d in edges:
        inputs[d].append(s)
        consumers[s].append(d)
    from_the_root_up = sorted(range(n), key=lambda v: (-layer[v], v))
    for _ in range(tunings.LIFT_ROUNDS):
        moved = False
        for v in from_the_root_up:
            if v == root:
                continue
            private = {v}
            grew = True
            while grew:  # add every node all of whose consumers are already in
                grew = False
                for u in range(n):
                    if u not in private and consumers[u] and all(c in private for c in consumers[u]):
                        private.add(u)
                        grew = True
            entering = [(s, u) for u in private for s in inputs[u] if s not in private]
            spare = min((layer[u] - layer[s] - 1 for s, u in entering), default=0)
            if spare > 0 and len(entering) > len(consumers[v]):
                for u in private:
                    layer[u] -= spare
                moved = True
        if not moved:
            break


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10**6), size=st.integers(1, 30))
def test_viz_layout_lifting_skips_only_what_cannot_move(seed, size):
    """Lifting with its shortcuts (sets blocked by a tight edge are not walked) lifts exactly as without them."""
    for n, edges, root in (indexed_graph(random_expression(seed, size)), indexed_graph(mlp_output(2, [3, 2, 1]))):
        inputs = [[] for _ in range(n)]
        for s, d in edges:
            inputs[d].append(s)
        layer = longest_path_layers(n, edges, root)
        expected = list(layer)
        lift_without_shortcuts(n, edges, expected, root)
        layers.lift_subgraphs(n, edges, layer, inputs, root)
        assert layer == expected


def longest_path_layers(n, edges, root):
    """Each node's layer before lifting: its longest path to the root, counted from the deepest node."""
    depth = [0] * n
    for _ in range(n):  # Bellman-Ford style: enough rounds for any path
        for s, d in edges:
            depth[s] = max(depth[s], depth[d] + 1)
    return [max(depth) - each for each in depth]


# --------------------------------------------------------------------------
# the benchmark's crossing counter, by strips, against its pair-by-pair counter


def load_benchmark():
    path = Path(__file__).resolve().parents[3] / "benchmarks" / "bench_viz_layout.py"
    spec = importlib.util.spec_from_file_location("bench_viz_layout", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return load_benchmark()


@pytest.mark.parametrize("name", ["pow", "sigmoid", "mlp", "mlp441"])
def test_viz_layout_strip_count_matches_pair_count_on_layouts(bench, name):
    centres, edges, _ = bench.ours(regrad_viz.draw(original_graphs()[name]))
    assert bench.count_crossings_by_strips(centres, edges) == bench.count_crossings(centres, edges)


def test_viz_layout_strip_count_matches_pair_count_with_direct_edges(bench):
    centres, edges, _ = bench.ours(regrad_viz.draw(recurrence_output(80)))
    assert bench.count_crossings_by_strips(centres, edges) == bench.count_crossings(centres, edges)


@settings(max_examples=150, deadline=None)
@given(
    points=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 3)), min_size=2, max_size=12, unique=True),
    data=st.data(),
)
def test_viz_layout_strip_count_matches_pair_count_on_a_grid(bench, points, data):
    """Nodes on a small grid: many edges touch, pass through nodes, overlap or cross exactly on a line."""
    centres = {f"n{i}": (float(x), float(y)) for i, (x, y) in enumerate(points)}
    pairs = [(a, b) for a, b in itertools.permutations(centres, 2) if centres[a][1] < centres[b][1]]
    if not pairs:
        return
    edges = data.draw(st.lists(st.sampled_from(pairs), max_size=12))
    assert bench.count_crossings_by_strips(centres, edges) == bench.count_crossings(centres, edges)
