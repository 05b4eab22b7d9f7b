from regrad import Var
from regrad_viz import draw_to_html


def sigmoid(x: Var) -> Var:
    return 1 / (1 + (-x).exp())


y = sigmoid(Var(0.5, req_grad=True, name="x"))
print(f"sigmoid(0.5) = {y.val:.4f}")
draw_to_html(y, "computed_graph_sigmoid")
