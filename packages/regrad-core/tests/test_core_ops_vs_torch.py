"""Every op and operator, in both operand orders, against PyTorch in float64.

For each case the same expression is evaluated with regrad Vars and with
torch tensors; values and the gradients of every input must agree.
"""

from __future__ import annotations

import math

import pytest
from example_graphs import original_expression

import regrad
from regrad import Var

torch = pytest.importorskip("torch")  # PyTorch (float64) is the oracle of every test here

REL = 1e-12


def close(a: float, b: float, rel: float = REL) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=1e-12)


def check(fn, *values: float, const_positions=()) -> None:
    """fn(*inputs) with regrad and torch: same value, same grads for non-constant inputs."""
    rs = [Var(v, req_grad=i not in const_positions) for i, v in enumerate(values)]
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=i not in const_positions) for i, v in enumerate(values)]
    r_out = fn(*rs)
    t_out = fn(*ts)
    assert close(r_out.val, t_out.item()), (r_out.val, t_out.item())
    r_out.backward()
    t_out.backward()
    for i, (r, t) in enumerate(zip(rs, ts)):
        if i in const_positions:
            assert r.grad is None
            continue
        expected = 0.0 if t.grad is None else t.grad.item()
        got = 0.0 if r.grad is None else r.grad
        assert close(got, expected), (i, got, expected)


BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("a, b", [(1.7, 0.6), (0.3, -2.5), (2.0, 3.0)])
def test_binary_var_var(name: str, a: float, b: float) -> None:
    check(BINARY[name], a, b)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("a, b", [(1.7, 0.6), (0.3, -2.5), (2.0, 3.0)])
def test_binary_with_a_constant_var_on_either_side(name: str, a: float, b: float) -> None:
    check(BINARY[name], a, b, const_positions=(0,))
    check(BINARY[name], a, b, const_positions=(1,))


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("number", [0.75, 3, -2])
def test_binary_with_python_numbers_on_both_sides(name: str, number: float) -> None:
    x = 1.3
    op = BINARY[name]
    check(lambda v: op(v, number), x)
    if not (name == "pow" and number < 0):  # (-2) ** v has no real value: tested below
        check(lambda v: op(number, v), x)


def test_number_to_var_power_with_negative_base_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="VarPow"):
        (-2.0) ** Var(0.5, req_grad=True)


UNARY = {
    "neg": (lambda v: -v, [0.4, -1.2]),
    "exp": (lambda v: v.exp(), [0.4, -1.2, 3.0]),
    "log": (lambda v: v.log(), [0.4, 2.5]),
    "sqrt": (lambda v: v.sqrt(), [0.4, 2.5]),
    "sin": (lambda v: v.sin(), [0.4, -1.2, 3.0]),
    "cos": (lambda v: v.cos(), [0.4, -1.2, 3.0]),
    "tanh": (lambda v: v.tanh(), [0.4, -1.2, 3.0]),
    "relu": (lambda v: v.relu(), [0.4, -1.2, 0.0]),
    "sigmoid": (lambda v: v.sigmoid(), [0.4, -1.2, 30.0, -800.0]),
    "abs": (lambda v: v.abs(), [0.4, -1.2, 0.0]),
    "square": (lambda v: v**2, [0.4, -1.2, 0.0]),
    "cube": (lambda v: v**3, [0.4, -1.2]),
    "inverse": (lambda v: v**-1, [0.4, -1.2]),
    "fractional": (lambda v: v**1.5, [0.4, 2.5]),
    "power zero": (lambda v: v**0, [0.4, -1.2]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary(name: str) -> None:
    fn, points = UNARY[name]
    for x in points:
        check(fn, x)


def test_sum_and_dot_are_one_node_each_and_match_torch() -> None:
    ws = [0.5, -1.25, 2.0]
    xs = [1.5, 0.25, -3.0]

    def f(w0, w1, w2, x0, x1, x2):
        if isinstance(w0, Var):
            d = regrad.dot([w0, w1, w2], [x0, x1, x2])
            assert d.op.name == "Dot" and len(d.src) == 6
            s = regrad.sum([d, w0, 2.0, x2])
            assert s.op.name == "Sum" and len(s.src) == 4
            return s * d
        d = w0 * x0 + w1 * x1 + w2 * x2
        return (d + w0 + 2.0 + x2) * d

    check(f, *ws, *xs)
    check(f, *ws, *xs, const_positions=(3, 4, 5))


def test_dot_of_a_var_with_itself_accumulates_both_factors() -> None:
    check(lambda a, b: regrad.dot([a, b], [a, b]) if isinstance(a, Var) else a * a + b * b, 0.7, -1.9)


def test_var_exponent_where_base_is_zero_follows_torch() -> None:
    check(lambda a, b: a**b, 0.0, 2.5)


def test_the_original_example_matches_torch_and_prints_its_numbers() -> None:
    check(original_expression, -4.0, 2.0, 5.0, const_positions=(2,))
    a, b = Var(-4.0, req_grad=True), Var(2.0, req_grad=True)
    g = original_expression(a, b, Var(5))
    g.backward()
    assert (f"{g.val:.4f}", f"{a.grad:.4f}", f"{b.grad:.4f}") == ("24.7041", "222.1341", "978.7784")
