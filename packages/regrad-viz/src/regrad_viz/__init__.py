"""regrad-viz: self-contained, interactive drawings of regrad computation graphs.

>>> from regrad import Var
>>> import regrad_viz
>>> a = Var(-4.0, req_grad=True, name="a")
>>> y = a + a ** 2
>>> drawing = regrad_viz.draw(y)
>>> len(drawing.graph.nodes), len(drawing.graph.edges)
(3, 3)
>>> svg_text = drawing.to_svg()          # static SVG
>>> page = drawing.to_html()             # interactive page (hover, pan/zoom, stepper)
>>> piece = drawing.to_html(full_page=False)  # a <div> to embed in another page

``regrad_viz.draw_to_html(y, "graph")`` writes ``graph.html`` in one call.
The modules, in the order a drawing is made: ``graph`` (Vars to nodes and
edges), ``names`` (names safe in every format, long ones abbreviated),
``labels`` (box texts, sizes and the legend), ``layout`` (layered layout),
``svg`` / ``html`` (rendering; the HTML viewer itself is ``static/viewer.js``
and ``static/viewer.css``, after ``static/shell.js``, the frame: zoom,
scrolling, the hover panel, focus), ``export`` (DOT, Mermaid), ``drawing``
(the public ``draw`` and ``Drawing``).

``network`` draws something else: a layered network as people draw one,
a box per neuron and a line per weight (``draw_network``), with a small
picture in each box; its script is ``static/network.js``, after the same
``static/shell.js``.
"""

from .drawing import Drawing, draw, draw_to_html
from .graph import DEFAULT_MAX_NODES, GraphError
from .network import NetworkDrawing, draw_network

__version__ = "0.2.0"

__all__ = ["DEFAULT_MAX_NODES", "Drawing", "GraphError", "NetworkDrawing", "draw", "draw_network", "draw_to_html"]
