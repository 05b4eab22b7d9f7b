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
draw_to_html(y, "sigmoid_lr.html", "LR")  # a name with an extension is used as given
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

# --8<-- [start:freed]
z = x * 2 + 1
z.backward()  # frees the graph
try:
    regrad_viz.draw(z)
except regrad_viz.GraphError as error:
    print(f"{type(error).__name__}: {error}")
# --8<-- [end:freed]

# --8<-- [start:cap]
total = regrad.sum(Var(i, req_grad=True) * i for i in range(2_000))
try:
    regrad_viz.draw(total, max_nodes=1_000)
except regrad_viz.GraphError as error:
    print(error)
# --8<-- [end:cap]
