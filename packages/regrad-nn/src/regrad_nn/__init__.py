"""regrad-nn: neural networks on regrad, for learning how they train.

>>> import random
>>> from regrad_nn import MLP
>>> random.seed(0)
>>> model = MLP(2, [3, 1])          # 2 inputs, a hidden layer of 3, one output
>>> len(model.parameters())
13
>>> y = model([0.5, 0.25])          # one output: a Var, not a list
>>> y.backward()                    # fills .grad of every weight and bias

* ``module``: ``Module``, ``Neuron``, ``Layer``, ``MLP`` (and ``FusedNeuron``, a neuron's op);
* ``files``: ``save_model`` / ``load_model`` (checked, atomic JSON files);
* ``losses``: ``hinge_loss``, ``mse_loss``, ``bce_with_logits_loss``, ``l2_penalty``, ``accuracy``
  (and ``BCEWithLogits``, the cross-entropy's op);
* ``optim``: ``SGD`` (with momentum), ``Adam``, the ``Optimizer`` base class, ``LinearDecay``;
* ``data``: ``make_moons`` (needs the ``moons`` extra: scikit-learn; else ``MissingExtraError``);
* ``moons``: ``train_moons`` (returns a ``MoonsResult``; raises ``TrainingDivergedError``), used by ``regrad-nn moons``;
* ``explore``: ``TrainingRecorder``, which writes the training explorer (needs regrad-viz, in the ``moons`` extra);
* ``plot``: ``plot_decision_boundary`` (matplotlib, imported only when called).
"""

from .data import MissingExtraError, make_moons
from .explore import TrainingRecorder
from .files import load_model, save_model
from .losses import BCEWithLogits, accuracy, bce_with_logits_loss, hinge_loss, l2_penalty, mse_loss
from .module import MLP, FusedNeuron, Layer, Module, Neuron
from .moons import MoonsResult, TrainingDivergedError, train_moons
from .optim import SGD, Adam, LinearDecay, Optimizer
from .plot import plot_decision_boundary

__version__ = "0.2.0"

__all__ = [
    "MLP",
    "SGD",
    "Adam",
    "BCEWithLogits",
    "FusedNeuron",
    "Layer",
    "LinearDecay",
    "MissingExtraError",
    "Module",
    "MoonsResult",
    "Neuron",
    "Optimizer",
    "TrainingDivergedError",
    "TrainingRecorder",
    "accuracy",
    "bce_with_logits_loss",
    "hinge_loss",
    "l2_penalty",
    "load_model",
    "make_moons",
    "mse_loss",
    "plot_decision_boundary",
    "save_model",
    "train_moons",
]
