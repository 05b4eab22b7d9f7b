"""The graph after backward, nodes no gradient flows through, and ``backward_steps`` in every state."""

from __future__ import annotations

import math

import pytest

import regrad
from regrad import Op, Var


def example():
    a = Var(2.0, req_grad=True, name="a")
    b = Var(-3.0, req_grad=True, name="b")
    out = (a * b).tanh() + a.exp() / b
    return out, a, b


def summary(steps):
    return [(s.node, s.grad, s.input_grads, s.derivatives, s.blocked, s.error) for s in steps]


def test_backward_steps_after_backward_equal_those_before() -> None:
    out, a, b = example()
    before = summary(regrad.backward_steps(out))
    out.backward()
    after = summary(regrad.backward_steps(out))
    assert after == before
    by_node = {id(s.node): s for s in regrad.backward_steps(out)}
    assert by_node[id(a)].grad == a.grad and by_node[id(b)].grad == b.grad  # the steps end at the leaves' grads
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        out.backward()


def test_steps_carry_local_derivatives_and_what_the_chain_rule_sends() -> None:
    a, b = Var(2.0, req_grad=True), Var(-3.0, req_grad=True)
    c = a * b
    out = c / 4.0
    steps = regrad.backward_steps(out, grad=2.0)
    first, mul = steps[0], steps[1]
    assert first.node is out and first.grad == 2.0
    assert first.derivatives == (0.25, pytest.approx(-c.val / 16.0))
    assert first.input_grads == (0.5, pytest.approx(2.0 * -c.val / 16.0))
    assert mul.node is c and mul.grad == 0.5 and mul.derivatives == (-3.0, 2.0) and mul.input_grads == (-1.5, 1.0)


class TorchStyleSquare(Op):
    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return x * x

    def backward(self, grad: float) -> tuple[float]:
        return (2.0 * self.x * grad,)


def test_a_torch_style_op_releases_its_saved_context_and_the_steps_recompute_it() -> None:
    x = Var(3.0, req_grad=True)
    y = regrad.apply(TorchStyleSquare, x) * 2.0
    square = y.src[0]
    before = summary(regrad.backward_steps(y))
    y.backward()
    assert not hasattr(square.op, "x")  # released: it existed only for the backward pass
    assert summary(regrad.backward_steps(y)) == before
    assert x.grad == 12.0
    assert regrad.backward_steps(y)[1].derivatives == (6.0,)  # what backward(1.0) returns


def test_retain_graph_keeps_a_torch_style_ops_context() -> None:
    x = Var(3.0, req_grad=True)
    y = regrad.apply(TorchStyleSquare, x)
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad == 12.0


def test_the_pass_does_not_look_behind_a_node_no_gradient_flows_through() -> None:
    x = Var(-1.0, req_grad=True, name="x")
    w = Var(0.5, req_grad=True, name="w")
    hidden = (x * w).relu()  # off: relu(-0.5) = 0
    out = hidden + w * 3.0
    steps = regrad.backward_steps(out)
    blocked = [s for s in steps if s.blocked]
    assert [s.node for s in blocked] == [hidden]
    assert blocked[0].input_grads == () and blocked[0].grad == 1.0
    assert x not in [s.node for s in steps]  # behind the off ReLU: never visited
    out.backward()
    assert w.grad == 3.0  # only through w * 3
    assert x.grad is None  # no gradient reached x: it keeps what it had
    x2 = Var(-1.0, req_grad=True)
    x2.grad = 5.0
    y = x2.relu()
    y.backward()
    assert x2.grad == 5.0


def test_a_relu_at_nan_lets_the_gradient_through() -> None:
    x = Var(math.nan, req_grad=True)
    steps = regrad.backward_steps(x.relu())
    assert not steps[0].blocked and steps[0].derivatives == (1.0,)


def test_a_relu_at_minus_infinity_passes_zero_so_that_zero_times_infinity_behind_it_is_nan() -> None:
    x = Var(0.0, req_grad=True)
    y = x.log().relu()  # log(0) = -inf, whose derivative at 0 is inf
    steps = regrad.backward_steps(y)
    assert not steps[0].blocked and steps[0].derivatives == (0.0,)
    y.backward()
    torch = pytest.importorskip("torch")
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    t.log().relu().backward()
    assert math.isnan(t.grad.item()) and math.isnan(x.grad)


def test_backward_steps_checks_its_starting_gradient() -> None:
    x = Var(2.0, req_grad=True)
    with pytest.raises(TypeError, match="backward_steps\\(\\) grad must be a real number, got str"):
        regrad.backward_steps(x * x, grad="ab")  # type: ignore[arg-type]
    assert regrad.backward_steps(x * x, grad=3)[0].input_grads == (6.0, 6.0)


class Explodes(Op):
    def forward(self, x: float) -> float:
        return x

    def derivatives(self, z, x):
        raise ArithmeticError("this rule does not work at x = 1")


def test_a_failing_rule_raises_in_backward_and_stops_the_recorded_steps() -> None:
    x = Var(1.0, req_grad=True)
    bad = regrad.apply(Explodes, x)
    out = bad * 2.0 + x
    with pytest.raises(ArithmeticError, match="x = 1"):
        regrad.backward_steps(out)
    steps = regrad.backward_steps(out, record_errors=True)
    assert steps[-1].node is bad and isinstance(steps[-1].error, ArithmeticError)
    assert steps[-1].grad == 2.0  # what it received before its rule failed
    assert all(s.error is None for s in steps[:-1])
    with pytest.raises(ArithmeticError):
        out.backward()
    assert x.grad is None  # a failed backward stores nothing
    assert not out.released  # and uses nothing up


def test_a_failing_torch_style_backward_is_recorded_too() -> None:
    class Broken(Op):
        def forward(self, x: float) -> float:
            return x

        def backward(self, grad: float) -> tuple[float]:
            raise ValueError("no backward here")

    out = regrad.apply(Broken, Var(1.0, req_grad=True)) * 3.0
    steps = regrad.backward_steps(out, record_errors=True)
    assert [s.error is not None for s in steps] == [False, True] and steps[1].grad == 3.0


def test_topological_order_lists_every_node_even_behind_a_blocked_one() -> None:
    x = Var(-1.0, req_grad=True)
    y = (x * 2.0).relu()
    assert len(regrad.topological_order(y)) == 3  # relu, mul, x
    assert len(regrad.backward_steps(y)) == 1  # the pass stops at the off relu
