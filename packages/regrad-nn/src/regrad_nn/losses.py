"""Loss functions: turn a model's scores and the true labels into one Var to minimise.

Each loss is the *mean* over the samples, so the learning rate does not
depend on the batch size, and each builds few nodes: the batch sum is one
``Sum`` node and the L2 penalty one ``Dot`` node.

Labels: ``hinge_loss`` wants y in {-1, +1}; ``bce_with_logits_loss`` wants
t in [0, 1] (usually {0, 1}); ``mse_loss`` takes any real targets.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any, cast

import regrad
from regrad import Op, Var

Score = Var | float


def _pairs(scores: Score | Sequence[Score], targets: float | Sequence[float], who: str) -> list[tuple[Var, float]]:
    """(score, target) pairs, after checking they line up; scores become Vars, targets floats."""
    score_list: list[Any] = [scores] if isinstance(scores, (Var, numbers.Real)) else list(cast(Iterable[Any], scores))
    target_list: list[Any] = [targets] if isinstance(targets, numbers.Real) else list(cast(Iterable[Any], targets))
    if len(score_list) != len(target_list):
        raise ValueError(f"{who}: {len(score_list)} scores but {len(target_list)} targets")
    if not score_list:
        raise ValueError(f"{who}: needs at least one sample")
    for t in target_list:
        if isinstance(t, bool) or not isinstance(t, numbers.Real):
            raise TypeError(f"{who}: targets must be numbers, got {type(t).__name__}: {t!r}")
    return [(s if isinstance(s, Var) else Var(s), float(t)) for s, t in zip(score_list, target_list)]


def hinge_loss(scores: Score | Sequence[Score], targets: float | Sequence[float]) -> Var:
    """Max-margin loss, mean of relu(1 - y_i * s_i), labels y_i in {-1, +1} (the seed's loss).

    A sample costs nothing once it is on the right side with margin 1
    (y s >= 1); otherwise its cost grows linearly, pushing its score over.

    Such a sample's term is 0 and so is its gradient (the ReLU is off), so
    it is left out of the graph: backward then skips the sample's whole
    network. The sum is unchanged (adding 0.0 changes no float). If every
    sample is beyond the margin, all terms are kept, so that backward still
    runs and gives the zero gradients.
    """
    pairs = _pairs(scores, targets, "hinge_loss")
    for _, y in pairs:
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge_loss: labels must be -1 or +1, got {y!r}")
    active = [(s, y) for s, y in pairs if 1 - y * float(s) > 0]
    return regrad.sum([(1 - y * s).relu() for s, y in active or pairs]) * (1.0 / len(pairs))


def mse_loss(predictions: Score | Sequence[Score], targets: float | Sequence[float]) -> Var:
    """Mean squared error, mean of (p_i - t_i) ** 2."""
    pairs = _pairs(predictions, targets, "mse_loss")
    return regrad.sum([(p - t) ** 2 for p, t in pairs]) * (1.0 / len(pairs))


class BCEWithLogits(Op):
    """Binary cross-entropy of a logit s against a target t, as one node.

    loss = -t log(sigmoid(s)) - (1 - t) log(1 - sigmoid(s))
         = max(s, 0) - t s + log(1 + e**-|s|)     (never overflows, any s)
    d loss / ds = sigmoid(s) - t                  (prediction minus target)

    Composing it from Sigmoid and Log would overflow or lose all precision
    for large |s|; one op with the rewritten formula does neither.
    """

    __slots__ = ("prob", "target")
    arg_names = ("target",)

    def __init__(self, target: float) -> None:
        self.target = target

    def forward(self, s: float) -> float:
        e = math.exp(-abs(s))  # in (0, 1]: safe
        self.prob = 1.0 / (1.0 + e) if s >= 0 else e / (1.0 + e)
        return max(s, 0.0) - self.target * s + math.log1p(e)

    def backward(self, grad: float) -> tuple[float]:
        return (grad * (self.prob - self.target),)


def bce_with_logits_loss(logits: Score | Sequence[Score], targets: float | Sequence[float]) -> Var:
    """Mean binary cross-entropy of logits (raw scores) against targets t_i in [0, 1]."""
    pairs = _pairs(logits, targets, "bce_with_logits_loss")
    for _, t in pairs:
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"bce_with_logits_loss: targets must lie in [0, 1], got {t!r}")
    return regrad.sum([regrad.apply(BCEWithLogits, s, target=t) for s, t in pairs]) * (1.0 / len(pairs))


def l2_penalty(params: Iterable[Var], alpha: float) -> Var:
    """alpha * (p_1**2 + ... + p_n**2): weight decay as part of the loss, one Dot node.

    ``dot(params, params)`` lists each parameter twice among its inputs; the
    engine adds both contributions, giving the expected 2 * alpha * p.
    """
    params = list(params)
    if not params:
        raise ValueError("l2_penalty: needs at least one parameter")
    return alpha * regrad.dot(params, params)


def accuracy(scores: Score | Sequence[Score], targets: float | Sequence[float]) -> float:
    """Fraction of samples where the score's sign matches the label (labels ±1 or 0/1)."""
    pairs = _pairs(scores, targets, "accuracy")
    return sum((float(s) > 0) == (t > 0) for s, t in pairs) / len(pairs)
