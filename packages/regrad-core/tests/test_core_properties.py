"""Property-based tests: random expression DAGs against PyTorch, and gradcheck.

Hypothesis builds a random program step by step. Each step picks an op and
operands among *all* earlier nodes, so subexpressions are shared and reused.
Where an op's real domain would be left (log of a negative, exp overflow),
the step falls back to an addition, so every drawn program is valid for both
libraries. The same program runs on regrad Vars and on float64 tensors.
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st
from random_programs import VALUES, needs_torch, programs

import regrad


def close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@needs_torch
@settings(max_examples=250, deadline=None, derandomize=True)
@given(programs())
def test_random_dags_match_torch(program) -> None:
    out, t_out, leaves, t_leaves = program
    assert close(out.val, t_out.item())
    if not out.req_grad:  # every leaf dropped out (e.g. relu of a constant): nothing to compare
        return
    out.backward()
    t_out.backward()
    for leaf, t_leaf in zip(leaves, t_leaves):
        expected = 0.0 if t_leaf.grad is None else t_leaf.grad.item()
        got = 0.0 if leaf.grad is None else leaf.grad
        assert close(got, expected), (got, expected)


SMOOTH = [
    lambda a, b: (a * b).tanh() + (a - b).sin() * a.exp(),
    lambda a, b: (a * a + 1.0).log() / (b.sigmoid() + 0.5),
    lambda a, b: (a * a + b * b + 0.1).sqrt() ** 1.5 - regrad.dot([a, b], [b, a]),
    lambda a, b: (a.abs() + 0.5) ** b.cos() + regrad.sum([a, b, a * b]),
]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.sampled_from(range(len(SMOOTH))), VALUES, VALUES)
def test_gradcheck_on_random_inputs(which: int, a: float, b: float) -> None:
    assert regrad.gradcheck(SMOOTH[which], [a, b], eps=1e-6, atol=1e-5, rtol=1e-4)
