"""Saving and loading models: an MLP's architecture and parameter values as one JSON file.

A model file is one JSON object::

    {"format": "regrad-nn/mlp",
     "config": {"nin": 2, "nouts": [16, 16, 1], "activation": "relu"},
     "state": {"layers.0.neurons.0.w": [0.23, -0.71], "layers.0.neurons.0.b": 0.0, ...},
     ...}                          # plus any extra fields given to save_model

``load_model`` checks the whole file against its config *before* it builds
the network. A file is data from anywhere: without the checks, a few bytes of
config (``"nouts": [2000, 2000]``) would cost seconds and gigabytes before
failing. Every problem is a ``ValueError`` naming the file and the key
(``model.json: state is missing layers.0.neurons.0.w``). A model may have at
most ``MAX_PARAMETERS`` parameters; ``load_model(path, max_parameters=...)``
raises that limit.

``save_model`` runs the same checks before it writes (a file that cannot be
loaded is never written), writes strict JSON (no ``NaN``), and replaces the
target atomically (``atomic_write``): a failure halfway leaves the old file
as it was.
"""

from __future__ import annotations

import json
import os
import random
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ._checks import is_finite_number, is_int
from .module import ACTIVATIONS, MLP

_FORMAT = "regrad-nn/mlp"

#: the most parameters ``load_model`` accepts by default: one million regrad
#: Vars take about 200 MB and a few seconds to build (MLP(2, [16, 16, 1]) has 337)
MAX_PARAMETERS = 1_000_000

#: the fields ``save_model`` writes itself; extra fields may not replace them
_RESERVED = ("format", "config", "state")


# --------------------------------------------------------------------------
# writing a file atomically


@contextmanager
def atomic_write(path: str | Path) -> Iterator[BinaryIO]:
    """Write ``path`` all at once: ``with atomic_write(path) as f: f.write(data)``.

    The data goes to a new temporary file in the same folder, which then
    replaces ``path`` in one step (``os.replace``). If anything fails or is
    interrupted before that, the temporary file is removed and ``path`` is
    left as it was: readers see the old file or the new one, never half of it.
    """
    path = Path(path)
    temporary = _temporary_name(path)
    try:
        with open(temporary, "xb") as file:  # "x": a new file, never someone else's
            yield file
            file.flush()
            os.fsync(file.fileno())  # on disk before it takes the target's name
        os.replace(temporary, path)
    except BaseException:  # also KeyboardInterrupt: never leave the temporary file behind
        temporary.unlink(missing_ok=True)
        raise


def check_writable(path: str | Path) -> None:
    """Raise ``ValueError`` saying why ``atomic_write(path)`` would fail; return if it can write there.

    Checks that ``path`` is not a folder (nor a device or the like), that its
    folder exists, and that a file can be created in that folder (by creating
    and removing one).
    """
    path = Path(path)
    if path.is_dir():
        raise ValueError("is a folder, not a file")
    if path.exists() and not path.is_file():
        raise ValueError("exists and is not a regular file")
    folder = path.parent
    if not folder.exists():
        raise ValueError(f"the folder {folder} does not exist")
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a folder")
    probe = _temporary_name(path)
    try:
        with open(probe, "xb"):
            pass
    except OSError as error:
        raise ValueError(f"cannot write in {folder} ({error.strerror or error})") from None
    probe.unlink(missing_ok=True)


def _temporary_name(path: Path) -> Path:
    """A new hidden file name next to ``path``: ``.model.json.1234-5f2a9c01.tmp``."""
    return path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


# --------------------------------------------------------------------------
# checking a model file's contents


def _check_config(config: object, where: str, max_parameters: int | None) -> dict[str, Any]:
    """The config's fields after checking their types, values and the total parameter count."""
    if not isinstance(config, dict):
        raise ValueError(f"{where}: config must be an object, got {type(config).__name__}")
    for key in ("nin", "nouts"):
        if key not in config:
            raise ValueError(f"{where}: config is missing {key}")
    unexpected = [key for key in config if key not in ("nin", "nouts", "activation")]
    if unexpected:
        raise ValueError(f"{where}: config has an unexpected key {unexpected[0]!r:.80}")
    nin, nouts, activation = config["nin"], config["nouts"], config.get("activation", "relu")  # MLP's default
    if not is_int(nin) or nin < 1:
        raise ValueError(f"{where}: config nin must be a positive integer, got {nin!r:.80}")
    if not isinstance(nouts, list) or not nouts:
        raise ValueError(f"{where}: config nouts must be a non-empty list of layer sizes, got {nouts!r:.80}")
    for i, size in enumerate(nouts):
        if not is_int(size) or size < 1:
            raise ValueError(f"{where}: config nouts.{i} must be a positive integer, got {size!r:.80}")
    if activation not in ACTIVATIONS:
        raise ValueError(f"{where}: config activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r:.80}")
    sizes = [nin, *nouts]
    count = sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(nouts)))  # each neuron: its weights and a bias
    if max_parameters is not None and count > max_parameters:
        raise ValueError(
            f"{where}: config describes {count:,} parameters, more than the limit of {max_parameters:,} "
            "(pass max_parameters= to load_model to load a larger model)"
        )
    return config


def _expected_state(nin: int, nouts: list[int]) -> Iterator[tuple[str, int | None]]:
    """The entries of ``MLP(nin, nouts).state_dict()`` without building it: (name, list length; None: a number)."""
    sizes = [nin, *nouts]
    for i, nout in enumerate(nouts):
        for j in range(nout):
            yield f"layers.{i}.neurons.{j}.w", sizes[i]
            yield f"layers.{i}.neurons.{j}.b", None


def _check_state(state: object, config: dict[str, Any], where: str) -> None:
    """Every entry present, with the right length, holding real finite numbers; nothing else."""
    if not isinstance(state, dict):
        raise ValueError(f"{where}: state must be an object, got {type(state).__name__}")
    expected = dict(_expected_state(config["nin"], config["nouts"]))
    for name, length in expected.items():
        if name not in state:
            raise ValueError(f"{where}: state is missing {name}")
        value = state[name]
        if length is None:
            if not is_finite_number(value):
                raise ValueError(f"{where}: state {name} must be a finite number, got {value!r:.80}")
            continue
        if not isinstance(value, list):
            raise ValueError(f"{where}: state {name} must be a list of {length} numbers, got {type(value).__name__}")
        if len(value) != length:
            raise ValueError(f"{where}: state {name} has {len(value)} numbers, expected {length}")
        for k, number in enumerate(value):
            if not is_finite_number(number):
                raise ValueError(f"{where}: state {name}.{k} must be a finite number, got {number!r:.80}")
    for name in state:
        if name not in expected:
            raise ValueError(f"{where}: state has an unexpected entry {name!r:.80}")


def _check_document(doc: object, where: str, max_parameters: int | None) -> dict[str, Any]:
    """The model file's object after checking it completely (format, config, state; None: no size limit)."""
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise ValueError(f'{where}: not a regrad-nn model file (no "format": "{_FORMAT}")')
    if "config" not in doc:
        raise ValueError(f"{where}: the file has no config")
    if "state" not in doc:
        raise ValueError(f"{where}: the file has no state")
    config = _check_config(doc["config"], where, max_parameters)
    _check_state(doc["state"], config, where)
    return doc


# --------------------------------------------------------------------------
# the two functions


def build_model(config: dict[str, Any], fused: bool = True) -> MLP:
    """``MLP(**config)``, for a model whose values are written next: Python's ``random`` is left as it was.

    Building an MLP draws its first weights from ``random``; the caller's
    stream of random numbers is put back afterwards, as if nothing was drawn.
    """
    state = random.getstate()
    try:
        return MLP(**config, fused=fused)
    finally:
        random.setstate(state)


def save_model(model: MLP, path: str | Path, **extra: Any) -> Path:
    """Write ``model`` as JSON: its architecture, its ``state_dict`` and any ``extra`` fields.

    ``extra`` fields (such as ``accuracy=0.97``) must be JSON values with
    finite numbers, and cannot be named ``format``, ``config`` or ``state``.
    Raises ``ValueError`` before writing anything if the model could not be
    loaded back (a parameter that is NaN or infinite, for one). The file is
    replaced atomically: if writing fails, an existing file is left unchanged.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"save_model needs an MLP, got {type(model).__name__}")
    clashes = [key for key in _RESERVED if key in extra]
    if clashes:
        raise ValueError(f"save_model: an extra field cannot be named {clashes[0]!r} (save_model writes it itself)")
    path = Path(path)
    doc = {"format": _FORMAT, "config": model.config(), "state": model.state_dict(), **extra}
    _check_document(doc, str(path), max_parameters=None)  # the model exists already: no size limit
    try:
        text = json.dumps(doc, indent=1, allow_nan=False) + "\n"
    except ValueError as error:  # NaN or infinity in an extra field: strict JSON has no such numbers
        raise ValueError(f"{path}: {error} (an extra field holds NaN or an infinity)") from None
    with atomic_write(path) as file:
        file.write(text.encode("utf-8"))
    return path


def load_model(path: str | Path, fused: bool = True, max_parameters: int = MAX_PARAMETERS) -> MLP:
    """Rebuild an MLP written by ``save_model``, after checking the whole file.

    Raises ``ValueError`` naming the file and the key if the file is not
    valid JSON, is not a model file, or its config or state is wrong (a
    missing or unexpected entry, a wrong length, a number that is not finite),
    or if the model has more than ``max_parameters`` parameters. The
    ``random`` module is left untouched.
    """
    path = Path(path)
    where = str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{where}: not a regrad-nn model file (not UTF-8 text)") from None
    except (ValueError, RecursionError) as error:  # JSONDecodeError, an integer too long, nesting too deep
        raise ValueError(f"{where}: not valid JSON ({error})") from None
    _check_document(doc, where, max_parameters)
    model = build_model(doc["config"], fused=fused)
    model.load_state_dict(doc["state"])
    return model
