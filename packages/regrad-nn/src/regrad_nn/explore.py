"""The training explorer: one HTML file in which to watch a 2-input network learn.

A ``TrainingRecorder`` keeps a copy of the weights once per epoch; its
``save(path)`` writes a self-contained page (nothing to fetch, no server: it
opens from disk) with

* a timeline over the recorded snapshots (a slider, Play, the arrow keys),
  with the epoch and its learning rate;
* the data and the network's output over the input plane at that epoch:
  the decision boundary, the points by class, the misclassified ones marked;
* the loss and accuracy curves over the recorded snapshots (every epoch, up
  to ``MAX_FRAMES`` snapshots; evenly spaced ones for a longer training);
  click one to go there;
* the network, a box per neuron and a line per weight (``regrad_viz.draw_network``),
  each box holding a small picture of what its neuron computes over the plane;
* for the point you click: the computation graph of *its own* loss term
  (the hinge term ``max(0, 1 - y s)``, or the cross-entropy or squared error
  of that one point; no 1/n, no L2), a regular regrad-viz drawing with its
  values and gradients and the backward-pass stepper.

The page keeps only the recorded weights and the points (at full precision),
and computes everything else itself, in the same order of operations as
regrad and regrad-nn: the outputs over the plane, the curves, and the point's
graph, down to the engine's order of steps and the ReLUs that pass no
gradient (see ``static/explorer.js``). One laid-out drawing serves every
point and epoch: the graph has the same shape for all of them, only the
numbers change.

Using it in a training loop of your own (2 inputs, one output, labels ±1)::

    recorder = TrainingRecorder(X, y, loss="hinge", alpha=1e-4)
    for epoch in range(100):
        recorder.record(model, epoch, lr=optimizer.lr)   # the weights this epoch starts from
        ...                                              # one epoch of training
    recorder.record(model, 100)                          # the trained weights
    recorder.save("explorer.html")

``regrad-nn moons --explore explorer.html`` does exactly this (through
``train_moons(on_epoch=recorder.record)``). It needs regrad-viz, which comes
with the ``moons`` extra.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regrad
from regrad import Var

from ._checks import check_int, check_number
from .data import require
from .files import atomic_write, build_model
from .losses import BCEWithLogits
from .module import MLP

if TYPE_CHECKING:
    from regrad_viz import Drawing

#: the losses whose per-point terms the page can compute
LOSS_TERMS = ("hinge", "bce", "mse")
#: a page holds at most this many snapshots of the weights (evenly spaced, the first and the last always)
MAX_FRAMES = 201
#: ... and at most about this many numbers in all: fewer snapshots for a larger network
MAX_NUMBERS = 150_000
#: the outputs over the input plane are computed on a grid this many points wide and high
GRID = 64
#: room around the data in the plane, as in ``plot_decision_boundary``
PAD = 0.5


def loss_term(score: Var, label: float, loss: str) -> Var:
    """One point's term of the data loss, built as the loss functions build it, without the 1/n of the mean.

    ``hinge``: ``relu(1 - y * s)``; ``bce``: ``BCEWithLogits(s, target=(1 + y) / 2)``;
    ``mse``: ``(s - y) ** 2``. The label is a constant named ``y`` in the graph.
    """
    if loss == "hinge":
        return (1 - Var(label, name="y") * score).relu()
    if loss == "bce":
        return regrad.apply(BCEWithLogits, score, target=(1.0 + label) / 2.0)
    if loss == "mse":
        return (score - Var(label, name="y")) ** 2
    raise ValueError(f"the explorer knows the losses {', '.join(LOSS_TERMS)}, not {loss!r}")


def point_graph(model: MLP, point: Sequence[float], label: float, loss: str) -> Var:
    """The graph of one point's loss term: the inputs are constants named ``x.0`` and ``x.1``."""
    inputs = [Var(value, name=f"x.{i}") for i, value in enumerate(point)]
    return loss_term(model(inputs), label, loss)  # type: ignore[arg-type]  # one output: a Var


@dataclass
class Frame:
    """One snapshot: the weights after ``epoch`` epochs, and the learning rate of the next epoch (None: none)."""

    epoch: int
    lr: float | None
    weights: list[float]


def _check_points(X: Sequence[Sequence[float]], y: Sequence[float]) -> tuple[list[list[float]], list[float]]:
    points = [[float(a) for a in point] for point in X]
    labels = [float(label) for label in y]
    if not points or len(points) != len(labels):
        raise ValueError(
            f"TrainingRecorder needs at least one point and a label per point, got {len(points)}, {len(labels)}"
        )
    for point in points:
        if len(point) != 2 or not all(math.isfinite(a) for a in point):
            raise ValueError(f"TrainingRecorder needs points of 2 finite numbers, got {point!r:.80}")
    if any(label not in (-1.0, 1.0) for label in labels):
        raise ValueError("TrainingRecorder needs labels -1 or +1")
    return points, labels


class TrainingRecorder:
    """Snapshots of a network's weights during training, written as the training explorer (one HTML file).

    ``TrainingRecorder(X, y, loss="hinge", alpha=0.0)``: the training points
    (pairs of numbers) and their labels (±1), and the loss the training
    minimises, whose per-point terms the explorer shows: ``"hinge"``,
    ``"bce"`` (cross-entropy on the logits) or ``"mse"``, plus ``alpha`` times
    the L2 penalty (``l2_penalty``) in the loss curve.

    Call ``record(model, epoch, lr)`` with the weights an epoch starts from,
    and once more after the last epoch; then ``save(path)``.
    """

    def __init__(
        self, X: Sequence[Sequence[float]], y: Sequence[float], loss: str = "hinge", alpha: float = 0.0
    ) -> None:
        if loss not in LOSS_TERMS:
            raise ValueError(f"the explorer knows the losses {', '.join(LOSS_TERMS)}, not {loss!r}")
        alpha = check_number(alpha, "alpha", allow_zero=True)
        points, labels = _check_points(X, y)
        #: the points (pairs of floats) and their labels (±1.0)
        self.X: list[list[float]] = points
        self.y: list[float] = labels
        self.loss: str = loss
        self.alpha: float = alpha
        self.frames: list[Frame] = []
        #: the recorded model's architecture (``MLP.config()``), from the first ``record``
        self.config: dict[str, Any] | None = None
        #: the last drawing to_html made, with the weights it was made for: made again only if they change
        self._drawn: tuple[list[float], Drawing] | None = None

    def record(self, model: MLP, epoch: int, lr: float | None = None) -> None:
        """Keep a copy of ``model``'s weights as they are after ``epoch`` epochs.

        ``lr``: the learning rate the next epoch uses (None after the last).
        ``model`` is an ``MLP`` with 2 inputs and 1 output, the same one each
        time; ``epoch`` grows from one call to the next. It only copies the
        weights (microseconds): record every epoch.
        """
        if not isinstance(model, MLP) or model.nin != 2 or model.nouts[-1] != 1:
            raise ValueError(f"the explorer shows MLPs with 2 inputs and 1 output, got {model!r}")
        if self.config is None:
            self.config = model.config()
        elif model.config() != self.config:
            raise ValueError(f"record() got a model of another shape: {model.config()} after {self.config}")
        epoch = check_int(epoch, "epoch", minimum=0)
        if self.frames and epoch <= self.frames[-1].epoch:
            raise ValueError(f"epochs must grow from one record() to the next: {epoch} after {self.frames[-1].epoch}")
        self.frames.append(Frame(epoch, None if lr is None else float(lr), [p.val for p in model.parameters()]))

    # ------------------------------------------------------------ writing

    def to_html(self, full_page: bool = True, drawing: Drawing | None = None) -> str:
        """The explorer: a whole page, or with ``full_page=False`` one ``<div>`` to put in a page of your own.

        The page opens at the first snapshot, on the point whose loss term is
        largest summed over all snapshots (the one that takes longest to
        learn); click another to see its graph. ``drawing``: the drawing of a point's
        graph that the page fills in, ``explorer_drawing(model, loss)`` with
        the weights of the first snapshot, if it was made already (laying it
        out takes seconds: the ``regrad-nn moons`` command has it made in
        another process while it trains); by default it is made here.

        Raises ``ValueError`` if nothing was recorded or a recorded weight is
        NaN or infinite (the training diverged), and ``MissingExtraError``
        without regrad-viz.
        """
        require("regrad_viz", "regrad-viz", "the training explorer")
        if self.config is None or not self.frames:
            raise ValueError("nothing recorded: call record(model, epoch) during training")
        frames = kept_frames(self.frames, len(self.frames[0].weights))
        for frame in frames:
            if not all(math.isfinite(w) for w in frame.weights):
                raise ValueError(f"the weights after epoch {frame.epoch} are not all finite: the training diverged")
        first = model_at(self.config, frames[0].weights)
        if drawing is None and self._drawn is not None and self._drawn[0] == frames[0].weights:
            drawing = self._drawn[1]  # made by an earlier call, for the same weights
        if drawing is None:
            drawing = explorer_drawing(first, self.loss)
        self._drawn = (frames[0].weights, drawing)
        fragment = _explorer_fragment(self, frames, first, drawing)
        return _page(fragment) if full_page else fragment

    def save(self, path: str | Path, drawing: Drawing | None = None) -> Path:
        """Write the explorer as one self-contained HTML file, replaced atomically; returns the path.

        ``drawing``: as for ``to_html``.
        """
        path = Path(path)
        text = self.to_html(drawing=drawing)
        with atomic_write(path) as file:
            file.write(text.encode("utf-8"))
        return path


def kept_frames(frames: list[Frame], n_weights: int) -> list[Frame]:
    """At most ``MAX_FRAMES`` frames and about ``MAX_NUMBERS`` weights in all, evenly spaced, first and last kept."""
    limit = max(2, min(MAX_FRAMES, MAX_NUMBERS // max(1, n_weights)))
    if len(frames) <= limit:
        return list(frames)
    picked = sorted({round(k * (len(frames) - 1) / (limit - 1)) for k in range(limit)})
    return [frames[k] for k in picked]


# --------------------------------------------------------------------------
# the page


def _static(name: str) -> str:
    return (resources.files("regrad_nn") / "static" / name).read_text(encoding="utf-8")


def model_at(config: dict[str, Any], weights: Sequence[float]) -> MLP:
    """A fresh MLP holding ``weights`` (Python's ``random`` is left as it was)."""
    model = build_model(config)
    for p, w in zip(model.parameters(), weights):
        p.val = w
    return model


def point_drawing(model: MLP, point: Sequence[float], label: float, loss: str) -> Drawing:
    """The regrad-viz drawing of one point's loss term with ``model``'s weights, and its gradients.

    The graph is drawn left to right (the point's inputs on the left, its
    loss term on the right); each parameter's box shows the gradient of this
    one term (backward runs on a copy of the model: ``model`` is left as it was).
    """
    import regrad_viz

    model = model_at(model.config(), [p.val for p in model.parameters()])  # its grads start at 0.0
    term = point_graph(model, point, label, loss)
    if term.req_grad:
        term.backward(retain_graph=True)  # keep the graph: it is drawn next
    return regrad_viz.draw(term, orientation="LR", show_adjoints=True)


#: the point (and its label) whose numbers the explorer's drawing is made with: any point would do,
#: the page writes in those of the point it shows as it opens
DRAWN_POINT, DRAWN_LABEL = (0.5, 0.5), 1.0


def explorer_drawing(model: MLP, loss: str) -> Drawing:
    """The drawing of a point's graph that the explorer fills in, laid out once for every point and epoch.

    The graph has the same shape for every point: the page only changes its
    numbers. It is drawn with ``model``'s weights (the first snapshot's)
    for the point ``DRAWN_POINT``; those numbers are replaced as the page opens.
    """
    return point_drawing(model, DRAWN_POINT, DRAWN_LABEL, loss)


def check_drawable(model: MLP, loss: str) -> None:
    """Raise ``ValueError`` if the explorer cannot draw a point's graph for ``model``: too many nodes for regrad-viz.

    Quick: the graph is built and its nodes are counted, nothing is laid out
    (the part that takes seconds). ``regrad-nn moons --explore`` checks this
    before training, rather than fail after it.
    """
    from regrad_viz import DEFAULT_MAX_NODES, GraphError
    from regrad_viz.graph import collect_graph

    try:
        collect_graph(point_graph(model, DRAWN_POINT, DRAWN_LABEL, loss), DEFAULT_MAX_NODES, trace=False)
    except GraphError:
        raise ValueError(
            f"the graph of a point's loss term for {model!r} has more than {DEFAULT_MAX_NODES:,} nodes, "
            "more than regrad-viz draws: the explorer needs smaller hidden layers"
        ) from None


def _graph_recipe(drawing: Drawing, parameter_names: list[str]) -> list[dict[str, Any]]:
    """What the page needs to recompute every node of the drawn graph for any point and weights.

    For each node, in the drawing's order: where a leaf's value comes from
    (a parameter, a coordinate of the point, its label, a number), or the
    op, its arguments and its inputs; how messages name it; the parts of its
    box and hover text that never change.
    """
    from regrad_viz.labels import ARGS, box_title, full_args
    from regrad_viz.names import abbreviate
    from regrad_viz.svg import node_tooltip

    graph = drawing.graph
    inputs: list[list[int]] = [[] for _ in graph.nodes]
    for edge in graph.edges:  # collect_graph lists a node's edges in slot order
        inputs[edge.dst].append(edge.src)
    parameter = {name: k for k, name in enumerate(parameter_names)}
    recipe = []
    for i, node in enumerate(graph.nodes):
        entry: dict[str, Any] = {
            "kind": node.kind,
            "title": box_title(node),
            "about": node_tooltip(graph, i).partition("\n")[0],  # the hover text's first line: "title  (kind)"
        }
        if node.kind == "op":
            entry["op"] = node.op_name
            entry["op_args"] = node.op_args  # such as the neuron's activation, or the power of a Pow
            entry["inputs"] = inputs[i]
            entry["args"] = next((text for text, cls in drawing.lines[i] if cls == ARGS), "")  # the box's line
            entry["args_full"] = full_args(node)
            if node.op_name == "BCEWithLogits":
                entry["args"] = entry["args_full"] = None  # target=..., the point's: the page writes it
        elif node.label in parameter:
            entry["parameter"] = parameter[node.label]
        elif node.label in ("x.0", "x.1"):
            entry["input"] = int(node.label[2])
        elif node.label == "y":
            entry["label"] = True
        else:
            entry["number"] = node.value
        recipe.append(entry)
    # names for the stepper's messages that do not change with the numbers: a box's title, and where
    # several boxes have the same title (every neuron is a FusedNeuron), the neuron's name
    count: dict[str, int] = {}
    for entry in recipe:
        count[entry["title"]] = count.get(entry["title"], 0) + 1
    seen: dict[str, int] = {}
    for entry in recipe:
        title = entry["title"]
        seen[title] = seen.get(title, 0) + 1
        if count[title] == 1:
            entry["name"] = title
        elif "neuron" in entry.get("op_args", {}):
            entry["name"] = f"{title} {abbreviate(entry['op_args']['neuron'])}"
        else:
            entry["name"] = f"{title} #{seen[title]}"
    return recipe


def _plane(points: list[list[float]]) -> dict[str, Any]:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return {"x": [min(xs) - PAD, max(xs) + PAD], "y": [min(ys) - PAD, max(ys) + PAD], "grid": GRID}


def _network_fragment(model: MLP, frames: list[Frame]) -> str:
    """The network as regrad-viz draws layered networks, with ``model``'s weights; the page updates them."""
    from regrad_viz import draw_network

    sizes = [model.nin, *model.nouts]
    weights = [[[w.val for w in neuron.w] for neuron in layer.neurons] for layer in model.layers]
    biases = [[neuron.b.val for neuron in layer.neurons] for layer in model.layers]
    names = [[f"x.{i}" for i in range(sizes[0])]] + [
        [f"layers.{k}.neurons.{j}" for j in range(n)] for k, n in enumerate(model.nouts)
    ]
    titles = ["inputs"] + [f"layers.{k} \u00b7 {layer.activation}" for k, layer in enumerate(model.layers)]
    largest = max(abs(w) for frame in frames for w in frame.weights)  # one scale for every epoch: lines grow
    drawing = draw_network(
        sizes,
        weights,
        biases=biases,
        names=names,
        layer_titles=titles,
        scale=largest or 1.0,
        caption="picture: the neuron's output over the plane of the data (blue > 0, orange < 0, 0 transparent)",
    )
    return drawing.to_html(full_page=False)


def _explorer_fragment(recorder: TrainingRecorder, frames: list[Frame], first: MLP, drawing: Drawing) -> str:
    """The explorer's ``<div>``; ``first``: the model with the first frame's weights."""
    from regrad_viz.html import compact_css, inline_js, script_json

    config = first.config()
    names = [name for name, _ in first.named_parameters()]
    data = {
        "layers": [config["nin"], *config["nouts"]],
        "activation": config["activation"],
        "loss": recorder.loss,
        "alpha": recorder.alpha,
        "points": recorder.X,
        "labels": recorder.y,
        "plane": _plane(recorder.X),
        "frames": [{"epoch": f.epoch, "lr": f.lr, "weights": f.weights} for f in frames],
        "graph": _graph_recipe(drawing, names),
    }
    script = inline_js(_static("explorer.js"))
    sizes = " \u2192 ".join(str(n) for n in data["layers"])
    summary = (
        f"MLP {sizes} ({config['activation']}), {_LOSS_WORDS[recorder.loss]}"
        + (f" + {recorder.alpha:g}\u00b7L2" if recorder.alpha else "")
        + f", {len(recorder.X)} points, {len(frames)} snapshots of the weights"
    )
    return _markup(
        css=compact_css(_static("explorer.css")),
        summary=escape(summary),
        frames=len(frames),
        network=_network_fragment(first, frames),
        graph=drawing.to_html(full_page=False),
        data=script_json(data),
        script=script,
    )


def _markup(css: str, summary: str, frames: int, network: str, graph: str, data: str, script: str) -> str:
    """The explorer's one ``<div>``: its parts are filled in by ``static/explorer.js``."""
    return "".join(
        [
            '<div class="regrad-explorer" role="group" aria-label="training explorer">',
            f"<style>{css}</style>",
            f'<div class="rx-head"><span class="rx-title">Training explorer</span> <span>{summary}</span></div>',
            # the timeline, the plane and the curves: one part of the page for the keys
            '<div class="rx-controls" tabindex="0" role="group" '
            'aria-label="timeline (keys: arrows, space, Home, End)">',
            '<div class="rx-timeline">',
            '<button type="button" class="rx-play" title="play or pause (space)">\u25b6 Play</button>',
            f'<input type="range" class="rx-slider" min="0" max="{frames - 1}" step="1" value="0" '
            'aria-label="epoch shown">',
            '<span class="rx-epoch"></span><span class="rx-lr"></span><span class="rx-stats"></span>',
            '<span class="rx-hint">keys: \u2190 \u2192 space Home End</span>',
            "</div>",
            '<div class="rx-row">',
            '<div class="rx-panel"><div class="rx-panel-title">The points and the network\u2019s output '
            "(click a point to pick it)</div>",
            '<div class="rx-plot"><canvas class="rx-heat"></canvas><svg class="rx-marks"></svg></div>',
            '<div class="rx-legend"><span><i class="rx-key rx-positive"></i>class +1</span>',
            '<span><i class="rx-key rx-negative"></i>class \u22121</span>',
            '<span><i class="rx-key rx-wrong"></i><span class="rx-wrong-count"></span></span>',
            '<span><i class="rx-key rx-line"></i>output 0: the decision boundary</span>',
            "<span>shading: the output, blue &gt; 0 &gt; orange</span></div></div>",
            '<div class="rx-panel"><div class="rx-panel-title">Loss and accuracy at each snapshot '
            "(click to go there)</div>",
            '<svg class="rx-chart rx-loss"></svg><svg class="rx-chart rx-accuracy"></svg></div>',
            "</div></div>",
            '<div class="rx-section"><div class="rx-caption">The network after <b class="rx-network-epoch"></b>: '
            "a box per neuron, showing its output over the plane above; a line per weight, blue if positive, "
            "orange if negative, thicker if larger. Hover for the numbers.</div>",
            network,
            "</div>",
            '<div class="rx-section"><div class="rx-caption rx-point-caption"></div>',
            graph,
            "</div>",
            f'<script type="application/json" class="rx-data">{data}</script>',
            f"<script>{script}</script>",
            "</div>",
        ]
    )


_LOSS_WORDS = {"hinge": "hinge loss", "bce": "cross-entropy loss", "mse": "squared error"}


def _page(fragment: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>regrad training explorer</title>\n"
        "<style>html,body{margin:0;background:#eef1f4}body{padding:8px}"
        "@media (prefers-color-scheme:dark){html,body{background:#0d1014}}</style>\n"
        "</head>\n<body>\n"
        f"{fragment}\n</body>\n</html>\n"
    )


__all__ = [
    "DRAWN_LABEL",
    "DRAWN_POINT",
    "LOSS_TERMS",
    "Frame",
    "TrainingRecorder",
    "explorer_drawing",
    "kept_frames",
    "loss_term",
    "model_at",
    "point_drawing",
    "point_graph",
]
