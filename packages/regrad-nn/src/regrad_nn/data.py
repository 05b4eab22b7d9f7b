"""Data for the examples: scikit-learn's two interleaving half-moons, as plain Python lists.

scikit-learn (like matplotlib and tqdm) is an *extra* of regrad-nn, not a
requirement of the engine: ``pip install 'regrad-nn[moons]'``. Without it the
functions here raise ``MissingExtraError`` saying exactly that.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from ._checks import check_int, check_number

#: the command that installs everything the moons trainer needs
EXTRA_INSTALL = "pip install 'regrad-nn[moons]'"


class MissingExtraError(ImportError):
    """An optional dependency of regrad-nn (from the ``moons`` extra) is not installed."""


def require(module: str, package: str, purpose: str) -> ModuleType:
    """Import ``module`` or raise ``MissingExtraError`` naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise MissingExtraError(
            f"{purpose} needs {package}, which is not installed. "
            f"It comes with the 'moons' extra of regrad-nn: {EXTRA_INSTALL}"
        ) from error


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int | None = 1337
) -> tuple[list[list[float]], list[float]]:
    """``n_samples`` points of two half-moons: ``X`` as ``[[x0, x1], ...]``, labels ``y`` in {-1.0, +1.0}.

    ``seed`` fixes scikit-learn's random state (1337 gives the data of
    micrograd's demo notebook); ``None`` draws fresh data. Labels are ±1, as
    the hinge loss wants; use ``(1 + y) / 2`` for 0/1 targets.
    """
    n_samples = check_int(n_samples, "n_samples", minimum=2)
    noise = check_number(noise, "noise", allow_zero=True)
    datasets = require("sklearn.datasets", "scikit-learn", "make_moons")
    X, y = datasets.make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return [[float(a), float(b)] for a, b in X.tolist()], [2.0 * label - 1.0 for label in y.tolist()]
