"""regrad-viz layout against Graphviz ``dot``: edge crossings, drawing size, time.

Run with ``hatch run bench:viz`` (needs the ``dot`` program, Debian package
``graphviz``).

For each graph, both layouts are read back as node centres and every edge is
taken as the straight segment between the centres of its two ends; two
segments that do not share a node and intersect (or touch) count as one
crossing. This is the same count for both tools, independent of how each
draws its curves. The target is "no more crossings than dot" on every graph
of the first table.

Two counters give that number. ``count_crossings`` tests every pair of
segments: simple, but edges^2 steps. ``count_crossings_by_strips`` cuts the
drawing into horizontal strips at the nodes' heights and counts inversions
inside each strip: exact, and about (pieces) log (pieces) steps, where an
edge crossing k strips is k pieces. The benchmark checks that both agree on
the first table's graphs (both tools' layouts), then uses the second.

Graphs:

- Quality: the original regrad's three examples (pow, sigmoid, MLP(2,[3,1])
  on [x, x**2]), MLP(2,[4,4,1]) and MLP(3,[8,8,1]), with the original
  regrad's elementwise neuron (``tests/support/example_graphs.py``).
- MLPs of about 650, 2,500 and 6,000 nodes: layout time (``draw``: graph
  walk, backward trace and layout) and graph -> HTML time, with ``dot -Tjson``
  on the same graph (skipped past a time limit).
- Long edges: one leaf x feeding every step of a recurrence (RNN-like) of
  about 1,000, 5,000 and 20,000 nodes, where every layer carries long edges,
  and one leaf feeding 1,250 neurons side by side (a wide fan-out).
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import subprocess
import sys
import time
from bisect import bisect_left
from pathlib import Path

import regrad_viz
from regrad import Var
from regrad_viz.layout.dummies import add_dummies
from regrad_viz.layout.layers import assign_layers
from regrad_viz.layout.tunings import MAX_DUMMIES_PER_LAYER

# the graph builders that the tests share live in tests/support, outside any package
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "support"))
from example_graphs import fan_out_output, mlp_output, recurrence_output

Centres = dict[str, tuple[float, float]]
Edges = list[tuple[str, str]]


def quality_graphs() -> dict[str, Var]:
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    x_const = Var(0.5)
    return {
        "original pow: a + a**2": a + a**2,
        "original sigmoid: 1/(1+exp(-x))": 1 / (1 + (-x).exp()),
        "original MLP(2,[3,1])": mlp_output(2, [3, 1], inputs=[x_const, x_const**2]),
        "MLP(2,[4,4,1])": mlp_output(2, [4, 4, 1]),
        "MLP(3,[8,8,1])": mlp_output(3, [8, 8, 1]),
    }


# --------------------------------------------------------------------------
# counting crossings of straight centre-to-centre segments


def _orient(p, q, r) -> int:
    v = (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (v > 1e-9) - (v < -1e-9)


def _on_segment(p, q, r) -> bool:
    """r lies on segment pq (given that p, q, r are collinear)."""
    return (
        min(p[0], q[0]) - 1e-9 <= r[0] <= max(p[0], q[0]) + 1e-9
        and min(p[1], q[1]) - 1e-9 <= r[1] <= max(p[1], q[1]) + 1e-9
    )


def count_crossings(centres: Centres, edges: Edges) -> int:
    """Crossings of the straight segments, pair by pair: the reference, in edges^2 steps."""
    segs = [(s, d, centres[s], centres[d]) for s, d in edges]
    total = 0
    for i in range(len(segs)):
        s1, d1, p1, q1 = segs[i]
        for j in range(i + 1, len(segs)):
            s2, d2, p2, q2 = segs[j]
            if s1 in (s2, d2) or d1 in (s2, d2):
                continue  # edges that share a node meet there; that is not a crossing
            o1, o2 = _orient(p1, q1, p2), _orient(p1, q1, q2)
            o3, o4 = _orient(p2, q2, p1), _orient(p2, q2, q1)
            if o1 != o2 and o3 != o4:
                total += 1
            elif (
                (o1 == 0 and _on_segment(p1, q1, p2))
                or (o2 == 0 and _on_segment(p1, q1, q2))
                or (o3 == 0 and _on_segment(p2, q2, p1))
                or (o4 == 0 and _on_segment(p2, q2, q1))
            ):
                total += 1  # touching or overlapping segments count too
    return total


def strip_pieces(centres: Centres, edges: Edges) -> int:
    """How many pieces ``count_crossings_by_strips`` cuts the segments into: its amount of work."""
    heights = sorted({y for _, y in centres.values()})
    line = {y: i for i, y in enumerate(heights)}
    return sum(abs(line[centres[d][1]] - line[centres[s][1]]) for s, d in edges)


def count_crossings_by_strips(centres: Centres, edges: Edges) -> int:
    """The same count as ``count_crossings``, strip by strip, for drawings whose edges all go up or down.

    Horizontal lines through every node centre cut the drawing into strips.
    Inside a strip, each segment that spans it is a straight piece from its x
    on the strip's top line to its x on the bottom line, and two pieces cross
    inside the strip exactly when they come in opposite orders on the two
    lines: sorted by top x, a Fenwick tree counts the inversions of bottom x.
    Segments that meet *on* a line (one through a node that ends another,
    two crossing exactly there, two that overlap) have the same x on it; those
    pairs are collected on every line and counted once each. Pairs that share
    a node never count, as in ``count_crossings``. x is rounded to 1e-6 px so
    that float noise cannot split a meeting point.
    """
    heights = sorted({y for _, y in centres.values()})
    line = {y: i for i, y in enumerate(heights)}
    segments = []  # (upper node, lower node, x on every line from the upper's to the lower's)
    for s, d in edges:
        (x1, y1), (x2, y2) = sorted((centres[s], centres[d]), key=lambda point: point[1])
        upper, lower = (s, d) if centres[s][1] <= centres[d][1] else (d, s)
        if y1 == y2:
            raise ValueError(f"edge {s}->{d} is horizontal: count it with count_crossings")
        xs = [x1 + (x2 - x1) * (heights[j] - y1) / (y2 - y1) for j in range(line[y1], line[y2])] + [x2]
        segments.append((upper, lower, line[y1], [round(x, 6) for x in xs]))

    strips: list[list[tuple[float, float]]] = [[] for _ in heights]  # strip j: between lines j and j + 1
    on_line: list[list[tuple[float, int, str | None]]] = [[] for _ in heights]  # (x, segment, node it ends at)
    for k, (upper, lower, first, xs) in enumerate(segments):
        last = first + len(xs) - 1
        for j, x in enumerate(xs):
            on_line[first + j].append((x, k, upper if j == 0 else lower if first + j == last else None))
            if first + j < last:
                strips[first + j].append((x, xs[j + 1]))
    total = sum(_inversions(strip) for strip in strips)

    meeting: set[tuple[int, int]] = set()
    for entries in on_line:
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        start = 0
        for stop in range(1, len(entries) + 1):
            if stop < len(entries) and entries[stop][0] == entries[start][0]:
                continue
            group, start = entries[start:stop], stop  # every segment at one point of this line
            ends = {node for _, _, node in group}
            if len(group) > 1 and (None in ends or len(ends) > 1):  # not just edges of one node
                for i, (_, a, node_a) in enumerate(group):
                    for _, b, node_b in group[i + 1 :]:
                        if node_a is None or node_b is None or node_a != node_b:
                            meeting.add((a, b))
    for a, b in meeting:
        if not {segments[a][0], segments[a][1]} & {segments[b][0], segments[b][1]}:
            total += 1
    return total


def _inversions(pieces: list[tuple[float, float]]) -> int:
    """Pairs of pieces with top x strictly in one order and bottom x strictly in the other."""
    if len(pieces) < 2:
        return 0
    bottoms = sorted({bottom for _, bottom in pieces})
    tree = [0] * (len(bottoms) + 1)  # Fenwick tree over the ranks of bottom x
    pieces.sort()
    inserted = count = 0
    start = 0
    while start < len(pieces):
        stop = start
        while stop < len(pieces) and pieces[stop][0] == pieces[start][0]:
            stop += 1
        for _, bottom in pieces[start:stop]:  # pieces with a smaller top x, and a larger bottom x
            i = bisect_left(bottoms, bottom) + 1
            not_larger = 0
            while i > 0:
                not_larger += tree[i]
                i -= i & -i
            count += inserted - not_larger
        for _, bottom in pieces[start:stop]:
            i = bisect_left(bottoms, bottom) + 1
            while i <= len(bottoms):
                tree[i] += 1
                i += i & -i
        inserted += stop - start
        start = stop
    return count


# --------------------------------------------------------------------------
# the two layouts, read back


def ours(drawing: regrad_viz.Drawing) -> tuple[Centres, Edges, tuple[float, float]]:
    centres = {node.id: drawing.layout.boxes[i][:2] for i, node in enumerate(drawing.graph.nodes)}
    edges = [(drawing.graph.nodes[e.src].id, drawing.graph.nodes[e.dst].id) for e in drawing.graph.edges]
    return centres, edges, (drawing.layout.width, drawing.layout.height)


def graphviz(dot_text: str, timeout: float = 120.0) -> tuple[Centres, Edges, tuple[float, float]] | None:
    """Node centres, edges and size of ``dot``'s layout (None on timeout)."""
    try:
        out = subprocess.run(
            ["dot", "-Tjson"], input=dot_text, capture_output=True, text=True, timeout=timeout, check=True
        ).stdout
    except subprocess.TimeoutExpired:
        return None
    data = json.loads(out)
    names = {}
    centres = {}
    for obj in data.get("objects", []):
        x, y = (float(v) for v in obj["pos"].split(","))
        centres[obj["name"]] = (x, -y)  # dot's y grows upwards
        names[obj["_gvid"]] = obj["name"]
    edges = [(names[e["tail"]], names[e["head"]]) for e in data.get("edges", [])]
    x0, y0, x1, y1 = (float(v) for v in data["bb"].split(","))
    return centres, edges, (x1 - x0, y1 - y0)


def direct_edges(drawing: regrad_viz.Drawing) -> int:
    """Edges that the layout draws as one curve (too long to get dummy nodes), as ``layered_layout`` decides."""
    edges = [(e.src, e.dst) for e in drawing.graph.edges]
    n = len(drawing.graph.nodes)
    chains, _ = add_dummies(n, edges, assign_layers(n, edges, drawing.graph.root))
    return sum(chain is None for chain in chains)


def timed(root: Var, repeat: int) -> tuple[regrad_viz.Drawing, str, float, float]:
    """(drawing, HTML page, best draw time, best draw + to_html time) over ``repeat`` runs."""
    best_draw = best_html = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        drawing = regrad_viz.draw(root, max_nodes=100_000)
        t1 = time.perf_counter()
        page = drawing.to_html()
        t2 = time.perf_counter()
        best_draw, best_html = min(best_draw, t1 - t0), min(best_html, t2 - t0)
    return drawing, page, best_draw, best_html


def crossings_or_dash(centres: Centres, edges: Edges, max_pieces: int) -> str:
    if strip_pieces(centres, edges) > max_pieces:
        return "-"
    return str(count_crossings_by_strips(centres, edges))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the graphs of 5,000 nodes and more")
    parser.add_argument("--dot-timeout", type=float, default=120.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; the fastest is shown")
    parser.add_argument(
        "--max-pieces", type=int, default=3_000_000, help="count crossings only up to this many strip pieces"
    )
    args = parser.parse_args()
    if shutil.which("dot") is None:
        print("`dot` not found: install Graphviz (Debian package graphviz)")
        return 1
    dot_version = subprocess.run(["dot", "-V"], capture_output=True, text=True).stderr.strip()
    print("# regrad-viz layout vs Graphviz dot\n")
    print(f"- Python {platform.python_version()} on {platform.machine()}, {dot_version}")
    print("- crossings: straight segments between node centres, counted the same way for both layouts")
    print(
        "- size: width x height of the layout, in each tool's own unit (px for regrad-viz, pt for dot;"
        " both with a 12-unit monospace label font)\n"
    )
    print(
        "| graph | nodes | edges | crossings regrad-viz | crossings dot | size regrad-viz | size dot | "
        "no more crossings than dot |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|:---:|")
    all_ok = counters_agree = True
    for name, root in quality_graphs().items():
        drawing = regrad_viz.draw(root, orientation="TB")
        c, e, (w, h) = ours(drawing)
        mine = count_crossings(c, e)
        result = graphviz(drawing.to_dot(), args.dot_timeout)
        assert result is not None, f"dot timed out on {name}"
        dc, de, (dw, dh) = result
        theirs = count_crossings(dc, de)
        counters_agree &= mine == count_crossings_by_strips(c, e) and theirs == count_crossings_by_strips(dc, de)
        ok = mine <= theirs
        all_ok &= ok
        print(
            f"| {name} | {len(c)} | {len(e)} | {mine} | {theirs} | {w:.0f} x {h:.0f} | {dw:.0f} x {dh:.0f} | "
            f"{'yes' if ok else '**no**'} |"
        )
    print(f"\nTarget met on every graph: {'yes' if all_ok else 'NO'}")
    print(f"The strip counter gives the pair-by-pair count on all ten layouts: {'yes' if counters_agree else 'NO'}\n")

    print("## Time for big graphs\n")
    print(
        f"`draw` = graph walk + backward trace + layout; `HTML` = draw + `to_html()` (each the fastest of "
        f"{args.repeat} runs); `dot` = `dot -Tjson` on the same graph's DOT export; `dot / draw` = how many times "
        "longer dot takes; crossings counted by strips. Graphs of up to 1,500 layout vertices (nodes + dummy "
        "nodes) get four crossing-reduction starts (each swept both ways) and a straight-line tie-break, bigger "
        "ones a single start: that is why a 653-node graph can take as long as a 2,457-node one.\n"
    )
    print(
        "| graph | nodes | edges | draw (s) | HTML (s) | HTML size (MB) | crossings regrad-viz | dot (s) | "
        "dot / draw | crossings dot |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    mlps = [
        ("MLP(4,[16,8,1])", 4, [16, 8, 1]),
        ("MLP(8,[32,16,1])", 8, [32, 16, 1]),
        ("MLP(16,[48,24,1])", 16, [48, 24, 1]),
    ]
    for name, nin, layers in mlps[:2] if args.quick else mlps:
        drawing, page, draw_s, html_s = timed(mlp_output(nin, layers), args.repeat)
        c, e, _ = ours(drawing)
        t0 = time.perf_counter()
        result = graphviz(drawing.to_dot(), args.dot_timeout)
        dot_s = time.perf_counter() - t0
        if result is None:
            dot_cells = f"> {args.dot_timeout:.0f} (stopped) | - | -"
        else:
            theirs = crossings_or_dash(result[0], result[1], args.max_pieces)
            dot_cells = f"{dot_s:.2f} | {dot_s / draw_s:.1f}x | {theirs}"
        print(
            f"| {name} | {len(c)} | {len(e)} | {draw_s:.2f} | {html_s:.2f} | {len(page.encode()) / 1e6:.1f} | "
            f"{crossings_or_dash(c, e, args.max_pieces)} | {dot_cells} |"
        )

    print("\n## Long edges\n")
    print(
        "A recurrence where one leaf x feeds every step, alternately `z = z * 0.999 + x` and "
        "`z = z + x * 0.5` (the shape of an RNN, an iterative solver or a Newton iteration): x's edge to step "
        "k spans about 1.5 k layers, so every layer carries long edges. And a wide fan-out: x feeds 1,250 "
        "branches `tanh(w_i * x)`, added in a balanced tree. `direct` = edges too long to get dummy nodes, "
        f"drawn as one curve (a layer carries at most {MAX_DUMMIES_PER_LAYER} long edges, or as many as the "
        "widest layer has nodes). Crossings are counted where the strips hold at most "
        f"{args.max_pieces:,} pieces (`-`: more). dot runs on the fan-out only: on the 1,000-node recurrence "
        "it did not finish in 5 minutes, on the 5,000-node one in 14.\n"
    )
    print(
        "| graph | nodes | edges | direct | draw (s) | HTML (s) | HTML size (MB) | crossings regrad-viz | dot (s) "
        "| crossings dot |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    long_edges = [
        ("recurrence, 333 steps", lambda: recurrence_output(333), False),
        ("recurrence, 1,666 steps", lambda: recurrence_output(1666), False),
        ("recurrence, 6,666 steps", lambda: recurrence_output(6666), False),
        ("fan-out, 1,250 wide", lambda: fan_out_output(1250), True),
    ]
    times = {}
    for name, build, run_dot in long_edges[:1] if args.quick else long_edges:
        drawing, page, draw_s, html_s = timed(build(), args.repeat)
        times[name] = draw_s, html_s
        c, e, _ = ours(drawing)
        dot_cells = "not run | -"
        if run_dot:
            t0 = time.perf_counter()
            result = graphviz(drawing.to_dot(), args.dot_timeout)
            dot_s = time.perf_counter() - t0
            dot_cells = (
                f"> {args.dot_timeout:.0f} (stopped) | -"
                if result is None
                else f"{dot_s:.2f} | {crossings_or_dash(result[0], result[1], args.max_pieces)}"
            )
        print(
            f"| {name} | {len(c)} | {len(e)} | {direct_edges(drawing)} | {draw_s:.2f} | {html_s:.2f} | "
            f"{len(page.encode()) / 1e6:.1f} | {crossings_or_dash(c, e, args.max_pieces)} | {dot_cells} |"
        )
    small, big = times.get("recurrence, 1,666 steps"), times.get("recurrence, 6,666 steps")
    if small and big:
        print(
            f"\nFrom the 5,000-node to the 20,000-node recurrence (4x the nodes), the draw time grows "
            f"{big[0] / small[0]:.1f}x and the HTML time {big[1] / small[1]:.1f}x (n log n would be 4.6x, n^2 16x)."
        )
    return 0 if all_ok and counters_agree else 2


if __name__ == "__main__":
    sys.exit(main())
