"""Switching graph recording off: ``with regrad.no_grad(): ...``.

Inside the block every operation computes its value and nothing else: no Op is
kept, no parents are linked, so the result is a plain constant Var. This is how
evaluation, finite differences and optimiser updates avoid growing a graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


class _GradMode:
    """One mutable flag, read on every operation (a class attribute is the cheapest read)."""

    enabled = True


def is_grad_enabled() -> bool:
    """True when operations record a graph (the default)."""
    return _GradMode.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Record no graph inside the ``with`` block; the previous mode returns afterwards."""
    previous = _GradMode.enabled
    _GradMode.enabled = False
    try:
        yield
    finally:
        _GradMode.enabled = previous
