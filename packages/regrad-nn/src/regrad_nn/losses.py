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
from regrad.ops import sigmoid

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
    """Max-margin loss, mean of relu(1 - y_i * s_i), labels y_i in {-1, +1} (the original regrad's loss).

    A sample costs nothing once it is on the right side with margin 1
    (y s >= 1); otherwise its cost grows linearly, pushing its score over.

    Every sample has its term in the graph. For a sample beyond the margin
    the ReLU is off: no gradient flows through it, and the backward pass does
    not look behind it (at the sample's whole network). A NaN score gives a
    NaN loss (the ReLU keeps NaN), so a broken sample is never hidden.
    """
    pairs = _pairs(scores, targets, "hinge_loss")
    for _, y in pairs:
        if y not in (-1.0, 1.0):
            raise ValueError(f"hinge_loss: labels must be -1 or +1, got {y!r}")
    return regrad.sum([(1 - y * s).relu() for s, y in pairs]) * (1.0 / len(pairs))


def mse_loss(predictions: Score | Sequence[Score], targets: float | Sequence[float]) -> Var:
    """Mean squared error, mean of (p_i - t_i) ** 2."""
    pairs = _pairs(predictions, targets, "mse_loss")
    return regrad.sum([(p - t) ** 2 for p, t in pairs]) * (1.0 / len(pairs))


class BCEWithLogits(Op):
    """Binary cross-entropy of a logit s against a target t, as one node.

    With p = sigmoid(s) the predicted probability, and log(1 - p) = log p - s:

    loss = -t log p - (1 - t) log(1 - p)
         = (1 - t) s - log p
         = (1 - t) s - min(s, 0) + log(1 + e**-|s|)     (never overflows, any s)
    d loss / ds = sigmoid(s) - t                         (prediction minus target)

    Composing it from Sigmoid and Log would overflow or lose all precision
    for large |s|; one op with the rewritten formula does neither. The first
    two terms are added first, so for t = 0 or 1 they cancel exactly where
    they should (the loss of s = -30, t = 0 is log(1 + e**-30) to the last
    digit), and infinite or NaN logits give what PyTorch gives.

    The derivative is written so that it works on Vars too: forward mode and
    second derivatives (d2 loss / ds2 = sigmoid(s) (1 - sigmoid(s))) come from it.
    """

    __slots__ = ("target",)
    arg_names = ("target",)

    def __init__(self, target: float) -> None:
        self.target = target

    def forward(self, s: float) -> float:
        return (1.0 - self.target) * s - min(s, 0.0) + math.log1p(math.exp(-abs(s)))  # exp(<= 0): safe

    def derivatives(self, loss: Any, s: Any) -> tuple[Any]:
        p = s.sigmoid() if isinstance(s, Var) else sigmoid(s)
        return (p - self.target,)


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
    """Fraction of samples where the score's sign matches the label (labels ±1 or 0/1).

    A score > 0 predicts the positive class, any other the negative one; a NaN
    score predicts nothing and always counts as wrong.
    """
    pairs = _pairs(scores, targets, "accuracy")
    return sum(_is_right(s.val, t) for s, t in pairs) / len(pairs)


def _is_right(score: float, target: float) -> bool:
    if math.isnan(score):
        return False
    return (score > 0) == (target > 0)
