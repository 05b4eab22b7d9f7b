"""A picture of what a 2-input classifier learned: its decision boundary over the data.

The model is evaluated on a grid with ``model.predict`` (plain floats, no
graph), the regions where the score is positive or negative are shaded, the
zero line is drawn, and the data points go on top. matplotlib is used
through its object API with the Agg canvas, so no window and no display are
needed (and the global pyplot state is left alone).

The file's extension names its format (``.png``, ``.svg``, ``.pdf``, ...:
``plot_format`` lists what matplotlib can write). The file is replaced
atomically, as model files are (``files.atomic_write``).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .data import require
from .files import atomic_write
from .module import MLP


def plot_format(path: str | Path) -> str:
    """The image format ``path``'s extension names (``"png"`` for ``moons.PNG``), if matplotlib writes it.

    Otherwise ``ValueError`` listing the formats it can write. Needs matplotlib.
    """
    require("matplotlib", "matplotlib", "plot_decision_boundary")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # pgf is left out: matplotlib needs a TeX installation to write it
    formats = sorted(name for name in FigureCanvasAgg(Figure()).get_supported_filetypes() if name != "pgf")
    extension = Path(path).suffix.lower().lstrip(".")
    if extension not in formats:
        named = f"its extension .{extension} is not one" if extension else "it has no extension naming one"
        raise ValueError(f"{path}: cannot tell the image format ({named} of {', '.join(formats)})")
    return extension


def plot_decision_boundary(
    model: MLP,
    X: Sequence[Sequence[float]],
    y: Sequence[float],
    path: str | Path,
    title: str | None = None,
    resolution: int = 120,
) -> Path:
    """Save a picture of ``model``'s decision regions with the points ``X`` (labels ``y``) to ``path``.

    The format is the one ``path``'s extension names (``moons.png``, ``moons.svg``, ...).
    """
    if model.nin != 2:
        raise ValueError(f"plot_decision_boundary needs a model with 2 inputs, got {model.nin}")
    if len(X) != len(y) or not X:
        raise ValueError(f"plot_decision_boundary: {len(X)} points but {len(y)} labels")
    image_format = plot_format(path)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import ListedColormap
    from matplotlib.figure import Figure

    xs = [p[0] for p in X]
    ys = [p[1] for p in X]
    pad = 0.5
    x_min, x_max = min(xs) - pad, max(xs) + pad
    y_min, y_max = min(ys) - pad, max(ys) + pad
    nx = ny = max(10, int(resolution))
    grid_x = [x_min + (x_max - x_min) * i / (nx - 1) for i in range(nx)]
    grid_y = [y_min + (y_max - y_min) * j / (ny - 1) for j in range(ny)]
    scores = [[_score(model, gx, gy) for gx in grid_x] for gy in grid_y]
    correct = sum((_score(model, px, py) > 0) == (label > 0) for px, py, label in zip(xs, ys, y))

    fig = Figure(figsize=(6.4, 4.8), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    regions = ListedColormap(["#f4c7c3", "#c6dbef"])  # negative class, positive class
    ax.contourf(
        grid_x, grid_y, [[1.0 if s > 0 else 0.0 for s in row] for row in scores], levels=[-0.5, 0.5, 1.5], cmap=regions
    )
    ax.contour(grid_x, grid_y, scores, levels=[0.0], colors="#333333", linewidths=1.5)
    for label, color, marker in ((-1, "#d62728", "o"), (1, "#1f77b4", "s")):
        px = [a for a, t in zip(xs, y) if (t > 0) == (label > 0)]
        py = [b for b, t in zip(ys, y) if (t > 0) == (label > 0)]
        ax.scatter(px, py, c=color, marker=marker, s=28, edgecolors="white", linewidths=0.6, label=f"y = {label:+d}")
    ax.set_xlim(x_min, x_max)
    ax.set_ylim(y_min, y_max)
    ax.set_xlabel("x0")
    ax.set_ylabel("x1")
    ax.legend(loc="upper right", framealpha=0.9)
    if title is None:
        title = f"{model!r}\naccuracy {correct}/{len(y)} = {correct / len(y):.1%}"
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    path = Path(path)
    with atomic_write(path) as file:
        fig.savefig(file, format=image_format)
    return path


def _score(model: MLP, a: float, b: float) -> float:
    out = model.predict((a, b))
    return out if isinstance(out, float) else out[0]
