"""Switching graph recording off and on: ``no_grad``, ``enable_grad``, ``set_grad_enabled``.

While recording is off, every operation computes its value and nothing else:
no op is kept and no inputs are linked, so the result is a plain constant
Var. This is how evaluation, finite differences and optimiser updates avoid
growing a graph.

The mode belongs to the *thread*, as in PyTorch: a thread that evaluates
under ``no_grad()`` never stops another thread from recording its graph.
Each thread starts with recording on.

All three work as context managers; ``no_grad`` and ``enable_grad`` also
decorate functions (``@regrad.no_grad()`` or ``@regrad.no_grad``), and
``set_grad_enabled(False)`` also works as a plain call that switches the
mode until it is switched back::

    with regrad.no_grad():
        y = model(x)              # no graph

    @regrad.no_grad()
    def evaluate(model, data): ...

    regrad.set_grad_enabled(False)  # from here on, in this thread
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _GradMode(threading.local):
    """Per-thread state, read on every operation.

    ``enabled`` is the mode; ``saved`` the modes to go back to, one per
    ``with`` block this thread is inside of (a stack, so blocks nest and the
    same object can be entered again inside itself).
    """

    enabled = True

    def __init__(self) -> None:  # runs once in every thread that touches it
        self.saved: list[bool] = []


_mode = _GradMode()


def is_grad_enabled() -> bool:
    """True when operations in this thread record a graph (the default)."""
    return _mode.enabled


class _SwitchMode:
    """A ``with`` block (or a decorated function) that runs with recording set to ``target``."""

    target: bool

    def __new__(cls, func: Callable[..., Any] | None = None) -> Any:
        # ``@no_grad`` without parentheses hands the function straight to the class
        self = super().__new__(cls)
        return self if func is None else self(func)

    def __init__(self, func: Callable[..., Any] | None = None) -> None:
        pass

    def __enter__(self) -> None:
        _mode.saved.append(_mode.enabled)
        _mode.enabled = self.target

    def __exit__(self, *exc_info: object) -> None:
        _mode.enabled = _mode.saved.pop()

    def __call__(self, func: F) -> F:
        """Use as a decorator: every call of ``func`` runs inside this block."""

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def __repr__(self) -> str:
        return f"regrad.{type(self).__name__}()"


class no_grad(_SwitchMode):
    """Record no graph inside the ``with`` block or the decorated function; the previous mode returns afterwards."""

    target = False


class enable_grad(_SwitchMode):
    """Record the graph inside the block even within ``no_grad()``; the previous mode returns afterwards."""

    target = True


class set_grad_enabled:
    """Switch recording on or off in this thread: now, and back at the end of a ``with`` block.

    ``regrad.set_grad_enabled(False)`` as a plain call switches the mode until
    it is switched again; ``with regrad.set_grad_enabled(mode):`` switches it
    for the block and then restores the mode from before.
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(mode) needs True or False, got {type(mode).__name__}: {mode!r}")
        self.previous = _mode.enabled
        _mode.enabled = mode

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc_info: object) -> None:
        _mode.enabled = self.previous

    def __repr__(self) -> str:
        return f"regrad.set_grad_enabled(previous={self.previous})"
