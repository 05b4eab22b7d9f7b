"""The primitives, in the operator view: one small class per mathematical operation.

Every op states two things side by side, so the chain rule can be read next to
the function it differentiates:

* ``forward(x, y, ...)`` takes the input *values* (floats) and returns the
  output value z.
* ``derivatives(z, x, y, ...)`` takes the output and the inputs and returns the
  *local derivatives*, one per input: dz/dx, dz/dy, ...

That one rule serves every mode of differentiation (``regrad.engine``):

* reverse mode (``backward``) multiplies each local derivative by the gradient
  arriving from above: dL/dx += dL/dz * dz/dx;
* forward mode (``regrad.jvp``) multiplies them by the inputs' tangents:
  dz = dz/dx * dx + dz/dy * dy;
* derivatives of derivatives (``backward(create_graph=True)``) call the same
  ``derivatives`` with *Vars* instead of floats, so the derivative is itself a
  graph that can be differentiated again.

So a rule is written in arithmetic that works on floats and on Vars alike:
``+ - * / **`` do, and for the rest this module has ``value``, ``divide``,
``exp``, ``log``, ``sin``, ``cos`` and ``power``, which compute on floats (never
raising, as IEEE 754 arithmetic does) and build nodes on Vars.

An op needs no saved context: everything its derivatives need is in its inputs
and its output, which the graph keeps anyway. An op is a *pure function* of its
input values and its arguments (the exponent of ``Pow``), so one instance can
serve many nodes, and anything about a node can be recomputed from its values.

``derivatives`` may return ``None`` instead: no gradient flows through this
node for these inputs (a ReLU that is off), so the backward pass need not look
at anything behind it.

An op never sees the graph, so the engine never changes when an op is added:
write a subclass and apply it with ``regrad.apply(MyOp, x)``. Op *arguments*
that are not inputs are named in ``arg_names`` and kept on the instance, so
drawings can show ``Pow(power=2)``.

The other way to write an op, as PyTorch's ``autograd.Function`` and the original
regrad do, is still supported: ``forward`` saves what it needs in ``self`` and
``backward(grad)`` returns ``grad * dz/dx`` for each input (see ``Op``).

Non-finite values (the same policy for every op; the core README has the
table): NaN and infinite *inputs* give what PyTorch float64 gives; overflow
and poles give ±inf (``exp(1000)``, ``1 / 0``, ``log(0)``); *finite* inputs
outside an op's real domain raise ``ValueError`` naming the op and the value
(``log(-1)``, ``sqrt(-1)``, ``(-8) ** (1/3)``, ``0 / 0``), where PyTorch would
return NaN.
"""

from __future__ import annotations

import math
import operator
from typing import Any

# --------------------------------------------------------------------------
# arithmetic for derivative rules: floats computed as IEEE 754 does, Vars as nodes


def _is_number(x: object) -> bool:
    return type(x) is float or type(x) is int


def value(x: Any) -> float:
    """The number itself, or a Var's value (for comparisons inside rules)."""
    return x if _is_number(x) else x.val  # type: ignore[no-any-return]


def divide(a: Any, b: Any) -> Any:
    """a / b; for floats ±inf (or NaN for 0/0) where Python would raise ZeroDivisionError."""
    if not (_is_number(a) and _is_number(b)):
        return a / b
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or a != a:  # 0/0 and nan/0
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def exp(x: Any) -> Any:
    """e ** x; for floats inf where Python would raise OverflowError."""
    if not _is_number(x):
        return x.exp()
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def log(x: Any) -> Any:
    """ln x; for floats log(0) = -inf and NaN below 0, as in IEEE 754."""
    if not _is_number(x):
        return x.log()
    if x > 0:
        return math.log(x)
    if x == 0:
        return -math.inf
    return math.nan


def sin(x: Any) -> Any:
    """sin x; for floats sin(±inf) is NaN."""
    if not _is_number(x):
        return x.sin()
    return math.sin(x) if math.isfinite(x) else math.nan


def cos(x: Any) -> Any:
    """cos x; for floats cos(±inf) is NaN."""
    if not _is_number(x):
        return x.cos()
    return math.cos(x) if math.isfinite(x) else math.nan


def _is_odd_integer(p: float) -> bool:
    return math.isfinite(p) and p.is_integer() and p % 2 == 1


def power(x: Any, p: Any) -> Any:
    """x ** p; for floats ±inf on overflow and at 0 ** negative, NaN for a negative base to a fractional power."""
    if not (_is_number(x) and _is_number(p)):
        return x**p
    if x < 0 and math.isfinite(p) and not float(p).is_integer():
        return math.nan  # also for x = -inf, as in PyTorch
    try:
        return math.pow(x, p)
    except OverflowError:
        return -math.inf if x < 0 and _is_odd_integer(float(p)) else math.inf
    except ValueError:  # 0 ** negative (a pole), or a negative base to a fractional power
        if x == 0:
            return math.copysign(math.inf, x) if _is_odd_integer(float(p)) else math.inf
        return math.nan


def _real_domain_error(op: str, text: str, why: str) -> ValueError:
    return ValueError(f"{op}: {text} is not a real number ({why})")


# --------------------------------------------------------------------------
# the base class


class Op:
    """Base class of every primitive.

    A subclass defines ``forward`` and ``derivatives`` (see the module
    docstring). Op arguments go to ``__init__`` and are listed in
    ``arg_names``; keep ``__slots__`` for them.

    The other style, PyTorch's: define ``forward`` saving what you need in
    ``self``, and ``backward(grad)`` returning ``grad * dz/dx_i`` for each input.
    Such an op gets a new instance for every node. It works for first
    derivatives and for forward mode (its local derivatives are what
    ``backward(1.0)`` returns); to differentiate through it again, define
    ``derivatives`` instead.

    The results of ops written outside regrad are checked (one real number per
    input, or a Var when derivatives are taken of derivatives); set
    ``check_results = False`` in a class whose rules are tested to skip that.
    """

    #: for PyTorch-style ops: the names of what forward saved (``apply`` notes them; backward() releases them)
    __slots__ = ("_saved_names",)
    _saved_names: tuple[str, ...]
    #: names of constructor arguments that are part of the op (shown in drawings)
    arg_names: tuple[str, ...] = ()
    #: whether the engine checks what this op's rules return (False for regrad's own ops)
    check_results: bool = True
    #: True if the class defines ``derivatives`` (set for every subclass)
    has_derivatives: bool = False
    #: True if ``derivatives`` may return None (no gradient flows through for some values): the
    #: engine then asks while planning the backward pass, and skips whatever lies behind such a node
    may_block: bool = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.has_derivatives = cls.derivatives is not Op.derivatives
        if "check_results" not in cls.__dict__:
            cls.check_results = cls.__module__ != __name__  # trust the ops of this module

    # (*inputs: Any) lets each subclass name its own inputs: forward(self, x, y)
    def forward(self, *inputs: Any) -> float:
        """The output value from the input values."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def derivatives(self, out: Any, *inputs: Any) -> tuple[Any, ...] | None:
        """d(out)/d(input) for each input, or None if no gradient flows through for these values."""
        raise NotImplementedError(f"{type(self).__name__} does not define derivatives()")

    def backward(self, grad: float) -> tuple[float, ...]:
        """For PyTorch-style ops: grad * d(out)/d(input) for each input, from the context forward saved."""
        raise NotImplementedError(f"{type(self).__name__} defines neither derivatives() nor backward()")

    @property
    def name(self) -> str:
        """The op's name as drawings and reprs show it (the class name)."""
        return type(self).__name__

    @property
    def args(self) -> dict[str, Any]:
        """The op's arguments, e.g. ``{"power": 2}`` for ``x ** 2``."""
        return {arg: getattr(self, arg) for arg in self.arg_names}

    def __repr__(self) -> str:
        inner = ", ".join(f"{key}={value!r}" for key, value in self.args.items())
        return f"{self.name}({inner})"


# --------------------------------------------------------------------------
# binary arithmetic


class Add(Op):
    """z = x + y;  dz/dx = 1, dz/dy = 1."""

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        return x + y

    def derivatives(self, z: Any, x: Any, y: Any) -> tuple[Any, ...]:
        return 1.0, 1.0


class Sub(Op):
    """z = x - y;  dz/dx = 1, dz/dy = -1."""

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        return x - y

    def derivatives(self, z: Any, x: Any, y: Any) -> tuple[Any, ...]:
        return 1.0, -1.0


class Mul(Op):
    """z = x * y;  dz/dx = y, dz/dy = x: each input's derivative is the *other* input."""

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        return x * y

    def derivatives(self, z: Any, x: Any, y: Any) -> tuple[Any, ...]:
        return y, x


class Div(Op):
    """z = x / y;  dz/dx = 1/y, dz/dy = -x/y**2 = -z/y.

    x / 0 is ±inf (a pole, as in IEEE 754 and PyTorch); 0 / 0 raises ValueError.
    """

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        if y == 0 and x == 0:
            raise _real_domain_error("Div", f"{x!r} / {y!r}", "zero divided by zero")
        return divide(x, y)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any, y: Any) -> tuple[Any, ...]:
        return divide(1.0, y), -divide(z, y)


class Neg(Op):
    """z = -x;  dz/dx = -1."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return -x

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (-1.0,)


# --------------------------------------------------------------------------
# powers


def _check_power(op: str, x: float, p: float) -> None:
    if x < 0 and math.isfinite(x) and math.isfinite(p) and not float(p).is_integer():
        raise _real_domain_error(op, f"{x!r} ** {p!r}", "a negative base to a fractional power")


class Pow(Op):
    """z = x ** p for a constant exponent p;  dz/dx = p * x**(p-1).

    A negative x with a fractional p has no real value (Python would return a
    complex number), so it raises ValueError. 0 ** negative is ±inf (a pole).
    """

    __slots__ = ("power",)
    arg_names = ("power",)

    def __init__(self, power: float) -> None:
        self.power = power

    def forward(self, x: float) -> float:
        _check_power("Pow", x, self.power)
        return power(x, self.power)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        p = self.power
        if p == 0:  # z = 1 everywhere, even where x**(p-1) is not finite
            return (0.0,)
        return (p * power(x, p - 1),)


class VarPow(Op):
    """z = a ** b where the exponent b is itself a variable.

    dz/da = b * a**(b-1),  dz/db = a**b * ln(a) = z * ln(a).

    ln(a) needs a > 0: for a negative base (with an integer b, the only kind
    that has a value) dz/db does not exist, and asking for it raises
    ValueError. At a = 0, z = 0 for every b > 0, so dz/db = 0 there; at
    a = 0, b = 0 the function jumps (0 ** b is 0 for b > 0 and 1 at b = 0), so
    dz/db does not exist and raises ValueError. (PyTorch returns NaN and 0.)
    """

    __slots__ = ()

    def forward(self, a: float, b: float) -> float:
        _check_power("VarPow", a, b)
        return power(a, b)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, a: Any, b: Any) -> tuple[Any, ...]:
        a_val, b_val = value(a), value(b)
        # b * a**(b-1) is 0 * inf or 0 * NaN at b = 0 where a is 0 or not finite: PyTorch takes 0 there.
        # Elsewhere it stays a product even at b = 0 (worth 0), so that d/db of it exists (create_graph).
        zero_times_inf = b_val == 0 and not (math.isfinite(a_val) and a_val != 0)
        da = 0.0 if zero_times_inf else b * power(a, b - 1)
        if a_val == 0 and b_val > 0:  # z = 0 for every exponent near b
            return da, 0.0
        if a_val > 0 or not (math.isfinite(a_val) and math.isfinite(b_val)):
            return da, z * log(a)
        if a_val == 0 and b_val < 0:
            return da, -math.inf if value(z) > 0 else math.inf  # z * ln(0) = ±inf * -inf
        if a_val == 0:
            raise ValueError(f"VarPow: d(a ** b)/db does not exist at a = {a_val!r}, b = 0 (0 ** b jumps at b = 0)")
        raise ValueError(f"VarPow: d(a ** b)/db = a ** b * ln(a) needs a >= 0, got a = {a_val!r}")


# --------------------------------------------------------------------------
# elementary functions


class Exp(Op):
    """z = e**x;  dz/dx = e**x = z. Overflow gives inf."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return exp(x)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (z,)


class Log(Op):
    """z = ln x;  dz/dx = 1/x. ln 0 = -inf; a finite x < 0 raises ValueError."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        if x < 0 and math.isfinite(x):
            raise _real_domain_error("Log", f"log({x!r})", "the logarithm needs x >= 0")
        return log(x)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (divide(1.0, x),)


class Sqrt(Op):
    """z = sqrt(x);  dz/dx = 1 / (2 sqrt(x)) = 1 / (2z), inf at x = 0. A finite x < 0 raises ValueError."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        if x < 0:
            if math.isfinite(x):
                raise _real_domain_error("Sqrt", f"sqrt({x!r})", "the square root needs x >= 0")
            return math.nan
        return math.sqrt(x)

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (divide(1.0, 2.0 * z),)


class Sin(Op):
    """z = sin x;  dz/dx = cos x."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return sin(x)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (cos(x),)


class Cos(Op):
    """z = cos x;  dz/dx = -sin x."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return cos(x)  # type: ignore[no-any-return]

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (-sin(x),)


class Tanh(Op):
    """z = tanh x;  dz/dx = 1 - z**2 (the output is enough)."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return math.tanh(x)

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (1.0 - z * z,)


def sigmoid(x: float) -> float:
    """1 / (1 + e**-x) on a float, computed so that exp never overflows.

    For x < 0 it uses the equal e**x / (1 + e**x). This is the one definition
    of the sigmoid: the ``Sigmoid`` op and regrad-nn call it.
    """
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)  # NaN goes this way too, and stays NaN
    return e / (1.0 + e)


class Sigmoid(Op):
    """z = 1 / (1 + e**-x);  dz/dx = z (1 - z)."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return sigmoid(x)

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        return (z * (1.0 - z),)


def relu(x: float) -> float:
    """max(0, x) on a float; NaN stays NaN (as in PyTorch)."""
    return 0.0 if x <= 0 else x


class Relu(Op):
    """z = max(0, x);  dz/dx = 1 if x > 0, else 0 (0 at the kink, as in PyTorch).

    Where x <= 0 no gradient flows at all (PyTorch passes an exact 0 there,
    whatever arrives from above), so ``derivatives`` says None and the
    backward pass does not look behind this node. Except at x = -inf: what
    made it may have an infinite derivative (log at 0), and 0 * inf is NaN
    there, as in PyTorch, so the 0 is passed on.
    """

    __slots__ = ()
    may_block = True

    def forward(self, x: float) -> float:
        return relu(x)

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...] | None:
        if value(z) != 0:  # on (z is NaN for x = NaN: the gradient passes, as in PyTorch)
            return (1.0,)
        if value(x) == -math.inf:  # off, but what lies behind may have an infinite derivative: 0 * inf is NaN
            return (0.0,)
        return None


class Abs(Op):
    """z = |x|;  dz/dx = sign(x) (0 at x = 0 and for NaN, as in PyTorch)."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return abs(x)

    def derivatives(self, z: Any, x: Any) -> tuple[Any, ...]:
        v = value(x)
        return (1.0 if v > 0 else -1.0 if v < 0 else 0.0,)


# --------------------------------------------------------------------------
# n-ary: one node however many inputs


class Sum(Op):
    """z = x_1 + ... + x_n;  dz/dx_i = 1. One node instead of n - 1 Adds.

    (Python's ``sum()`` adds left to right up to 3.11; from 3.12 on it
    compensates rounding, so z can differ from a chain of Adds in the last bit.)
    """

    __slots__ = ()

    def forward(self, *xs: float) -> float:
        return float(sum(xs))

    def derivatives(self, z: Any, *xs: Any) -> tuple[Any, ...]:
        return (1.0,) * len(xs)


class Dot(Op):
    """z = w_1 x_1 + ... + w_n x_n, inputs ordered (w_1..w_n, x_1..x_n).

    dz/dw_i = x_i and dz/dx_i = w_i: the two halves of the inputs swap places.
    A neuron's weighted sum is one Dot node instead of 2n - 1 nodes.
    """

    __slots__ = ()

    def forward(self, *inputs: float) -> float:
        n, odd = divmod(len(inputs), 2)
        if odd or not n:
            raise ValueError(f"Dot needs the weights and then as many inputs (an even count), got {len(inputs)} inputs")
        return float(sum(map(operator.mul, inputs[:n], inputs[n:])))

    def derivatives(self, z: Any, *inputs: Any) -> tuple[Any, ...]:
        n = len(inputs) // 2
        return (*inputs[n:], *inputs[:n])
