"""Random programs on regrad and PyTorch at once, for property-based tests (hypothesis).

``programs()`` builds a random program step by step. Each step picks an op and
operands among *all* earlier nodes, so subexpressions are shared and reused.
Where an op's real domain would be left (log of a negative, exp overflow),
the step falls back to an addition, so every drawn program is valid for both
libraries. The same program runs on regrad Vars and on float64 tensors.
"""

from __future__ import annotations

import importlib.util
import math
from typing import Any

import pytest
from hypothesis import strategies as st

import regrad
from regrad import Var

VALUES = st.floats(min_value=-2.0, max_value=2.0, allow_nan=False).filter(lambda v: abs(v) > 1e-3)
CONSTANTS = st.sampled_from([0.5, 2.0, -1.5, 3])
POWERS = st.sampled_from([2, 3, -1, 0.5, 1.5, -0.5])

UNARY = ["neg", "exp", "log", "sqrt", "sin", "cos", "tanh", "relu", "sigmoid", "abs", "pow"]
BINARY = ["add", "sub", "mul", "div", "varpow"]
NARY = ["sum", "dot"]


def torch_unary(name: str, t: Any, power: float) -> Any:
    return {
        "neg": lambda: -t,
        "exp": t.exp,
        "log": t.log,
        "sqrt": t.sqrt,
        "sin": t.sin,
        "cos": t.cos,
        "tanh": t.tanh,
        "relu": t.relu,
        "sigmoid": t.sigmoid,
        "abs": t.abs,
        "pow": lambda: t**power,
    }[name]()


def unary_is_valid(name: str, a: float, power: float) -> bool:
    if name == "exp":
        return abs(a) < 30
    if name in ("log", "sqrt"):
        return a > 1e-2
    if name == "pow":
        return (a > 1e-2) if not float(power).is_integer() else (power > 0 or abs(a) > 1e-2)
    return True


def binary_is_valid(name: str, a: float, b: float) -> bool:
    if name == "div":
        return abs(b) > 1e-2
    if name == "varpow":
        return a > 1e-2 and abs(b * math.log(a)) < 20
    return True


def binary(name: str, x, y):
    return {
        "add": lambda: x + y,
        "sub": lambda: x - y,
        "mul": lambda: x * y,
        "div": lambda: x / y,
        "varpow": lambda: x**y,
    }[name]()


#: for the tests that draw ``programs()``: they compare with PyTorch, skipped without it
needs_torch = pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="compares with PyTorch")


@st.composite
def programs(draw):
    """Run one random program on both libraries; return (out, t_out, leaves, t_leaves)."""
    import torch  # only the tests that compare with PyTorch use this strategy

    n_leaves = draw(st.integers(1, 4))
    leaf_values = [draw(VALUES) for _ in range(n_leaves)]
    leaves = [Var(v, req_grad=True) for v in leaf_values]
    t_leaves = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in leaf_values]
    nodes, t_nodes = list(leaves), list(t_leaves)
    pick = st.integers(0, 10**6)

    for _ in range(draw(st.integers(1, 14))):
        kind = draw(st.sampled_from(UNARY + BINARY + NARY))
        i, j = draw(pick) % len(nodes), draw(pick) % len(nodes)
        x, tx, y, ty = nodes[i], t_nodes[i], nodes[j], t_nodes[j]
        if draw(st.booleans()) and kind in BINARY and kind != "varpow":
            c = draw(CONSTANTS)  # a Python number on one side
            if draw(st.booleans()) and binary_is_valid(kind, c, x.val):
                out, t_out = binary(kind, c, x), binary(kind, c, tx)
            elif binary_is_valid(kind, x.val, c):
                out, t_out = binary(kind, x, c), binary(kind, tx, c)
            else:
                out, t_out = x + c, tx + c
        elif kind in UNARY:
            power = draw(POWERS)
            if unary_is_valid(kind, x.val, power):
                out = x**power if kind == "pow" else (-x if kind == "neg" else getattr(x, kind)())
                t_out = torch_unary(kind, tx, power)
            else:
                out, t_out = x + x, tx + tx
        elif kind in BINARY:
            if binary_is_valid(kind, x.val, y.val):
                out, t_out = binary(kind, x, y), binary(kind, tx, ty)
            else:
                out, t_out = x + y, tx + ty
        else:
            k = draw(st.integers(1, 4))
            idx = [draw(pick) % len(nodes) for _ in range(2 * k)]
            if kind == "sum":
                out = regrad.sum(nodes[m] for m in idx[:k])
                t_out = torch.stack([t_nodes[m] for m in idx[:k]]).sum()
            else:
                out = regrad.dot([nodes[m] for m in idx[:k]], [nodes[m] for m in idx[k:]])
                t_out = (torch.stack([t_nodes[m] for m in idx[:k]]) * torch.stack([t_nodes[m] for m in idx[k:]])).sum()
        if not abs(out.val) < 1e6:  # keep magnitudes where 1e-9 relative is meaningful
            out, t_out = x.tanh(), tx.tanh()
        nodes.append(out)
        t_nodes.append(t_out)
    # the root uses the last node and an earlier one, so most nodes matter
    return nodes[-1] * nodes[len(nodes) // 2], t_nodes[-1] * t_nodes[len(nodes) // 2], leaves, t_leaves
