"""Derivatives as functions: ``grad`` (reverse mode), ``jvp`` (forward mode), ``hessian``.

Reverse mode (``backward``, ``grad``) pushes the gradient of *one* output
back to *all* inputs in one sweep: a row of the Jacobian per sweep, which is
why it wins for a loss and many parameters. Forward mode (``jvp``) pushes the
tangent of *one* direction of the inputs forward to all outputs: a column of
the Jacobian per sweep, which wins for few inputs and many outputs. Both use
the same local derivatives of each op (``Op.derivatives``): reverse mode
multiplies them by the gradient arriving from above, forward mode by the
tangents arriving from below.

Second derivatives run reverse mode on the graph of the first derivative,
which ``create_graph=True`` builds from the same rules applied to Vars.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import engine
from .var import Var, _gradient_var, _real_value, _seed


def _as_var_list(inputs: Var | Sequence[Var], who: str) -> list[Var]:
    items = [inputs] if isinstance(inputs, Var) else inputs
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise TypeError(f"{who}: inputs must be a Var or a sequence of Vars, got {type(inputs).__name__}")
    for i, x in enumerate(items):
        if not isinstance(x, Var):
            raise TypeError(f"{who}: input {i} is a {type(x).__name__}, not a Var")
    return list(items)


def grad(
    output: Var,
    inputs: Var | Sequence[Var],
    grad: float | Var | None = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> tuple[Any, ...]:
    """d(output)/d(input) * grad for each input, as a tuple in the same order; no ``.grad`` is touched.

    Floats, or with ``create_graph=True`` Vars whose graphs compute them (so
    they can be differentiated again; a constant Var where the derivative is
    a number). An input that ``output`` does not depend on gets 0.0 (a
    constant ``Var(0.0)`` with ``create_graph``).
    ``inputs`` may be leaves or intermediate Vars. ``retain_graph`` defaults to
    ``create_graph``; without it the graph is used up as by ``backward()``.

    >>> from regrad import Var
    >>> x = Var(3.0, req_grad=True)
    >>> (dy,) = grad(x ** 3, x, create_graph=True)
    >>> dy.val, grad(dy, x)[0]
    (27.0, 18.0)
    """
    if not isinstance(output, Var):
        raise TypeError(f"grad: output must be a Var, got {type(output).__name__}")
    wanted = _as_var_list(inputs, "grad")
    seed = _seed(grad, create_graph, "grad()")
    retain = create_graph if retain_graph is None else retain_graph
    found: dict[Var, Any] = dict.fromkeys(wanted, 0.0)  # 0.0 for an input no gradient reaches

    def capture(node: Var, g: Any, *_: Any) -> None:  # the adjoint of every node the sweep reaches
        if node in found:
            found[node] = g

    engine.gradients(output, seed, retain, create_graph, on_step=capture)
    if create_graph:
        return tuple(_gradient_var(found[x]) for x in wanted)
    return tuple(found[x] for x in wanted)


def _check_point(f: Callable[..., Var], primals: Sequence[float], who: str) -> list[float]:
    if not callable(f):
        raise TypeError(f"{who}: f must be a function of Vars, got {type(f).__name__}")
    if isinstance(primals, (str, bytes)) or not isinstance(primals, Sequence):
        raise TypeError(f"{who}: primals must be a sequence of numbers, got {type(primals).__name__}")
    if not primals:
        raise ValueError(f"{who}: needs at least one primal")
    values = []
    for i, p in enumerate(primals):
        if isinstance(p, Var):
            raise TypeError(f"{who}: primal {i} is a Var; pass numbers (its value is p.val)")
        values.append(_real_value(p, f"{who}: primal {i}"))
    return values


def _call(f: Callable[..., Var], leaves: list[Var], who: str) -> Var:
    out = f(*leaves)
    if not isinstance(out, Var):
        raise TypeError(f"{who}: f must return a Var, got {type(out).__name__}")
    return out


def jvp(f: Callable[..., Var], primals: Sequence[float], tangents: Sequence[float]) -> tuple[float, float]:
    """Forward mode: ``(f(primals), the derivative of f at primals in the direction tangents)``.

    ``f`` takes one Var per primal, ``f(x, y, z)``, and returns a Var. The
    tangents are pushed forward through the graph in topological order: each
    node's tangent is the sum of d(node)/d(input) * tangent(input), from the
    same local derivatives the backward pass uses. No backward pass runs.

    >>> jvp(lambda x, y: x * y + x.sin(), [0.0, 2.0], [1.0, 0.0])  # d/dx at (0, 2)
    (0.0, 3.0)
    """
    values = _check_point(f, primals, "jvp")
    if isinstance(tangents, (str, bytes)) or not isinstance(tangents, Sequence):
        raise TypeError(f"jvp: tangents must be a sequence of numbers, got {type(tangents).__name__}")
    if len(tangents) != len(values):
        raise ValueError(f"jvp: {len(values)} primals but {len(tangents)} tangents")
    directions = [_real_value(t, f"jvp: tangent {i}") for i, t in enumerate(tangents)]
    leaves = [Var(v, req_grad=True) for v in values]
    out = _call(f, leaves, "jvp")
    if not out.req_grad:  # f does not depend on its inputs
        return out.val, 0.0
    tangent: dict[Var, float] = dict(zip(leaves, directions))
    nodes, rules = engine._plan(out)
    for node, rule in zip(reversed(nodes), reversed(rules)):  # every input before the nodes that use it
        if node.op is None:
            continue  # a leaf: its tangent is given
        if rule is engine._ASK:
            rule = engine._local_derivatives(node.op, node)
        elif rule is engine._CALL_BACKWARD:  # what backward returns for grad = 1: the local derivatives
            rule = engine._call_backward(node, 1.0)
        if rule is None:  # no gradient flows: the tangent is 0 too
            tangent[node] = 0.0
            continue
        total = 0.0
        for parent, d in zip(node.src, rule):  # type: ignore[arg-type]
            if parent.req_grad:  # constants have no tangent
                total += d * tangent.get(parent, 0.0)
        tangent[node] = total
    return out.val, tangent[out]


def hessian(f: Callable[..., Var], primals: Sequence[float]) -> list[list[float]]:
    """The matrix of second derivatives of ``f`` at ``primals``, as a list of rows of floats.

    Reverse over reverse: the gradient is computed with ``create_graph=True``,
    then each of its entries is differentiated again (row i holds
    d/dx_j of df/dx_i).

    >>> hessian(lambda x, y: x * x * y, [3.0, 2.0])
    [[4.0, 6.0], [6.0, 0.0]]
    """
    values = _check_point(f, primals, "hessian")
    leaves = [Var(v, req_grad=True) for v in values]
    out = _call(f, leaves, "hessian")
    if not out.req_grad:
        return [[0.0] * len(values) for _ in values]
    first = grad(out, leaves, create_graph=True)
    rows = []
    for g in first:
        if g.req_grad:
            rows.append([float(v) for v in grad(g, leaves, retain_graph=True)])
        else:
            rows.append([0.0] * len(values))
    return rows


__all__ = ["grad", "hessian", "jvp"]
