"""Losses against PyTorch float64: values and gradients with respect to the scores."""

from __future__ import annotations

import json
import math

import pytest

import regrad
from regrad import Var
from regrad_nn import accuracy, bce_with_logits_loss, hinge_loss, l2_penalty, mse_loss
from regrad_nn.losses import BCEWithLogits

SCORES = [0.7, -1.3, 2.4, -0.2, 0.05, 1.0]
LABELS = [1.0, 1.0, -1.0, -1.0, 1.0, 1.0]  # the last one sits exactly on the margin
NAN, INF = math.nan, math.inf


def leaves(values):
    return [Var(v, req_grad=True) for v in values]


def same(a, b):
    """Equal floats, NaN equal to NaN."""
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, rel=1e-12, abs=1e-300)


def check(loss, scores, loss_t, scores_t):
    for s in scores:
        s.grad = 0.0  # as zero_grad() does: a term no gradient flows through (hinge beyond the margin) adds 0
    assert loss.val == pytest.approx(loss_t.item(), rel=1e-12, abs=1e-300)
    loss.backward()
    loss_t.backward()
    assert [s.grad for s in scores] == pytest.approx(scores_t.grad.tolist(), rel=1e-12, abs=1e-300)


def test_hinge_loss_matches_pytorch(torch):
    scores = leaves(SCORES)
    s = torch.tensor(SCORES, dtype=torch.float64, requires_grad=True)
    y = torch.tensor(LABELS, dtype=torch.float64)
    check(hinge_loss(scores, LABELS), scores, torch.relu(1 - y * s).mean(), s)


def test_hinge_loss_when_every_sample_is_beyond_the_margin():
    scores = leaves([2.0, -3.0])
    for s in scores:
        s.grad = 0.0  # as zero_grad() does
    loss = hinge_loss(scores, [1.0, -1.0])
    loss.backward()  # still a graph: backward works and leaves the zero gradients
    assert loss.val == 0.0 and [s.grad for s in scores] == [0.0, 0.0]
    scores = leaves([2.0, 0.5])
    hinge_loss(scores, [1.0, 1.0]).backward()
    assert scores[0].grad is None and scores[1].grad == -0.5  # no gradient flows through the sample beyond the margin


def test_hinge_loss_keeps_every_sample_in_the_graph():
    scores = leaves([2.0, 0.5])
    loss = hinge_loss(scores, [1.0, 1.0])
    assert scores[0] in regrad.topological_order(loss)  # beyond the margin, but drawn


def test_a_nan_score_gives_a_nan_loss_and_counts_as_wrong():
    assert math.isnan(hinge_loss([Var(NAN)], [1]).val)
    assert math.isnan(hinge_loss([Var(NAN), Var(5.0)], [-1, 1]).val)
    assert accuracy([Var(NAN)], [-1]) == 0.0  # NaN > 0 is False, but that is no prediction of -1
    assert accuracy([NAN, 1.0], [1, 1]) == 0.5
    assert accuracy([-INF, INF], [-1, 1]) == 1.0  # infinities still have a sign


def test_mse_loss_matches_pytorch(torch):
    targets = [0.5, -1.0, 2.0, 0.0, 3.5, -2.25]
    scores = leaves(SCORES)
    s = torch.tensor(SCORES, dtype=torch.float64, requires_grad=True)
    loss_t = torch.nn.functional.mse_loss(s, torch.tensor(targets, dtype=torch.float64))
    check(mse_loss(scores, targets), scores, loss_t, s)


@pytest.mark.parametrize("logits", [SCORES, [40.0, -40.0, 750.0, -750.0, 0.0, 1e-3]])
def test_bce_with_logits_matches_pytorch_and_never_overflows(torch, logits):
    targets = [1.0, 0.0, 1.0, 0.0, 1.0, 0.25]
    scores = leaves(logits)
    s = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(targets, dtype=torch.float64)
    loss = bce_with_logits_loss(scores, targets)
    assert math.isfinite(loss.val)
    check(loss, scores, torch.nn.functional.binary_cross_entropy_with_logits(s, t), s)


@pytest.mark.parametrize("logit", [INF, -INF, NAN, 800.0, -800.0])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_with_logits_at_infinities_and_nan_is_pytorchs(torch, logit, target):
    s = Var(logit, req_grad=True)
    loss = regrad.apply(BCEWithLogits, s, target=target)
    loss.backward()
    s_t = torch.tensor(logit, dtype=torch.float64, requires_grad=True)
    loss_t = torch.nn.functional.binary_cross_entropy_with_logits(s_t, torch.tensor(target, dtype=torch.float64))
    loss_t.backward()
    assert same(loss.val, loss_t.item()), (loss.val, loss_t.item())
    assert same(s.grad, s_t.grad.item()), (s.grad, s_t.grad.item())


@pytest.mark.parametrize("logit", [0.7, -2.5, 0.0, 30.0, -30.0])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.25])
def test_bce_with_logits_second_derivative_and_jvp_match_pytorch(torch, logit, target):
    s = Var(logit, req_grad=True)
    loss = regrad.apply(BCEWithLogits, s, target=target)
    loss.backward(create_graph=True)
    first = s.grad
    assert isinstance(first, Var)
    (second,) = regrad.grad(first, [s])

    s_t = torch.tensor(logit, dtype=torch.float64, requires_grad=True)
    t_t = torch.tensor(target, dtype=torch.float64)
    loss_t = torch.nn.functional.binary_cross_entropy_with_logits(s_t, t_t)
    (first_t,) = torch.autograd.grad(loss_t, s_t, create_graph=True)
    (second_t,) = torch.autograd.grad(first_t, s_t)
    # at s = 30, t = 1 the derivative sigmoid(s) - t is a difference of numbers near 1: both round it to ~1e-16
    assert first.val == pytest.approx(first_t.item(), rel=1e-12, abs=1e-15)
    assert second == pytest.approx(second_t.item(), rel=1e-12, abs=1e-300)

    value, tangent = regrad.jvp(lambda x: regrad.apply(BCEWithLogits, x, target=target), [logit], [1.5])
    value_t, tangent_t = torch.func.jvp(
        lambda x: torch.nn.functional.binary_cross_entropy_with_logits(x, t_t),
        (torch.tensor(logit, dtype=torch.float64),),
        (torch.tensor(1.5, dtype=torch.float64),),
    )
    assert value == pytest.approx(value_t.item(), rel=1e-12, abs=1e-15)  # PyTorch loses digits near 0 (see below)
    assert tangent == pytest.approx(tangent_t.item(), rel=1e-12, abs=1e-15)


def test_bce_with_logits_is_exact_where_the_loss_is_tiny():
    for logit, target in ((-30.0, 0.0), (30.0, 1.0), (-700.0, 0.0)):
        loss = regrad.apply(BCEWithLogits, Var(logit), target=target).val
        assert loss == math.log1p(math.exp(-abs(logit))) > 0


def test_bce_uses_the_one_sigmoid_of_regrad_core(monkeypatch):
    calls = []
    real = regrad.ops.sigmoid
    monkeypatch.setattr("regrad_nn.losses.sigmoid", lambda x: calls.append(x) or real(x))
    s = Var(0.5, req_grad=True)
    regrad.apply(BCEWithLogits, s, target=1.0).backward()
    assert calls == [0.5] and s.grad == pytest.approx(real(0.5) - 1.0)


def test_l2_penalty_matches_pytorch(torch):
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
