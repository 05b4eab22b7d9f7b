"""From a root Var to a plain list of nodes and edges: the graph a drawing shows.

Everything after this module (layout, SVG, HTML, exports) works on the
``Graph`` built here and never touches a Var again, so drawing cannot change
the user's graph. The walk is iterative (an explicit stack), so a graph
thousands of nodes deep draws without RecursionError.

Node ids are ``n0, n1, ...`` in the order a depth-first walk from the root
first meets each Var (inputs in ``src`` order). The same graph therefore gets
the same ids every time, which keeps the output files deterministic.

The backward trace (``regrad.backward_steps``) is recorded here too: it gives
each node's adjoint dL/d(node) and, for the stepper, what each step sends
along each input edge, which nodes no gradient flows through, and where a
backward fails. ``backward_steps`` stores no ``.grad`` and uses nothing up, and
it works before and after ``backward()``, so this stays side-effect free and
any graph can be drawn at any time.

User text (names, op names, string arguments, the message of a failed
backward) is made safe for every output format here, once
(``names.safe_text``): everything after this module can write it anywhere.
"""

from __future__ import annotations

from typing import Any

import regrad

from .names import safe_text

#: the default ``max_nodes`` of ``draw``
DEFAULT_MAX_NODES = 10_000

LEAF, CONST, OP = "leaf", "const", "op"


class GraphError(ValueError):
    """A graph that cannot be drawn (too large)."""


class Node:
    """One Var of the graph, as the drawing sees it (no reference back to the Var)."""

    __slots__ = ("adjoint", "blocked", "error", "grad", "id", "kind", "label", "op_args", "op_name", "value")

    def __init__(
        self,
        id: str,
        kind: str,
        op_name: str | None,
        op_args: dict[str, Any],
        label: str | None,
        value: float,
        grad: float | None,
    ) -> None:
        self.id = id
        #: ``"leaf"`` (user Var with req_grad), ``"const"`` (number or no-grad Var) or ``"op"``
        self.kind = kind
        self.op_name = op_name
        self.op_args = op_args
        self.label = label
        self.value = value
        #: the Var's own ``.grad`` (leaves after the user's backward), else None
        self.grad = grad
        #: dL/d(node) from the backward trace, None if no gradient reaches it
        self.adjoint: float | None = None
        #: True if, for these values, the node's op passes no gradient to its inputs
        #: (a ReLU that is off, for example): the backward pass does not go past it
        self.blocked = False
        #: the message of the exception the node's backward raised, None if it did not fail
        self.error: str | None = None

    @property
    def title(self) -> str:
        """The first line of the node's box: op name, user name, or Var/const."""
        if self.kind == OP:
            if self.label is not None:
                return f"{self.label} = {self.op_name}"
            return self.op_name or "Op"
        if self.label is not None:
            return self.label
        return "Var" if self.kind == LEAF else "const"


class Edge:
    """Data flowing from input ``src`` into the op node ``dst`` (slot ``slot`` of its ``src``)."""

    __slots__ = ("dst", "slot", "src")

    def __init__(self, src: int, dst: int, slot: int) -> None:
        self.src = src
        self.dst = dst
        self.slot = slot


class Step:
    """One step of the backward pass, by node index (see ``regrad.BackwardStep``).

    ``sends[k]`` is (edge index, local derivative d(node)/d(input), value sent
    = grad * local derivative, whether a gradient flows into that input).
    ``blocked``: for these values the node's op passes no gradient to its
    inputs (a ReLU that is off), and the backward pass does not go past it.
    ``error``: the node's backward raised, with this message (also the node's
    ``error``); such a step is the last one and sends nothing.
    """

    __slots__ = ("blocked", "error", "grad", "node", "sends")

    def __init__(
        self,
        node: int,
        grad: float,
        sends: list[tuple[int, float, float, bool]],
        blocked: bool = False,
        error: str | None = None,
    ) -> None:
        self.node = node
        self.grad = grad
        self.sends = sends
        self.blocked = blocked
        self.error = error


class Graph:
    """Nodes (root first), edges, and the backward trace of one drawing.

    ``after_backward``: the graph has been through ``backward()`` (its leaves'
    ``.grad`` come from it); ``draw`` then shows every node's adjoint unless
    told otherwise.
    """

    __slots__ = ("after_backward", "edges", "nodes", "root", "steps")

    def __init__(self, nodes: list[Node], edges: list[Edge], steps: list[Step], after_backward: bool = False) -> None:
        self.nodes = nodes
        self.edges = edges
        self.steps = steps
        self.root = 0
        self.after_backward = after_backward


def _too_large_error(max_nodes: int) -> GraphError:
    return GraphError(
        f"cannot draw: the graph has more than max_nodes={max_nodes} nodes. "
        "Draw a subgraph instead: pass an intermediate Var as the root (for example "
        "one neuron's output, or the loss of a single sample), or raise max_nodes "
        "if you really want a drawing this large."
    )


def collect_graph(root: regrad.Var, max_nodes: int = DEFAULT_MAX_NODES, trace: bool = True) -> Graph:
    """Walk ``root``'s graph (iteratively) into a ``Graph``; record the backward trace.

    Raises ``GraphError`` if the graph has more than ``max_nodes`` nodes, and
    ``TypeError`` if ``root`` is not a Var.
    """
    if not isinstance(root, regrad.Var):
        raise TypeError(f"draw() needs a regrad.Var as root, got {type(root).__name__}")
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a positive int, got {max_nodes!r}")
    index: dict[int, int] = {}  # id(var) -> node index
    vars_: list[regrad.Var] = []
    stack = [root]
    while stack:
        var = stack.pop()
        if id(var) in index:
            continue
        if len(vars_) >= max_nodes:
            raise _too_large_error(max_nodes)
        index[id(var)] = len(vars_)
        vars_.append(var)
        if var.src is not None:
            if not all(isinstance(x, regrad.Var) for x in var.src):  # (regrad.make_node does not check)
                raise TypeError(f"cannot draw: {safe_text(var.name)} has inputs that are not Vars")
            stack.extend(reversed(var.src))  # first input is visited first

    nodes = []
    edges = []
    for i, var in enumerate(vars_):
        op = var.op
        if op is not None:
            kind, op_name = OP, safe_text(op.name)
            op_args = {safe_text(k): safe_text(v) if isinstance(v, str) else v for k, v in op.args.items()}
        else:
            kind = LEAF if var.req_grad else CONST
            op_name, op_args = None, {}
        label = None if var.label is None else safe_text(var.label)
        grad = var.grad.val if isinstance(var.grad, regrad.Var) else var.grad  # a Var after create_graph=True
        nodes.append(Node(f"n{i}", kind, op_name, op_args, label, var.val, grad))
        if var.src is not None:
            for slot, parent in enumerate(var.src):
                edges.append(Edge(index[id(parent)], i, slot))

    steps = _trace(root, index, edges, nodes) if trace else []
    return Graph(nodes, edges, steps, after_backward=root.released)


def _trace(root: regrad.Var, index: dict[int, int], edges: list[Edge], nodes: list[Node]) -> list[Step]:
    """The backward pass as ``Step``s; fills in each node's ``adjoint``, ``blocked`` and ``error``.

    The Vars stay as they were. A node whose rule raises ends the steps with
    its error (the forward values are still drawn); a node no gradient flows
    through sends nothing.
    """
    if not root.req_grad:
        return []  # no gradient flows: nothing to step through
    edge_of: dict[tuple[int, int], int] = {(e.dst, e.slot): k for k, e in enumerate(edges)}
    steps = []
    for step in regrad.backward_steps(root, record_errors=True):
        i = index[id(step.node)]
        if step.error is not None:
            nodes[i].error = safe_text(f"{type(step.error).__name__}: {step.error}")
            steps.append(Step(i, float(step.grad), [], error=nodes[i].error))
            break
        nodes[i].adjoint = step.grad
        nodes[i].blocked = step.blocked
        sends = []
        src = step.node.src or ()
        for slot, (parent, d, sent) in enumerate(zip(src, step.derivatives, step.input_grads)):
            sends.append((edge_of[(i, slot)], float(d), float(sent), bool(parent.req_grad)))
        steps.append(Step(i, float(step.grad), sends, blocked=step.blocked))
    return steps


def running_totals(graph: Graph) -> list[list[float]]:
    """What each send's input has received so far, that send included: ``[s][k]`` for ``graph.steps[s].sends[k]``.

    The sums are added in the engine's order, so they are the very numbers the
    backward pass adds up (an input that keeps no gradient stays at 0.0).
    """
    totals: dict[int, float] = {}  # node index -> what it has received so far
    out = []
    for step in graph.steps:
        after = []
        for edge, _local, sent, flows in step.sends:
            parent = graph.edges[edge].src
            if flows:
                totals[parent] = totals.get(parent, 0.0) + sent
            after.append(totals.get(parent, 0.0))
        out.append(after)
    return out
