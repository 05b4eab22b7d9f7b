"""The original regrad's moons example: train a two-hidden-layer MLP classifier and plot its decision boundary.

The loop of micrograd's demo notebook, with regrad-nn's pieces: 100 points
of scikit-learn's moons, ``MLP(2, [16, 16, 1])``, the max-margin (hinge) loss
plus an L2 penalty, 100 steps of full-batch SGD with the learning rate going
from 1.0 down to 0.1. Writes ``moons_mlp.png``. Needs the extra:
``pip install 'regrad-nn[moons]'`` (scikit-learn, matplotlib, tqdm).

The same run as a command: ``regrad-nn moons --plot moons_mlp.png``.

Run: python examples/basic_3_nn.py [--out DIR] [--epochs 100] [--seed 1337]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from regrad_nn import MLP, SGD, LinearDecay, accuracy, hinge_loss, l2_penalty, make_moons
from regrad_nn.moons import plot_decision_boundary


def main(out: Path, epochs: int = 100, seed: int = 1337) -> Path:
    X, y = make_moons(n_samples=100, noise=0.1, seed=seed)  # y is -1 or +1
    random.seed(seed)  # the initial weights (the same as micrograd's for the same seed)
    model = MLP(2, [16, 16, 1])  # two hidden layers of 16 ReLU neurons, one linear output
    print(model)
    params = model.parameters()
    optimizer = SGD(params, lr=1.0)
    schedule = LinearDecay(optimizer, total_steps=epochs)  # lr = 1.0 - 0.9 * k / epochs

    for k in range(epochs):
        scores = [model(x) for x in X]  # forward: one graph for the whole batch
        loss = hinge_loss(scores, y) + l2_penalty(params, 1e-4)
        optimizer.zero_grad()
        loss.backward()  # fills p.grad for every weight and bias
        optimizer.step()  # p.val -= lr * p.grad
        schedule.step()
        if k % 10 == 0 or k == epochs - 1:
            print(f"step {k:3d} loss {loss.val:.6f}, accuracy {accuracy(scores, y):.0%}")

    path = plot_decision_boundary(model, X, y, out / "moons_mlp.png")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for moons_mlp.png")
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1337)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("wrote", main(args.out, args.epochs, args.seed))
