# --8<-- [start:imports]
import regrad
import regrad_viz

# --8<-- [end:imports]
# --8<-- [start:one_call]
from regrad import Var
from regrad_viz import draw_to_html

x = Var(0.5, req_grad=True, name="x")
y = 1 / (1 + (-x).exp())
path = draw_to_html(y, "sigmoid")  # writes sigmoid.html, returns its path
draw_to_html(y, "sigmoid_lr.html", "LR")  # a name ending in .html (or .htm) is used as given
print(path)
# --8<-- [end:one_call]

# --8<-- [start:object]
drawing = regrad_viz.draw(y, orientation="LR")
page = drawing.to_html()  # a whole HTML page, as a string
piece = drawing.to_html(full_page=False)  # a fragment to embed in a page of your own
svg = drawing.to_svg()  # the SVG alone (static: no script)
drawing.save("graph.svg")  # .html, .svg, .dot or .mmd, by the extension
dot = drawing.to_dot()  # Graphviz DOT text
mermaid = drawing.to_mermaid()  # Mermaid flowchart text
print(drawing)
# --8<-- [end:object]

# checked on every docs build, not shown: what the guide's Jupyter section says
if drawing._repr_html_() != drawing.to_html(full_page=False) or "<svg" not in drawing._repr_svg_():
    raise RuntimeError("the Jupyter section of docs/viz-guide.md no longer matches regrad_viz")

# --8<-- [start:after]
w1 = Var(0.8, req_grad=True, name="w1")
w2 = Var(-0.6, req_grad=True, name="w2")
out = (w1 * x).relu() + (w2 * x).relu()  # the second ReLU is off: w2 * x < 0
out.backward()
drawing = regrad_viz.draw(out, orientation="LR")  # after backward: the graph is still there
print(drawing.graph.after_backward, out.released)
print("w1.grad =", w1.grad, " w2.grad =", w2.grad)
# --8<-- [end:after]

# --8<-- [start:failed]
a = Var(-2.0, req_grad=True, name="a")
b = Var(2.0, req_grad=True, name="b")
bad = a**b  # (-2) ** 2 = 4, but d/db a ** b = a ** b * ln(a) has no real value
try:
    bad.backward()
except ValueError as error:
    print(f"ValueError: {error}")
print(regrad_viz.draw(bad))  # the drawing marks the node whose backward failed
# --8<-- [end:failed]

# --8<-- [start:cap]
total = regrad.sum(Var(i, req_grad=True) * i for i in range(2_000))
try:
    regrad_viz.draw(total, max_nodes=1_000)
except regrad_viz.GraphError as error:
    print(error)
# --8<-- [end:cap]
