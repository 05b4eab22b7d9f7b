"""Derivatives of derivatives, and forward vs reverse mode.

1. One function, differentiated both ways: reverse mode (``backward``, one
   sweep gives the gradient with respect to every input) and forward mode
   (``regrad.jvp``, one sweep gives the derivative in one direction).
2. Newton's method on a 1-D function: the step needs f'' as well as f', and
   ``create_graph=True`` makes f' a graph that can be differentiated again.
3. A Hessian-vector product without the Hessian: differentiate
   (gradient . v) once more.
4. The gradient's own graph, drawn (when regrad-viz is installed):
   ``gradient_graph.html``.

Run: python examples/basic_4_derivatives.py [--out DIR]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import regrad
from regrad import Var


def f(x: Var, y: Var) -> Var:
    return x * x * y + y.sin()


def both_modes() -> None:
    x, y = Var(1.5, req_grad=True, name="x"), Var(-0.5, req_grad=True, name="y")
    f(x, y).backward()  # reverse mode: one sweep, every input's derivative
    print(f"reverse mode: df/dx = {x.grad:.6f}, df/dy = {y.grad:.6f}")
    _, dfdx = regrad.jvp(f, [1.5, -0.5], [1.0, 0.0])  # forward mode: one sweep per direction
    _, dfdy = regrad.jvp(f, [1.5, -0.5], [0.0, 1.0])
    print(f"forward mode: df/dx = {dfdx:.6f}, df/dy = {dfdy:.6f}")


def newton(x0: float = 2.0, steps: int = 6) -> float:
    """Minimise g(x) = x**4 - 3x**2 + x with Newton's method: x <- x - g'(x) / g''(x)."""
    x = x0
    for k in range(steps):
        v = Var(x, req_grad=True, name="x")
        g = v**4 - 3 * v**2 + v
        (slope,) = regrad.grad(g, v, create_graph=True)  # g'(x), as a graph
        (curvature,) = regrad.grad(slope, v)  # g''(x): the derivative of that graph
        x = x - slope.val / curvature
        print(f"Newton step {k + 1}: x = {x:.12f}, g'(x) was {slope.val: .3e}")
    return x


def hessian_vector_product() -> list[float]:
    """H v for f at (1.5, -0.5) and v = (1, 2), from two reverse passes and no Hessian."""
    x, y = Var(1.5, req_grad=True), Var(-0.5, req_grad=True)
    gx, gy = regrad.grad(f(x, y), [x, y], create_graph=True)
    hv = regrad.grad(gx * 1.0 + gy * 2.0, [x, y])  # d/d(x, y) of (gradient . v)
    print(f"H v = [{hv[0]:.6f}, {hv[1]:.6f}]   (the full Hessian: {regrad.hessian(f, [1.5, -0.5])})")
    return list(hv)


def draw_gradient_graph(out: Path) -> Path | None:
    x = Var(1.5, req_grad=True, name="x")
    y = Var(-0.5, req_grad=True, name="y")
    f(x, y).backward(create_graph=True)
    try:
        from regrad_viz import draw_to_html
    except ImportError:
        print("regrad-viz is not installed: skipping gradient_graph.html")
        return None
    return Path(draw_to_html(x.grad, str(out / "gradient_graph")))  # df/dx = 2xy, as a graph


def main(out: Path) -> Path | None:
    both_modes()
    newton()
    hessian_vector_product()
    return draw_gradient_graph(out)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("."), help="folder for gradient_graph.html")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    path = main(args.out)
    if path:
        print("wrote", path)
