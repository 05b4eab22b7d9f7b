import random

from regrad import Var
from regrad_nn import MLP

random.seed(1)  # the same weights as above
model = MLP(2, [3, 1], fused=False)  # the seed's graph: one Mul per weight, one Add per sum
x = Var(0.5, name="x")
y = model([x, x ** 2])
print(f"y = {y.val:.4f}")
