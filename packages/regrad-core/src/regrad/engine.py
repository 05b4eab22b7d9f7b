"""The backward pass: reverse-mode automatic differentiation over a graph of Vars.

Reverse mode computes dL/dv for every v that L depends on in one sweep from L
back to the leaves. It takes two walks over the graph:

1. ``_plan`` lists the nodes in *topological order*, each node before all of
   its inputs. An op that may stop the gradient (``may_block``) is asked for
   its local derivatives right there: it may answer that no gradient flows
   through the node for these values (a ReLU that is off), and the walk then
   does not go past it, so whatever lies behind costs nothing.
2. ``_sweep`` applies the chain rule node by node in that order, asking the
   other ops for their local derivatives d(node)/d(input) as it reaches them.
   Each node has received the contributions of all its consumers by then, so
   its adjoint dL/d(node) is complete, and it passes on
   dL/d(input) += dL/d(node) * d(node)/d(input).

The adjoints of intermediate nodes live in a dict only while the sweep needs
them: a node's entry is removed as soon as it has been passed on, and only the
leaves that require grad keep theirs, in ``.grad``.

Everything here is iterative (an explicit stack), so a graph a million nodes
deep needs no recursion. The engine knows nothing of individual ops: it asks
``op.derivatives`` (or, for ops written PyTorch's way, calls
``op.backward(grad)``) and routes the results along ``src``.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from .ops import Op
    from .var import Var


_FREED = (
    "this graph was already used by a previous backward(), which released it; "
    "pass retain_graph=True to the first backward() to go through it again"
)


class _Marker:
    """A named placeholder in a plan (it reads well in a debugger)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: in a plan: ask the op for its local derivatives when the sweep reaches the node
_ASK = _Marker("ask derivatives()")
#: in a plan: the op is written PyTorch's way; call its backward(grad) when the sweep reaches it
_CALL_BACKWARD = _Marker("call backward(grad)")


class _Failed:
    """In a plan made for ``backward_steps(record_errors=True)``: this node's rule raised ``error``."""

    def __init__(self, error: Exception) -> None:
        self.error = error


_value = operator.attrgetter("val")

#: what ``_plan`` returns: the nodes in order, and for each what the sweep does there
Plan = tuple[list["Var"], list[Any]]


# --------------------------------------------------------------------------
# walking the graph


def topological_order(root: Var) -> list[Var]:
    """Every node ``root`` depends on that needs a gradient, root first, each node before its inputs.

    Constants (``req_grad=False``) are left out: no gradient flows into them.
    Built with an iterative depth-first search: a node is written down once
    all its inputs are written (post-order), then the list is reversed.
    (``backward`` walks the same way in ``_plan``, but does not go past a node
    that no gradient flows through, such as a ReLU that is off.)
    """
    return _plan(root, allow_released=True, ask_ops=False)[0]


def _require_grad(root: Var) -> None:
    if not root.req_grad:
        raise RuntimeError(
            f"backward on {root.name}, which does not require grad: it depends on no Var "
            "made with req_grad=True (or it was computed under no_grad())"
        )


def _plan(
    root: Var,
    create_graph: bool = False,
    allow_released: bool = False,
    record_errors: bool = False,
    ask_ops: bool = True,
) -> Plan:
    """The nodes a backward pass from ``root`` visits, root first, and what to do at each.

    A depth-first walk writes a node down once all its inputs are written
    (post-order); reversed, that puts every node before its inputs. At an op
    node it notes ``_ASK`` (the sweep asks ``op.derivatives``), or, for ops
    that may stop the gradient (``may_block``), asks right away: ``None``
    means no gradient flows through the node for these values, and its inputs
    are not visited from it. Leaves get ``None``.

    With ``create_graph`` the ops are asked with Vars (see ``_local_derivatives``);
    an op that only has ``backward(grad)`` cannot answer that, and raises.
    """
    nodes: list[Var] = []
    rules: list[Any] = []
    visited: set[Var] = set()
    stack: list[Any] = [root]  # Vars to visit, and (node, rule) pairs whose inputs are all done
    while stack:
        node = stack.pop()
        if type(node) is tuple:  # its inputs were all popped and finished above it
            nodes.append(node[0])
            rules.append(node[1])
            continue
        if node in visited:  # reached earlier along another path
            continue
        visited.add(node)
        op = node.op
        if op is None:  # a leaf
            stack.append((node, None))
            continue
        rule: Any = _ASK
        if ask_ops:
            try:
                if node._released and not allow_released:
                    raise RuntimeError(f"backward through {node.name}: {_FREED}")
                if not op.has_derivatives:
                    if create_graph:
                        raise NotImplementedError(_no_higher_order(op))
                    rule = _CALL_BACKWARD
                elif op.may_block:
                    rule = _local_derivatives(op, node, create_graph)
            except Exception as error:
                if not record_errors:
                    raise
                rule = _Failed(error)  # the stepper shows it at this node
        stack.append((node, rule))
        if rule is not None and type(rule) is not _Failed:  # a gradient flows: visit the inputs
            try:
                for parent in node.src:
                    if parent.req_grad and parent not in visited:
                        stack.append(parent)
            except AttributeError:
                raise _not_a_var(node) from None
    nodes.reverse()
    rules.reverse()
    return nodes, rules


def _not_a_var(node: Var) -> TypeError:
    bad = [x for x in node.src or () if not _is_var(x)]
    return TypeError(f"{node.name} has inputs that are not Vars: {bad!r:.100} (inputs given to regrad.make_node?)")


def _local_derivatives(op: Op, node: Var, create_graph: bool = False) -> tuple[Any, ...] | None:
    """``op.derivatives`` at the node (checked, for ops written outside regrad).

    On the node's values (floats); with ``create_graph`` on the Vars
    themselves, so that each derivative is a Var whose own graph computes it.
    """
    src: tuple[Var, ...] = node.src  # type: ignore[assignment]
    if create_graph:
        derivatives = op.derivatives(node, *src)
    elif len(src) == 2:  # the same call without building a list, for the common one- and two-input ops
        derivatives = op.derivatives(node.val, src[0].val, src[1].val)
    elif len(src) == 1:
        derivatives = op.derivatives(node.val, src[0].val)
    else:
        derivatives = op.derivatives(node.val, *map(_value, src))
    if op.check_results and derivatives is not None:
        return _checked(op, "derivatives", derivatives, len(src), allow_vars=create_graph)
    return derivatives


def _no_higher_order(op: Op) -> str:
    return (
        f"{op.name} defines only backward(grad), which computes numbers: to differentiate through it again "
        f"(create_graph=True), give {op.name} a derivatives(out, *inputs) method that returns d(out)/d(input) "
        "for each input in arithmetic that works on floats and Vars alike (see regrad.ops)"
    )


# --------------------------------------------------------------------------
# checking what user-defined ops return


def _checked(op: Op, method: str, results: object, n_inputs: int, allow_vars: bool = False) -> tuple[Any, ...]:
    """``results`` as one number (or, with ``allow_vars``, Var) per input, or a TypeError/ValueError naming the op."""
    where = f"{op.name}.{method}"
    if not isinstance(results, (tuple, list)):
        raise TypeError(f"{where} must return a tuple of {n_inputs} numbers (one per input), got {results!r:.80}")
    if len(results) != n_inputs:
        raise ValueError(f"{where} returned {len(results)} values for {n_inputs} inputs: {results!r:.80}")
    out: list[Any] = []
    for i, r in enumerate(results):
        if allow_vars and _is_var(r):
            out.append(r)
            continue
        if not isinstance(r, numbers.Real) or isinstance(r, bool):
            raise TypeError(f"{where} returned a {type(r).__name__} for input {i}: {r!r:.80}; expected a real number")
        out.append(float(r))
    return tuple(out)


def _is_var(x: object) -> bool:
    """Is ``x`` a Var? (The engine needs nothing from ``regrad.var`` at run time: no import.)"""
    return type(x).__name__ == "Var" and type(x).__module__ == "regrad.var"


def _call_backward(node: Var, grad: Any) -> tuple[float, ...]:
    """``op.backward(grad)`` at ``node``, for an op written PyTorch's way, checked."""
    op: Op = node.op  # type: ignore[assignment]
    src: tuple[Var, ...] = node.src  # type: ignore[assignment]
    if node._released:  # a backward() released its saved context: ops are pure, so compute it again
        op.forward(*[x.val for x in src])
    return _checked(op, "backward", op.backward(grad), len(src))


def _attribute_names(op: Op) -> set[str]:
    """The names of the attributes ``op`` has a value for, in its ``__slots__`` or its ``__dict__``."""
    names = set(getattr(op, "__dict__", ()))
    for cls in type(op).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        names.update([slots] if isinstance(slots, str) else slots)
    names -= {"__dict__", "__weakref__", "_saved_names"}
    return {name for name in names if hasattr(op, name)}


def _forget_saved_context(op: Op) -> None:
    """Delete what a PyTorch-style op's forward saved in it (``apply`` noted the names in ``op._saved_names``)."""
    for name in getattr(op, "_saved_names", ()):
        if hasattr(op, name):
            delattr(op, name)


# --------------------------------------------------------------------------
# the chain rule

#: ``on_step(node, grad, derivatives, factor)``, called by ``_sweep`` at every node: ``derivatives`` is None for a
#: leaf or a node no gradient flows through, ``_Failed`` if its rule raised; each input is sent factor * derivative
StepCallback = Callable[["Var", Any, Any, Any], None]


def _sweep(
    plan: Plan, seed: Any, create_graph: bool = False, on_step: StepCallback | None = None
) -> list[tuple[Var, Any]]:
    """The chain rule, node by node in plan order; returns (leaf, dL/d(leaf)) pairs.

    ``adjoint`` holds dL/d(node) for the nodes that have received some but not
    yet passed theirs on; an entry is removed the moment its node runs, so no
    intermediate gradient outlives the sweep. A node that received only exact
    zeros has no entry and starts from 0.0.

    With ``create_graph`` the same rule runs on Vars: every product and sum is
    a node, so each adjoint is a Var whose graph computes it.
    """
    nodes, rules = plan
    adjoint: dict[Var, Any] = {nodes[0]: seed}
    leaves = []
    for node, derivatives in zip(nodes, rules):
        g = upstream = adjoint.pop(node, 0.0)  # every consumer has contributed by now
        src = node.src
        if src is None:
            leaves.append((node, g))
        elif derivatives is _ASK or derivatives is _CALL_BACKWARD or type(derivatives) is _Failed:
            try:
                if derivatives is _ASK:
                    derivatives = _local_derivatives(node.op, node, create_graph)  # type: ignore[arg-type]
                elif derivatives is _CALL_BACKWARD:  # it multiplies by grad itself: these are the contributions
                    derivatives = _call_backward(node, g)
                    g = 1.0  # so that g * d below is d, exactly
                else:
                    raise derivatives.error  # type: ignore[union-attr]
            except Exception as error:
                if on_step is not None:
                    on_step(node, upstream, _Failed(error), g)
                raise
        if derivatives is None or src is None:  # a leaf, or a node no gradient flows past
            pass
        elif create_graph:
            for parent, d in zip(src, derivatives):
                if parent.req_grad:
                    c = _times(g, d)
                    total = adjoint.get(parent)
                    adjoint[parent] = c if total is None else total + c
        else:
            for parent, d in zip(src, derivatives):
                if parent.req_grad:  # constants receive nothing
                    c = g * d  # the chain rule: dL/d(input) += dL/d(node) * d(node)/d(input)
                    if c:  # adding an exact 0 changes nothing (and NaN is truthy, so it is added)
                        total = adjoint.get(parent)
                        adjoint[parent] = c if total is None else total + c
        if on_step is not None:
            on_step(node, upstream, derivatives, g)
    return leaves


def _times(g: Any, d: Any) -> Any:
    """g * d as a node of the derivative's graph, leaving out multiplications by the number 1."""
    if type(d) is float and d == 1.0:
        return g
    if type(g) is float and g == 1.0:
        return d
    return g * d


def _release(plan: Plan) -> None:
    """Mark every op node the pass went through as used; forget PyTorch-style ops' saved context."""
    for node, rule in zip(*plan):
        if node.op is not None:
            node._released = True  # a second backward through it raises
            if rule is _CALL_BACKWARD:
                _forget_saved_context(node.op)


def gradients(
    root: Var, grad: Any, retain_graph: bool, create_graph: bool = False, on_step: StepCallback | None = None
) -> list[tuple[Var, Any]]:
    """The backward pass from ``root``: (leaf, d(root)/d(leaf) * grad) for each leaf a gradient reaches.

    What ``Var.backward`` stores and ``regrad.grad`` returns; ``grad`` is
    checked by them (a number, or a Var with ``create_graph``, where the
    gradients are Vars or numbers). Without ``retain_graph`` the nodes are
    then marked as used: the graph stays (it can be drawn, and
    ``backward_steps`` replays it) but a second backward through it raises
    RuntimeError.
    """
    _require_grad(root)
    plan = _plan(root, create_graph)
    leaves = _sweep(plan, grad, create_graph, on_step)
    if not retain_graph:
        _release(plan)
    return leaves


# --------------------------------------------------------------------------
# watching the backward pass


class BackwardStep(NamedTuple):
    """One step of the backward pass, as ``backward_steps`` reports it.

    ``node`` received ``grad`` = dL/d(node) from all its consumers. If it is an
    op node, ``derivatives`` holds d(node)/d(input) for each of ``node.src``
    and ``input_grads`` what the chain rule sends along each input edge,
    grad * derivative (a leaf has ``()`` for both).

    ``blocked``: no gradient flows through this node for its input values (a
    ReLU that is off), so nothing is sent and the pass does not go past it.
    ``error``: this node's rule raised this exception; it is the last step.
    """

    node: Var
    grad: float
    input_grads: tuple[float, ...]
    derivatives: tuple[float, ...] = ()
    blocked: bool = False
    error: Exception | None = None


def backward_steps(root: Var, grad: float | None = None, record_errors: bool = False) -> list[BackwardStep]:
    """The backward pass from ``root`` as a list of steps, in the engine's order.

    The same plan and sweep as ``backward``, without its side effects: no
    ``.grad`` is stored and nothing is marked as used, so tools (such as
    regrad-viz's stepper) can watch the chain rule run on any graph, also after
    a ``backward()`` went through it (ops are pure: what an op needs is
    recomputed from the values the graph keeps).

    With ``record_errors=True``, a node whose rule raises ends the list with a
    step whose ``error`` holds the exception, instead of raising it.
    """
    if grad is None:
        grad = 1.0
    elif not isinstance(grad, numbers.Real) or isinstance(grad, bool):
        raise TypeError(f"backward_steps() grad must be a real number, got {type(grad).__name__}: {grad!r:.80}")
    _require_grad(root)
    plan = _plan(root, allow_released=True, record_errors=record_errors)
    steps: list[BackwardStep] = []

    def record(node: Var, g: Any, derivatives: Any, factor: Any) -> None:
        if type(derivatives) is _Failed:
            steps.append(BackwardStep(node, g, (), error=derivatives.error))
        elif node.op is None:
            steps.append(BackwardStep(node, g, ()))
        elif derivatives is None:
            steps.append(BackwardStep(node, g, (), blocked=True))
        else:
            sent = tuple(factor * d for d in derivatives)
            if not node.op.has_derivatives:  # PyTorch's style: its local derivatives are what backward(1.0) returns
                derivatives = _call_backward(node, 1.0)
            steps.append(BackwardStep(node, g, sent, tuple(derivatives)))

    try:
        _sweep(plan, float(grad), on_step=record)
    except Exception:
        if not (record_errors and steps and steps[-1].error is not None):
            raise
    return steps
