"""The primitives, in the operator view: one small class per mathematical operation.

Every Op has two methods that sit side by side so the chain rule can be read
next to the function it differentiates:

* ``forward(*inputs)`` takes the input *values* (plain floats) and returns the
  output value. It saves in its own slots exactly what ``backward`` will need:
  its *saved context*.
* ``backward(grad)`` takes ``grad = dL/d(output)`` and returns one number per
  input, ``dL/d(input_i) = grad * d(output)/d(input_i)``: the vector-Jacobian
  product of a scalar function.

An Op never sees a Var, so the engine (``regrad.engine``) never changes when an
op is added: write a subclass and apply it with ``regrad.apply(MyOp, x)``.
Op *arguments* that are not inputs (the exponent of ``Pow``) are named in
``arg_names`` and kept on the instance, so drawings can show ``Pow(power=2)``.

Errors: inputs outside an op's real domain raise ``ValueError`` (never a
silent complex number), division by zero raises ``ZeroDivisionError``, and
both name the op and the value.
"""

from __future__ import annotations

import math
import operator
from typing import Any


class Op:
    """Base class of every primitive. Subclasses set ``__slots__`` for their saved context."""

    __slots__ = ()
    #: names of constructor arguments that are part of the op (shown in drawings)
    arg_names: tuple[str, ...] = ()

    # (*inputs: Any, **_: Any) lets each subclass name its own inputs: forward(self, x, y)
    def forward(self, *inputs: Any, **_: Any) -> float:
        """Output value from the input values; save what backward needs."""
        raise NotImplementedError(f"{type(self).__name__} does not define forward()")

    def backward(self, grad: float) -> tuple[float, ...]:
        """One gradient per input, given the gradient of the output."""
        raise NotImplementedError(f"{type(self).__name__} does not define backward()")

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
    """z = x + y;  dz/dx = 1, dz/dy = 1. Nothing to save."""

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        return x + y

    def backward(self, grad: float) -> tuple[float, float]:
        return grad, grad


class Sub(Op):
    """z = x - y;  dz/dx = 1, dz/dy = -1. Nothing to save."""

    __slots__ = ()

    def forward(self, x: float, y: float) -> float:
        return x - y

    def backward(self, grad: float) -> tuple[float, float]:
        return grad, -grad


class Mul(Op):
    """z = x * y;  dz/dx = y, dz/dy = x: each input's grad needs the *other* input."""

    __slots__ = ("x", "y")

    def forward(self, x: float, y: float) -> float:
        self.x = x
        self.y = y
        return x * y

    def backward(self, grad: float) -> tuple[float, float]:
        return grad * self.y, grad * self.x


class Div(Op):
    """z = x / y;  dz/dx = 1/y, dz/dy = -x/y**2 = -z/y."""

    __slots__ = ("out", "y")

    def forward(self, x: float, y: float) -> float:
        if y == 0:
            raise ZeroDivisionError(f"Div: division by zero ({x!r} / 0)")
        self.y = y
        self.out = x / y
        return self.out

    def backward(self, grad: float) -> tuple[float, float]:
        dx = grad / self.y
        return dx, -dx * self.out


class Neg(Op):
    """z = -x;  dz/dx = -1."""

    __slots__ = ()

    def forward(self, x: float) -> float:
        return -x

    def backward(self, grad: float) -> tuple[float]:
        return (-grad,)


# --------------------------------------------------------------------------
# powers


def _is_integer(p: float) -> bool:
    return float(p).is_integer()


class Pow(Op):
    """z = x ** p for a constant exponent p;  dz/dx = p * x**(p-1).

    A negative x with a non-integer p has no real value (Python would return a
    complex number), so it raises ``ValueError``.
    """

    __slots__ = ("power", "x")
    arg_names = ("power",)

    def __init__(self, power: float) -> None:
        self.power = power

    def forward(self, x: float) -> float:
        p = self.power
        if x < 0 and not _is_integer(p):
            raise ValueError(f"Pow: {x!r} ** {p!r} is not a real number (negative base, fractional power)")
        if x == 0 and p < 0:
            raise ZeroDivisionError(f"Pow: 0 ** {p!r} divides by zero")
        self.x = x
        return float(x**p)  # real by the checks above

    def backward(self, grad: float) -> tuple[float]:
        p, x = self.power, self.x
        if p == 0:
            return (0.0,)
        if x == 0 and p < 1:
            raise ZeroDivisionError(f"Pow backward: the derivative of x ** {p!r} at x = 0 is infinite")
        return (grad * p * x ** (p - 1),)


class VarPow(Op):
    """z = a ** b where the exponent b is itself a variable.

    dz/da = b * a**(b-1),  dz/db = a**b * ln(a). The second needs a > 0 (or
    a == 0, where z is 0 and so is its derivative, as in PyTorch).
    """

    __slots__ = ("a", "b", "out")

    def forward(self, a: float, b: float) -> float:
        if a < 0 and not _is_integer(b):
            raise ValueError(f"VarPow: {a!r} ** {b!r} is not a real number (negative base, fractional power)")
        if a == 0 and b < 0:
            raise ZeroDivisionError(f"VarPow: 0 ** {b!r} divides by zero")
        self.a, self.b = a, b
        self.out = float(a**b)  # real by the checks above
        return self.out

    def backward(self, grad: float) -> tuple[float, float]:
        a, b, out = self.a, self.b, self.out
        if a < 0:
            raise ValueError(f"VarPow backward: d(a**b)/db = a**b * ln(a) needs a >= 0, got a = {a!r}")
        if a == 0:
            if b == 0 or (0 < b < 1):
                raise ZeroDivisionError(f"VarPow backward: the derivative of a ** {b!r} at a = 0 is infinite")
            da = 0.0 if b > 1 else grad  # b == 1: d(a)/da = 1
            return da, 0.0
        return grad * b * a ** (b - 1), grad * out * math.log(a)


# --------------------------------------------------------------------------
# elementary functions


class Exp(Op):
    """z = e**x;  dz/dx = e**x = z, so the output is what backward saves."""

    __slots__ = ("out",)

    def forward(self, x: float) -> float:
        try:
            self.out = math.exp(x)
        except OverflowError:
            raise OverflowError(f"Exp: exp({x!r}) is too large for a float") from None
        return self.out

    def backward(self, grad: float) -> tuple[float]:
        return (grad * self.out,)


class Log(Op):
    """z = ln x for x > 0;  dz/dx = 1/x."""

    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        if not x > 0:
            raise ValueError(f"Log: log({x!r}) is outside the real domain x > 0")
        self.x = x
        return math.log(x)

    def backward(self, grad: float) -> tuple[float]:
        return (grad / self.x,)


class Sqrt(Op):
    """z = sqrt(x) for x >= 0;  dz/dx = 1 / (2 sqrt(x)) = 1 / (2z)."""

    __slots__ = ("out",)

    def forward(self, x: float) -> float:
        if x < 0:
            raise ValueError(f"Sqrt: sqrt({x!r}) is outside the real domain x >= 0")
        self.out = math.sqrt(x)
        return self.out

    def backward(self, grad: float) -> tuple[float]:
        if self.out == 0:
            raise ZeroDivisionError("Sqrt backward: the derivative of sqrt(x) at x = 0 is infinite")
        return (grad / (2.0 * self.out),)


class Sin(Op):
    """z = sin x;  dz/dx = cos x."""

    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return math.sin(x)

    def backward(self, grad: float) -> tuple[float]:
        return (grad * math.cos(self.x),)


class Cos(Op):
    """z = cos x;  dz/dx = -sin x."""

    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return math.cos(x)

    def backward(self, grad: float) -> tuple[float]:
        return (-grad * math.sin(self.x),)


class Tanh(Op):
    """z = tanh x;  dz/dx = 1 - z**2 (the output is enough)."""

    __slots__ = ("out",)

    def forward(self, x: float) -> float:
        self.out = math.tanh(x)
        return self.out

    def backward(self, grad: float) -> tuple[float]:
        return (grad * (1.0 - self.out * self.out),)


class Sigmoid(Op):
    """z = 1 / (1 + e**-x);  dz/dx = z (1 - z).

    Computed so that exp never overflows: for x < 0 it uses e**x / (1 + e**x).
    """

    __slots__ = ("out",)

    def forward(self, x: float) -> float:
        if x >= 0:
            self.out = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            self.out = e / (1.0 + e)
        return self.out

    def backward(self, grad: float) -> tuple[float]:
        return (grad * self.out * (1.0 - self.out),)


class Relu(Op):
    """z = max(0, x);  dz/dx = 1 if x > 0 else 0 (0 at the kink, as in PyTorch)."""

    __slots__ = ("out",)

    def forward(self, x: float) -> float:
        self.out = x if x > 0 else 0.0
        return self.out

    def backward(self, grad: float) -> tuple[float]:
        return (grad if self.out > 0 else 0.0,)


class Abs(Op):
    """z = |x|;  dz/dx = sign(x) (0 at x = 0, as in PyTorch)."""

    __slots__ = ("x",)

    def forward(self, x: float) -> float:
        self.x = x
        return abs(x)

    def backward(self, grad: float) -> tuple[float]:
        x = self.x
        return (grad if x > 0 else -grad if x < 0 else 0.0,)


# --------------------------------------------------------------------------
# n-ary: one node however many inputs


class Sum(Op):
    """z = x_1 + ... + x_n;  dz/dx_i = 1. One node instead of n - 1 Adds."""

    __slots__ = ("n",)

    def forward(self, *xs: float) -> float:
        self.n = len(xs)
        return float(sum(xs))

    def backward(self, grad: float) -> tuple[float, ...]:
        return (grad,) * self.n


class Dot(Op):
    """z = w_1 x_1 + ... + w_n x_n, inputs ordered (w_1..w_n, x_1..x_n).

    dz/dw_i = x_i and dz/dx_i = w_i: the two halves of the saved inputs swap
    places. A neuron's weighted sum is one Dot node instead of 2n - 1 nodes.
    """

    __slots__ = ("inputs",)

    def forward(self, *inputs: float) -> float:
        n = len(inputs) // 2
        self.inputs = inputs
        return float(sum(map(operator.mul, inputs[:n], inputs[n:])))

    def backward(self, grad: float) -> tuple[float, ...]:
        inputs = self.inputs
        n = len(inputs) // 2
        # grads for the weights are grad * x_i, for the xs grad * w_i
        return tuple([grad * v for v in inputs[n:]] + [grad * v for v in inputs[:n]])
