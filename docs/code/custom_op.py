# --8<-- [start:op]
import math

import regrad
from regrad import Op, Var
from regrad.ops import divide, exp


def sigmoid(x):  # on a float or on a Var: divide and exp work on both
    return divide(1.0, 1.0 + exp(-x))


class Softplus(Op):
    """z = log(1 + e^x);  dz/dx = e^x / (1 + e^x) = sigmoid(x)."""

    __slots__ = ()  # no saved context: the rule reads the node's input

    def forward(self, x: float) -> float:
        # e^x overflows for x > 709; log(1 + e^x) = max(x, 0) + log(1 + e^-|x|) never does
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    def derivatives(self, z, x):
        return (sigmoid(x),)  # one local derivative per input, dz/dx


def softplus(x: Var) -> Var:
    return regrad.apply(Softplus, x)


# --8<-- [end:op]


# --8<-- [start:use]
x = Var(0.5, req_grad=True, name="x")
y = softplus(x * 3) + x
print(y)
y.backward()
print(f"dy/dx = {x.grad:.6f}")
print(f"expected {3 * (1 / (1 + math.exp(-1.5))) + 1:.6f}")
# --8<-- [end:use]

# --8<-- [start:any_order]
x = Var(0.5, req_grad=True, name="x")
(slope,) = regrad.grad(softplus(x), x, create_graph=True)  # sigmoid(x), as a graph
(curvature,) = regrad.grad(slope, x)  # its derivative: sigmoid(x) (1 - sigmoid(x))
s = 1 / (1 + math.exp(-0.5))
print(f"first derivative  {slope.val:.6f}   expected {s:.6f}")
print(f"second derivative {curvature:.6f}   expected {s * (1 - s):.6f}")
print("forward mode:", regrad.jvp(softplus, [0.5], [1.0]))
hessian = regrad.hessian(lambda a, b: softplus(a * b), [0.5, 2.0])
print("hessian:", [[round(h, 6) for h in row] for row in hessian])
# --8<-- [end:any_order]

# --8<-- [start:check]
for point in (0.5, -3.0, 20.0):
    print(point, regrad.gradcheck(lambda x: softplus(x * 3) + x, [point]))
print(softplus(Var(-800.0)).val, softplus(Var(800.0)).val)  # no overflow at the extremes
# --8<-- [end:check]


# --8<-- [start:torch_style]
class SoftplusTorchStyle(Op):
    """The same op written as a torch.autograd.Function: forward saves what backward needs."""

    __slots__ = ("sig",)  # the saved context

    def forward(self, x: float) -> float:
        self.sig = sigmoid(x)  # saved for backward
        return max(x, 0.0) + math.log1p(math.exp(-abs(x)))

    def backward(self, grad: float) -> tuple[float]:
        return (grad * self.sig,)  # dL/dx = dL/dz * dz/dx


x = Var(0.5, req_grad=True)
y = regrad.apply(SoftplusTorchStyle, x * 3) + x
y.backward()
print(f"dy/dx = {x.grad:.6f}")  # first derivatives: the same as above
print("forward mode:", regrad.jvp(lambda v: regrad.apply(SoftplusTorchStyle, v), [0.5], [1.0]))
try:
    x = Var(0.5, req_grad=True)
    regrad.apply(SoftplusTorchStyle, x).backward(create_graph=True)
except NotImplementedError as error:
    print(f"NotImplementedError: {error}")
# --8<-- [end:torch_style]


# --8<-- [start:blocks]
class Step(Op):
    """z = max(x, 0) ** 2 / 2;  dz/dx = max(x, 0), and nothing flows back where x <= 0."""

    __slots__ = ()
    may_block = True  # derivatives() may return None: the backward pass asks before going further

    def forward(self, x: float) -> float:
        return max(x, 0.0) ** 2 / 2

    def derivatives(self, z, x):
        if regrad.ops.value(x) <= 0:  # value(): the number, whether x is a float or a Var
            return None  # no gradient flows through this node for this x
        return (x,)


a = Var(-1.0, req_grad=True, name="a")
b = Var(2.0, req_grad=True, name="b")
total = regrad.apply(Step, a * 3) + regrad.apply(Step, b)
total.backward()
print("a.grad =", a.grad, " (behind a node that passes nothing: not even 0.0 is stored)")
print("b.grad =", b.grad)
for step in regrad.backward_steps(total):
    print(f"  {step.node.name:>4} receives {step.grad:g}" + (", blocked: sends nothing" if step.blocked else ""))
# --8<-- [end:blocks]


# --8<-- [start:checked]
class Broken(Op):
    def forward(self, x: float, y: float) -> float:
        return x * y

    def derivatives(self, z, x, y):
        return (y,)  # one derivative for two inputs


u, v = Var(2.0, req_grad=True), Var(3.0, req_grad=True)
try:
    regrad.apply(Broken, u, v).backward()
except ValueError as error:
    print(f"ValueError: {error}")
print(u.grad, v.grad, " (a failed backward stores nothing)")
# --8<-- [end:checked]


# --8<-- [start:args]
class Scale(Op):
    """z = k * x for a fixed number k;  dz/dx = k."""

    __slots__ = ("k",)
    arg_names = ("k",)  # shown in drawings and in repr

    def __init__(self, k: float) -> None:
        self.k = k

    def forward(self, x: float) -> float:
        return self.k * x

    def derivatives(self, z, x):
        return (self.k,)


y = regrad.apply(Scale, Var(0.5, req_grad=True), k=2.5)
print(y)
# --8<-- [end:args]

# --8<-- [start:make_node]
xs = [Var(v, req_grad=True) for v in (-1.0, 0.0, 2.0)]
op = Softplus()  # an op keeps no state: one instance can serve every node
values = [max(x.val, 0.0) + math.log1p(math.exp(-abs(x.val))) for x in xs]  # computed together, by the op's formula
nodes = [regrad.make_node(op, (x,), value) for x, value in zip(xs, values)]
regrad.sum(nodes).backward()
print([f"{x.grad:.4f}" for x in xs])  # sigmoid(-1), sigmoid(0), sigmoid(2)
# --8<-- [end:make_node]
