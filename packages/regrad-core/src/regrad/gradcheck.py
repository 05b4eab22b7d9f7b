"""``gradcheck``: compare backward's gradients with central finite differences.

For each input x_i, (f(x + eps e_i) - f(x - eps e_i)) / (2 eps) approximates
df/dx_i with an error of order eps**2. If backward disagrees beyond
``atol + rtol * |numerical|``, either an op's rule or the engine is wrong.

The backward pass starts from an upstream gradient of 0.75, not 1, and the
result is compared with 0.75 times the finite difference: an op whose
``backward(grad)`` ignores ``grad`` would pass a check that starts from 1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .grad_mode import no_grad
from .var import Number, Var, _real_value

#: the gradient the checked backward pass starts from (not 1, see the module docstring)
UPSTREAM = 0.75


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytical gradient disagrees with the numerical one."""


def gradcheck(
    fn: Callable[..., Var],
    inputs: Sequence[Number | Var],
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """True if ``fn``'s backward gradients match central differences at ``inputs``.

    ``fn`` takes one Var per input and returns a Var. Backward runs with an
    upstream gradient of 0.75 (``UPSTREAM``), so a rule that ignores the
    gradient it receives is caught. On a mismatch a ``GradcheckError`` names
    every input that disagrees with both numbers (or, with
    ``raise_exception=False``, the function returns False).
    """
    values = [x.val if isinstance(x, Var) else _real_value(x, "gradcheck input") for x in inputs]
    if not values:
        raise ValueError("gradcheck needs at least one input")
    leaves = [Var(v, req_grad=True) for v in values]
    out = fn(*leaves)
    if not isinstance(out, Var):
        raise TypeError(f"gradcheck: fn must return a Var, got {type(out).__name__}")
    analytical = [0.0] * len(values)
    if out.req_grad:
        out.backward(grad=UPSTREAM)
        analytical = [0.0 if leaf.grad is None else leaf.grad / UPSTREAM for leaf in leaves]

    def f(shifted: list[float]) -> float:
        with no_grad():
            result = fn(*[Var(v) for v in shifted])
        return result.val if isinstance(result, Var) else float(result)

    problems = []
    for i, v in enumerate(values):
        plus, minus = list(values), list(values)
        plus[i], minus[i] = v + eps, v - eps
        numerical = (f(plus) - f(minus)) / (2 * eps)
        if not abs(analytical[i] - numerical) <= atol + rtol * abs(numerical):
            problems.append(
                f"input {i} (value {v!r}): backward gave {analytical[i]!r}, finite differences {numerical!r}"
            )
    if problems and raise_exception:
        raise GradcheckError("gradients disagree:\n  " + "\n  ".join(problems))
    return not problems
