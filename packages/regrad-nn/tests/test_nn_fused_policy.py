"""A fused neuron and the elementwise graph agree on non-finite inputs too, and both agree with PyTorch."""

from __future__ import annotations

import math
import random

import pytest

from regrad import Var
from regrad_nn import Neuron


def grads(fused: bool, x: list[float]) -> list[float | None]:
    random.seed(3)
    neuron = Neuron(2, fused=fused)
    neuron.w[0].val, neuron.w[1].val = 0.5, -0.25  # s = b + 0.5 x0 - 0.25 x1
    neuron(list(map(Var, x))).backward()
    return [p.grad for p in neuron.parameters()]


def same(a: float | None, b: float) -> bool:
    a = 0.0 if a is None else a  # a parameter no gradient reached: PyTorch gives 0
    return math.isnan(b) if math.isnan(a) else a == b


@pytest.mark.parametrize("x", [[-math.inf, 1.0], [math.inf, 1.0], [1.0, math.inf], [-1.0, 1.0], [math.nan, 0.0]])
def test_a_relu_neuron_off_at_an_infinite_sum_gives_nan_where_pytorch_does(x: list[float]) -> None:
    torch = pytest.importorskip("torch")
    fused, plain = grads(True, x), grads(False, x)
    w = torch.tensor([0.5, -0.25], dtype=torch.float64, requires_grad=True)
    b = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    (b + (w * torch.tensor(x, dtype=torch.float64)).sum()).relu().backward()
    expected = [*w.grad.tolist(), b.grad.item()]  # parameters() lists the weights, then the bias
    assert all(map(same, fused, expected)), (fused, expected)
    assert all(map(same, plain, expected)), (plain, expected)
