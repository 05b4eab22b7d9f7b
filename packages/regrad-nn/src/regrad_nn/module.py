"""Neural-network building blocks: ``Module``, ``Neuron``, ``Layer``, ``MLP``.

A neuron computes ``act(b + w_1 x_1 + ... + w_n x_n)``. The parameters are
plain ``regrad.Var`` leaves with ``req_grad=True``; calling a module on inputs
builds a graph whose ``backward`` fills their ``.grad``.

Two ways to build that graph, same numbers:

* ``fused=True`` (the default, fast): a neuron is **one** node. Its op
  (``DotRelu``, ``DotTanh`` or ``DotSigmoid``) is the core's n-ary ``Dot``
  with the activation applied to its output. The bias rides along as the weight of a constant input 1,
  placed first, so ``Dot((b, w_1..w_n), (1, x_1..x_n))`` adds
  ``b + w_1 x_1 + ...`` in exactly the order the elementwise graph (and
  micrograd) does. A linear neuron (the last layer) is a plain ``Dot`` node.
* ``fused=False`` (for teaching and drawing): the seed's graph, one ``Mul``
  per weight, a chain of ``Add`` nodes starting from the bias, then the
  activation's own node: 2n + 1 nodes per neuron.

Fewer nodes is where the speed comes from: every node costs an object, an op,
a visit in the topological sort and a step of the backward sweep, whatever
it computes. So an MLP also leaves out the hidden ReLU neurons that are off
for the current input (weighted sum <= 0), and their edges into the next
layer: their output is 0 and so is their gradient, so those nodes and edges
would only carry zeros. Values and gradients are unchanged; ``fused=False``
keeps every node, for drawings.

Weights start uniform in [-1, 1] from Python's global ``random`` module and
biases at 0, drawn in the same order as micrograd's ``nn.MLP``: seed
``random`` identically and both libraries start from the same weights.
"""

from __future__ import annotations

import json
import math
import numbers
import operator
import random
from collections.abc import Iterator, Sequence, Sized
from pathlib import Path
from typing import Any

import regrad
from regrad import Var
from regrad.ops import Dot

Input = Var | float | int
#: what ``state_dict`` holds: a number per scalar parameter, a list per vector
StateValue = float | list[float]

ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")

_value = operator.attrgetter("val")  # v -> v.val, mapped over many Vars at C speed

# The constant input that multiplies the bias inside a fused neuron's Dot node.
# It never requires grad, so it never receives a gradient and can be shared.
_ONE = Var(1.0)


# activation name -> the Var method that applies it (None: linear, no node)
_ACTIVATION_METHODS = {"relu": Var.relu, "tanh": Var.tanh, "sigmoid": Var.sigmoid, "linear": None}


class DotRelu(Dot):
    """z = relu(w_1 x_1 + ... + w_n x_n): a ReLU neuron as one op (inputs ordered as for ``Dot``).

    The chain rule inside one node: with s the weighted sum, dz/dw_i =
    relu'(s) x_i and dz/dx_i = relu'(s) w_i, where relu'(s) is 1 if s > 0,
    else 0. So backward either passes the gradient to ``Dot.backward`` or
    returns zeros (an "off" ReLU, as the Relu op does at s <= 0).
    """

    __slots__ = ("on",)

    def forward(self, *inputs: float) -> float:
        s = Dot.forward(self, *inputs)
        self.on = s > 0
        return s if s > 0 else 0.0

    def backward(self, grad: float) -> tuple[float, ...]:
        if not self.on:
            return (0.0,) * len(self.inputs)
        return Dot.backward(self, grad)


class DotTanh(Dot):
    """z = tanh(w . x) as one op: backward scales the gradient by tanh'(s) = 1 - z**2, then ``Dot.backward``."""

    __slots__ = ("out",)

    def forward(self, *inputs: float) -> float:
        self.out = math.tanh(Dot.forward(self, *inputs))
        return self.out

    def backward(self, grad: float) -> tuple[float, ...]:
        return Dot.backward(self, grad * (1.0 - self.out * self.out))


class DotSigmoid(Dot):
    """z = sigmoid(w . x) as one op: backward scales the gradient by z (1 - z), then ``Dot.backward``."""

    __slots__ = ("out",)

    def forward(self, *inputs: float) -> float:
        self.out = _activation_value(Dot.forward(self, *inputs), "sigmoid")
        return self.out

    def backward(self, grad: float) -> tuple[float, ...]:
        return Dot.backward(self, grad * self.out * (1.0 - self.out))


# activation name -> the op of a fused neuron (None: linear, a plain Dot)
_NEURON_OPS: dict[str, type[Dot] | None] = {"relu": DotRelu, "tanh": DotTanh, "sigmoid": DotSigmoid, "linear": None}


def _activation_value(x: float, activation: str) -> float:
    """The same activations on plain floats (for graph-free prediction)."""
    if activation == "relu":
        return x if x > 0 else 0.0
    if activation == "tanh":
        return math.tanh(x)
    if activation == "sigmoid":
        return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
    return x


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}")
    return activation


def _check_size(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive int, got {value!r}")
    return value


def _as_sequence(x: Input | Sequence[Input], nin: int, who: str) -> Sequence[Input]:
    """``x`` checked to be ``nin`` inputs; one value is allowed when ``nin == 1``."""
    if isinstance(x, (Var, numbers.Real)):
        return _as_sequence((x,), nin, who)
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
    """``act(b + w . x)``: ``nin`` weights, one bias, an activation (``nonlin=False``: none)."""

    __slots__ = ("_act", "_op", "_wb", "activation", "b", "fused", "w")

    def __init__(self, nin: int, nonlin: bool = True, activation: str = "relu", fused: bool = True) -> None:
        _check_size(nin, "Neuron nin")
        # labels w0, w1, ..., b name the parameters in drawings
        self.w = [Var(random.uniform(-1, 1), req_grad=True, name=f"w{i}") for i in range(nin)]
        self.b = Var(0.0, req_grad=True, name="b")
        # Gradients start at 0.0, as after zero_grad() (and as in micrograd): a weight
        # that the first loss does not reach (its ReLU is off, so the MLP leaves it
        # out of the graph) then holds the 0 gradient it mathematically has.
        for p in (*self.w, self.b):
            p.grad = 0.0
        self.activation = _check_activation(activation) if nonlin else "linear"
        self._act = _ACTIVATION_METHODS[self.activation]
        self._op = _NEURON_OPS[self.activation]
        self.fused = fused
        # the Dot node's weight half: bias first (it multiplies the constant 1)
        self._wb = (self.b, *self.w)

    @property
    def nin(self) -> int:
        return len(self.w)

    def __call__(self, x: Input | Sequence[Input]) -> Var:
        x = _as_inputs(x, len(self.w), "Neuron")
        return self._forward(x, (_ONE, *x))  # type: ignore[return-value]  # None only with prune_off

    def _forward(
        self,
        x: list[Var],
        one_x: tuple[Var, ...],
        live: list[int] | None = None,
        prune_off: bool = False,
        one_vals: list[float] | None = None,
    ) -> Var | None:
        """The neuron on checked inputs ``x`` (a Layer prepares the arguments once for all its neurons).

        ``one_x`` is ``(1, *x)``. ``live`` lists which of the neuron's inputs
        ``x`` holds when the layer left some out (None: all of them).
        ``prune_off=True`` (an MLP's hidden layers): a ReLU that is off
        (weighted sum <= 0) returns None and builds no node; ``one_vals``
        are the values of ``one_x``, for that test.
        """
        if not self.fused:  # the seed's graph: b + w_1*x_1 + w_2*x_2 + ..., then the activation
            act = self.b
            for wi, xi in zip(self.w, x):
                act = act + wi * xi
            return act if self._act is None else self._act(act)
        wb = self._wb if live is None else (self.b, *[self.w[i] for i in live])
        op = self._op
        if op is None:  # linear: the weighted sum is the output
            return regrad.dot(wb, one_x)
        if prune_off and op is DotRelu:
            if one_vals is None:
                one_vals = list(map(_value, one_x))
            # the weighted sum on plain floats, added in the same order as Dot does
            if sum(map(operator.mul, map(_value, wb), one_vals)) <= 0:
                return None
        return regrad.apply(op, *wb, *one_x)

    def predict(self, x: Sequence[float]) -> float:
        """The output for plain-float inputs, without building a graph (fast)."""
        total = self.b.val
        for wi, xi in zip(self.w, x):
            total += wi.val * xi
        return _activation_value(total, self.activation)

    def _named_tensors(self) -> Iterator[tuple[str, Var | list[Var]]]:
        yield "w", self.w
        yield "b", self.b

    def __repr__(self) -> str:
        return f"Neuron({len(self.w)}, activation={self.activation!r})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs; one output gives a Var, more a list."""

    __slots__ = ("neurons",)

    def __init__(self, nin: int, nout: int, nonlin: bool = True, activation: str = "relu", fused: bool = True) -> None:
        _check_size(nin, "Layer nin")
        _check_size(nout, "Layer nout")
        self.neurons = [Neuron(nin, nonlin=nonlin, activation=activation, fused=fused) for _ in range(nout)]

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
        return out[0] if len(out) == 1 else out  # type: ignore[return-value]

    def _forward(self, x: Sequence[Var | None], prune_off: bool = False) -> list[Var | None]:
        """The layer on checked inputs; in an MLP, None marks a ReLU of the previous layer that was off.

        ``prune_off=True`` (an MLP's hidden layers): ReLUs that are off build
        no node and come out as None. Their output is 0 and so is their
        gradient (the ReLU's slope is 0 there), so a node for them would only
        carry zeros. The next layer then leaves those inputs out, with their
        weights: w * 0 adds nothing to a sum and passes no gradient to w.
        Values and gradients are unchanged; only the work shrinks.
        """
        live = None
        inputs: list[Var] = x  # type: ignore[assignment]  # no None in it, or made so just below
        if None in x:
            live = [i for i, v in enumerate(x) if v is not None]
            inputs = [x[i] for i in live]  # type: ignore[misc]
        one_x = (_ONE, *inputs)  # the inputs with the bias's constant 1 in front, shared by all neurons
        one_vals = list(map(_value, one_x)) if prune_off else None
        return [n._forward(inputs, one_x, live, prune_off, one_vals) for n in self.neurons]

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
        _check_size(nin, "MLP nin")
        if isinstance(nouts, (int, str)) or not nouts:
            raise ValueError(f"MLP nouts must be a non-empty list of layer sizes, got {nouts!r}")
        nouts = [_check_size(n, "MLP layer size") for n in nouts]
        _check_activation(activation)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], nonlin=i != last, activation=activation, fused=fused)
            for i in range(len(nouts))
        ]
        self.nin = nin
        self.nouts = nouts
        self.activation = activation
        self.fused = fused

    def __call__(self, x: Input | Sequence[Input]) -> Var | list[Var]:
        out: Sequence[Var | None] = _as_inputs(x, self.nin, "MLP")
        last = len(self.layers) - 1
        for i, layer in enumerate(self.layers):
            # hidden layers may leave out ReLUs that are off: the last layer is
            # linear, so the output always depends on its weights
            out = layer._forward(out, prune_off=i < last)
        # the last layer is never pruned: no None left
        return out[0] if len(out) == 1 else out  # type: ignore[return-value]

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


# --------------------------------------------------------------- files

_FORMAT = "regrad-nn/mlp"


def save_model(model: MLP, path: str | Path, **extra: Any) -> Path:
    """Write ``model`` as JSON (architecture + ``state_dict`` + any ``extra`` fields)."""
    doc = {"format": _FORMAT, "config": model.config(), "state": model.state_dict(), **extra}
    path = Path(path)
    path.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    return path


def load_model(path: str | Path, fused: bool = True) -> MLP:
    """Rebuild an MLP written by ``save_model`` (the ``random`` module is left untouched)."""
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise ValueError(f'{path} is not a regrad-nn model file (no "format": "{_FORMAT}")')
    state = random.getstate()  # building an MLP draws weights; keep the caller's stream
    try:
        model = MLP(**doc["config"], fused=fused)
    finally:
        random.setstate(state)
    model.load_state_dict(doc["state"])
    return model
