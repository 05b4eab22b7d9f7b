"""The argument checks that several parts of regrad-nn share, each written once.

Each ``check_...`` returns the value (as an ``int`` or a ``float``) if it is
good, and otherwise raises ``ValueError`` saying what ``what`` must be and
what it got: ``epochs must be a positive int, got 0``. A ``bool`` is never
taken for a number, although Python counts ``True`` as the int 1.
"""

from __future__ import annotations

import math
import numbers
from typing import TypeGuard


def is_int(value: object) -> TypeGuard[numbers.Integral]:
    """Is ``value`` an integer (an ``int``, or numpy's ints), and not a ``bool``?"""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_finite_number(value: object) -> TypeGuard[numbers.Real]:
    """Is ``value`` a real number (not a ``bool``) that is neither NaN nor infinite?"""
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)


def check_int(value: object, what: str, minimum: int = 1) -> int:
    """``value`` if it is an int >= ``minimum``: ``... must be a positive int`` (or ``an int >= 0``) otherwise."""
    if not is_int(value) or value < minimum:
        wanted = "a positive int" if minimum == 1 else f"an int >= {minimum}"
        raise ValueError(f"{what} must be {wanted}, got {value!r}")
    return int(value)


def check_number(value: object, what: str, allow_zero: bool = False) -> float:
    """``value`` as a float if it is finite and > 0 (>= 0 with ``allow_zero``): ``... must be a finite number``."""
    if not is_finite_number(value) or value < 0 or (value == 0 and not allow_zero):
        limit = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{what} must be a finite number {limit}, got {value!r}")
    return float(value)
