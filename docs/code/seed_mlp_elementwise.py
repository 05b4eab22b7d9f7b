import random

from regrad import Var
from regrad_nn import MLP

random.seed(2)  # the same weights as above
model = MLP(2, [3, 1], fused=False)  # one Mul per weight and one Add per sum
for name, p in model.named_parameters():  # short labels for the drawing: "l0.n1.w0"
    p.name = name.replace("layers.", "l").replace("neurons.", "n").replace(".w.", ".w")
x = Var(0.5, name="x")
y = model([x, x**2])
print(f"y = {y.val:.4f}")
