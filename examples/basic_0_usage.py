"""The original regrad's first example: a forward pass, a backward pass, and a drawn graph.

Prints 24.7041 (the value of g), 222.1341 (dg/da) and 978.7784 (dg/db), then
writes the graph of y = a + a**2 as an interactive HTML page.

Run: python examples/basic_0_usage.py [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from regrad import Var


def original_expression(a, b, c_5):  # type: ignore[no-untyped-def]
    """The original regrad's expression, g, from a, b and the constant 5.

    Written once for anything with + - * / ** and .relu(): regrad Vars here,
    and PyTorch tensors in the tests that compare the two.
    """
    c = a + b
    d = a * b + b**3
    c += c + 1  # += builds a new node: c now names a new Var
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += c_5 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    return g


def original_example() -> tuple[Var, Var, Var]:
    """The original regrad's example; returns (g, a, b) after g.backward()."""
    a = Var(-4.0, req_grad=True, name="a")
    b = Var(2.0, req_grad=True, name="b")
    g = original_expression(a, b, Var(5))  # Var(5): a constant
    g.backward()
    return g, a, b


def main(out: Path) -> Path:
    from regrad_viz import draw_to_html

    g, a, b = original_example()
    print(f"{g.val:.4f}")  # 24.7041, the outcome of this forward pass
    print(f"{a.grad:.4f}")  # 222.1341, dg/da
    print(f"{b.grad:.4f}")  # 978.7784, dg/db

    y = a + a**2
    return Path(draw_to_html(y, str(out / "computed_graph_pow")))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the HTML graph")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("wrote", main(args.out))
