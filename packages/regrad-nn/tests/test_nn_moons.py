"""The moons trainer: the original regrad's run reaches >= 97%, its steps equal PyTorch's, it stops when it diverges."""

from __future__ import annotations

import io
import math
import random
import re

import pytest

from regrad_nn import MLP, SGD, TrainingDivergedError, hinge_loss, make_moons
from regrad_nn.moons import check_settings, train_moons

pytest.importorskip("sklearn")


def test_seeded_default_run_reaches_97_percent():
    result = train_moons()  # 100 moons, MLP(2, [16, 16, 1]), 100 full-batch SGD steps, seed 1337
    assert result.accuracy >= 0.97
    assert len(result.losses) == 100 and result.losses[-1] < result.losses[0]
    assert result.final_loss == pytest.approx(result.losses[-1], rel=0.5)
    assert len(result.X) == len(result.y) == 100


def test_training_steps_equal_pytorch_float64(torch, torch_mlp):
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


def test_bad_settings_are_refused_before_any_work(monkeypatch):
    import regrad_nn.moons

    def no_data(*args):
        raise AssertionError("make_moons was called")

    monkeypatch.setattr(regrad_nn.moons, "make_moons", no_data)
    cases = [
        ({"batch_size": 0}, "batch_size must be a positive int, got 0"),
        ({"batch_size": 2.5}, "batch_size must be a positive int, got 2.5"),
        ({"hidden": (16, 0)}, "a hidden layer size must be a positive int, got 0"),
        ({"activation": "gelu"}, "unknown activation 'gelu'"),
        ({"lr": math.nan}, "lr must be a finite number >= 0, got nan"),
        ({"momentum": -0.5}, "momentum must be a finite number >= 0"),
        ({"samples": 1}, "samples must be an int >= 2, got 1"),
        ({"noise": -1.0}, "noise must be a finite number >= 0"),
    ]
    for settings, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            check_settings(**settings)
        with pytest.raises(ValueError, match=re.escape(message)):
            train_moons(**settings)
    check_settings()  # train_moons' defaults are good


def test_bad_alpha_is_rejected():
    for alpha in (math.nan, -5.0, math.inf):
        with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
            train_moons(alpha=alpha, epochs=1)


def test_a_diverging_run_stops_at_that_epoch():
    with pytest.raises(TrainingDivergedError, match=r"the loss became nan in epoch \d+ of 100") as info:
        train_moons(lr=1e300)  # finite, positive, and far too large
    assert info.value.epoch is not None and info.value.epoch < 100 and math.isnan(info.value.loss)


def moons_with_one_nan_sample():
    X, y = make_moons(40, 0.1, seed=5)
    X[7] = [math.nan, 0.5]
    return X, y


def test_a_nan_sample_never_ends_in_a_finite_loss():
    X, y = moons_with_one_nan_sample()
    with pytest.raises(TrainingDivergedError, match="in epoch 1 of 20"):
        train_moons(data=(X, y), hidden=(8, 8), epochs=20)

    # the same with the pieces by hand: the NaN is never hidden by an off ReLU or the hinge's margin
    random.seed(5)
    model = MLP(2, [8, 8, 1])
    optimizer = SGD(model.parameters(), lr=0.5)
    for _ in range(5):
        loss = hinge_loss([model(x) for x in X], y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        assert not math.isfinite(loss.val)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_in_a_log_is_one_summary_line(capsys):
    train_moons(samples=30, hidden=(4,), epochs=12, progress=True)
    err = capsys.readouterr().err  # captured: not a terminal
    assert "\r" not in err and err.count("\n") == 1
    assert err.startswith("moons: 12 epochs in ") and "loss=" in err and "acc=" in err


def test_progress_on_a_terminal_is_a_tqdm_bar(monkeypatch):
    pytest.importorskip("tqdm")
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    train_moons(samples=30, hidden=(4,), epochs=12, progress=True)
    shown = terminal.getvalue()
    assert "\r" in shown and "12/12" in shown and "loss=" in shown and "acc=" in shown


def test_the_fast_opt_in_gives_the_same_training_and_restores_the_collector(monkeypatch):
    import gc

    import regrad

    seen = []
    real = regrad.fast.gc_paused

    def watched():
        seen.append(gc.isenabled())
        return real()

    monkeypatch.setattr(regrad.fast, "gc_paused", watched)
    plain = train_moons(epochs=5)
    assert seen == [] and gc.isenabled()  # not asked: the collector is left alone
    fast = train_moons(epochs=5, fast=True)
    assert seen == [True] and gc.isenabled()  # asked: paused inside, restored after
    assert fast.losses == plain.losses and fast.accuracies == plain.accuracies
    assert [p.val for p in fast.model.parameters()] == [p.val for p in plain.model.parameters()]
