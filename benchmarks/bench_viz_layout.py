"""regrad-viz layout against Graphviz ``dot``: edge crossings, drawing size, time.

Run with ``hatch run bench:viz`` (needs the ``dot`` program, Debian package
``graphviz``).

For each graph, both layouts are read back as node centres and every edge is
taken as the straight segment between the centres of its two ends; two
segments that do not share a node and intersect count as one crossing. This
is the same count for both tools, independent of how each draws its curves.
The target is "no more crossings than dot" on every graph.

Graphs: the seed's three examples (pow, sigmoid, MLP(2,[3,1]) on [x, x**2]),
MLP(2,[4,4,1]) and MLP(3,[8,8,1]). The MLPs are built here with the seed's
elementwise neuron (relu(b + w1*x1 + ... + wn*xn), last layer linear, weights
from random.Random(seed).uniform(-1, 1)) so the benchmark depends on
regrad-core and regrad-viz only.

Then: layout time (draw, i.e. graph walk + trace + layout) and the full
graph -> HTML time for MLP graphs of about 500, 2,000 and 5,000 nodes, with
``dot -Tjson`` on the same graph for comparison (skipped past a time limit).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import shutil
import subprocess
import sys
import time

import regrad_viz
from regrad import Var


def mlp_output(nin: int, sizes: list[int], seed: int = 0, inputs: list | None = None) -> Var:
    """The output Var of the seed's MLP(nin, sizes) on ``inputs`` (random if None)."""
    rng = random.Random(seed)
    xs = inputs if inputs is not None else [Var(rng.uniform(-1, 1)) for _ in range(nin)]
    dims = [nin, *list(sizes)]
    for layer in range(len(sizes)):
        outs = []
        for _ in range(dims[layer + 1]):
            ws = [Var(rng.uniform(-1, 1), req_grad=True) for _ in range(dims[layer])]
            b = Var(0.0, req_grad=True)
            act = sum((w * x for w, x in zip(ws, xs)), b)
            outs.append(act.relu() if layer < len(sizes) - 1 else act)
        xs = outs
    return xs[0]


def quality_graphs() -> dict[str, Var]:
    a = Var(-4.0, req_grad=True)
    x = Var(0.5, req_grad=True)
    x_const = Var(0.5)
    return {
        "seed pow: a + a**2": a + a**2,
        "seed sigmoid: 1/(1+exp(-x))": 1 / (1 + (-x).exp()),
        "seed MLP(2,[3,1])": mlp_output(2, [3, 1], inputs=[x_const, x_const**2]),
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


def count_crossings(centres: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> int:
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


def ours(drawing: regrad_viz.Drawing):
    centres = {node.id: drawing.layout.boxes[i][:2] for i, node in enumerate(drawing.graph.nodes)}
    edges = [(drawing.graph.nodes[e.src].id, drawing.graph.nodes[e.dst].id) for e in drawing.graph.edges]
    return centres, edges, (drawing.layout.width, drawing.layout.height)


def graphviz(dot_text: str, timeout: float = 120.0):
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 5,000-node sizes")
    parser.add_argument("--dot-timeout", type=float, default=120.0)
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
    all_ok = True
    for name, root in quality_graphs().items():
        drawing = regrad_viz.draw(root, orientation="TB")
        c, e, (w, h) = ours(drawing)
        mine = count_crossings(c, e)
        dc, de, (dw, dh) = graphviz(drawing.to_dot(), args.dot_timeout)
        theirs = count_crossings(dc, de)
        ok = mine <= theirs
        all_ok &= ok
        print(
            f"| {name} | {len(c)} | {len(e)} | {mine} | {theirs} | {w:.0f} x {h:.0f} | {dw:.0f} x {dh:.0f} | "
            f"{'yes' if ok else '**no**'} |"
        )
    print(f"\nTarget met on every graph: {'yes' if all_ok else 'NO'}\n")

    print("## Time for big graphs\n")
    print(
        "`draw` = graph walk + backward trace + layout; `HTML` = draw + `to_html()`; "
        "`dot` = `dot -Tjson` on the same graph's DOT export; `dot / draw` = how many times "
        "longer dot takes. Graphs of up to 1,500 layout vertices (nodes + dummy nodes) get four "
        "crossing-reduction starts (each swept both ways) and a straight-line tie-break, bigger ones "
        "a single start: that is why the 653-node graph takes longer than the 2,457-node one.\n"
    )
    print("| graph | nodes | edges | draw (s) | HTML (s) | HTML size (MB) | dot (s) | dot / draw |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    sizes = [
        ("MLP(4,[16,8,1])", 4, [16, 8, 1]),
        ("MLP(8,[32,16,1])", 8, [32, 16, 1]),
        ("MLP(16,[48,24,1])", 16, [48, 24, 1]),
    ]
    if args.quick:
        sizes = sizes[:2]
    for name, nin, layers in sizes:
        root = mlp_output(nin, layers)
        t0 = time.perf_counter()
        drawing = regrad_viz.draw(root)
        t1 = time.perf_counter()
        page = drawing.to_html()
        t2 = time.perf_counter()
        n, m = len(drawing.graph.nodes), len(drawing.graph.edges)
        t3 = time.perf_counter()
        result = graphviz(drawing.to_dot(), args.dot_timeout)
        t4 = time.perf_counter()
        dot_s = f"{t4 - t3:.2f}" if result is not None else f"> {args.dot_timeout:.0f} (stopped)"
        ratio = f"{(t4 - t3) / (t1 - t0):.1f}x" if result is not None else "-"
        print(
            f"| {name} | {n} | {m} | {t1 - t0:.2f} | {t2 - t0:.2f} | {len(page.encode()) / 1e6:.1f} | "
            f"{dot_s} | {ratio} |"
        )
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
