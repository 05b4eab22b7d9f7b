"""regrad: a small reverse-mode automatic differentiation engine, in the operator view.

``Var`` holds a value and the graph that made it; ``regrad.ops`` holds the
primitives (an ``Op`` subclass each, its forward beside its local derivatives);
the engine (``regrad.engine``) walks the graph backwards, ``regrad.functional``
adds ``grad``, forward mode (``jvp``) and ``hessian``. Only leaves keep ``.grad``.

Examples:
    >>> from regrad import Var
    >>> a = Var(3.0, req_grad=True)
    >>> b = Var(2.0, req_grad=True)
    >>> y = (a * b + b ** 3).relu()
    >>> y.backward()
    >>> a.grad, b.grad
    (2.0, 15.0)
"""

from . import fast, ops
from .engine import BackwardStep, backward_steps, topological_order
from .functional import grad, hessian, jvp
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck
from .ops import Op
from .var import Var, apply, dot, make_node, sum

__version__ = "0.2.0"

__all__ = [
    "BackwardStep",
    "GradcheckError",
    "Op",
    "Var",
    "apply",
    "backward_steps",
    "dot",
    "enable_grad",
    "fast",
    "grad",
    "gradcheck",
    "hessian",
    "is_grad_enabled",
    "jvp",
    "make_node",
    "no_grad",
    "ops",
    "set_grad_enabled",
    "sum",
    "topological_order",
]
