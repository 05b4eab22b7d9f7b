"""Neural-network building blocks: ``Module``, ``Neuron``, ``Layer``, ``MLP``.

A neuron computes ``act(b + w_1 x_1 + ... + w_n x_n)``. The parameters are
plain ``regrad.Var`` leaves with ``req_grad=True``, each labelled with its
place in the model (``layers.0.neurons.1.w.0``), so drawings can name them;
calling a module on inputs builds a graph whose ``backward`` fills their
``.grad``.

Two ways to build that graph, same numbers:

* ``fused=True`` (the default, fast): a neuron is **one** node, a
  ``FusedNeuron`` op whose inputs are the bias, the weights and the inputs.
  It adds ``b + w_1 x_1 + ...`` in the order the elementwise graph (and
  micrograd) does, then applies the activation. (Python's ``sum()`` adds
  left to right up to 3.11; from 3.12 it compensates rounding, so values can
  differ from the elementwise graph's in the last bit.)
* ``fused=False`` (the original regrad's graph): one ``Mul`` per weight, a
  chain of ``Add`` nodes starting from the bias, then the activation's own
  node: 2n + 1 nodes per neuron.

Every neuron is in the graph, whatever its value: a drawing shows the whole
network. Fewer nodes is where the speed comes from (every node costs an
object, a visit in the backward pass and a step of its sweep, whatever it
computes), and a ReLU neuron that is off tells the backward pass that no
gradient flows through it, so the pass does not look behind it.

Weights start uniform in [-1, 1] from Python's global ``random`` module and
biases at 0, drawn in the same order as micrograd's ``nn.MLP``: seed
``random`` identically and both libraries start from the same weights.

Each module is told its place in the model as it is built (an ``MLP`` names
its layers ``layers.0``, ``layers.1``, ...; a ``Layer`` its neurons
``neurons.0``, ...), so every label is written once.
"""

from __future__ import annotations

import math
import numbers
import operator
import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set, Sized
from typing import Any

import regrad
from regrad import Op, Var
from regrad.ops import relu, sigmoid, value

from ._checks import check_int

Input = Var | float | int
#: what ``state_dict`` holds: a number per scalar parameter, a list per vector
StateValue = float | list[float]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

_value = operator.attrgetter("val")  # v -> v.val, mapped over many Vars at C speed


#: each activation on a float: the one definition, used by the ops and by ``predict``
def _linear(s: float) -> float:
    return s


ACTIVATION_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "relu": relu,
    "tanh": math.tanh,
    "sigmoid": sigmoid,
    "linear": _linear,
}

# activation name -> the Var method that applies it in the elementwise graph (None: linear, no node)
_ACTIVATION_METHODS = {"relu": Var.relu, "tanh": Var.tanh, "sigmoid": Var.sigmoid, "linear": None}


class FusedNeuron(Op):
    """z = act(b + w_1 x_1 + ... + w_n x_n) as one node; inputs ordered (b, w_1..w_n, x_1..x_n).

    The chain rule inside one node, with s the weighted sum and a = act'(s):
    dz/db = a, dz/dw_i = a x_i, dz/dx_i = a w_i. The slope a comes from the
    output z, as for the ``Relu``, ``Tanh`` and ``Sigmoid`` ops: 1 or 0 for
    relu (at s <= 0 no gradient flows at all, and ``derivatives`` says so),
    1 - z**2 for tanh, z (1 - z) for sigmoid, 1 for linear.

    Its arguments say which neuron this is and what it applies, so a drawing
    can show them: ``FusedNeuron(neuron='layers.0.neurons.1', activation='relu')``.
    """

    __slots__ = ("activation", "function", "may_block", "neuron")
    arg_names = ("neuron", "activation")
    check_results = False  # the rules below are tested against PyTorch

    def __init__(self, neuron: str = "", activation: str = "relu") -> None:
        self.neuron = neuron
        self.activation = _check_activation(activation)
        self.function = ACTIVATION_FUNCTIONS[activation]  # the activation on a float
        self.may_block = activation == "relu"

    @property
    def args(self) -> dict[str, Any]:
        """``neuron`` and ``activation`` (a standalone neuron has no name: only the activation)."""
        return (
            {"neuron": self.neuron, "activation": self.activation} if self.neuron else {"activation": self.activation}
        )

    def forward(self, b: float, *wx: float) -> float:
        n, odd = divmod(len(wx), 2)
        if odd or not n:
            raise ValueError(f"FusedNeuron needs a bias, then n weights and n inputs, got {len(wx) + 1} inputs")
        return self.value(b, wx[:n], wx[n:])

    def value(self, b: float, ws: Iterable[float], xs: Iterable[float]) -> float:
        """act(b + w_1 x_1 + ... + w_n x_n) on floats: the forward formula (a Layer calls it directly)."""
        return self.function(_weighted_sum(b, ws, xs))

    def derivatives(self, z: Any, b: Any, *wx: Any) -> tuple[Any, ...] | None:
        n = len(wx) // 2
        if self.activation == "relu":
            if value(z) != 0:  # on: the slope is 1 (NaN passes the gradient, as in PyTorch)
                return (1.0, *wx[n:], *wx[:n])
            # off (s <= 0): no gradient flows, unless s is not finite (0 * inf is NaN, not 0)
            values = wx if type(z) is float else [value(v) for v in wx]  # floats, or the Vars' values
            if math.isfinite(_weighted_sum(value(b), values[:n], values[n:])):
                return None
            a: Any = 0.0
        elif self.activation == "tanh":
            a = 1.0 - z * z
        elif self.activation == "sigmoid":
            a = z * (1.0 - z)
        else:
            return (1.0, *wx[n:], *wx[:n])
        return (a, *[a * x for x in wx[n:]], *[a * w for w in wx[:n]])


def _weighted_sum(b: float, ws: Iterable[float], xs: Iterable[float]) -> float:
    """b + w_1 x_1 + ... + w_n x_n, starting from b and adding each product in order (as micrograd adds)."""
    return sum(map(operator.mul, ws, xs), b)


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    return activation


def _as_sequence(x: Input | Sequence[Input], nin: int, who: str) -> Sequence[Input]:
    """``x`` checked to be ``nin`` inputs in order; one value is allowed when ``nin == 1``."""
    if isinstance(x, (Var, numbers.Real)):
        return _as_sequence((x,), nin, who)
    if isinstance(x, (Set, Mapping)):
        raise TypeError(f"{who} takes its inputs in order (a list or tuple), got an unordered {type(x).__name__}")
    if isinstance(x, (str, bytes)) or not isinstance(x, Sized):
        raise TypeError(f"{who} takes a sequence of {nin} Vars or numbers, got {type(x).__name__}")
    if len(x) != nin:
        raise ValueError(f"{who} expects {nin} inputs, got {len(x)}")
    return x


def _as_inputs(x: Input | Sequence[Input], nin: int, who: str) -> list[Var]:
    """``x`` as a list of ``nin`` Vars: numbers become constants, once, before any neuron sees them."""
    return [v if isinstance(v, Var) else Var(v) for v in _as_sequence(x, nin, who)]


class Module:
    """Base class: something with parameters (``Var`` leaves that require grad).

    Subclasses say what they hold by implementing ``_named_tensors``: pairs of
    a name and either one Var or a list of Vars. Everything else (listing
    parameters, zeroing grads, saving and loading) is built on that.
    """

    __slots__ = ()

    def _named_tensors(self) -> Iterator[tuple[str, Var | list[Var]]]:
        return iter(())

    def named_parameters(self) -> Iterator[tuple[str, Var]]:
        """``("layers.0.neurons.1.w.0", Var)`` pairs, one per scalar parameter."""
        for name, tensor in self._named_tensors():
            if isinstance(tensor, Var):
                yield name, tensor
            else:
                for i, p in enumerate(tensor):
                    yield f"{name}.{i}", p

    def parameters(self) -> list[Var]:
        """Every parameter, in a fixed order (the order of ``named_parameters``)."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every gradient to 0.0: they accumulate over backward calls otherwise.

        0.0 rather than None (as micrograd does): a parameter that the next
        loss does not reach, such as the weights of a ReLU that is off for
        every sample, then has the gradient 0 it mathematically has.
        """
        for p in self.parameters():
            p.grad = 0.0

    # ------------------------------------------------------------ saving

    def state_dict(self) -> dict[str, StateValue]:
        """The parameter values, JSON-serialisable: ``{"layers.0.neurons.0.w": [..], ...b: 0.0}``."""
        state: dict[str, StateValue] = {}
        for name, tensor in self._named_tensors():
            state[name] = tensor.val if isinstance(tensor, Var) else [p.val for p in tensor]
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Copy values from ``state`` (as made by ``state_dict``) into the parameters.

        Every name must match and every list must have the right length;
        otherwise nothing is changed and a ``KeyError`` (names) or
        ``ValueError`` (shapes, values) says what differs. Values are written
        into the existing Vars, so optimizers holding them keep working.
        """
        if not isinstance(state, dict):
            raise TypeError(f"load_state_dict needs a dict, got {type(state).__name__}")
        tensors = dict(self._named_tensors())
        missing = [name for name in tensors if name not in state]
        unexpected = [name for name in state if name not in tensors]
        if missing or unexpected:
            parts = []
            if missing:
                parts.append(f"missing {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}")
            if unexpected:
                parts.append(f"unexpected {', '.join(unexpected[:5])}{' ...' if len(unexpected) > 5 else ''}")
            raise KeyError(f"state_dict does not match {type(self).__name__}: {'; '.join(parts)}")
        updates: list[tuple[Var, float]] = []
        for name, tensor in tensors.items():
            value = state[name]
            if isinstance(tensor, Var):
                updates.append((tensor, _state_number(value, name)))
                continue
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"{name}: expected a list of {len(tensor)} numbers, got {type(value).__name__}")
            if len(value) != len(tensor):
                raise ValueError(f"{name}: shape mismatch, expected {len(tensor)} numbers, got {len(value)}")
            updates.extend((p, _state_number(v, f"{name}.{i}")) for i, (p, v) in enumerate(zip(tensor, value)))
        for p, v in updates:  # all checked: now write
            p.val = v

    def __call__(self, x: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not define __call__")


def _state_number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{name}: expected a number, got {type(value).__name__}: {value!r}")
    return float(value)


class Neuron(Module):
    """``act(b + w . x)``: ``nin`` weights, one bias, an activation (``nonlin=False``: none).

    ``name``: the neuron's place in a model, ``"layers.0.neurons.1"`` (the
    Layer that builds it passes it); its parameters are labelled
    ``layers.0.neurons.1.w.0``, ... and ``layers.0.neurons.1.b``, and its node
    says which neuron it is. A neuron on its own has ``w.0``, ... and ``b``.
    """

    __slots__ = ("_act", "activation", "b", "fused", "op", "w")

    def __init__(
        self, nin: int, nonlin: bool = True, activation: str = "relu", fused: bool = True, name: str = ""
    ) -> None:
        nin = check_int(nin, "Neuron nin")
        prefix = f"{name}." if name else ""
        self.w = [Var(random.uniform(-1, 1), req_grad=True, name=f"{prefix}w.{i}") for i in range(nin)]
        self.b = Var(0.0, req_grad=True, name=f"{prefix}b")
        # Gradients start at 0.0, as after zero_grad() (and as in micrograd): a weight
        # that the first loss does not reach (its ReLU is off) holds the 0 it mathematically has.
        for p in (*self.w, self.b):
            p.grad = 0.0
        self.activation = _check_activation(activation) if nonlin else "linear"
        self._act = _ACTIVATION_METHODS[self.activation]
        self.fused = fused
        #: the op of this neuron's node (fused), named after the neuron; one instance serves every call
        self.op = FusedNeuron(name, self.activation)

    @property
    def nin(self) -> int:
        return len(self.w)

    def __call__(self, x: Input | Sequence[Input]) -> Var:
        x = _as_inputs(x, len(self.w), "Neuron")
        return self._node(x, list(map(_value, x))) if self.fused else self._elementwise(x)

    def _node(self, x: list[Var], x_values: list[float]) -> Var:
        """The neuron as one node, on checked inputs and their values (a Layer reads those once for all its neurons).

        What ``regrad.apply(self.op, self.b, *self.w, *x)`` does, with the
        value computed by the op's own formula from values already at hand.
        """
        z = self.op.value(self.b.val, map(_value, self.w), x_values)
        return regrad.make_node(self.op, (self.b, *self.w, *x), z)

    def _elementwise(self, x: list[Var]) -> Var:
        """The original regrad's graph: b + w_1*x_1 + w_2*x_2 + ..., then the activation's own node."""
        act = self.b
        for wi, xi in zip(self.w, x):
            act = act + wi * xi
        return act if self._act is None else self._act(act)

    def predict(self, x: Sequence[float]) -> float:
        """The output for plain-float inputs, without building a graph (fast)."""
        return self.op.value(self.b.val, list(map(_value, self.w)), x)

    def _named_tensors(self) -> Iterator[tuple[str, Var | list[Var]]]:
        yield "w", self.w
        yield "b", self.b

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; one output gives a Var, more a list.

    ``name``: the layer's place in a model, ``"layers.0"`` (the MLP that builds
    it passes it); its neurons are named ``layers.0.neurons.0``, ...
    """

    __slots__ = ("neurons",)

    def __init__(
        self, nin: int, nout: int, nonlin: bool = True, activation: str = "relu", fused: bool = True, name: str = ""
    ) -> None:
        nin, nout = check_int(nin, "Layer nin"), check_int(nout, "Layer nout")
        prefix = f"{name}." if name else ""
        self.neurons = [
            Neuron(nin, nonlin=nonlin, activation=activation, fused=fused, name=f"{prefix}neurons.{j}")
            for j in range(nout)
        ]

    @property
    def nin(self) -> int:
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        return len(self.neurons)

    @property
    def activation(self) -> str:
        return self.neurons[0].activation

    def __call__(self, x: Input | Sequence[Input]) -> Var | list[Var]:
        out = self._forward(_as_inputs(x, self.nin, "Layer"))
        return out[0] if len(out) == 1 else out

    def _forward(self, x: list[Var]) -> list[Var]:
        """Every neuron of the layer on checked inputs (their values are read once, for all the neurons)."""
        if not self.neurons[0].fused:
            return [n._elementwise(x) for n in self.neurons]
        x_values = list(map(_value, x))
        return [n._node(x, x_values) for n in self.neurons]

    def predict(self, x: Sequence[float]) -> list[float]:
        """Outputs for plain-float inputs, without building a graph."""
        return [n.predict(x) for n in self.neurons]

    def _named_tensors(self) -> Iterator[tuple[str, Var | list[Var]]]:
        for i, n in enumerate(self.neurons):
            for name, tensor in n._named_tensors():
                yield f"neurons.{i}.{name}", tensor

    def __repr__(self) -> str:
        return f"Layer({self.nin} -> {self.nout}, activation={self.activation!r})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` is 2 inputs, two hidden layers, one output.

    Hidden layers apply ``activation``; the last layer is linear (its outputs
    are scores or logits, for the loss to interpret). With one output the
    model returns a Var, otherwise a list of Vars.
    """

    __slots__ = ("activation", "fused", "layers", "nin", "nouts")

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu", fused: bool = True) -> None:
        nin = check_int(nin, "MLP nin")
        if isinstance(nouts, (numbers.Number, str)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"MLP nouts must be a non-empty list of layer sizes, got {nouts!r}")
        nouts = [check_int(n, "MLP layer size") for n in nouts]
        _check_activation(activation)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != last, activation=activation, fused=fused, name=f"layers.{i}")
            for i in range(len(nouts))
        ]
        self.nin = nin
        self.nouts = nouts
        self.activation = activation
        self.fused = fused

    def __call__(self, x: Input | Sequence[Input]) -> Var | list[Var]:
        out = _as_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            out = layer._forward(out)
        return out[0] if len(out) == 1 else out

    def predict(self, x: Sequence[float]) -> float | list[float]:
        """The model's output for plain floats, computed without any Var (fast, for plots).

        The same arithmetic in the same order as ``__call__``, so the values
        match; use it to evaluate many points, never to train.
        """
        out = [float(v) for v in _as_sequence(x, self.nin, "MLP")]
        for layer in self.layers:
            out = layer.predict(out)
        return out[0] if len(out) == 1 else out

    def config(self) -> dict[str, Any]:
        """What is needed to rebuild this architecture: ``MLP(**model.config())``."""
        return {"nin": self.nin, "nouts": list(self.nouts), "activation": self.activation}

    def _named_tensors(self) -> Iterator[tuple[str, Var | list[Var]]]:
        for i, layer in enumerate(self.layers):
            for name, tensor in layer._named_tensors():
                yield f"layers.{i}.{name}", tensor

    def __repr__(self) -> str:
        sizes = " -> ".join(str(n) for n in [self.nin, *self.nouts])
        n = sum(1 for _ in self.named_parameters())
        fused = "" if self.fused else ", fused=False"
        return f"MLP({sizes}, activation={self.activation!r}{fused}; {n} parameters)"
