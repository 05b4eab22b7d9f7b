# --8<-- [start:op]
import math

import regrad
from regrad import Op, Var


class Softplus(Op):
    """z = log(1 + e^x);  dz/dx = e^x / (1 + e^x) = sigmoid(x)."""

    __slots__ = ("sig",)  # the saved context: all that backward needs

    def forward(self, x: float) -> float:
        # e^x overflows for x > 709, so work with e = e^-|x|, which lies in (0, 1]:
        # log(1 + e^x) = max(x, 0) + log(1 + e), and sigmoid(x) from e on either side.
        e = math.exp(-abs(x))
        self.sig = 1.0 / (1.0 + e) if x >= 0 else e / (1.0 + e)
        return max(x, 0.0) + math.log1p(e)

    def backward(self, grad: float) -> tuple[float]:
        return (grad * self.sig,)


def softplus(x: Var) -> Var:
    return regrad.apply(Softplus, x)


# --8<-- [end:op]


# --8<-- [start:use]
x = Var(0.5, req_grad=True, name="x")
y = softplus(x * 3) + x
print(y)
y.backward()
print(f"dy/dx = {x.grad:.6f}")
print("expected", 3 * (1 / (1 + math.exp(-1.5))) + 1)
# --8<-- [end:use]

# --8<-- [start:check]
for point in (0.5, -3.0, 20.0):
    print(point, regrad.gradcheck(lambda x: softplus(x * 3) + x, [point]))
print(softplus(Var(-800.0)).val, softplus(Var(800.0)).val)  # no overflow at the extremes
# --8<-- [end:check]


# --8<-- [start:args]
class Scale(Op):
    """z = k * x for a fixed number k;  dz/dx = k."""

    __slots__ = ("k",)
    arg_names = ("k",)  # shown in drawings and in repr

    def __init__(self, k: float) -> None:
        self.k = k

    def forward(self, x: float) -> float:
        return self.k * x

    def backward(self, grad: float) -> tuple[float]:
        return (grad * self.k,)


y = regrad.apply(Scale, x, k=2.5)
print(y)
# --8<-- [end:args]
