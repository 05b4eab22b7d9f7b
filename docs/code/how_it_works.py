# --8<-- [start:forward]
import regrad
from regrad import Var

x = Var(2.0, req_grad=True, name="x")
w = Var(-3.0, req_grad=True, name="w")
u = x * w  # a Mul node: u = -6
v = u + x  # an Add node; x is used twice
L = v**2  # a Pow node with power=2: L = 16

print(L)
print(L.op, L.src)
print(v.op, v.src)
# --8<-- [end:forward]

# --8<-- [start:order]
for node in regrad.topological_order(L):
    print(f"{node.name:>4}  val={node.val:g}")
# --8<-- [end:order]

# --8<-- [start:steps]
for step in regrad.backward_steps(L):
    node = step.node
    sends = [
        f"{p.name}: {step.grad:g} × {d:g} = {g:g}"
        for p, d, g in zip(node.src or (), step.derivatives, step.input_grads)
    ]
    print(f"{node.name:>3} receives {step.grad:>3g}; sends {'; '.join(sends) or 'nothing (a leaf)'}")
# --8<-- [end:steps]

# --8<-- [start:backward]
L.backward()
print("x.grad =", x.grad)
print("w.grad =", w.grad)
print("v.grad =", v.grad, " (intermediate grads are not kept)")
print("L.released =", L.released, " (the graph stays, used up by this backward)")
try:
    L.backward()  # a second pass through the same graph
except RuntimeError as error:
    print("RuntimeError:", error)
# --8<-- [end:backward]
