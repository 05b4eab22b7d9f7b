"""Optimizers: use the gradients in ``p.grad`` to change the parameters' values.

An optimizer holds the parameter Vars. After ``loss.backward()`` has filled
their ``.grad``, ``step()`` moves each value downhill and ``zero_grad()``
sets the grads back to 0.0 for the next round (regrad adds gradients up, so
they must be cleared between steps).

Updates write ``p.val`` directly: changing a parameter is not part of the
model's maths, so no graph is built for it (``no_grad`` would give the same
result at a higher cost). A gradient that is a Var (after
``backward(create_graph=True)``) is used by its value. A parameter whose
``grad`` is ``None`` (never reached by a backward, nor zeroed) is skipped, as
in PyTorch; ``step()`` when no parameter has a gradient at all raises, since
it almost always means ``backward()`` was forgotten.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator

from regrad import Var

from ._checks import check_int, check_number


class Optimizer:
    """Base class: checks and holds the parameters; subclasses define ``step``."""

    def __init__(self, params: Iterable[Var], lr: float) -> None:
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__} got an empty parameter list")
        first_place: dict[Var, int] = {}  # each parameter once: listed twice, it would be updated twice
        for i, p in enumerate(params):
            if not isinstance(p, Var):
                raise TypeError(f"parameter {i} is a {type(p).__name__}, not a regrad.Var")
            if not p.req_grad or not p.is_leaf:
                raise ValueError(
                    f"parameter {i} ({p!r}) must be a leaf Var made with req_grad=True; only those receive a .grad"
                )
            if p in first_place:
                raise ValueError(
                    f"parameter {i} is the same Var as parameter {first_place[p]} ({p.name}); list each parameter once"
                )
            first_place[p] = i
        self.params = params
        self.lr = check_number(lr, "lr", allow_zero=True)

    def zero_grad(self) -> None:
        """Set every parameter's ``.grad`` to 0.0 (see ``Module.zero_grad``); a Var gradient is dropped too."""
        for p in self.params:
            p.grad = 0.0

    def _check_grads(self) -> None:
        for p in self.params:
            if p.grad is not None:
                return
        raise RuntimeError(
            f"{type(self).__name__}.step(): no parameter has a gradient; "
            "call loss.backward() before step() (and zero_grad() after it)"
        )

    def step(self) -> None:
        raise NotImplementedError

    def _gradients(self) -> Iterator[tuple[int, Var, float]]:
        """(index, parameter, gradient value) for each parameter that has a gradient."""
        self._check_grads()
        for i, p in enumerate(self.params):
            if p.grad is not None:
                yield i, p, float(p.grad)  # a Var gradient (create_graph=True) counts by its value


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with momentum (PyTorch's formulation).

    velocity = momentum * velocity + grad        (grad includes weight_decay * p)
    p       -= lr * velocity

    With ``momentum=0`` this is plain ``p -= lr * grad``, the original regrad's update.
    """

    def __init__(self, params: Iterable[Var], lr: float = 0.01, momentum: float = 0.0, weight_decay: float = 0.0):
        super().__init__(params, lr)
        self.momentum = check_number(momentum, "momentum", allow_zero=True)
        self.weight_decay = check_number(weight_decay, "weight_decay", allow_zero=True)
        self.velocity = [0.0] * len(self.params)

    def step(self) -> None:
        lr, mu, wd = self.lr, self.momentum, self.weight_decay
        velocity = self.velocity
        for i, p, g in self._gradients():
            if wd:
                g = g + wd * p.val
            if mu:
                g = velocity[i] = mu * velocity[i] + g
            p.val -= lr * g


class Adam(Optimizer):
    """Adam (Kingma & Ba): a per-parameter step size from running gradient statistics.

    m = beta1 m + (1 - beta1) g           running mean of the gradient
    v = beta2 v + (1 - beta2) g**2        running mean of its square
    p -= lr * m_hat / (sqrt(v_hat) + eps),  m_hat = m / (1 - beta1**t), v_hat = v / (1 - beta2**t)

    The hats undo the bias of starting m and v at zero. ``eps`` must be
    positive: it keeps the division finite where the gradient has been 0.
    """

    def __init__(
        self,
        params: Iterable[Var],
        lr: float = 0.001,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ):
        super().__init__(params, lr)
        beta1, beta2 = betas
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not (isinstance(beta, numbers.Real) and 0.0 <= beta < 1.0):
                raise ValueError(f"Adam {name} must be in [0, 1), got {beta!r}")
        self.betas = (float(beta1), float(beta2))
        self.eps = check_number(eps, "Adam eps")
        self.weight_decay = check_number(weight_decay, "weight_decay", allow_zero=True)
        self.m = [0.0] * len(self.params)
        self.v = [0.0] * len(self.params)
        self.steps = [0] * len(self.params)  # per parameter: skipped ones do not age

    def step(self) -> None:
        beta1, beta2 = self.betas
        lr, eps, wd = self.lr, self.eps, self.weight_decay
        m, v, steps = self.m, self.v, self.steps
        for i, p, g in self._gradients():
            if wd:
                g = g + wd * p.val
            t = steps[i] = steps[i] + 1
            m[i] = beta1 * m[i] + (1.0 - beta1) * g
            v[i] = beta2 * v[i] + (1.0 - beta2) * g * g
            step_size = lr / (1.0 - beta1**t)
            denom = math.sqrt(v[i]) / math.sqrt(1.0 - beta2**t) + eps
            p.val -= step_size * m[i] / denom


class LinearDecay:
    """A learning rate going in a straight line from ``start`` to ``end`` over ``total_steps`` steps, then staying.

    lr(k) = start - (start - end) * k / total_steps   for k <= total_steps, then end

    Sets ``optimizer.lr`` to lr(0) when made; call ``step()`` after each
    update to move to the next k. ``start`` defaults to the optimizer's lr,
    ``end`` to a tenth of ``start``: with ``lr=1.0`` this is micrograd's (and
    the original regrad's) schedule, ``1.0 - 0.9 * k / total_steps``.
    """

    def __init__(self, optimizer: Optimizer, total_steps: int, start: float | None = None, end: float | None = None):
        self.optimizer = optimizer
        self.total_steps = check_int(total_steps, "LinearDecay total_steps")
        self.start = check_number(optimizer.lr if start is None else start, "LinearDecay start", allow_zero=True)
        self.end = check_number(0.1 * self.start if end is None else end, "LinearDecay end", allow_zero=True)
        self.k = 0
        optimizer.lr = self.lr_at(0)

    def lr_at(self, k: int) -> float:
        """The learning rate after ``k`` calls of ``step()``: ``end`` from ``total_steps`` on."""
        if k >= self.total_steps:
            return self.end  # hold the final value: going on would pass it (and turn negative)
        return self.start - (self.start - self.end) * k / self.total_steps

    def step(self) -> None:
        self.k += 1
        self.optimizer.lr = self.lr_at(self.k)
