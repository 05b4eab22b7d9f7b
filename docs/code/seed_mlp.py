import random

from regrad import Var
from regrad_nn import MLP
from regrad_viz import draw_to_html

random.seed(2)  # the same weights on every docs build
model = MLP(2, [3, 1])  # 3 neurons in the hidden layer, 1 output
print("number of parameters", len(model.parameters()))
for name, p in model.named_parameters():  # short labels for the drawing: "l0.n1.w0"
    p.name = name.replace("layers.", "l").replace("neurons.", "n").replace(".w.", ".w")
x = Var(0.5, name="x")
y = model([x, x**2])
print(f"y = {y.val:.4f}")
draw_to_html(y, "computed_graph_mlp", "LR")  # inputs on the left, output on the right
