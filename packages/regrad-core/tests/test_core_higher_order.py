"""Derivatives of derivatives (create_graph), regrad.grad, forward mode (jvp) and hessian, against PyTorch."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from random_programs import VALUES, programs

import regrad
from regrad import Op, Var

torch = pytest.importorskip("torch")  # PyTorch (float64) is the oracle of every test here


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@settings(max_examples=120, deadline=None, derandomize=True)
@given(programs())
def test_second_derivatives_of_random_dags_match_torch_double_backward(program) -> None:
    out, t_out, leaves, t_leaves = program
    if not out.req_grad:
        return
    firsts = regrad.grad(out, leaves, create_graph=True)
    t_firsts = torch.autograd.grad(t_out, t_leaves, create_graph=True, allow_unused=True)
    for i, (g, tg) in enumerate(zip(firsts, t_firsts)):
        t_value = 0.0 if tg is None else tg.item()
        assert close(float(g.val), t_value), (i, g.val, t_value)
        if not g.req_grad:  # a constant first derivative: its derivatives are 0
            if tg is not None and tg.requires_grad:
                t_row = torch.autograd.grad(tg, t_leaves, retain_graph=True, allow_unused=True)
                assert all(r is None or r.item() == 0.0 for r in t_row)
            continue
        row = regrad.grad(g, leaves, retain_graph=True)
        t_row = torch.autograd.grad(tg, t_leaves, retain_graph=True, allow_unused=True)
        for j, (h, th) in enumerate(zip(row, t_row)):
            expected = 0.0 if th is None else th.item()
            assert close(h, expected), (i, j, h, expected)


UNARY = {
    "neg": lambda v: -v,
    "exp": lambda v: v.exp(),
    "log": lambda v: v.log(),
    "sqrt": lambda v: v.sqrt(),
    "sin": lambda v: v.sin(),
    "cos": lambda v: v.cos(),
    "tanh": lambda v: v.tanh(),
    "relu": lambda v: v.relu(),
    "sigmoid": lambda v: v.sigmoid(),
    "abs": lambda v: v.abs(),
    "square": lambda v: v**2,
    "cube": lambda v: v**3,
    "inverse": lambda v: v**-1,
    "fractional": lambda v: v**1.5,
    "x to the x": lambda v: v**v,
    "two to the x": lambda v: 2.0**v,
    "reciprocal": lambda v: 1.0 / v,
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_derivatives_up_to_the_fourth_order_of_chains_match_repeated_torch_grad(name: str) -> None:
    op = UNARY[name]

    def chain(v):
        return op(op(v) * 0.5 + 1.2)  # stays inside every op's domain at x = 0.7

    x = Var(0.7, req_grad=True)
    t = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    y, ty = chain(x), chain(t)
    assert close(y.val, ty.item())
    for order in range(1, 5):
        last = order == 4
        if isinstance(y, Var) and not y.req_grad:  # a constant: every further derivative is 0
            got = 0.0
        else:
            (y,) = regrad.grad(y, x, create_graph=not last)
            got = y if isinstance(y, float) else y.val
        if ty is None or not ty.requires_grad:
            expected = 0.0
        else:
            (ty,) = torch.autograd.grad(ty, t, create_graph=not last, allow_unused=True)
            expected = 0.0 if ty is None else ty.item()
        assert close(got, expected), (name, order, got, expected)


def test_backward_with_create_graph_makes_grads_that_are_graphs() -> None:
    x = Var(2.0, req_grad=True)
    y = x**3
    y.backward(create_graph=True)
    assert isinstance(x.grad, Var) and x.grad.val == 12.0 and x.grad.req_grad
    g = x.grad
    x.grad = None
    g.backward()
    assert x.grad == 12.0  # d/dx 3x**2 = 6x
    y.backward(create_graph=True)  # retain_graph defaulted to True, so a second pass works
    assert isinstance(x.grad, Var) and x.grad.val == 12.0 + 12.0  # accumulated into the float, as a graph


def test_grad_touches_no_grad_and_gives_zero_for_unused_inputs() -> None:
    x, y, unused = Var(1.5, req_grad=True), Var(-2.0, req_grad=True), Var(3.0, req_grad=True)
    out = x * y + x.sin()
    gx, gy, gu = regrad.grad(out, [x, y, unused], retain_graph=True)
    assert (gx, gy, gu) == (pytest.approx(-2.0 + math.cos(1.5)), 1.5, 0.0)
    assert x.grad is None and y.grad is None and unused.grad is None
    _, hu = regrad.grad(out, (x, unused), create_graph=True)
    assert isinstance(hu, Var) and hu.val == 0.0 and not hu.req_grad
    (g_single,) = regrad.grad(out, x)  # a single Var is fine; without retain_graph the graph is used up
    assert g_single == gx
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        regrad.grad(out, x)


def test_gradients_taken_with_create_graph_are_vars_of_their_own() -> None:
    x, y = Var(2.0, req_grad=True), Var(5.0, req_grad=True)
    gx, gy = regrad.grad(x + y, [x, y], create_graph=True)
    assert isinstance(gx, Var) and isinstance(gy, Var) and (gx.val, gy.val) == (1.0, 1.0)
    (dx,) = regrad.grad(x * y, x, create_graph=True)  # d(x * y)/dx is y, but not y itself
    assert dx is not y and dx.val == 5.0 and regrad.grad(dx, y) == (1.0,)
    y.val = 7.0
    assert dx.val == 5.0  # changing y does not change a gradient already taken
    (x * y).backward(create_graph=True)
    assert isinstance(x.grad, Var) and x.grad is not y and x.grad.val == 7.0
    (x + y).backward(create_graph=True)
    assert isinstance(y.grad, Var) and y.grad.val == 2.0 + 1.0


def test_the_hessian_of_a_power_is_symmetric_where_the_exponent_is_zero() -> None:
    """d/db of d(a ** b)/da = b a**(b-1) is a**(b-1) at b = 0: PyTorch drops it (its first derivative is a masked 0)."""
    h = regrad.hessian(lambda a, b: a**b, [2.0, 0.0])
    assert h[0][1] == pytest.approx(0.5) and h[1][0] == pytest.approx(0.5)
    eps = 1e-6  # central differences of the gradient
    dfa = lambda a, b: b * a ** (b - 1)  # noqa: E731
    assert h[0][1] == pytest.approx((dfa(2.0, eps) - dfa(2.0, -eps)) / (2 * eps), rel=1e-6)
    a, b = (torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in (2.0, 0.0))
    (ta,) = torch.autograd.grad(a**b, a, create_graph=True)
    assert torch.autograd.grad(ta, b)[0].item() == 0.0  # the documented difference


def test_grad_with_respect_to_an_intermediate_var() -> None:
    x = Var(0.5, req_grad=True)
    h = x * 3.0
    out = h.tanh()
    (dh,) = regrad.grad(out, h)
    assert dh == pytest.approx(1 - math.tanh(1.5) ** 2)


class TorchStyleCube(Op):
    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return x**3

    def backward(self, grad: float) -> tuple[float]:
        return (3 * self.x**2 * grad,)


def test_a_torch_style_op_works_for_first_derivatives_and_jvp_but_says_what_to_add_for_more() -> None:
    x = Var(2.0, req_grad=True)
    y = regrad.apply(TorchStyleCube, x)
    assert regrad.grad(y, x, retain_graph=True) == (12.0,)
    assert regrad.jvp(lambda v: regrad.apply(TorchStyleCube, v), [2.0], [0.5]) == (8.0, 6.0)
    with pytest.raises(
        NotImplementedError, match=r"TorchStyleCube defines only backward.*derivatives\(out, \*inputs\)"
    ):
        y.backward(create_graph=True)
    with pytest.raises(NotImplementedError, match="TorchStyleCube"):
        regrad.grad(y * 2.0, x, create_graph=True)
    assert x.grad is None


def dot(a, b):
    return a * b if isinstance(a, torch.Tensor) else regrad.dot([a], [b])


def sum3(a, b, c):
    return a + b + c if isinstance(a, torch.Tensor) else regrad.sum([a, b, c])


SMOOTH = [
    lambda a, b: (a * b).tanh() + (a - b).sin() * a.exp(),
    lambda a, b: (a * a + 1.0).log() / (b.sigmoid() + 0.5),
    lambda a, b: (a * a + b * b + 0.1).sqrt() ** 1.5 - dot(a, b),
    lambda a, b: (a.abs() + 0.5) ** b.cos() + sum3(a, b, a * b),
    lambda a, b: (a * 2.0).relu() * b + (a - b).cos() ** 2,
]


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(range(len(SMOOTH))), VALUES, VALUES, VALUES, VALUES)
def test_jvp_matches_torch_func_jvp(which: int, a: float, b: float, ta: float, tb: float) -> None:
    f = SMOOTH[which]
    value, derivative = regrad.jvp(f, [a, b], [ta, tb])
    t_value, t_derivative = torch.func.jvp(
        f,
        (torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64)),
        (torch.tensor(ta, dtype=torch.float64), torch.tensor(tb, dtype=torch.float64)),
    )
    assert close(value, t_value.item()) and close(derivative, t_derivative.item())


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.sampled_from(range(len(SMOOTH))), VALUES, VALUES)
def test_hessian_matches_torch_autograd_functional_hessian(which: int, a: float, b: float) -> None:
    f = SMOOTH[which]
    ours = regrad.hessian(f, [a, b])
    theirs = torch.autograd.functional.hessian(
        f, (torch.tensor(a, dtype=torch.float64), torch.tensor(b, dtype=torch.float64))
    )
    for i in range(2):
        for j in range(2):
            assert close(ours[i][j], theirs[i][j].item()), (i, j, ours, theirs)


def test_jvp_and_hessian_reject_bad_input_clearly_and_leave_nothing_behind() -> None:
    f = lambda x, y: x * y  # noqa: E731
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        regrad.jvp(f, [1.0, 2.0], [1.0])
    with pytest.raises(TypeError, match="primal 1 must be a real number"):
        regrad.jvp(f, [1.0, "2"], [1.0, 0.0])
    with pytest.raises(TypeError, match="tangent 0 must be a real number"):
        regrad.jvp(f, [1.0, 2.0], [None, 0.0])
    with pytest.raises(TypeError, match="primal 0 is a Var"):
        regrad.hessian(f, [Var(1.0), 2.0])
    with pytest.raises(TypeError, match="f must return a Var, got float"):
        regrad.jvp(lambda x: 3.0, [1.0], [1.0])
    with pytest.raises(TypeError, match="f must return a Var"):
        regrad.hessian(lambda x: None, [1.0])
    with pytest.raises(TypeError, match="input 1 is a float, not a Var"):
        regrad.grad(Var(1.0, req_grad=True) * 2, [Var(1.0), 2.0])
    with pytest.raises(TypeError, match="output must be a Var"):
        regrad.grad(2.0, [Var(1.0)])  # type: ignore[arg-type]
    assert regrad.is_grad_enabled()
    assert regrad.jvp(lambda x: Var(3.0), [1.0], [1.0]) == (3.0, 0.0)  # f that ignores its input
    assert regrad.hessian(lambda x, y: x + y, [1.0, 2.0]) == [[0.0, 0.0], [0.0, 0.0]]


def test_newtons_method_with_create_graph_finds_a_minimum() -> None:
    x = Var(2.0, req_grad=True)
    for _ in range(8):
        y = (x - 1.0) ** 4 + (x - 1.0) ** 2 + x.sin() * 0.1
        (g,) = regrad.grad(y, x, create_graph=True)
        (h,) = regrad.grad(g, x)
        x = Var(x.val - g.val / h, req_grad=True)
    t = torch.tensor(x.val, dtype=torch.float64, requires_grad=True)
    ty = (t - 1) ** 4 + (t - 1) ** 2 + t.sin() * 0.1
    (tg,) = torch.autograd.grad(ty, t)
    assert abs(tg.item()) < 1e-12
