"""The ``regrad-nn`` command. ``regrad-nn moons --help`` lists the options.

    regrad-nn moons                          # the seed's run: 100 epochs, prints accuracy
    regrad-nn moons --hidden 32,32 --epochs 200 --plot moons.png --save model.json

Also runs as ``python -m regrad_nn.cli``. Exit status: 0 on success, 2 on bad
options or when the ``moons`` extra (scikit-learn, matplotlib, tqdm) is missing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .data import EXTRA_INSTALL, MissingExtraError, require
from .module import save_model


def _hidden_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated layer sizes like 16,16, got {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"layer sizes must be positive ints, got {text!r}")
    return sizes


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="regrad-nn", description="Neural networks on regrad.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    moons = commands.add_parser(
        "moons",
        help="train an MLP on scikit-learn's two moons",
        description="Train an MLP on scikit-learn's two moons (needs the extra: " + EXTRA_INSTALL + ").",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    moons.add_argument("--samples", type=_positive_int, default=100, help="number of points")
    moons.add_argument("--noise", type=float, default=0.1, help="standard deviation of the noise")
    moons.add_argument(
        "--hidden", type=_hidden_sizes, default=[16, 16], metavar="SIZES", help="hidden layer sizes, e.g. 16,16"
    )
    moons.add_argument("--activation", choices=["relu", "tanh", "sigmoid"], default="relu", help="hidden activation")
    moons.add_argument("--epochs", type=_positive_int, default=100, help="passes over the data")
    moons.add_argument("--lr", type=float, default=1.0, help="initial learning rate (decays linearly to lr/10)")
    moons.add_argument("--batch-size", type=_positive_int, default=None, help="mini-batch size (default: full batch)")
    moons.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd")
    moons.add_argument("--momentum", type=float, default=0.0, help="SGD momentum")
    moons.add_argument("--loss", choices=["hinge", "bce", "mse"], default="hinge")
    moons.add_argument("--alpha", type=float, default=1e-4, help="L2 penalty weight")
    moons.add_argument("--seed", type=int, default=1337, help="seed for the data, weights and batches")
    moons.add_argument("--plot", metavar="PATH", help="write the decision boundary as a PNG")
    moons.add_argument("--save", metavar="PATH", help="write the trained model as JSON")
    moons.add_argument("--no-progress", action="store_true", help="no progress bar")
    return parser


def _run_moons(args: argparse.Namespace) -> int:
    # check the extras up front, so nothing runs for minutes before failing
    require("sklearn", "scikit-learn", "regrad-nn moons")
    if not args.no_progress:
        require("tqdm", "tqdm", "regrad-nn moons (its progress bar; --no-progress runs without it)")
    if args.plot:
        require("matplotlib", "matplotlib", "regrad-nn moons --plot")
    from .moons import plot_decision_boundary, train_moons

    try:
        result = train_moons(
            samples=args.samples,
            noise=args.noise,
            hidden=args.hidden,
            epochs=args.epochs,
            lr=args.lr,
            batch_size=args.batch_size,
            seed=args.seed,
            loss=args.loss,
            alpha=args.alpha,
            optimizer=args.optimizer,
            momentum=args.momentum,
            activation=args.activation,
            progress=not args.no_progress,
        )
    except ValueError as error:
        print(f"regrad-nn moons: error: {error}", file=sys.stderr)
        return 2
    n = len(result.y)
    correct = round(result.accuracy * n)
    print(f"model: {result.model!r}")
    print(
        f"trained {args.epochs} epochs in {result.seconds:.2f} s ({1000 * result.seconds / args.epochs:.1f} ms/epoch)"
    )
    print(f"final loss {result.final_loss:.6f}")
    print(f"final accuracy {result.accuracy:.1%} ({correct}/{n})")
    if args.save:
        training = {
            key: value for key, value in vars(args).items() if key not in ("command", "plot", "save", "no_progress")
        }
        save_model(result.model, args.save, training=training, final_loss=result.final_loss, accuracy=result.accuracy)
        print(f"model saved to {args.save}")
    if args.plot:
        plot_decision_boundary(result.model, result.X, result.y, args.plot)
        print(f"decision boundary plotted to {args.plot}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``regrad-nn`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return _run_moons(args)
    except MissingExtraError as error:
        print(f"regrad-nn: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
