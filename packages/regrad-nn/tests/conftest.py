"""Shared helpers for the regrad-nn tests: PyTorch (float64) as the oracle, when it is installed.

Tests get torch through the ``torch`` fixture and the MLP helpers through
``torch_mlp`` (with pytest's importlib import mode a conftest cannot be
imported as a module). Both skip the test that asks for them when torch is
missing; every other test still runs.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest


@pytest.fixture
def torch():
    """The ``torch`` module (the test is skipped without it)."""
    return pytest.importorskip("torch")


def torch_layers(model):
    """(weight, bias) float64 leaf tensors per layer, holding the model's current values."""
    import torch

    layers = []
    for layer in model.layers:
        w = torch.tensor([[p.val for p in n.w] for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        b = torch.tensor([n.b.val for n in layer.neurons], dtype=torch.float64, requires_grad=True)
        layers.append((w, b))
    return layers


def torch_forward(layers, x, activation="relu"):
    """The MLP in PyTorch: hidden layers apply ``activation``, the last is linear. x: (batch, nin)."""
    import torch

    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation]
    h = x
    for i, (w, b) in enumerate(layers):
        h = h @ w.T + b
        if i < len(layers) - 1:
            h = act(h)
    return h


def grads_of(model):
    """The model's gradients arranged like ``torch_layers``: per layer (weight grads, bias grads)."""
    return [
        ([[p.grad for p in n.w] for n in layer.neurons], [n.b.grad for n in layer.neurons]) for layer in model.layers
    ]


@pytest.fixture
def torch_mlp(torch):
    """``torch_mlp.layers(model)``, ``.forward(layers, x, activation)``, ``.grads(model)`` (skipped without torch)."""
    return SimpleNamespace(layers=torch_layers, forward=torch_forward, grads=grads_of)


@pytest.fixture
def no_training(monkeypatch):
    """Make any training fail the test: the problem must be found before it."""
    import regrad_nn.moons

    def train_moons(**options):
        raise AssertionError("training started")

    monkeypatch.setattr(regrad_nn.moons, "train_moons", train_moons)


@pytest.fixture
def one_error_line():
    """``one_error_line(err)``: the one line a CLI error prints to stderr (the test fails if there are more)."""

    def check(err):
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("regrad-nn moons: error: "), err
        return lines[0]

    return check
