"""One policy for NaN and infinity, op by op, against PyTorch float64.

Every op is evaluated at special inputs (NaN, ±inf, ±0, huge values, values
that overflow) with regrad and with torch. Values and gradients must be
what torch gives, except in the cases listed in ``DIFFERENCES`` (the same list
as the table in the core README): there regrad raises ValueError where
torch returns NaN. A gradient of None (the backward pass did not reach the
input, because no gradient flows through an off ReLU) is allowed only where
torch's gradient is exactly 0.
"""

from __future__ import annotations

import math

import pytest

import regrad
from regrad import Var

torch = pytest.importorskip("torch")  # PyTorch (float64) is the oracle of every test here

NAN, INF = math.nan, math.inf
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 1.0, -1.0, 2.5, -2.5, 1e308, -1e308, 710.0, -745.5]

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
    "pow 2": lambda v: v**2,
    "pow 3": lambda v: v**3,
    "pow -1": lambda v: v**-1,
    "pow -2": lambda v: v**-2,
    "pow 0.5": lambda v: v**0.5,
    "pow -0.5": lambda v: v**-0.5,
    "pow 1.5": lambda v: v**1.5,
    "pow 0": lambda v: v**0,
    "pow 1": lambda v: v**1,
}

BINARY = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b,
    "varpow": lambda a, b: a**b,
}


def finite_outside_domain(name: str, *xs: float) -> bool:
    """Where regrad deliberately raises ValueError (the README's table; torch gives NaN, or 0 at 0 ** 0)."""
    if not all(math.isfinite(x) for x in xs):
        return False
    if name in ("log", "sqrt"):
        return xs[0] < 0
    if name.startswith("pow "):
        p = float(name.split()[1])
        return xs[0] < 0 and not p.is_integer()
    if name == "div":
        return xs[0] == 0 and xs[1] == 0
    if name == "varpow":
        a, b = xs
        # a negative base has no real power for fractional b, and no d/db = z ln(a) at all; 0 ** b jumps at b = 0
        return a < 0 or (a == 0 and b == 0)
    return False


def nan_where_torch_is_not(name: str, *xs: float) -> bool:
    """-inf to a fractional power: regrad gives NaN (no real value, as for finite negative bases).

    PyTorch gives inf there, except for x ** 0.5 and x ** -0.5 (computed as sqrt), which give NaN.
    """
    p = float(name.split()[1]) if name.startswith("pow ") else xs[1] if name == "varpow" else None
    return p is not None and xs[0] == -INF and math.isfinite(p) and not p.is_integer()


def same(ours: float | None, theirs: float, signed_zero_input: bool = False) -> bool:
    if ours is None:
        return False
    if math.isnan(theirs) or math.isnan(ours):
        return math.isnan(theirs) and math.isnan(ours)
    if math.isinf(theirs) or math.isinf(ours):
        # the sign of an infinity that comes from a -0.0 is not part of the policy
        return ours == theirs or (signed_zero_input and abs(ours) == abs(theirs))
    return math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-300)


def run_torch(fn, values, constants=()):
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    cs = [torch.tensor(c, dtype=torch.float64) for c in constants]  # a number in regrad is a constant Var
    out = fn(*ts, *cs)
    out.backward()
    return out.item(), [0.0 if t.grad is None else t.grad.item() for t in ts]


def run_regrad(fn, values, constants=()):
    xs = [Var(v, req_grad=True) for v in values]
    out = fn(*xs, *constants)
    out.backward()
    return out.val, [x.grad for x in xs]


def check(name, fn, values, operands=None, constants=()):
    """``fn`` at ``values`` (Vars) and ``constants``; ``operands``: the op's operands in order, numbers included."""
    operands = values if operands is None else operands
    t_val, t_grads = run_torch(fn, values, constants)
    if finite_outside_domain(name, *operands):
        with pytest.raises(ValueError, match=name.split()[0].capitalize() if name != "varpow" else "VarPow"):
            run_regrad(fn, values, constants)
        return
    r_val, r_grads = run_regrad(fn, values, constants)
    if nan_where_torch_is_not(name, *operands):
        assert math.isnan(r_val) and all(g is None or math.isnan(g) for g in r_grads), (name, values)
        return
    signed_zero = any(math.copysign(1.0, x) < 0 and x == 0 for x in operands)
    assert same(r_val, t_val, signed_zero), (name, values, r_val, t_val)
    for i, (r, t) in enumerate(zip(r_grads, t_grads)):
        if r is None:  # not reached: no gradient flows to it
            assert t == 0.0, (name, values, i, t)
        else:
            assert same(r, t, signed_zero), (name, values, i, r, t)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_at_special_values_follow_pytorch(name: str) -> None:
    for x in SPECIAL:
        check(name, UNARY[name], [x])


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_at_special_values_follow_pytorch(name: str) -> None:
    for a in SPECIAL:
        for b in SPECIAL:
            check(name, BINARY[name], [a, b])


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_ops_with_a_number_follow_pytorch(name: str) -> None:
    for a in SPECIAL:
        for c in (0.0, 2.0, -3.0, INF):
            if name == "varpow" and c < 0:
                continue  # a negative number ** a Var: covered by the Var-Var cases
            if name != "varpow":  # a Var ** a number is Pow, tested with the unary ops
                check(name, lambda v, k: BINARY[name](v, k), [a], [a, c], [c])
            check(name, lambda v, k: BINARY[name](k, v), [a], [c, a], [c])


def test_sum_and_dot_at_special_values_follow_pytorch() -> None:
    for a in SPECIAL:
        for b in (NAN, INF, 0.0, -2.0):
            check("sum", lambda x, y: regrad.sum([x, y, x]) if isinstance(x, Var) else x + y + x, [a, b])
            check("dot", lambda x, y: regrad.dot([x, y], [y, 2.0]) if isinstance(x, Var) else x * y + y * 2.0, [a, b])


def test_the_documented_differences_really_differ_from_pytorch() -> None:
    """Each row of the README's table of deliberate differences: torch gives NaN (or 0), regrad raises."""
    assert math.isnan(run_torch(lambda x: x.log(), [-1.0])[0])
    assert math.isnan(run_torch(lambda x: x.sqrt(), [-1.0])[0])
    assert math.isnan(run_torch(lambda x: x**0.5, [-8.0])[0])
    assert math.isnan(run_torch(lambda a, b: a / b, [0.0, 0.0])[0])
    assert math.isnan(run_torch(lambda a, b: a**b, [-2.0, 3.0])[1][1])  # d/db at a negative base
    assert run_torch(lambda a, b: a**b, [0.0, 0.0])[1][1] == 0.0  # torch: 0 at 0 ** 0
    for make in (
        lambda: Var(-1.0, req_grad=True).log(),
        lambda: Var(-1.0, req_grad=True).sqrt(),
        lambda: Var(-8.0, req_grad=True) ** 0.5,
        lambda: Var(0.0, req_grad=True) / 0.0,
        lambda: Var(-2.0, req_grad=True) ** Var(3.0, req_grad=True),
        lambda: Var(0.0, req_grad=True) ** Var(0.0, req_grad=True),
    ):
        with pytest.raises(ValueError):
            make().backward()


def test_overflowing_integers_and_exponents_name_what_was_wrong() -> None:
    with pytest.raises(OverflowError, match="Var value is too large for a float: an integer of about 401 digits"):
        Var(10**400)
    assert (Var(2.0) ** 2000).val == INF  # overflow in a power gives inf, like every other op
