from regrad import Var
from regrad_viz import draw_to_html

a = Var(-4.0, req_grad=True, name="a")
b = Var(2.0, req_grad=True, name="b")
c_5 = Var(5)  # a constant
c = a + b
d = a * b + b**3
c += c + 1
c += 1 + c + (-a)
d += d * 2 + (b + a).relu()
d += c_5 * d + (b - a).relu()
e = c - d
f = e**2
g = f / 2.0
g += 10.0 / f
print(f"{g.val:.4f}")  # the outcome of the forward pass
g.backward()
print(f"{a.grad:.4f}")  # dg/da
print(f"{b.grad:.4f}")  # dg/db

y = a + a**2
draw_to_html(y, "computed_graph_pow")
