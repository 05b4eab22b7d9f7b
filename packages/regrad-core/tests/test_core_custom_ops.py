"""User-defined ops, in both styles, and what the engine checks about them."""

from __future__ import annotations

import math

import numpy as np
import pytest

import regrad
from regrad import Op, Var


class Softplus(Op):
    """softplus(x) = log(1 + e^x);  d/dx = sigmoid(x). Written with derivatives()."""

    def forward(self, x: float) -> float:
        return math.log1p(math.exp(x))

    def derivatives(self, z, x):
        return (regrad.ops.divide(1.0, 1.0 + regrad.ops.exp(-x)),)


class TorchStyleSoftplus(Op):
    """The same op written PyTorch's way: forward saves x, backward(grad) uses it."""

    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return math.log1p(math.exp(x))

    def backward(self, grad: float) -> tuple[float]:
        return (grad / (1.0 + math.exp(-self.x)),)


@pytest.mark.parametrize("op", [Softplus, TorchStyleSoftplus])
def test_both_styles_match_torch_and_pass_gradcheck(op) -> None:
    torch = pytest.importorskip("torch")
    x = Var(0.3, req_grad=True)
    y = regrad.apply(op, x) * x
    t = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    u = torch.nn.functional.softplus(t) * t
    y.backward()
    u.backward()
    assert y.val == pytest.approx(u.item(), rel=1e-14)
    assert x.grad == pytest.approx(t.grad.item(), rel=1e-14)
    assert regrad.gradcheck(lambda v: regrad.apply(op, v), [0.7])


def test_an_op_instance_can_serve_many_nodes_but_not_a_torch_style_one() -> None:
    shared = Softplus()
    a, b = Var(0.1, req_grad=True), Var(0.2, req_grad=True)
    y = regrad.apply(shared, a) + regrad.apply(shared, b)
    y.backward()
    assert a.grad == pytest.approx(1 / (1 + math.exp(-0.1))) and b.grad == pytest.approx(1 / (1 + math.exp(-0.2)))
    with pytest.raises(ValueError, match="needs its own instance"):
        regrad.apply(TorchStyleSoftplus(), a)
    with pytest.raises(TypeError, match="arguments when making it"):
        regrad.apply(regrad.ops.Pow(2), a, power=3)
    with pytest.raises(TypeError, match="Op subclass or instance"):
        regrad.apply(math.exp, a)  # type: ignore[arg-type]


def backward_returning(value):
    class Bad(Op):
        def forward(self, x: float) -> float:
            return 2.0 * x

        def backward(self, grad: float):
            return value

    return Bad


def derivatives_returning(value):
    class Bad(Op):
        def forward(self, x: float) -> float:
            return 2.0 * x

        def derivatives(self, z, x):
            return value

    return Bad


@pytest.mark.parametrize("make", [backward_returning, derivatives_returning])
@pytest.mark.parametrize(
    "value, error, words",
    [
        ((1j,), TypeError, "returned a complex for input 0"),
        ((np.array([1.0, 2.0]),), TypeError, "returned a ndarray for input 0"),
        ((Var(1.0),), TypeError, "returned a Var for input 0"),
        (("a",), TypeError, "returned a str for input 0"),
        ((True,), TypeError, "returned a bool for input 0"),
        (2.0, TypeError, "must return a tuple of 1 numbers"),
        ((1.0, 2.0), ValueError, "returned 2 values for 1 inputs"),
    ],
)
def test_what_a_user_op_returns_is_checked_and_named(make, value, error, words) -> None:
    op = make(value)
    x = Var(1.0, req_grad=True)
    y = regrad.apply(op, x)
    with pytest.raises(error, match=words):
        y.backward()
    assert x.grad is None  # nothing was stored


def test_none_from_backward_is_a_type_error_but_none_from_derivatives_means_no_gradient() -> None:
    x = Var(1.0, req_grad=True)
    with pytest.raises(TypeError, match=r"Bad\.backward must return a tuple of 1 numbers .* got None"):
        regrad.apply(backward_returning(None), x).backward()
    regrad.apply(derivatives_returning(None), x).backward()
    assert (
        x.grad == 0.0
    )  # reached by the pass, but nothing flowed (an op that sets may_block is not even looked behind)


def test_numpy_numbers_from_a_rule_become_floats() -> None:
    x = Var(1.0, req_grad=True)
    regrad.apply(backward_returning((np.float64(3.0),)), x).backward()
    assert type(x.grad) is float and x.grad == 3.0


def test_the_core_dot_needs_an_even_number_of_inputs() -> None:
    a, b, c = (Var(v, req_grad=True) for v in (1.0, 2.0, 3.0))
    with pytest.raises(ValueError, match=r"Dot needs .*an even count.*got 3"):
        regrad.apply(regrad.ops.Dot, a, b, c)


def test_gradcheck_catches_a_backward_that_ignores_its_gradient() -> None:
    class IgnoresGrad(Op):
        def forward(self, x: float) -> float:
            return 3.0 * x

        def backward(self, grad: float) -> tuple[float]:
            return (3.0,)  # should be 3.0 * grad

    with pytest.raises(regrad.GradcheckError, match="input 0"):
        regrad.gradcheck(lambda v: regrad.apply(IgnoresGrad, v), [0.5])
    assert regrad.gradcheck(lambda v: 3.0 * v, [0.5])


def test_make_node_builds_what_apply_builds_and_checks_its_inputs() -> None:
    w, x = Var(0.5, req_grad=True), Var(2.0)
    op = Softplus()
    made = regrad.make_node(op, (w,), op.forward(w.val))
    applied = regrad.apply(op, w)
    assert made.val == applied.val and made.op is op and made.src == (w,)
    made.backward()
    assert w.grad == pytest.approx(1 / (1 + math.exp(-0.5)))
    with pytest.raises(TypeError, match="inputs must be a tuple of Vars, got list"):
        regrad.make_node(op, [w], 1.0)  # type: ignore[arg-type]
    bad = regrad.make_node(op, (w, 2.0), 1.0)  # type: ignore[arg-type]  # not looked at, for speed: caught later
    with pytest.raises(TypeError, match=r"Softplus has inputs that are not Vars: \[2\.0\]"):
        bad.backward()
    with pytest.raises(TypeError, match="defines derivatives"):
        regrad.make_node(TorchStyleSoftplus(), (w,), 1.0)
    assert not regrad.make_node(op, (x,), op.forward(x.val)).req_grad  # constants in: a constant out
    with pytest.raises(TypeError, match=r"make_node\(\): inputs must be Vars, got \[2\.0\]"):
        regrad.make_node(op, (2.0, w), 1.0)  # type: ignore[arg-type]  # before the first input that needs grad


class UncheckedGate(Op):
    """Passes x where g > 0; a list of derivatives, unchecked (``check_results = False``), may block."""

    may_block = True
    check_results = False

    def forward(self, x: float, g: float) -> float:
        return x if g > 0 else 0.0

    def derivatives(self, z, x, g):
        return [1.0, 0.0] if regrad.ops.value(g) > 0 else None


def test_an_unchecked_blocking_op_may_return_its_derivatives_as_a_list() -> None:
    x = Var(3.0, req_grad=True)
    y = regrad.apply(UncheckedGate, x * 2.0, Var(1.0, req_grad=True))
    y.backward()
    assert x.grad == 2.0  # the pass went behind the gate


class Scaled(Op):
    """PyTorch's style, with a setting made in __init__ that is not listed in arg_names."""

    def __init__(self, k: float) -> None:
        self.k = k

    def forward(self, x: float) -> float:
        self.x = x
        return self.k * x

    def backward(self, grad: float) -> tuple[float]:
        return (self.k * grad,)


def test_backward_releases_only_what_forward_saved_in_a_torch_style_op() -> None:
    x = Var(3.0, req_grad=True)
    y = regrad.apply(Scaled, x, k=2.0) * x
    scaled = y.src[0].op
    y.backward()
    assert scaled.k == 2.0 and not hasattr(scaled, "x")  # the setting stays, the saved context is released
    steps = regrad.backward_steps(y)  # the graph can still be replayed (and drawn)
    assert [s.derivatives for s in steps if s.node.op is scaled] == [(2.0,)]
    assert x.grad == 12.0  # d/dx 2x * x


def test_the_gradient_functions_do_not_rerun_a_torch_style_forward_on_a_fresh_graph() -> None:
    calls = []

    class Counted(Scaled):
        def forward(self, x: float) -> float:
            calls.append(x)
            return super().forward(x)

    x = Var(3.0, req_grad=True)
    y = regrad.apply(Counted, x, k=2.0)
    assert regrad.grad(y, x) == (2.0,) and calls == [3.0]  # forward ran once, when the graph was built


def test_var_accepts_numpy_bools_and_integral_exponents() -> None:
    assert Var(np.bool_(True)).val == 1.0
    y = Var(3.0, req_grad=True) ** np.int64(2)
    assert y.op.args == {"power": 2} and type(y.op.power) is int
    assert (Var(2.0) ** np.float64(0.5)).val == pytest.approx(math.sqrt(2))
