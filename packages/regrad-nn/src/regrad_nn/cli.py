"""The ``regrad-nn`` command. ``regrad-nn moons --help`` lists the options.

    regrad-nn moons                          # the original regrad's run: 100 epochs, prints accuracy
    regrad-nn moons --hidden 32,32 --epochs 200 --plot moons.png --save model.json
    regrad-nn moons --explore explorer.html  # and a page to watch it learn, epoch by epoch

Also runs as ``python -m regrad_nn`` or ``python -m regrad_nn.cli``.

Everything that can be checked is checked before training starts: the
options' values, the extras, that ``--save``, ``--plot`` and ``--explore``
can be written, and that the explorer can draw the network. Problems are
reported on stderr as one line, ``regrad-nn moons: error: ...``. The files
are written only once everything they need is ready. Exit status:

* 0: trained (and saved and plotted, if asked);
* 1: training diverged (the loss became NaN or infinite): nothing is saved;
* 2: bad usage: an option's value, a missing extra (scikit-learn, matplotlib,
  tqdm, regrad-viz), an output path that cannot be written, a network too
  large for the explorer;
* 130: interrupted with Ctrl-C: nothing is saved.

Any other error is a bug: Python prints its traceback, and the exit status
is 1 (as for every uncaught exception); nothing is saved.
"""

from __future__ import annotations

import argparse
import math
import multiprocessing
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .data import EXTRA_INSTALL, MissingExtraError, make_moons, require
from .files import atomic_write, check_writable, save_model

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from regrad_viz import Drawing

#: the exit statuses (see the module docstring)
EXIT_OK, EXIT_DIVERGED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_PROG = "regrad-nn moons"


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line (the usage is one ``--help`` away)."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


# --------------------------------------------------------------------------
# option types: each turns the text into a value or says what is wrong with it


def _hidden_sizes(text: str) -> list[int]:
    parts = text.split(",")
    try:
        sizes = [int(part) for part in parts]  # "16,,16" has an empty part: int("") raises
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated layer sizes like 16,16, got {text!r}") from None
    if min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"layer sizes must be positive ints, got {text!r}")
    return sizes


def _int_at_least(minimum: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"expected an integer >= {minimum}, got {text!r}")
        return value

    return parse


def _seed(text: str) -> int:
    value = _int_at_least(0)(text)
    if value >= 2**32:  # scikit-learn's limit
        raise argparse.ArgumentTypeError(f"expected an integer below 2**32, got {text!r}")
    return value


def _number(low: float, high: float = math.inf, low_allowed: bool = True) -> Callable[[str], float]:
    """A finite float in [low, high) (or (low, high) if not ``low_allowed``)."""
    wanted = f"a number {'>=' if low_allowed else '>'} {low:g}" + (f" and < {high:g}" if high < math.inf else "")

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}") from None
        in_range = (value >= low if low_allowed else value > low) and value < high
        if not (math.isfinite(value) and in_range):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {text!r}")
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="regrad-nn", description="Neural networks on regrad.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    moons = commands.add_parser(
        "moons",
        help="train an MLP on scikit-learn's two moons",
        description=(
            "Train an MLP on scikit-learn's two moons (needs the extra: " + EXTRA_INSTALL + "). "
            "Exit status: 0 ok, 1 training diverged, 2 bad usage or path, 130 interrupted."
        ),
    )
    moons.add_argument("--samples", type=_int_at_least(2), default=100, help="number of points (default: 100)")
    moons.add_argument(
        "--noise", type=_number(0.0), default=0.1, help="standard deviation of the noise, >= 0 (default: 0.1)"
    )
    moons.add_argument(
        "--hidden", type=_hidden_sizes, default=[16, 16], metavar="SIZES", help="hidden layer sizes (default: 16,16)"
    )
    moons.add_argument(
        "--activation", choices=["relu", "tanh", "sigmoid"], default="relu", help="hidden activation (default: relu)"
    )
    moons.add_argument("--epochs", type=_int_at_least(1), default=100, help="passes over the data (default: 100)")
    moons.add_argument(
        "--lr",
        type=_number(0.0, low_allowed=False),
        default=1.0,
        help="initial learning rate, > 0; it decays linearly to lr/10 (default: 1.0)",
    )
    moons.add_argument(
        "--batch-size", type=_int_at_least(1), default=None, metavar="N", help="mini-batch size (default: full batch)"
    )
    moons.add_argument("--optimizer", choices=["sgd", "adam"], default="sgd", help="the optimizer (default: sgd)")
    moons.add_argument("--momentum", type=_number(0.0, 1.0), default=0.0, help="SGD momentum, in [0, 1) (default: 0)")
    moons.add_argument(
        "--loss", choices=["hinge", "bce", "mse"], default="hinge", help="the loss; bce: cross-entropy (default: hinge)"
    )
    moons.add_argument("--alpha", type=_number(0.0), default=1e-4, help="L2 penalty weight, >= 0 (default: 1e-4)")
    moons.add_argument(
        "--seed", type=_seed, default=1337, help="seed for the data, weights and batches (default: 1337)"
    )
    moons.add_argument(
        "--plot", metavar="PATH", help="write the decision boundary; the extension names the format (.png, .svg, .pdf)"
    )
    moons.add_argument("--save", metavar="PATH", help="write the trained model as JSON")
    moons.add_argument(
        "--explore",
        metavar="PATH",
        help="write the training explorer, one HTML file to watch the network learn (needs regrad-viz)",
    )
    moons.add_argument("--no-progress", action="store_true", help="no progress bar")
    moons.add_argument(
        "--fast",
        action="store_true",
        help="opt in to regrad's speed path: pause Python's cyclic garbage collector while training "
        "(regrad.fast.gc_paused; about 1.5x faster, identical results)",
    )
    return parser


# --------------------------------------------------------------------------
# running


class _UsageError(Exception):
    """A problem found before training: reported as one line, exit status 2."""


#: the options that name a file to write
_OUTPUTS = ("save", "plot", "explore")


def _check_outputs(args: argparse.Namespace) -> None:
    """Can ``--save``, ``--plot`` and ``--explore`` be written? Checked before training, which may take minutes."""
    for option in _OUTPUTS:
        text = getattr(args, option)
        if text is None:
            continue
        if not text:
            raise _UsageError(f"--{option}: the path is empty")
        try:
            check_writable(text)
        except ValueError as error:
            raise _UsageError(f"--{option} {text}: {error}") from None
    if args.plot:
        from .plot import plot_format

        try:
            plot_format(args.plot)
        except ValueError as error:
            raise _UsageError(f"--plot {error}") from None
    named = [(option, getattr(args, option)) for option in _OUTPUTS if getattr(args, option)]
    for k, (option, text) in enumerate(named):
        for other, other_text in named[k + 1 :]:
            if Path(text).resolve() == Path(other_text).resolve():
                raise _UsageError(f"--{option} and --{other} name the same file, {text}")


#: the options that are settings of ``train_moons``, which ``check_settings`` checks
_SETTINGS = (
    "samples", "noise", "hidden", "epochs", "lr", "batch_size", "loss", "alpha", "optimizer", "momentum", "activation"
)  # fmt: skip


def _settings(args: argparse.Namespace) -> dict[str, Any]:
    return {name: getattr(args, name) for name in _SETTINGS}


def _check_before_training(args: argparse.Namespace) -> None:
    """Everything that can be checked before training, which may take minutes: the settings, the extras, the paths.

    Raises ``_UsageError`` or ``MissingExtraError``. (The explorer's network is checked in ``_run_moons``.)
    """
    from .moons import check_settings, shows_progress_bar

    try:
        check_settings(**_settings(args))
    except ValueError as error:  # only here: a ValueError during training is not bad usage
        raise _UsageError(str(error)) from None
    if shows_progress_bar(not args.no_progress):  # only on a terminal: in a log there is no bar
        require("tqdm", "tqdm", "regrad-nn moons (its progress bar; --no-progress runs without it)")
    if args.plot is not None:
        require("matplotlib", "matplotlib", "regrad-nn moons --plot")
    if args.explore is not None:
        require("regrad_viz", "regrad-viz", "regrad-nn moons --explore")
    _check_outputs(args)


def _run_moons(args: argparse.Namespace) -> int:
    _check_before_training(args)
    if not args.explore:
        require("sklearn", "scikit-learn", "regrad-nn moons")
        return _train(args)
    # The explorer shows the graph of a point's loss term, whose drawing takes seconds to lay out. It
    # depends only on the network, its first weights and the loss, all known now: a second process lays
    # it out while this one goes on (scikit-learn, checked last, takes a while to import) and trains.
    from .explore import check_drawable, explorer_drawing
    from .moons import initial_model

    first = initial_model(args.hidden, args.activation, args.seed)  # the weights train_moons starts from
    try:
        check_drawable(first, args.loss)  # quick (no layout): a network too large fails now, not after training
    except ValueError as error:
        raise _UsageError(f"--explore {args.explore}: {error}") from None
    # leaving the block stops the worker, also on Ctrl-C or an error; the worker leaves Ctrl-C to this process
    with multiprocessing.Pool(1, initializer=signal.signal, initargs=(signal.SIGINT, signal.SIG_IGN)) as pool:
        drawing = pool.apply_async(explorer_drawing, (first, args.loss))
        require("sklearn", "scikit-learn", "regrad-nn moons")
        return _train(args, drawing)


def _train(args: argparse.Namespace, drawing: AsyncResult[Drawing] | None = None) -> int:
    """Train, print the results, write the files asked for; ``drawing``: the explorer's, being laid out."""
    from .explore import TrainingRecorder
    from .moons import TrainingDivergedError, plot_decision_boundary, train_moons

    recorder = None
    if drawing is not None:  # the recorder needs the points: make them here, as train_moons would
        recorder = TrainingRecorder(*make_moons(args.samples, args.noise, args.seed), args.loss, args.alpha)
    try:
        result = train_moons(
            **_settings(args),
            seed=args.seed,
            progress=not args.no_progress,
            fast=args.fast,
            data=None if recorder is None else (recorder.X, recorder.y),
            on_epoch=None if recorder is None else recorder.record,
        )
    except TrainingDivergedError as error:
        _print_error(f"{error}; nothing was saved")
        return EXIT_DIVERGED
    n = len(result.y)
    correct = round(result.accuracy * n)
    epochs = f"{args.epochs} epoch{'' if args.epochs == 1 else 's'}"
    print(f"model: {result.model!r}")
    print(f"trained {epochs} in {result.seconds:.2f} s ({1000 * result.seconds / args.epochs:.1f} ms/epoch)")
    print(f"final loss {result.final_loss:.6f}")
    print(f"final accuracy {result.accuracy:.1%} ({correct}/{n})")
    # The explorer's page is made before any file is written: waiting for its drawing can be
    # interrupted, and making the page can fail; either way, no file has been written yet.
    page = None
    if recorder is not None and drawing is not None:
        page = recorder.to_html(drawing=drawing.get())
    if args.save:
        settings = ("command", *_OUTPUTS, "no_progress", "fast")  # how it ran, not what it trained
        training = {key: value for key, value in vars(args).items() if key not in settings}
        try:
            save_model(
                result.model, args.save, training=training, final_loss=result.final_loss, accuracy=result.accuracy
            )
        except OSError as error:  # checked before training, but a disk can fill up since
            raise _UsageError(f"--save {args.save}: cannot write it ({error.strerror or error})") from None
        print(f"model saved to {args.save}")
    if args.plot:
        try:
            plot_decision_boundary(result.model, result.X, result.y, args.plot)
        except OSError as error:
            raise _UsageError(f"--plot {args.plot}: cannot write it ({error.strerror or error})") from None
        print(f"decision boundary plotted to {args.plot}")
    if page is not None:
        try:
            with atomic_write(args.explore) as file:
                file.write(page.encode("utf-8"))
        except OSError as error:
            raise _UsageError(f"--explore {args.explore}: cannot write it ({error.strerror or error})") from None
        print(f"training explorer written to {args.explore}")
    return EXIT_OK


def _print_error(message: str) -> None:
    print(f"{_PROG}: error: {message}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``regrad-nn`` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        return _run_moons(args)
    except (MissingExtraError, _UsageError) as error:
        _print_error(str(error))
        return EXIT_USAGE
    except KeyboardInterrupt:  # the files are written atomically: an interrupted write leaves nothing
        print(f"{_PROG}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
