"""Losses against PyTorch float64: values and gradients with respect to the scores."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F

from regrad import Var
from regrad_nn import accuracy, bce_with_logits_loss, hinge_loss, l2_penalty, mse_loss

SCORES = [0.7, -1.3, 2.4, -0.2, 0.05, 1.0]
LABELS = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0]  # the last one sits exactly on the margin


def leaves(values):
    return [Var(v, req_grad=True) for v in values]


def check(loss, scores, loss_t, scores_t):
    for s in scores:
        s.grad = 0.0  # as zero_grad() does: a term left out of the graph (hinge beyond the margin) adds 0
    assert loss.val == pytest.approx(loss_t.item(), rel=1e-12, abs=1e-300)
    loss.backward()
    loss_t.backward()
    assert [s.grad for s in scores] == pytest.approx(scores_t.grad.tolist(), rel=1e-12, abs=1e-300)


def test_hinge_loss_matches_pytorch():
    scores = leaves(SCORES)
    s = torch.tensor(SCORES, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(LABELS, dtype=torch.float64)
    check(hinge_loss(scores, LABELS), scores, torch.relu(1 - y * s).mean(), s)


def test_hinge_loss_when_every_sample_is_beyond_the_margin():
    scores = leaves([2.0, -3.0])
    loss = hinge_loss(scores, [1.0, -1.0])
    loss.backward()  # still a graph: backward works and gives zeros
    assert loss.val == 0.0 and [s.grad for s in scores] == [0.0, 0.0]
    scores = leaves([2.0, 0.5])
    hinge_loss(scores, [1.0, 1.0]).backward()
    assert scores[0].grad is None and scores[1].grad == -0.5  # the sample beyond the margin is left out


def test_mse_loss_matches_pytorch():
    targets = [0.5, -1.0, 2.0, 0.0, 3.5, -2.25]
    scores = leaves(SCORES)
    s = torch.tensor(SCORES, dtype=torch.float64, requires_grad=True)
    check(mse_loss(scores, targets), scores, F.mse_loss(s, torch.tensor(targets, dtype=torch.float64)), s)


@pytest.mark.parametrize("logits", [SCORES, [40.0, -40.0, 750.0, -750.0, 0.0, 1e-3]])
def test_bce_with_logits_matches_pytorch_and_never_overflows(logits):
    targets = [1.0, 0.0, 1.0, 0.0, 1.0, 0.25]
    scores = leaves(logits)
    s = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(targets, dtype=torch.float64)
    loss = bce_with_logits_loss(scores, targets)
    assert math.isfinite(loss.val)
    check(loss, scores, F.binary_cross_entropy_with_logits(s, t), s)


def test_l2_penalty_matches_pytorch():
    values = [0.5, -1.5, 2.0, 0.0]
    params = leaves(values)
    p = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    check(l2_penalty(params, 1e-2), params, 1e-2 * (p * p).sum(), p)


def test_losses_accept_a_single_score_and_plain_numbers():
    s = Var(0.3, req_grad=True)
    loss = hinge_loss(s, 1.0)
    loss.backward()
    assert loss.val == pytest.approx(0.7) and s.grad == -1.0
    assert mse_loss([1.0, 2.0], [0.0, 0.0]).val == 2.5  # numbers only: a constant
    assert hinge_loss([0.5, 2.0], [1.0, 1.0]).val == 0.25


def test_accuracy_counts_sign_agreement_for_pm1_and_01_labels():
    assert accuracy([0.5, -0.5, 0.1, -2.0], [1.0, -1.0, -1.0, -1.0]) == 0.75
    assert accuracy([Var(0.5), Var(-0.5)], [1.0, 0.0]) == 1.0


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(ValueError, match="3 scores but 2 targets"):
        hinge_loss([1.0, 2.0, 3.0], [1.0, -1.0])
    with pytest.raises(ValueError, match="labels must be -1 or \\+1"):
        hinge_loss([1.0], [0.0])
    with pytest.raises(ValueError, match="targets must lie in \\[0, 1\\]"):
        bce_with_logits_loss([1.0], [-1.0])
    with pytest.raises(ValueError, match="at least one sample"):
        mse_loss([], [])
    with pytest.raises(TypeError, match="targets must be numbers"):
        mse_loss([1.0], ["a"])
    with pytest.raises(ValueError, match="at least one parameter"):
        l2_penalty([], 0.1)


def test_bce_op_shows_its_target_in_drawings():
    loss = bce_with_logits_loss([Var(0.5, req_grad=True)], [1.0])
    (node,) = [v for v in loss.src if v.op is not None]
    assert repr(node.src[0].op) == "BCEWithLogits(target=1.0)"
    json.dumps(node.src[0].op.args)
