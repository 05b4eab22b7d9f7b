"""The regrad tour, in one command (`hatch run demo`).

1. the original regrad's example: a forward and a backward pass (prints 24.7041,
   222.1341, 978.7784);
2. computation graphs as self-contained HTML pages: y = a + a**2, a sigmoid
   built from primitives, and a small MLP (drawn op by op and neuron by neuron);
3. an MLP trained on the two moons, with its decision boundary as a PNG.

Everything is written to --out (default: out/). Open the .html files in any
browser, offline: press Next to watch the backward pass run node by node.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import basic_0_usage
import basic_1_sigmoid
import basic_2_mlp

from regrad_nn import plot_decision_boundary, train_moons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("out"), help="folder for the pages and the plot")
    parser.add_argument("--epochs", type=int, default=100, help="moons training epochs")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    written = [basic_0_usage.main(out), basic_1_sigmoid.main(out), *basic_2_mlp.main(out)]

    result = train_moons(epochs=args.epochs, progress=True)
    plot = plot_decision_boundary(result.model, result.X, result.y, out / "moons_mlp.png", title="regrad MLP on moons")
    print(f"moons: final loss {result.final_loss:.4f}, training accuracy {result.accuracy:.0%}")
    written.append(plot)

    print("wrote:")
    for path in written:
        print("  ", path)


if __name__ == "__main__":
    main()
