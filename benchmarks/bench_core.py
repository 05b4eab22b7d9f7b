"""Engine speed and memory: regrad against micrograd 0.1.0 (PyPI), in one run.

Both libraries build the same elementwise graph of about 100,000 op nodes
(only the ops micrograd has: +, *, ** with a number, relu), then run
backward. Printed: microseconds per op node for building, for backward and
in total; bytes per op node still held after building (tracemalloc); and
the ratios. Each timing is the best of several rounds, with a full garbage
collection before each round and the collector left on, as users run it. The
column "regrad, opt-in" times regrad again inside ``regrad.fast.gc_paused()``
(the one opt-in speed path: the cyclic garbage collector paused).

Run: hatch run bench:core  [--nodes N] [--rounds R] [--markdown]
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import platform
import time
import tracemalloc
from datetime import date

from micrograd.engine import Value

import regrad

OPS_PER_TERM = 6  # mul, add, mul by constant, relu, pow, and one add of the final sum


def build(make, n_nodes: int):
    """sum_k relu((a_k * b_k + a_k) * 0.5) ** 2 over 100 shared leaves; returns (root, leaves).

    The final sum is a balanced tree of additions, so the graph is shallow
    (micrograd's recursive topological sort fails on deep graphs).
    """
    leaves = [make(0.01 * i - 0.5) for i in range(100)]
    terms = []
    for k in range(n_nodes // OPS_PER_TERM):
        a, b = leaves[k % 100], leaves[(7 * k + 3) % 100]
        terms.append(((a * b + a) * 0.5).relu() ** 2)
    while len(terms) > 1:
        paired = [terms[i] + terms[i + 1] for i in range(0, len(terms) - 1, 2)]
        terms = paired + ([terms[-1]] if len(terms) % 2 else [])
    return terms[0], leaves


LIBRARIES = {
    "regrad": lambda v: regrad.Var(v, req_grad=True),
    "regrad, opt-in": lambda v: regrad.Var(v, req_grad=True),
    "micrograd": lambda v: Value(v),
}


def count_op_nodes(name: str, root) -> int:
    if name.startswith("regrad"):
        return sum(1 for node in regrad.topological_order(root) if node.op is not None)
    seen, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node._prev and id(node) not in seen:
            seen.add(id(node))
            stack.extend(node._prev)
    return len(seen)


def time_one(name: str, n_nodes: int) -> tuple[float, float, int]:
    gc.collect()
    paused = regrad.fast.gc_paused() if name == "regrad, opt-in" else contextlib.nullcontext()
    with paused:
        start = time.perf_counter()
        root, _ = build(LIBRARIES[name], n_nodes)
        built = time.perf_counter()
        root.backward()
        done = time.perf_counter()
    return built - start, done - built, 0


def memory_one(name: str, n_nodes: int) -> tuple[float, int]:
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    root, _ = build(LIBRARIES[name], n_nodes)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    ops = count_op_nodes(name, root)
    return (after - before) / ops, ops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table for the docs")
    args = parser.parse_args()

    results = {}
    for name in LIBRARIES:
        bytes_per_node, ops = memory_one(name, args.nodes)
        rounds = [time_one(name, args.nodes) for _ in range(args.rounds)]
        build_s = min(r[0] for r in rounds)
        back_s = min(r[1] for r in rounds)
        total_s = min(r[0] + r[1] for r in rounds)
        results[name] = {
            "ops": ops,
            "build": build_s / ops * 1e6,
            "backward": back_s / ops * 1e6,
            "total": total_s / ops * 1e6,
            "bytes": bytes_per_node,
        }

    r, o, m = results["regrad"], results["regrad, opt-in"], results["micrograd"]
    machine = f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}"

    def ratio(key: str, run: dict[str, float]) -> str:
        return f"{m[key] / run[key]:.1f}×"

    rows = [
        ("op nodes", f"{r['ops']:,}", f"{o['ops']:,}", f"{m['ops']:,}", "", ""),
        *[
            (f"{key}, µs/node", f"{r[key]:.2f}", f"{o[key]:.2f}", f"{m[key]:.2f}", ratio(key, r), ratio(key, o))
            for key in ("build", "backward", "total")
        ],
        ("bytes per op node", f"{r['bytes']:.0f}", "", f"{m['bytes']:.0f}", ratio("bytes", r), ""),
    ]
    header = ["", "regrad", "regrad, opt-in", "micrograd 0.1.0", "micrograd / regrad", "micrograd / opt-in"]
    if args.markdown:
        print(
            f"Measured {date.today().isoformat()} on {machine} ({platform.node() or 'unknown host'}, "
            f"{len(os.sched_getaffinity(0))} cores), best of {args.rounds} rounds.\n"
        )
        print("| " + " | ".join(header) + " |")
        print("|---|---:|---:|---:|---:|---:|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        print("".join(f"{h:>20}" for h in header))
        for row in rows:
            print("".join(f"{cell:>20}" for cell in row))
    speedup = m["total"] / r["total"]
    verdict = "meets" if speedup >= 3 and r["bytes"] <= 250 else "MISSES"
    print(
        f"\nTarget ≥ 3× faster per node and ≤ 250 bytes per op node (no opt-in): {verdict} "
        f"({speedup:.1f}×, {r['bytes']:.0f} bytes)."
    )
    if args.markdown:
        print(
            "\nWhere the time goes: regrad builds a node with one Var and one tuple of inputs (ops keep no state, "
            "so the operators share one op instance each). With the collector on, part of the build time is "
            "Python's cyclic garbage collector scanning the new nodes: it finds no cycles in regrad's graphs but "
            "scans every object it tracks; the opt-in column shows the same work with it paused. Backward first "
            "plans the pass (a depth-first walk that lists the nodes in order and asks ops that can stop the "
            "gradient, such as ReLU, whether they do), then applies the chain rule node by node with the adjoints "
            "in a dictionary that forgets each one once it is passed on."
        )


if __name__ == "__main__":
    main()
