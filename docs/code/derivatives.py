# --8<-- [start:rows]
import time

import regrad
from regrad import Var

n = 200
data = [0.01 * i for i in range(n)]


def loss(*w: Var) -> Var:
    """One number from n parameters: a least-squares fit."""
    return regrad.sum((wi * xi - 1.0) ** 2 for wi, xi in zip(w, data))


start = time.perf_counter()
params = [Var(0.5, req_grad=True) for _ in range(n)]
loss(*params).backward()  # reverse mode: ONE sweep
reverse = [p.grad for p in params]
reverse_time = time.perf_counter() - start

start = time.perf_counter()
forward = []
for i in range(n):  # forward mode: one sweep per parameter, along the basis direction e_i
    e_i = [1.0 if j == i else 0.0 for j in range(n)]
    forward.append(regrad.jvp(loss, [0.5] * n, e_i)[1])
forward_time = time.perf_counter() - start

print(f"reverse mode: 1 sweep, {len(reverse)} derivatives")
print(f"forward mode: {n} sweeps, one derivative each")
print("the same numbers:", max(abs(a - b) for a, b in zip(reverse, forward)) < 1e-12)
print(f"forward mode took {forward_time / reverse_time:.0f} times as long")
# --8<-- [end:rows]

# --8<-- [start:jacobian]
t = [0.5, 2.0]  # two inputs, three outputs


def outputs(a: Var, b: Var) -> list[Var]:
    return [a * b, a.sin(), b**2]


rows = []
for i in range(3):  # reverse mode: a row per sweep, d(output i)/d(every input)
    a, b = Var(t[0], req_grad=True), Var(t[1], req_grad=True)
    rows.append(regrad.grad(outputs(a, b)[i], [a, b]))
print("rows, by reverse mode:   ", [[round(d, 4) for d in row] for row in rows])

columns = []
for direction in ([1.0, 0.0], [0.0, 1.0]):  # forward mode: a column per input, d(every output)/d(that input)
    columns.append([regrad.jvp(lambda a, b, i=i: outputs(a, b)[i], t, direction)[1] for i in range(3)])
print("columns, by forward mode:", [[round(d, 4) for d in column] for column in columns])
# --8<-- [end:jacobian]

# --8<-- [start:again]
x = Var(1.5, req_grad=True, name="x")
y = Var(-0.5, req_grad=True, name="y")
out = x * x * y + y.sin()  # f(x, y) of examples/basic_4_derivatives.py
out.backward(create_graph=True)  # x.grad and y.grad are Vars, with graphs of their own
print("x.grad =", x.grad)
(d2f_dx2, d2f_dxdy) = regrad.grad(x.grad, [x, y])  # differentiate df/dx = 2xy again
print(f"d2f/dx2 = {d2f_dx2}  (2y)")
print(f"d2f/dxdy = {d2f_dxdy}  (2x)")
# --8<-- [end:again]
