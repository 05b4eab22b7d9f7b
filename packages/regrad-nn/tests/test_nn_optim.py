"""SGD (with momentum) and Adam against torch.optim, and the learning-rate schedule."""

from __future__ import annotations

import math
import re

import pytest

import regrad
from regrad import Var
from regrad_nn import SGD, Adam, LinearDecay

START = [0.5, -1.5, 2.0, 0.25]


def loss_regrad(p):
    """A small non-quadratic loss so that the gradients change from step to step."""
    a, b, c, d = p
    return (a * b - 1) ** 2 + (c + d).tanh() * a + regrad.sum([x**4 for x in p]) * 0.1


def loss_torch(p):
    a, b, c, d = p
    return (a * b - 1) ** 2 + (c + d).tanh() * a + (p**4).sum() * 0.1


def run_both(torch, make_ours, make_theirs, steps=6):
    ours = [Var(v, req_grad=True) for v in START]
    theirs = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    opt, opt_t = make_ours(ours), make_theirs([theirs])
    for _ in range(steps):
        opt.zero_grad()
        loss_regrad(ours).backward()
        opt.step()
        opt_t.zero_grad()
        loss_torch(theirs).backward()
        opt_t.step()
        assert [p.val for p in ours] == pytest.approx(theirs.tolist(), rel=1e-12, abs=1e-14)


@pytest.mark.parametrize("momentum", [0.0, 0.9])
@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_sgd_matches_torch(torch, momentum, weight_decay):
    run_both(
        torch,
        lambda p: SGD(p, lr=0.05, momentum=momentum, weight_decay=weight_decay),
        lambda p: torch.optim.SGD(p, lr=0.05, momentum=momentum, weight_decay=weight_decay),
    )


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
def test_adam_matches_torch(torch, weight_decay):
    run_both(
        torch,
        lambda p: Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-8, weight_decay=weight_decay),
        lambda p: torch.optim.Adam(p, lr=0.1, betas=(0.8, 0.99), eps=1e-8, weight_decay=weight_decay),
    )


def test_step_builds_no_graph_and_keeps_the_same_vars():
    p = Var(1.0, req_grad=True)
    opt = SGD([p], lr=0.5)
    (p * p).backward()
    opt.step()
    assert p.val == 0.0 and p.is_leaf and p.src is None


def test_step_without_backward_raises():
    p = Var(1.0, req_grad=True)
    opt = Adam([p])
    with pytest.raises(RuntimeError, match=re.escape("call loss.backward() before step()")):
        opt.step()


def test_parameters_without_grad_are_skipped():
    used, unused = Var(1.0, req_grad=True), Var(3.0, req_grad=True)
    for opt in (SGD([used, unused], lr=0.5, momentum=0.9), Adam([used, unused], lr=0.5)):
        (used * 2).backward()
        opt.step()
        assert unused.val == 3.0 and unused.grad is None
        used.grad = None


def test_zero_grad_sets_gradients_to_zero():
    p = Var(1.0, req_grad=True)
    opt = SGD([p], lr=0.1)
    (p * 3).backward()
    opt.zero_grad()
    assert p.grad == 0.0


def test_bad_parameters_and_settings_are_rejected():
    with pytest.raises(ValueError, match="empty parameter list"):
        SGD([], lr=0.1)
    with pytest.raises(ValueError, match="req_grad=True"):
        SGD([Var(1.0)], lr=0.1)
    with pytest.raises(TypeError, match=re.escape("not a regrad.Var")):
        SGD([1.0], lr=0.1)
    with pytest.raises(ValueError, match="lr must be a finite number"):
        SGD([Var(1.0, req_grad=True)], lr=-1)
    with pytest.raises(ValueError, match=re.escape("beta2 must be in [0, 1)")):
        Adam([Var(1.0, req_grad=True)], betas=(0.9, 1.0))


def schedule(total_steps, lr=1.0, **options):
    return LinearDecay(SGD([Var(0.0, req_grad=True)], lr=lr), total_steps, **options)


def test_linear_decay_is_the_original_regrads_schedule():
    assert [schedule(100).lr_at(k) for k in range(100)] == [1.0 - 0.9 * k / 100 for k in range(100)]
    assert schedule(10, start=0.5, end=0.0).lr_at(0) == 0.5
    assert schedule(10, start=0.5, end=0.0).lr_at(10) == 0.0
    with pytest.raises(ValueError, match=re.escape("LinearDecay total_steps must be a positive int, got 0")):
        schedule(0)
    with pytest.raises(ValueError, match=re.escape("LinearDecay total_steps must be a positive int, got 2.5")):
        schedule(2.5)


def test_linear_decay_scheduler_sets_the_optimizers_lr():
    opt = SGD([Var(0.0, req_grad=True)], lr=1.0)
    schedule = LinearDecay(opt, total_steps=100)
    seen = []
    for _ in range(100):
        seen.append(opt.lr)
        schedule.step()
    assert seen == [1.0 - 0.9 * k / 100 for k in range(100)]


def test_linear_decay_holds_the_final_rate_after_total_steps():
    opt = SGD([Var(0.0, req_grad=True)], lr=1.0)
    decay = LinearDecay(opt, total_steps=10, end=0.0)
    seen = []
    for _ in range(30):
        decay.step()
        seen.append(opt.lr)
    assert seen[9:] == [0.0] * 21  # it used to go on: -0.1, -0.2, ... (ascent instead of descent)
    assert decay.lr_at(10**9) == 0.0
    with pytest.raises(ValueError, match="LinearDecay end must be a finite number >= 0"):
        schedule(10, end=-0.5)


def test_the_same_parameter_twice_is_rejected():
    p, q = Var(1.0, req_grad=True), Var(2.0, req_grad=True)
    for make in (SGD, Adam):
        with pytest.raises(ValueError, match="parameter 2 is the same Var as parameter 0"):
            make([p, q, p], lr=0.1)


def test_adam_needs_a_positive_eps():
    p = Var(1.0, req_grad=True)
    with pytest.raises(ValueError, match="Adam eps must be a finite number > 0, got 0"):
        Adam([p], eps=0)
    with pytest.raises(ValueError, match="Adam eps must be a finite number > 0"):
        Adam([p], eps=math.nan)
    opt = Adam([p], eps=1e-300)
    p.grad = 0.0  # a zero gradient: m = v = 0, the step is 0 / (0 + eps)
    opt.step()
    assert p.val == 1.0


@pytest.mark.parametrize("make", [lambda p: SGD(p, lr=0.1, momentum=0.5), lambda p: Adam(p, lr=0.1)])
def test_a_var_gradient_from_create_graph_is_used_by_its_value(make):
    p = Var(3.0, req_grad=True)
    twin = Var(3.0, req_grad=True)
    opt, opt_twin = make([p]), make([twin])
    for _ in range(3):
        opt.zero_grad()
        opt_twin.zero_grad()
        (p**3).backward(create_graph=True)
        assert isinstance(p.grad, Var)  # d(p**3)/dp = 3 p**2, as a graph
        (twin**3).backward()
        opt.step()
        opt_twin.step()
        assert type(p.val) is float and p.is_leaf and p.src is None  # the update is not part of any graph
        assert p.val == twin.val
    opt.zero_grad()
    assert p.grad == 0.0 and type(p.grad) is float
