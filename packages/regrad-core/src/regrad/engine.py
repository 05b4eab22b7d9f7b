"""The backward pass: reverse-mode automatic differentiation over a graph of Vars.

Reverse mode computes dL/dv for every v that L depends on in one sweep from L
back to the leaves. Each node must receive the gradient contributions of *all*
the nodes that consume it before it passes its own gradient on, so the sweep
visits nodes in reverse topological order (``topological_order``).

The adjoints (dL/dnode) of intermediate nodes live in a dict only while the
sweep needs them: a node's entry is removed as soon as it has been passed on,
and only leaves that require grad keep theirs, in ``.grad``.

Everything here is iterative (an explicit stack), so a graph a million nodes
deep needs no recursion. The engine knows nothing of individual ops: it calls
``op.backward(grad)`` and routes the results along ``src``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from .var import Var


_FREED = (
    "this graph was already freed by a previous backward(); "
    "pass retain_graph=True to the first backward() to go through it again"
)


def is_freed(node: Var) -> bool:
    """True if ``node`` came from an op but its links were released by backward."""
    return node.op is not None and node.src is None


def topological_order(root: Var) -> list[Var]:
    """Every node ``root`` depends on that needs a gradient, root first.

    Each node appears before all of its inputs, so when backward reaches a
    node every consumer has already added its contribution to the node's
    gradient. Constants (``req_grad=False``) are left out: no gradient flows
    into them. Built with an iterative depth-first search: a node is written
    down once all its inputs are finished (post-order), then the list is
    reversed.
    """
    post_order: list[Var] = []
    visited: set[Var] = set()
    stack: list[tuple[Var, bool]] = [(root, False)]
    while stack:
        node, inputs_done = stack.pop()
        if inputs_done:  # all its inputs were popped and finished above it
            post_order.append(node)
            continue
        if node in visited:  # reached earlier along another path
            continue
        visited.add(node)
        stack.append((node, True))
        src = node.src
        if src is None:
            if node.op is not None:
                raise RuntimeError(f"backward through {node.name}: {_FREED}")
            continue  # a leaf
        for parent in src:
            if parent.req_grad and parent not in visited:
                stack.append((parent, False))
    post_order.reverse()
    return post_order


class BackwardStep(NamedTuple):
    """One step of the backward pass, as ``backward_steps`` reports it.

    ``node`` received ``grad`` = dL/d(node) from all its consumers; if it is an
    op node, its op's backward turned that into ``input_grads``, one per
    ``node.src`` entry (a leaf has ``()``).
    """

    node: Var
    grad: float
    input_grads: tuple[float, ...]


StepCallback = Callable[["Var", float, tuple[float, ...]], None]


def _sweep(order: list[Var], grad: object, on_step: StepCallback | None = None) -> list[tuple[Var, float]]:
    """The chain rule, node by node in ``order``; returns (leaf, dL/d(leaf)) pairs.

    ``adjoint`` holds dL/d(node) for the nodes that have received some but
    not yet passed theirs on; an entry is removed the moment its node runs,
    so no intermediate gradient outlives the sweep.
    """
    adjoint = {order[0]: 1.0 if grad is None else _seed(grad)}
    leaves = []
    for node in order:
        g = adjoint.pop(node)  # every consumer has contributed by now
        op = node.op
        if op is None:
            leaves.append((node, g))
            if on_step is not None:
                on_step(node, g, ())
            continue
        input_grads = op.backward(g)
        src = node.src
        if len(input_grads) != len(src):  # type: ignore[arg-type]
            raise RuntimeError(
                f"{op.name}.backward returned {len(input_grads)} gradients for {len(src)} inputs"  # type: ignore[arg-type]
            )
        for parent, parent_grad in zip(src, input_grads):  # type: ignore[arg-type]
            if parent.req_grad:  # constants receive nothing
                adjoint[parent] = adjoint.get(parent, 0.0) + parent_grad
        if on_step is not None:
            on_step(node, g, tuple(input_grads))
    return leaves


def _order_from(root: Var) -> list[Var]:
    if not root.req_grad:
        raise RuntimeError(
            f"backward on {root.name}, which does not require grad: it depends on no Var "
            "made with req_grad=True (or it was computed under no_grad())"
        )
    return topological_order(root)


def backward_steps(root: Var, grad: float | None = None) -> list[BackwardStep]:
    """The backward pass from ``root`` as a list of steps, in the engine's order.

    The same sweep as ``backward`` without its side effects: no ``.grad`` is
    stored and nothing is freed, so tools (such as regrad-viz's stepper) can
    watch the chain rule run on any graph.
    """
    steps: list[BackwardStep] = []
    _sweep(_order_from(root), grad, lambda node, g, input_grads: steps.append(BackwardStep(node, g, input_grads)))
    return steps


def backward(root: Var, grad: float | None = None, retain_graph: bool = False) -> None:
    """Add dL/d(leaf) * grad to ``.grad`` of every leaf that requires grad.

    Without ``retain_graph`` the graph's links (``src``) are cut afterwards:
    the intermediate nodes and their saved context can then be reclaimed, and
    a second backward through them raises RuntimeError.
    """
    order = _order_from(root)
    for leaf, g in _sweep(order, grad):
        leaf.grad = g if leaf.grad is None else leaf.grad + g
    if not retain_graph:
        for node in order:
            if node.op is not None:
                node.src = None  # freed: is_freed(node) is now True


def _seed(grad: object) -> float:
    from .var import _real_value

    return _real_value(grad, "backward() grad")
