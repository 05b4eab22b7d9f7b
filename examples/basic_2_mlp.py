"""The original regrad's MLP debugging example: a tiny network, its parameters and its drawn graph.

``MLP(2, [3, 1])`` has a hidden layer of 3 ReLU neurons and one linear output
neuron: 3 * (2 + 1) + (3 + 1) = 13 parameters. Feeding it ``[x, x**2]`` gives
one Var (a layer with one output returns a Var, not a list).

The graphs are drawn *after* ``backward()``, so every box shows its gradient.
Every neuron is in the picture, whatever the weights: a ReLU that is off for
this input is drawn as "no gradient flows here". Two drawings are written
(when regrad-viz is installed):

* ``computed_graph_mlp.html``: the original regrad's elementwise graph
  (``fused=False``), one Mul per weight and a chain of Adds per neuron, bottom
  to top ("BT");
* ``computed_graph_mlp_fused.html``: the same network as regrad-nn builds it
  for training, one node per neuron (its weights and bias as inputs), left
  to right.

Run: python examples/basic_2_mlp.py [--out DIR] [--seed N]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from regrad import Var
from regrad_nn import MLP


def build(fused: bool, seed: int) -> tuple[MLP, Var, Var]:
    """The original regrad's network and its output for x = 0.5; returns (model, x, y)."""
    random.seed(seed)  # the same weights for both graphs
    model = MLP(2, [3, 1], fused=fused)  # 3 neurons in the hidden layer, 1 output
    x = Var(0.5, name="x")
    y = model([x, x**2])
    return model, x, y


def draw(y: Var, path: Path, orientation: str) -> Path | None:
    try:
        from regrad_viz import draw_to_html
    except ImportError:
        print("regrad-viz is not installed: skipping", path.name)
        return None
    return Path(draw_to_html(y, str(path), orientation))


def main(out: Path, seed: int = 0) -> list[Path]:
    """Print the network, draw both graphs after backward; returns the pages written (none without viz)."""
    model, _, y = build(fused=False, seed=seed)
    fused_model, _, y_fused = build(fused=True, seed=seed)
    print("number of parameters", len(model.parameters()))
    print(model)
    print(f"y = {y.val:.6f} (elementwise graph), {y_fused.val:.6f} (one node per neuron)")
    y.backward()
    y_fused.backward()
    for (name, p), q in zip(model.named_parameters(), fused_model.parameters()):
        print(f"  d y / d {name:22s} = {p.grad: .6f}  (fused: {q.grad: .6f})")

    pages = [
        draw(y, out / "computed_graph_mlp", "BT"),  # after backward: the gradients are in the picture
        draw(y_fused, out / "computed_graph_mlp_fused", "LR"),  # one node per neuron; wide: its inputs side by side
    ]
    return [page for page in pages if page]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for the HTML graphs")
    parser.add_argument("--seed", type=int, default=0, help="seed of Python's random (the weights)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for page in main(args.out, args.seed):
        print("wrote", page)
