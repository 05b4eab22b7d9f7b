"""``Var``: a scalar that remembers how it was computed.

A Var holds a value. If it was produced by an operation on Vars that need
gradients, it also holds the ``op`` (an ``Op``: what was computed) and ``src``,
the tuple of input Vars: together they form the computation graph that
``backward`` walks.

Three kinds of Var appear in a graph (and in the drawings):

* a *leaf that requires grad*: made by the user with ``req_grad=True``; after
  ``backward`` its ``.grad`` holds dL/d(leaf);
* a *constant*: a Python number used in an expression, or a Var made without
  ``req_grad``; it has no grad and builds no graph on its own;
* an *op node*: the output of an op; its gradient exists only while backward
  runs and is never stored (only leaves keep ``.grad``).

The graph stays as long as its output is referenced, after ``backward`` too
(so it can be drawn then); ``backward`` marks the op nodes it went through as
used, and a second backward through them raises unless the first was given
``retain_graph=True``.

Values are stored as floats. ``int``, ``float`` and ``bool`` (and any other
real number type, such as NumPy scalars) are accepted; NaN and infinities are
accepted too and follow the policy in ``regrad.ops``.
"""

from __future__ import annotations

import math
import numbers
import operator
from collections.abc import Iterable
from typing import Any, Union

from . import engine, ops
from .grad_mode import _mode

Number = int | float
Operand = Union["Var", int, float]


def _real_value(val: object, what: str = "Var value") -> float:
    """``val`` as a float, or a TypeError naming its type."""
    kind = type(val)
    if kind is float:
        return val  # type: ignore[return-value]
    if kind is int or isinstance(val, numbers.Real) or _is_numpy_bool(val):  # bool, NumPy scalars, Fraction...
        try:
            return float(val)  # type: ignore[arg-type]
        except OverflowError:
            digits = int(int(val).bit_length() * math.log10(2)) + 1  # type: ignore[call-overload]
            raise OverflowError(
                f"{what} is too large for a float: an integer of about {digits} digits "
                "(the largest float is about 1.8e308)"
            ) from None
    raise TypeError(f"{what} must be a real number (int or float), got {kind.__name__}: {val!r:.80}")


def _is_numpy_bool(val: object) -> bool:
    """NumPy's bool is not registered as a number, but Python's bool is one: accept it the same way."""
    return type(val).__module__ == "numpy" and type(val).__name__ in ("bool", "bool_")


def _integral(val: object) -> int | None:
    """``val`` as an int if it is an integral number type (int, NumPy int, ...), else None."""
    if isinstance(val, numbers.Integral) and not isinstance(val, bool):
        return int(val)
    return None


class Var:
    """A scalar value, optionally a node of a computation graph.

    ``Var(val, req_grad=False, name=None)``: ``req_grad=True`` makes a leaf
    whose gradient ``backward`` computes; ``name`` labels it in drawings.
    """

    __slots__ = ("_released", "grad", "label", "op", "req_grad", "src", "val")

    val: float
    grad: float | None
    req_grad: bool
    op: ops.Op | None
    src: tuple[Var, ...] | None
    #: the name the user gave (None if none); ``name`` falls back to the op's name
    label: str | None
    #: set on an op node when a backward() without retain_graph went through it
    _released: bool

    def __init__(self, val: Number, req_grad: bool = False, name: str | None = None, **unknown: object) -> None:
        if unknown:
            raise TypeError(_unknown_keywords(unknown))
        if isinstance(val, Var):
            raise TypeError("Var value must be a real number, got a Var: use that Var itself")
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Var name must be a str or None, got {type(name).__name__}")
        _fill(self, _real_value(val), bool(req_grad), None, None, name)

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

    @property
    def released(self) -> bool:
        """True once a ``backward()`` without ``retain_graph`` went through this op node.

        The node and its inputs stay (they can be drawn and replayed with
        ``regrad.backward_steps``), but another ``backward()`` through it
        raises RuntimeError.
        """
        return self._released

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

    # ------------------------------------------------------- habits from PyTorch
    # These read the value and build no graph. ``==`` and ``hash`` stay those of
    # the object (identity), as for every Python object: the engine keeps Vars
    # as dictionary keys, so two different Vars with equal values must stay two
    # keys. Compare values with ``a.val == b.val``.

    def item(self) -> float:
        """The value as a float (as ``tensor.item()`` in PyTorch)."""
        return self.val

    def __format__(self, spec: str) -> str:
        """``f"{loss:.4f}"`` formats the value; ``f"{loss}"`` is ``str(loss)``."""
        return format(self.val, spec) if spec else str(self)

    def __bool__(self) -> bool:
        """The value's truth: ``bool(Var(0.0))`` is False (as for a one-element PyTorch tensor)."""
        return bool(self.val)

    def __lt__(self, other: Operand) -> bool:
        return self.val < _compared(other)

    def __le__(self, other: Operand) -> bool:
        return self.val <= _compared(other)

    def __gt__(self, other: Operand) -> bool:
        return self.val > _compared(other)

    def __ge__(self, other: Operand) -> bool:
        return self.val >= _compared(other)

    def __abs__(self) -> Var:
        return self.abs()

    # Names other libraries use, each an AttributeError that says what regrad calls it. (Properties,
    # not __getattr__: a class with __getattr__ makes every attribute read slower in CPython.)

    @property
    def data(self) -> Any:
        raise AttributeError(_hint("data"))

    @property
    def detach(self) -> Any:
        raise AttributeError(_hint("detach"))

    @property
    def requires_grad(self) -> Any:
        raise AttributeError(_hint("requires_grad"))

    @property
    def grad_fn(self) -> Any:
        raise AttributeError(_hint("grad_fn"))

    # --------------------------------------------------------------- operators
    # Each builds one node; numbers become constant Vars.

    def __add__(self, other: Operand) -> Var:
        return _apply2(_ADD, self, other)

    def __radd__(self, other: Number) -> Var:
        return _apply2(_ADD, other, self)

    def __sub__(self, other: Operand) -> Var:
        return _apply2(_SUB, self, other)

    def __rsub__(self, other: Number) -> Var:
        return _apply2(_SUB, other, self)

    def __mul__(self, other: Operand) -> Var:
        return _apply2(_MUL, self, other)

    def __rmul__(self, other: Number) -> Var:
        return _apply2(_MUL, other, self)

    def __truediv__(self, other: Operand) -> Var:
        return _apply2(_DIV, self, other)

    def __rtruediv__(self, other: Number) -> Var:
        return _apply2(_DIV, other, self)

    def __neg__(self) -> Var:
        return _apply1(_NEG, self)

    def __pos__(self) -> Var:
        return self

    def __pow__(self, other: Operand) -> Var:
        if type(other) is Var and other.req_grad:
            return _apply2(_VAR_POW, self, other)
        power: float | None = _integral(other)  # keep 2 as 2 so drawings say power=2
        if power is None:
            power = other.val if type(other) is Var else _real_value(other, "exponent")
        return _apply1(ops.Pow(power), self)

    def __rpow__(self, other: Number) -> Var:
        return _apply2(_VAR_POW, other, self)

    # ----------------------------------------------------------------- methods

    def exp(self) -> Var:
        """e ** self (inf if that is too large for a float)."""
        return _apply1(_EXP, self)

    def log(self) -> Var:
        """Natural logarithm; log(0) = -inf, ValueError for a finite self < 0."""
        return _apply1(_LOG, self)

    def sqrt(self) -> Var:
        """Square root; ValueError for a finite self < 0."""
        return _apply1(_SQRT, self)

    def sin(self) -> Var:
        """sin(self); its derivative is cos(self)."""
        return _apply1(_SIN, self)

    def cos(self) -> Var:
        """cos(self); its derivative is -sin(self)."""
        return _apply1(_COS, self)

    def tanh(self) -> Var:
        """tanh(self), as one node; its derivative is 1 - tanh(self)**2."""
        return _apply1(_TANH, self)

    def relu(self) -> Var:
        """max(0, self); NaN stays NaN."""
        return _apply1(_RELU, self)

    def sigmoid(self) -> Var:
        """1 / (1 + e ** -self), as one node."""
        return _apply1(_SIGMOID, self)

    def abs(self) -> Var:
        """|self|; its derivative is sign(self), taken as 0 at 0 (as in PyTorch)."""
        return _apply1(_ABS, self)

    # ---------------------------------------------------------------- backward

    def backward(
        self, grad: float | Var | None = None, retain_graph: bool | None = None, create_graph: bool = False
    ) -> None:
        """Accumulate d(self)/d(leaf) * grad into ``.grad`` of every leaf that requires grad.

        ``grad`` defaults to 1.0. The graph stays, but a second backward
        through it raises RuntimeError unless ``retain_graph=True``. Leaves that
        no gradient reaches (every path to them passes a node through which no
        gradient flows, such as a ReLU that is off) keep their ``.grad``.

        ``create_graph=True``: each ``.grad`` becomes a Var whose own graph
        computes the derivative, so it can be differentiated again (Hessians,
        Newton's method). ``retain_graph`` then defaults to True, as in PyTorch.
        """
        seed = _seed(grad, create_graph, "backward()")
        retain = create_graph if retain_graph is None else retain_graph
        for leaf, g in engine.gradients(self, seed, retain, create_graph):  # all computed before any is stored
            if create_graph:
                g = _gradient_var(g)
            leaf.grad = g if leaf.grad is None else leaf.grad + g


def _seed(grad: object, create_graph: bool, who: str) -> float | Var:
    """The gradient a backward pass starts from: 1.0 by default, a checked number, or a Var with create_graph."""
    if grad is None:
        return 1.0
    if create_graph and isinstance(grad, Var):
        return grad
    return _real_value(grad, f"{who} grad")


def _gradient_var(g: float | Var) -> Var:
    """A gradient taken with ``create_graph``, as a Var of its own.

    A number becomes a constant Var. A leaf is not handed out as a gradient
    itself (d(x * y)/dx is y: changing y would change the gradient): the
    gradient is ``y * 1.0``, a node whose graph still leads to y.
    """
    if not isinstance(g, Var):
        return Var(g)
    return g * 1.0 if g.op is None else g


_HINTS = {
    "data": "regrad calls the value .val (micrograd's .data)",
    "detach": "for a constant with the same value, make a new Var: Var(v.val)",
    "requires_grad": "regrad calls it .req_grad (Var(x, req_grad=True))",
    "grad_fn": "regrad calls it .op (the Op that made this Var; .src holds its inputs)",
}


def _hint(attribute: str) -> str:
    return f"'Var' object has no attribute {attribute!r}: {_HINTS[attribute]}"


def _unknown_keywords(unknown: dict[str, object]) -> str:
    names = ", ".join(unknown)
    if "requires_grad" in unknown:
        wanted = unknown["requires_grad"]
        return f"Var() got an unexpected keyword argument 'requires_grad': did you mean req_grad={wanted!r}?"
    return f"Var() got unexpected keyword arguments ({names}); it takes val, req_grad=False, name=None"


def _compared(other: object) -> float:
    """The value to compare a Var with: a Var's value or a real number (TypeError otherwise)."""
    if type(other) is Var:
        return other.val
    if isinstance(other, numbers.Real) or _is_numpy_bool(other):  # the numbers a Var can be made of
        return _real_value(other)
    raise TypeError(f"cannot compare a Var with {type(other).__name__}: {other!r:.60}")


# ---------------------------------------------------------------------------
# making Vars

_new_var = object.__new__


def _fill(var: Var, val: float, req_grad: bool, op: ops.Op | None, src: tuple[Var, ...] | None, label: Any) -> Var:
    """Write every slot of a new Var: the one place where that happens."""
    var.val = val
    var.grad = None
    var.req_grad = req_grad
    var.op = op
    var.src = src
    var.label = label
    var._released = False
    return var


def _as_var(x: Operand) -> Var:
    """A Var as it is; a number as a constant Var (so drawings show it)."""
    if isinstance(x, Var):
        return x
    return _fill(_new_var(Var), _real_value(x, "operand"), False, None, None, None)


def _node(val: float, op: ops.Op, src: tuple[Var, ...], needs_grad: bool) -> Var:
    """The output Var of ``op``: linked to its inputs only when a gradient can flow.

    This is the only place where graph edges are made. If no input requires
    grad (or recording is off in this thread), the result is a constant leaf
    and the op is dropped.
    """
    if needs_grad and _mode.enabled:
        return _fill(_new_var(Var), val, True, op, src, None)
    return _fill(_new_var(Var), val, False, None, None, None)


# The operators share one instance of each op without arguments (an op keeps
# no state of its own) and call the one- and two-input versions of ``_apply``,
# which do exactly what ``_apply(op, (x,))`` and ``_apply(op, (a, b))`` do,
# without building temporary lists: the hot path of every graph.

_ADD, _SUB, _MUL, _DIV, _NEG = ops.Add(), ops.Sub(), ops.Mul(), ops.Div(), ops.Neg()
_VAR_POW, _EXP, _LOG, _SQRT = ops.VarPow(), ops.Exp(), ops.Log(), ops.Sqrt()
_SIN, _COS, _TANH, _RELU, _SIGMOID, _ABS = ops.Sin(), ops.Cos(), ops.Tanh(), ops.Relu(), ops.Sigmoid(), ops.Abs()
_SUM, _DOT = ops.Sum(), ops.Dot()


def _apply1(op: ops.Op, x: Var) -> Var:
    return _node(op.forward(x.val), op, (x,), x.req_grad)


def _apply2(op: ops.Op, a: Operand, b: Operand) -> Var:
    if type(a) is not Var:
        a = _as_var(a)
    if type(b) is not Var:
        b = _as_var(b)
    return _node(op.forward(a.val, b.val), op, (a, b), a.req_grad or b.req_grad)


def _apply(op: ops.Op, inputs: tuple[Operand, ...]) -> Var:
    """Run ``op`` forward on any number of inputs and make its output node."""
    if [x for x in inputs if type(x) is not Var]:  # numbers become constant Vars
        inputs = tuple([x if type(x) is Var else _as_var(x) for x in inputs])
    val = op.forward(*map(_value, inputs))
    return _node(val, op, inputs, any(map(_needs_grad, inputs)))  # type: ignore[arg-type]


_value = operator.attrgetter("val")
_needs_grad = operator.attrgetter("req_grad")


def apply(op: type[ops.Op] | ops.Op, *inputs: Operand, **args: object) -> Var:
    """Apply a primitive to Vars or numbers: ``regrad.apply(Softplus, x)``.

    ``op`` is an ``Op`` subclass (``args`` go to its constructor:
    ``regrad.apply(Pow, x, power=3)``) or an instance of one that defines
    ``derivatives`` (an op keeps no state, so one instance can serve many
    nodes). This is how user-defined ops join a graph.
    """
    if isinstance(op, ops.Op):
        if args:
            raise TypeError(f"apply(): give {op.name}'s arguments when making it, not to apply() ({sorted(args)})")
        if not op.has_derivatives:
            raise ValueError(
                f"apply(): {op.name} saves context in forward() (it defines backward(grad)), so every node "
                f"needs its own instance: pass the class, regrad.apply({op.name}, ...)"
            )
    elif isinstance(op, type) and issubclass(op, ops.Op):
        op = op(**args)
    else:
        raise TypeError(f"apply() needs an Op subclass or instance, got {op!r}")
    if op.has_derivatives:
        out = _apply(op, inputs)
    else:  # PyTorch's style: what forward saves in the op is its context, released by backward()
        before = engine._attribute_names(op)
        out = _apply(op, inputs)
        op._saved_names = tuple(engine._attribute_names(op) - before)
    result = out.val
    if type(result) is not float:
        if not isinstance(result, numbers.Real) or isinstance(result, bool):
            raise TypeError(f"{op.name}.forward must return a real number, got {type(result).__name__}: {result!r:.80}")
        out.val = float(result)
    return out


def make_node(op: ops.Op, inputs: tuple[Var, ...], value: float) -> Var:
    """The output Var of ``op`` on ``inputs``, given its ``value``: what ``apply`` makes, without running forward.

    For libraries that compute many values together, such as a layer of
    neurons whose inputs are read once for all of them (regrad-nn's ``Layer``
    does this). ``value`` must be what ``op.forward`` returns for the inputs'
    values (compute it with the op's own formula): the backward pass and the
    drawings take it as the node's value. ``inputs`` must be a tuple of Vars:
    for speed, make_node looks at them only up to the first one that requires
    grad (a non-Var there raises TypeError here; one after it makes
    ``backward`` and drawings raise TypeError naming the node). Use ``apply``
    otherwise.
    """
    if type(inputs) is not tuple:
        raise TypeError(f"make_node(): inputs must be a tuple of Vars, got {type(inputs).__name__}")
    if not (isinstance(op, ops.Op) and op.has_derivatives):
        raise TypeError(f"make_node() needs an instance of an Op that defines derivatives(), got {op!r}")
    if type(value) is not float:
        value = _real_value(value, f"{op.name} value")
    try:
        needs_grad = any(map(_needs_grad, inputs))
    except AttributeError:
        bad = [x for x in inputs if not isinstance(x, Var)]
        raise TypeError(f"make_node(): inputs must be Vars, got {bad!r:.100}") from None
    if needs_grad and _mode.enabled:  # _node(value, op, inputs, needs_grad), inline: a layer makes many
        return _fill(_new_var(Var), value, True, op, inputs, None)
    return _fill(_new_var(Var), value, False, None, None, None)


def sum(terms: Iterable[Operand]) -> Var:
    """x_1 + ... + x_n as one ``Sum`` node (numbers allowed)."""
    terms = tuple(terms)
    if not terms:
        raise ValueError("regrad.sum() needs at least one term")
    return _apply(_SUM, terms)


def dot(ws: Iterable[Operand], xs: Iterable[Operand]) -> Var:
    """w_1 x_1 + ... + w_n x_n as one ``Dot`` node: a neuron's weighted sum."""
    ws, xs = tuple(ws), tuple(xs)
    if len(ws) != len(xs):
        raise ValueError(f"regrad.dot() needs sequences of equal length, got {len(ws)} and {len(xs)}")
    if not ws:
        raise ValueError("regrad.dot() needs at least one pair")
    return _apply(_DOT, ws + xs)
