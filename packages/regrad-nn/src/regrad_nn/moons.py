"""The moons trainer: the original regrad's (and micrograd's demo) training loop, as a reusable function.

``train_moons()`` with its defaults is exactly that loop: 100 points of
scikit-learn's moons (noise 0.1, seed 1337), ``MLP(2, [16, 16, 1])``, 100
full-batch SGD steps on the hinge loss + 1e-4 * L2, learning rate going
linearly from 1.0 to 0.1. The ``regrad-nn moons`` command and the demo call it.

A loss that becomes NaN or infinite (a learning rate too large, a NaN in the
data) stops the training at once with ``TrainingDivergedError``: a model
that learned nothing is never returned as if it had.
"""

from __future__ import annotations

import contextlib
import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regrad
from regrad import Var

from ._checks import check_int, check_number
from .data import make_moons, require
from .losses import accuracy, bce_with_logits_loss, hinge_loss, l2_penalty, mse_loss
from .module import MLP, _check_activation
from .optim import SGD, Adam, LinearDecay, Optimizer
from .plot import plot_decision_boundary

__all__ = [
    "LOSSES",
    "MoonsResult",
    "TrainingDivergedError",
    "check_settings",
    "initial_model",
    "plot_decision_boundary",
    "shows_progress_bar",
    "train_moons",
]


def _hinge(scores: list[Var], y: list[float]) -> Var:
    return hinge_loss(scores, y)


def _bce(scores: list[Var], y: list[float]) -> Var:
    return bce_with_logits_loss(scores, [(1.0 + t) / 2.0 for t in y])  # ±1 labels -> 0/1 targets


def _mse(scores: list[Var], y: list[float]) -> Var:
    return mse_loss(scores, y)


def _score(model: MLP, x: list[float]) -> Var:
    """The model's one output (the MLPs here end in one neuron, so it is a Var)."""
    return model(x)  # type: ignore[return-value]


#: loss name -> function of (scores, labels in ±1)
LOSSES: dict[str, Callable[[list[Var], list[float]], Var]] = {"hinge": _hinge, "bce": _bce, "mse": _mse}


class TrainingDivergedError(ArithmeticError):
    """The training loss became NaN or infinite.

    ``loss`` is that value, ``epoch`` where it happened (counted from 1; None:
    in the final evaluation, after the last epoch).
    """

    def __init__(self, loss: float, epoch: int | None, epochs: int) -> None:
        self.loss = loss
        self.epoch = epoch
        where = "after the last epoch" if epoch is None else f"in epoch {epoch} of {epochs}"
        super().__init__(
            f"training diverged: the loss became {loss} {where} "
            "(a learning rate too large, or a NaN or infinity in the data?)"
        )


@dataclass
class MoonsResult:
    """What ``train_moons`` returns: the trained model, its data and how training went."""

    model: MLP
    X: list[list[float]]
    y: list[float]
    #: per epoch, the mean training loss and accuracy seen during that epoch (before its updates)
    losses: list[float] = field(default_factory=list)
    accuracies: list[float] = field(default_factory=list)
    #: loss and accuracy of the final model on the whole data set
    final_loss: float = float("nan")
    accuracy: float = float("nan")
    seconds: float = 0.0


def initial_model(hidden: Sequence[int] = (16, 16), activation: str = "relu", seed: int = 1337) -> MLP:
    """The model ``train_moons`` starts from: Python's ``random`` seeded with ``seed``, then ``MLP(2, [*hidden, 1])``.

    The weights are drawn as micrograd draws them, so the same seed gives micrograd's weights.
    """
    random.seed(seed)
    return MLP(2, [*hidden, 1], activation=activation)


def check_settings(
    samples: int = 100,
    noise: float = 0.1,
    hidden: Sequence[int] = (16, 16),
    epochs: int = 100,
    lr: float = 1.0,
    batch_size: int | None = None,
    loss: str = "hinge",
    alpha: float = 1e-4,
    optimizer: str = "sgd",
    momentum: float = 0.0,
    activation: str = "relu",
) -> None:
    """Raise ``ValueError`` if ``train_moons`` would refuse these settings (the same arguments); else return.

    ``train_moons`` calls it first. The ``regrad-nn moons`` command calls it
    before training too: a setting refused here is bad usage, while a
    ``ValueError`` raised *during* training is something else, never
    mistaken for bad usage.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {', '.join(LOSSES)}")
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"unknown optimizer {optimizer!r}; choose sgd or adam")
    _check_activation(activation)
    check_int(samples, "samples", minimum=2)
    check_number(noise, "noise", allow_zero=True)
    for size in hidden:
        check_int(size, "a hidden layer size")
    check_int(epochs, "epochs")
    check_number(lr, "lr", allow_zero=True)
    if batch_size is not None:
        check_int(batch_size, "batch_size")
    check_number(alpha, "alpha", allow_zero=True)
    check_number(momentum, "momentum", allow_zero=True)


def shows_progress_bar(progress: bool) -> bool:
    """Does ``train_moons(progress=progress)`` show tqdm's bar? Only on a terminal: stderr is not a file or a pipe."""
    return progress and sys.stderr is not None and sys.stderr.isatty()


def train_moons(
    samples: int = 100,
    noise: float = 0.1,
    hidden: Sequence[int] = (16, 16),
    epochs: int = 100,
    lr: float = 1.0,
    batch_size: int | None = None,
    seed: int = 1337,
    loss: str = "hinge",
    alpha: float = 1e-4,
    optimizer: str = "sgd",
    momentum: float = 0.0,
    activation: str = "relu",
    progress: bool = False,
    data: tuple[list[list[float]], list[float]] | None = None,
    on_epoch: Callable[[MLP, int, float | None], None] | None = None,
    fast: bool = False,
) -> MoonsResult:
    """Train an MLP on the moons and return a ``MoonsResult``.

    ``seed`` seeds Python's ``random`` before the model is built (so the
    weights equal micrograd's for the same seed) and fixes the data and the
    mini-batch order. ``batch_size=None`` is full batch: one step per epoch.
    The learning rate decays linearly from ``lr`` to ``lr / 10`` over all
    steps. ``data=(X, y)`` trains on given points (labels ±1) instead of new moons.

    ``progress=True`` shows a tqdm bar with loss and accuracy when stderr is
    a terminal; otherwise (a log file, a pipe) it writes one summary line at
    the end instead of the bar's many updates.

    ``on_epoch(model, epochs_done, lr)``, if given, is called before each
    epoch with the learning rate that epoch starts with, and once more after
    the last epoch with ``lr=None``: a ``TrainingRecorder``'s ``record``
    (``regrad_nn.explore``) keeps the weights for the training explorer.

    ``fast=True`` opts in to regrad's one speed path: the loop runs inside
    ``regrad.fast.gc_paused()``, with Python's cyclic garbage collector paused
    while it trains (regrad's graphs have no cycles; about 1.5 times faster
    here, see ``benchmarks/results/nn.md``). The collector's state returns
    afterwards. Results are identical either way.

    Raises ``TrainingDivergedError`` as soon as the loss is NaN or infinite,
    and ``ValueError`` before anything else for settings ``check_settings`` refuses.
    """
    check_settings(
        samples=samples,
        noise=noise,
        hidden=hidden,
        epochs=epochs,
        lr=lr,
        batch_size=batch_size,
        loss=loss,
        alpha=alpha,
        optimizer=optimizer,
        momentum=momentum,
        activation=activation,
    )
    X, y = make_moons(samples, noise, seed) if data is None else (list(data[0]), list(data[1]))
    n = len(X)
    if n == 0 or len(y) != n:
        raise ValueError(f"the data needs at least one point and a label per point, got {n} points, {len(y)} labels")
    if batch_size is None or batch_size >= n:
        batch_size = n
    steps_per_epoch = -(-n // batch_size)

    model = initial_model(hidden, activation, seed)
    params = model.parameters()
    opt: Optimizer = SGD(params, lr=lr, momentum=momentum) if optimizer == "sgd" else Adam(params, lr=lr)
    schedule = LinearDecay(opt, total_steps=epochs * steps_per_epoch)
    data_loss = LOSSES[loss]
    order = list(range(n))
    shuffler = random.Random(seed)

    bar = None
    if shows_progress_bar(progress):  # in a log, the bar's carriage-return updates would pile up
        bar = require("tqdm", "tqdm", "the progress bar").tqdm(total=epochs, desc="moons", unit="epoch")

    result = MoonsResult(model=model, X=X, y=y)
    start = time.perf_counter()
    paused = regrad.fast.gc_paused() if fast else contextlib.nullcontext()  # opt-in only: see the docstring
    try:
        with paused:
            for epoch in range(1, epochs + 1):
                if on_epoch is not None:
                    on_epoch(model, epoch - 1, opt.lr)  # the weights this epoch starts from
                if batch_size < n:
                    shuffler.shuffle(order)
                epoch_loss, epoch_correct = 0.0, 0.0
                for first in range(0, n, batch_size):
                    batch = order[first : first + batch_size]
                    xb, yb = [X[i] for i in batch], [y[i] for i in batch]
                    scores = [_score(model, x) for x in xb]
                    total = data_loss(scores, yb)
                    if alpha:
                        total = total + l2_penalty(params, alpha)
                    if not math.isfinite(total.val):  # stop here: the step would spread it into every weight
                        raise TrainingDivergedError(total.val, epoch, epochs)
                    opt.zero_grad()
                    total.backward()
                    opt.step()
                    schedule.step()
                    epoch_loss += total.val * len(batch)
                    epoch_correct += accuracy(scores, yb) * len(batch)
                result.losses.append(epoch_loss / n)
                result.accuracies.append(epoch_correct / n)
                if bar is not None:
                    bar.set_postfix(loss=f"{result.losses[-1]:.4f}", acc=f"{result.accuracies[-1]:.1%}", refresh=False)
                    bar.update()
    finally:  # also on Ctrl-C: the bar ends its line, so what is printed next starts on a new one
        if bar is not None:
            bar.close()
    result.seconds = time.perf_counter() - start
    if on_epoch is not None:
        on_epoch(model, epochs, None)  # the trained weights

    with regrad.no_grad():  # the final model on all the data, no graph needed
        scores = [_score(model, x) for x in X]
        final = data_loss(scores, y)
        if alpha:
            final = final + l2_penalty(params, alpha)
    if not math.isfinite(final.val):  # the last step can still overshoot
        raise TrainingDivergedError(final.val, None, epochs)
    result.final_loss = final.val
    result.accuracy = accuracy(scores, y)
    if progress and bar is None:
        print(
            f"moons: {epochs} epoch{'s' if epochs != 1 else ''} in {result.seconds:.2f} s, "
            f"loss={result.losses[-1]:.4f}, acc={result.accuracies[-1]:.1%}",
            file=sys.stderr,
        )
    return result
