"""What the layout hands to the renderers: the ``Layout`` class, and the orientations it can face."""

from __future__ import annotations

ORIENTATIONS = ("TB", "BT", "LR", "RL")


def check_orientation(orientation: object) -> str:
    """``orientation`` itself, or a ValueError listing the valid ones."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be one of {', '.join(ORIENTATIONS)}, got {orientation!r}")
    return str(orientation)


class Layout:
    """Positions of every node and the route of every edge, in drawing coordinates.

    ``boxes[i]`` is (centre x, centre y, width, height) of node i;
    ``paths[k]`` the SVG path commands of edge k, ending at its arrow's base;
    ``arrows[k]`` the arrowhead triangle; ``layers[i]`` node i's layer (0 =
    the inputs' side); ``width`` and ``height`` the size of the whole drawing.
    """

    __slots__ = ("arrows", "boxes", "height", "layers", "paths", "width")

    def __init__(self) -> None:
        self.width = 0.0
        self.height = 0.0
        self.boxes: list[tuple[float, float, float, float]] = []
        self.paths: list[list[tuple[str | float, ...]]] = []
        self.arrows: list[tuple[tuple[float, float], ...]] = []
        self.layers: list[int] = []
