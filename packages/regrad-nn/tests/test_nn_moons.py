"""The moons trainer: the seed's run reaches >= 97%, and its steps equal PyTorch's."""

from __future__ import annotations

import random

import pytest
import torch

from regrad_nn import make_moons
from regrad_nn.moons import train_moons

pytest.importorskip("sklearn")


def test_seeded_default_run_reaches_97_percent():
    result = train_moons()  # 100 moons, MLP(2, [16, 16, 1]), 100 full-batch SGD steps, seed 1337
    assert result.accuracy >= 0.97
    assert len(result.losses) == 100 and result.losses[-1] < result.losses[0]
    assert result.final_loss == pytest.approx(result.losses[-1], rel=0.5)
    assert len(result.X) == len(result.y) == 100


def test_training_steps_equal_pytorch_float64(torch_mlp):
    """Same data, same start, same maths: the per-epoch losses of the first epochs agree with PyTorch."""
    epochs = 8
    result = train_moons(samples=40, hidden=(8, 8), epochs=epochs, seed=3)
    X, y = make_moons(40, 0.1, seed=3)
    random.seed(3)
    from regrad_nn import MLP

    layers = torch_mlp.layers(MLP(2, [8, 8, 1]))  # the same initial weights
    params = [t for pair in layers for t in pair]
    xt, yt = torch.tensor(X, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
    opt = torch.optim.SGD(params, lr=1.0)
    for k in range(epochs):
        scores = torch_mlp.forward(layers, xt)[:, 0]
        loss = torch.relu(1 - yt * scores).mean() + 1e-4 * sum((p * p).sum() for p in params)
        assert result.losses[k] == pytest.approx(loss.item(), rel=1e-10)
        assert result.accuracies[k] == ((scores > 0) == (yt > 0)).double().mean().item()
        for group in opt.param_groups:
            group["lr"] = 1.0 - 0.9 * k / epochs
        opt.zero_grad()
        loss.backward()
        opt.step()


@pytest.mark.parametrize(
    "options",
    [
        {"batch_size": 16, "epochs": 15},
        {"optimizer": "adam", "lr": 0.05, "epochs": 40},
        {"loss": "bce", "epochs": 40},
        {"loss": "mse", "epochs": 40, "lr": 0.2, "activation": "tanh"},
    ],
)
def test_other_settings_learn(options):
    result = train_moons(samples=60, hidden=(8, 8), **options)
    assert result.accuracy > 0.8


def test_bad_settings_raise():
    with pytest.raises(ValueError, match="unknown loss 'l1'"):
        train_moons(loss="l1")
    with pytest.raises(ValueError, match="unknown optimizer"):
        train_moons(optimizer="rmsprop")
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        train_moons(epochs=0)
