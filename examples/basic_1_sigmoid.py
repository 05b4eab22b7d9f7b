"""The original regrad's sigmoid example: sigmoid written with primitives, drawn as a graph.

Writing sigmoid(x) = 1 / (1 + e**-x) out of Neg, Exp, Add and Div shows the
chain rule at work on four nodes; ``x.sigmoid()`` is the one-node version.

Run: python examples/basic_1_sigmoid.py [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from regrad import Var


def sigmoid(x: Var) -> Var:
    return 1 / (1 + (-x).exp())


def main(out: Path) -> Path:
    from regrad_viz import draw_to_html

    x = Var(0.5, req_grad=True, name="x")
    y = sigmoid(x)
    path = Path(draw_to_html(y, str(out / "computed_graph_sigmoid")))
    y.backward()
    print(f"sigmoid(0.5) = {y.val:.4f}, d/dx = {x.grad:.4f}")  # 0.6225, 0.2350
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the HTML graph")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("wrote", main(args.out))
