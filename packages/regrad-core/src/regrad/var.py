"""``Var``: a scalar that remembers how it was computed.

A Var holds a value. If it was produced by an operation on Vars that need
gradients, it also holds the ``op`` (an ``Op`` instance with its saved
context) and ``src``, the tuple of input Vars: together they form the
computation graph that ``backward`` walks.

Three kinds of Var appear in a graph (and in the drawings):

* a *leaf that requires grad*: made by the user with ``req_grad=True``; after
  ``backward`` its ``.grad`` holds dL/d(leaf);
* a *constant*: a Python number used in an expression, or a Var made without
  ``req_grad``; it has no grad and builds no graph on its own;
* an *op node*: the output of an op; its gradient exists only while backward
  runs and is never stored (only leaves keep ``.grad``).

Values are stored as floats. ``int``, ``float`` and ``bool`` (and any other
real number type, such as NumPy scalars) are accepted; NaN and infinities are
accepted too and follow IEEE arithmetic, as in PyTorch.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Union

from . import engine, ops
from .grad_mode import _GradMode

Number = int | float
Operand = Union["Var", int, float]


def _real_value(val: object, what: str = "Var value") -> float:
    """``val`` as a float, or a TypeError naming its type."""
    kind = type(val)
    if kind is float or kind is int:
        return float(val)  # type: ignore[arg-type]
    if isinstance(val, numbers.Real):  # bool, NumPy scalars, Fraction, ...
        return float(val)
    raise TypeError(f"{what} must be a real number (int or float), got {kind.__name__}: {val!r}")


class Var:
    """A scalar value, optionally a node of a computation graph.

    ``Var(val, req_grad=False, name=None)``: ``req_grad=True`` makes a leaf
    whose gradient ``backward`` computes; ``name`` labels it in drawings.
    """

    __slots__ = ("grad", "label", "op", "req_grad", "src", "val")

    val: float
    grad: float | None
    req_grad: bool
    op: ops.Op | None
    src: tuple[Var, ...] | None
    #: the name the user gave (None if none); ``name`` falls back to the op's name
    label: str | None

    def __init__(self, val: Number, req_grad: bool = False, name: str | None = None) -> None:
        if isinstance(val, Var):
            raise TypeError("Var value must be a real number, got a Var: use that Var itself")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Var name must be a str or None, got {type(name).__name__}")
        self.val = _real_value(val)
        self.grad = None
        self.req_grad = bool(req_grad)
        self.op = None
        self.src = None
        self.label = name

    # ------------------------------------------------------------------ naming

    @property
    def name(self) -> str:
        """The user's name, else the op's name (``"Mul"``), else ``"Var"``."""
        if self.label is not None:
            return self.label
        return self.op.name if self.op is not None else "Var"

    @name.setter
    def name(self, value: str | None) -> None:
        if value is not None and not isinstance(value, str):
            raise TypeError(f"Var name must be a str or None, got {type(value).__name__}")
        self.label = value

    @property
    def is_leaf(self) -> bool:
        """True for Vars made by the user or under no_grad (no op made them)."""
        return self.op is None

    def __repr__(self) -> str:
        parts = [repr(self.val)]
        if self.req_grad and self.op is None:
            parts.append("req_grad=True")
        if self.grad is not None:
            parts.append(f"grad={self.grad!r}")
        if self.op is not None:
            parts.append(f"op={self.op!r}")
        if self.label is not None:
            parts.append(f"name={self.label!r}")
        return f"Var({', '.join(parts)})"

    def __float__(self) -> float:
        return self.val

    # --------------------------------------------------------------- operators
    # Each builds one node through _apply; numbers become constant Vars.

    def __add__(self, other: Operand) -> Var:
        return _apply2(ops.Add(), self, other)

    def __radd__(self, other: Number) -> Var:
        return _apply2(ops.Add(), other, self)

    def __sub__(self, other: Operand) -> Var:
        return _apply2(ops.Sub(), self, other)

    def __rsub__(self, other: Number) -> Var:
        return _apply2(ops.Sub(), other, self)

    def __mul__(self, other: Operand) -> Var:
        return _apply2(ops.Mul(), self, other)

    def __rmul__(self, other: Number) -> Var:
        return _apply2(ops.Mul(), other, self)

    def __truediv__(self, other: Operand) -> Var:
        return _apply2(ops.Div(), self, other)

    def __rtruediv__(self, other: Number) -> Var:
        return _apply2(ops.Div(), other, self)

    def __neg__(self) -> Var:
        return _apply1(ops.Neg(), self)

    def __pos__(self) -> Var:
        return self

    def __pow__(self, other: Operand) -> Var:
        if type(other) is Var and other.req_grad:
            return _apply2(ops.VarPow(), self, other)
        power = other.val if type(other) is Var else _real_value(other, "exponent")
        if type(other) is int:
            power = other  # keep 2 as 2 so drawings say power=2
        return _apply1(ops.Pow(power), self)

    def __rpow__(self, other: Number) -> Var:
        return _apply2(ops.VarPow(), other, self)

    # ----------------------------------------------------------------- methods

    def exp(self) -> Var:
        """e ** self; OverflowError if that is too large for a float."""
        return _apply1(ops.Exp(), self)

    def log(self) -> Var:
        """Natural logarithm; ValueError unless self > 0."""
        return _apply1(ops.Log(), self)

    def sqrt(self) -> Var:
        """Square root; ValueError if self < 0."""
        return _apply1(ops.Sqrt(), self)

    def sin(self) -> Var:
        """sin(self); its derivative is cos(self)."""
        return _apply1(ops.Sin(), self)

    def cos(self) -> Var:
        """cos(self); its derivative is -sin(self)."""
        return _apply1(ops.Cos(), self)

    def tanh(self) -> Var:
        """tanh(self), as one node; its derivative is 1 - tanh(self)**2."""
        return _apply1(ops.Tanh(), self)

    def relu(self) -> Var:
        """max(0, self)."""
        return _apply1(ops.Relu(), self)

    def sigmoid(self) -> Var:
        """1 / (1 + e ** -self), as one node."""
        return _apply1(ops.Sigmoid(), self)

    def abs(self) -> Var:
        """|self|; its derivative is sign(self), taken as 0 at 0 (as in PyTorch)."""
        return _apply1(ops.Abs(), self)

    # ---------------------------------------------------------------- backward

    def backward(self, grad: float | None = None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) * grad into ``.grad`` of every leaf that requires grad.

        ``grad`` defaults to 1.0. The graph is released afterwards (a second
        backward through it raises RuntimeError) unless ``retain_graph=True``.
        """
        engine.backward(self, grad, retain_graph=retain_graph)


# ---------------------------------------------------------------------------
# building nodes


def _as_var(x: Operand) -> Var:
    """A Var as it is; a number as a constant Var (so drawings show it)."""
    if isinstance(x, Var):
        return x
    const = Var.__new__(Var)
    const.val = _real_value(x, "operand")
    const.grad = None
    const.req_grad = False
    const.op = None
    const.src = None
    const.label = None
    return const


def _node(val: float, op: ops.Op, src: tuple[Var, ...], needs_grad: bool) -> Var:
    """The output Var of ``op``: linked to its inputs only when a gradient can flow.

    This is the only place where graph edges are made. If no input requires
    grad (or recording is off), the result is a constant leaf and the op is
    dropped together with its saved context.
    """
    out = Var.__new__(Var)
    out.val = val
    out.grad = None
    out.label = None
    if needs_grad and _GradMode.enabled:
        out.req_grad = True
        out.op = op
        out.src = src
    else:
        out.req_grad = False
        out.op = None
        out.src = None
    return out


# The operators call the one- and two-input versions; they do the same as the
# general one without building temporary lists (the hot path of every graph).


def _apply1(op: ops.Op, x: Var) -> Var:
    return _node(op.forward(x.val), op, (x,), x.req_grad)


def _apply2(op: ops.Op, a: Operand, b: Operand) -> Var:
    if type(a) is not Var:
        a = _as_var(a)
    if type(b) is not Var:
        b = _as_var(b)
    return _node(op.forward(a.val, b.val), op, (a, b), a.req_grad or b.req_grad)


def _apply(op: ops.Op, *inputs: Operand) -> Var:
    """Run ``op`` forward on any number of inputs and make its output node."""
    src = tuple([x if type(x) is Var else _as_var(x) for x in inputs])  # no call for a Var
    val = op.forward(*[x.val for x in src])
    return _node(val, op, src, any([x.req_grad for x in src]))


def apply(op_type: type[ops.Op], *inputs: Operand, **args: object) -> Var:
    """Apply a primitive to Vars or numbers: ``regrad.apply(Softplus, x)``.

    ``args`` go to the op's constructor (``regrad.apply(Pow, x, power=3)``).
    This is how user-defined ``Op`` subclasses join a graph.
    """
    if not (isinstance(op_type, type) and issubclass(op_type, ops.Op)):
        raise TypeError(f"apply() needs an Op subclass, got {op_type!r}")
    op = op_type(**args)
    out = _apply(op, *inputs)
    if not isinstance(out.val, (int, float)) or isinstance(out.val, bool):
        raise TypeError(f"{op.name}.forward must return a real number, got {type(out.val).__name__}: {out.val!r}")
    out.val = float(out.val)
    return out


def sum(terms: Iterable[Operand]) -> Var:
    """x_1 + ... + x_n as one ``Sum`` node (numbers allowed)."""
    terms = tuple(terms)
    if not terms:
        raise ValueError("regrad.sum() needs at least one term")
    return _apply(ops.Sum(), *terms)


def dot(ws: Iterable[Operand], xs: Iterable[Operand]) -> Var:
    """w_1 x_1 + ... + w_n x_n as one ``Dot`` node: a neuron's weighted sum."""
    ws, xs = tuple(ws), tuple(xs)
    if len(ws) != len(xs):
        raise ValueError(f"regrad.dot() needs sequences of equal length, got {len(ws)} and {len(xs)}")
    if not ws:
        raise ValueError("regrad.dot() needs at least one pair")
    return _apply(ops.Dot(), *ws, *xs)
