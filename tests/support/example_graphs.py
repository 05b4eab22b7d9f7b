"""Graphs that tests and benchmarks share: the original regrad's examples and an elementwise MLP.

Built from regrad-core alone (no regrad-nn), so the viz tests and the layout
benchmark depend on nothing else. Import as ``from example_graphs import ...``
(the root ``conftest.py`` puts this folder on ``sys.path``; benchmarks add it
themselves).
"""

from __future__ import annotations

import importlib.util
import random
from pathlib import Path
from types import ModuleType

from regrad import Var


def mlp_output(nin: int, sizes: list[int], seed: int = 0, inputs: list | None = None) -> Var:
    """The output Var of the original regrad's elementwise MLP(nin, sizes) on ``inputs`` (random if None).

    Each neuron is relu(b + w1*x1 + ... + wn*xn), the last layer linear; weights
    come from ``random.Random(seed).uniform(-1, 1)``.
    """
    rng = random.Random(seed)
    xs = inputs if inputs is not None else [Var(rng.uniform(-1, 1)) for _ in range(nin)]
    dims = [nin, *list(sizes)]
    for layer in range(len(sizes)):
        outs = []
        for _ in range(dims[layer + 1]):
            ws = [Var(rng.uniform(-1, 1), req_grad=True) for _ in range(dims[layer])]
            b = Var(0.0, req_grad=True)
            act = sum((w * x for w, x in zip(ws, xs)), b)
            outs.append(act.relu() if layer < len(sizes) - 1 else act)
        xs = outs
    return xs[0]


def _load_example(name: str) -> ModuleType:
    """An example script of ``examples/`` as a module: the code the tests use is the code learners read."""
    path = Path(__file__).resolve().parents[2] / "examples" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"examples_{name}", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


#: the original regrad's expression g(a, b, c_5), from examples/basic_0_usage.py (Vars or torch tensors)
original_expression = _load_example("basic_0_usage").original_expression


def original_example() -> tuple[Var, Var, Var]:
    """The original regrad's first example, before backward: returns (g, a, b); g.val prints 24.7041."""
    a = Var(-4.0, req_grad=True, name="a")
    b = Var(2.0, req_grad=True, name="b")
    return original_expression(a, b, Var(5)), a, b


def recurrence_output(steps: int) -> Var:
    """One leaf x feeding every step of a long recurrence: the shape of an RNN or an iterative solver.

    Steps alternate ``z = z * 0.999 + x`` and ``z = z + x * 0.5``; every step
    adds three nodes (a constant, a product, a sum), so the graph has
    ``3 * steps + 2`` nodes. x sits at the top, and its edge to step k spans
    about 1.5 k layers: every layer carries long edges.
    """
    x = Var(0.5, req_grad=True, name="x")
    z = Var(1.0, req_grad=True, name="z0")
    for step in range(steps):
        z = z * 0.999 + x if step % 2 == 0 else z + x * 0.5
    return z


def fan_out_output(width: int) -> Var:
    """One leaf x feeding ``width`` neurons side by side, summed pairwise: the wide layers of a big fan-out.

    Each branch is tanh(w_i * x) with its own weight w_i; the branches are
    added in a balanced tree, so the graph has ``4 * width - 1`` nodes and
    its first layers are ``width`` nodes wide.
    """
    x = Var(0.5, req_grad=True, name="x")
    level = [(Var(1.0 + i / width, req_grad=True) * x).tanh() for i in range(width)]
    while len(level) > 1:
        level = [level[i] + level[i + 1] if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
    return level[0]
