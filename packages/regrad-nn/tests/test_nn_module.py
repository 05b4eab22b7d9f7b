"""Neuron, Layer, MLP: structure, initialisation, and values and gradients against PyTorch."""

from __future__ import annotations

import itertools
import math
import random

import pytest

import regrad
from regrad import Var
from regrad_nn import MLP, FusedNeuron, Layer, Neuron

INPUTS = [[0.5, -1.25], [2.0, 0.75], [-0.3, 0.1], [1.5, -2.0]]


def flat(nested):
    """[[1, 2], [3]] -> [1, 2, 3] (pytest.approx compares flat sequences only)."""
    out = []
    for item in nested:
        out.extend(flat(item) if isinstance(item, (list, tuple)) else [item])
    return out


def test_the_original_example_returns_one_var_and_counts_parameters():
    random.seed(0)
    model = MLP(2, [3, 1])
    assert len(model.parameters()) == 3 * (2 + 1) + (3 + 1)
    x = Var(0.5)
    y = model([x, x**2])
    assert isinstance(y, Var)
    assert isinstance(MLP(2, [3, 2])([1.0, 2.0]), list)
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Var)


def test_initial_weights_follow_micrograds_draw_order():
    # micrograd: per layer, per neuron, nin draws of random.uniform(-1, 1); biases 0
    random.seed(1337)
    sizes = [2, 4, 3, 1]
    expected = []
    for nin, nout in itertools.pairwise(sizes):
        for _ in range(nout):
            expected += [random.uniform(-1, 1) for _ in range(nin)] + [0.0]
    random.seed(1337)
    model = MLP(2, [4, 3, 1])
    assert [p.val for p in model.parameters()] == expected
    assert all(p.req_grad and p.is_leaf for p in model.parameters())


def test_named_parameters_are_unique_and_in_parameter_order():
    model = MLP(2, [3, 1])
    names = [name for name, _ in model.named_parameters()]
    assert len(set(names)) == len(names) == 13
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert [p for _, p in model.named_parameters()] == model.parameters()


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("fused", [True, False])
def test_outputs_and_gradients_match_pytorch(activation, fused, torch_mlp, torch):
    random.seed(7)
    model = MLP(2, [5, 4, 3], activation=activation, fused=fused)
    layers = torch_mlp.layers(model)
    x = torch.tensor(INPUTS, dtype=torch.float64)
    out_t = torch_mlp.forward(layers, x, activation)
    coef = torch.tensor([[0.3, -1.1, 0.7]], dtype=torch.float64)
    (out_t * coef).sum().backward()

    model.zero_grad()  # grads start at 0.0: parameters no sample reaches keep the 0 PyTorch gives them
    total = regrad.sum([o * c for row in INPUTS for o, c in zip(model(row), [0.3, -1.1, 0.7])])
    values = [[o.val for o in model(row)] for row in INPUTS]
    assert sum(v != 0 for v in flat(values)) >= 6  # not a dead network
    assert flat(values) == pytest.approx(flat(out_t.tolist()), rel=1e-12, abs=1e-12)
    total.backward()
    for (gw, gb), (w, b) in zip(torch_mlp.grads(model), layers):
        assert flat(gw) == pytest.approx(flat(w.grad.tolist()), rel=1e-10, abs=1e-12)
        assert gb == pytest.approx(b.grad.tolist(), rel=1e-10, abs=1e-12)


def test_gradients_with_respect_to_inputs_match_pytorch(torch_mlp, torch):
    random.seed(4)  # 3 of the 4 hidden ReLUs are on for this input
    model = MLP(3, [4, 1])
    layers = torch_mlp.layers(model)
    xt = torch.tensor([[0.2, -0.7, 1.3]], dtype=torch.float64, requires_grad=True)
    torch_mlp.forward(layers, xt).sum().backward()
    xs = [Var(v, req_grad=True) for v in [0.2, -0.7, 1.3]]
    model.zero_grad()
    model(xs).backward()
    assert all(v.grad != 0 for v in xs)
    assert [v.grad for v in xs] == pytest.approx(xt.grad[0].tolist(), rel=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_fused_and_elementwise_graphs_agree(activation):
    random.seed(11)
    fused = MLP(2, [6, 6, 1], activation=activation)
    random.seed(11)
    plain = MLP(2, [6, 6, 1], activation=activation, fused=False)
    fused.zero_grad()
    plain.zero_grad()
    for row in INPUTS:
        a, b = fused(row), plain(row)
        assert a.val == pytest.approx(b.val, rel=1e-14, abs=1e-15)
        a.backward()
        b.backward()
    for p, q in zip(fused.parameters(), plain.parameters()):
        assert p.grad == pytest.approx(q.grad, rel=1e-12, abs=1e-15)


def test_fused_neuron_is_one_node_and_elementwise_is_the_original_regrads_graph():
    random.seed(0)
    x = [Var(0.5), Var(0.25)]
    neuron = Neuron(2)
    fused = neuron(x)
    assert fused.op.name == "FusedNeuron" and fused.op.args == {"activation": "relu"}
    assert fused.src == (neuron.b, *neuron.w, *x)  # the bias is an input of its own
    assert len(regrad.topological_order(fused)) == 1 + 3  # the neuron, then b, w0, w1
    random.seed(0)
    plain = Neuron(2, fused=False)(x)
    names = [n.name for n in regrad.topological_order(plain) if n.op is not None]
    assert sorted(names) == ["Add", "Add", "Mul", "Mul", "Relu"]
    assert Neuron(2, nonlin=False)(x).op.args == {"activation": "linear"}


def test_parameters_carry_their_module_path_and_neurons_their_identity():
    model = MLP(2, [3, 1])
    assert [p.label for p in model.parameters()] == [name for name, _ in model.named_parameters()]
    assert model.layers[1].neurons[0].b.label == "layers.1.neurons.0.b"
    y = model([0.5, -0.5])
    assert y.op.args == {"neuron": "layers.1.neurons.0", "activation": "linear"}
    hidden = y.src[1 + 3 :]  # after the bias and the three weights: the hidden neurons
    assert [h.op.args["neuron"] for h in hidden] == [f"layers.0.neurons.{i}" for i in range(3)]
    assert all(h.op.args["activation"] == "relu" for h in hidden)
    assert Layer(2, 2).neurons[1].w[0].label == "neurons.1.w.0"
    assert Neuron(2).w[1].label == "w.1"


def test_each_neuron_gets_its_one_op_and_labels_as_it_is_built(monkeypatch):
    made = []
    init = FusedNeuron.__init__

    def counted(self, *args, **kwargs):
        made.append(args)
        init(self, *args, **kwargs)

    monkeypatch.setattr(FusedNeuron, "__init__", counted)
    model = MLP(2, [16, 16, 1])
    assert len(made) == 16 + 16 + 1  # one op per neuron (it used to make 4: one, then one per enclosing module)
    ops = [(neuron.op.neuron, neuron.op.activation) for layer in model.layers for neuron in layer.neurons]
    assert ops == made  # those very ops, named at once
    assert made[0] == ("layers.0.neurons.0", "relu") and made[-1] == ("layers.2.neurons.0", "linear")
    assert Neuron(2, name="layers.3.neurons.4").b.label == "layers.3.neurons.4.b"


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_neuron_ops_pass_gradcheck(activation):
    op = FusedNeuron("n", activation)

    def fn(b, w0, w1, x0, x1):
        return regrad.apply(op, b, w0, w1, x0, x1)

    inputs = [Var(v, req_grad=True) for v in (0.1, -0.8, 0.6, 0.9, 0.4)]
    assert regrad.gradcheck(fn, inputs)


def test_an_off_relu_neuron_passes_no_gradient_like_the_relu_op():
    w, b = Var(1.0, req_grad=True), Var(0.0, req_grad=True)
    out = regrad.apply(FusedNeuron(), b, w, Var(0.0))
    relu = (b + w * 0.0).relu()
    assert out.val == relu.val == 0.0
    assert [s.blocked for s in regrad.backward_steps(out)] == [True]
    assert [s.blocked for s in regrad.backward_steps(relu)] == [True]
    out.backward()
    assert w.grad is None and b.grad is None  # the pass does not look behind a node no gradient flows through


def test_every_neuron_is_in_the_graph_whatever_its_value():
    random.seed(2)
    model = MLP(2, [8, 8, 1])
    x = [0.4, -0.9]
    off = sum(n.predict(x) == 0.0 for n in model.layers[0].neurons)
    assert 0 < off < 8  # some hidden ReLUs are off for this input, some on
    y = model(x)
    neurons = [n for n in regrad.topological_order(y) if n.op is not None]
    assert len(neurons) == 8 + 8 + 1 and all(n.op.name == "FusedNeuron" for n in neurons)
    assert len(y.src) == 1 + 8 + 8  # bias, 8 weights, 8 hidden neurons: none left out
    steps = regrad.backward_steps(y)
    blocked = [s.node for s in steps if s.blocked]
    assert blocked and all(s.val == 0.0 for s in blocked)  # the off neurons say so in the backward pass


def test_complete_graph_grads_equal_the_elementwise_graph_and_torch(torch_mlp, torch):
    random.seed(2)
    fused = MLP(2, [8, 8, 1])
    random.seed(2)
    plain = MLP(2, [8, 8, 1], fused=False)
    layers = torch_mlp.layers(fused)
    x = [0.4, -0.9]
    y, y_plain = fused(x), plain(x)
    torch_mlp.forward(layers, torch.tensor([x], dtype=torch.float64)).sum().backward()
    y.backward()
    y_plain.backward()
    assert y.val == y_plain.val
    assert [p.grad for p in fused.parameters()] == pytest.approx([p.grad for p in plain.parameters()], abs=1e-15)
    for (gw, gb), (w, b) in zip(torch_mlp.grads(fused), layers):
        assert flat(gw) == pytest.approx(flat(w.grad.tolist()), rel=1e-12, abs=1e-15)
        assert gb == pytest.approx(b.grad.tolist(), rel=1e-12, abs=1e-15)


NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
@pytest.mark.parametrize(
    "b, w0, w1, x0, x1",
    [
        (0.1, -0.8, 0.6, 0.9, 0.4),
        (NAN, 1.0, 2.0, 0.5, 0.5),
        (0.0, INF, 1.0, 1.0, 0.5),
        (0.0, -INF, 1.0, 1.0, 0.5),  # off with an infinite weight: 0 * inf is NaN, as in the elementwise graph
        (0.0, 1.0, 1.0, INF, -INF),
        (-1.0, 0.0, 0.0, 0.0, 0.0),
        (1e308, 1e308, 1.0, 10.0, 0.0),
    ],
)
def test_fused_neuron_follows_the_elementwise_graph_in_torch_at_special_values(activation, b, w0, w1, x0, x1, torch):
    values = [b, w0, w1, x0, x1]
    rs = [Var(v, req_grad=True) for v in values]
    out = regrad.apply(FusedNeuron("n", activation), *rs)
    ts = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in values]
    s = ts[0] + ts[1] * ts[3] + ts[2] * ts[4]
    t_out = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda v: v}[activation](s)
    t_out.backward()
    assert same(out.val, t_out.item())
    out.backward()
    for r, tv in zip(rs, ts):
        if r.grad is None:  # not reached: no gradient flows through an off ReLU
            assert tv.grad.item() == 0.0
        else:
            assert same(r.grad, tv.grad.item()), (values, r.grad, tv.grad.item())


def same(a, b):
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or math.isclose(a, b, rel_tol=1e-12)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid", "linear"])
def test_fused_neuron_second_derivatives_and_forward_mode_match_torch(activation, torch):
    values = [0.3, -0.8, 0.6, 0.9, 0.4]
    act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda v: v}[activation]

    def ours(b, w0, w1, x0, x1):
        return regrad.apply(FusedNeuron("n", activation), b, w0, w1, x0, x1) ** 2

    def theirs(b, w0, w1, x0, x1):
        return act(b + w0 * x0 + w1 * x1) ** 2

    t_args = tuple(torch.tensor(v, dtype=torch.float64) for v in values)
    h = regrad.hessian(ours, values)
    t_h = torch.autograd.functional.hessian(theirs, t_args)
    for i in range(5):
        for j in range(5):
            assert h[i][j] == pytest.approx(t_h[i][j].item(), rel=1e-10, abs=1e-12)
    tangents = [0.5, -1.0, 0.25, 2.0, -0.75]
    value, derivative = regrad.jvp(ours, values, tangents)
    t_value, t_derivative = torch.func.jvp(
        theirs, t_args, tuple(torch.tensor(v, dtype=torch.float64) for v in tangents)
    )
    assert value == pytest.approx(t_value.item(), rel=1e-12)
    assert derivative == pytest.approx(t_derivative.item(), rel=1e-12)


def test_inputs_may_be_floats_or_vars_and_predict_agrees():
    random.seed(5)
    model = MLP(2, [4, 4, 2], activation="tanh")
    for row in INPUTS:
        from_floats = [o.val for o in model(row)]
        from_vars = [o.val for o in model([Var(v) for v in row])]
        assert from_floats == from_vars
        assert model.predict(row) == pytest.approx(from_floats, rel=1e-14)
    single = MLP(1, [3, 1])
    assert single(0.5).val == single([0.5]).val == pytest.approx(single.predict([0.5]))


def test_one_neuron_hidden_layer_feeds_the_next_layer():
    model = MLP(2, [1, 2])
    assert len(model([0.1, 0.2])) == 2


def test_zero_grad_sets_gradients_to_zero():
    model = MLP(2, [3, 1])
    model([1.0, 2.0]).backward()
    assert any(p.grad for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_bad_arguments_raise_clear_errors():
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match="expects 2 inputs, got 3"):
        model([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="sequence of 2"):
        model("ab")
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        MLP(2, [3, 1], activation="gelu")
    with pytest.raises(ValueError, match="non-empty list"):
        MLP(2, [])
    with pytest.raises(ValueError, match="positive int"):
        MLP(2, [3, 0])
    with pytest.raises(ValueError, match="positive int"):
        Neuron(0)
    with pytest.raises(TypeError, match=r"in order .* unordered set"):
        model({1.0, 2.0})
    with pytest.raises(TypeError, match="unordered dict"):
        model({"a": 1.0, "b": 2.0})
    with pytest.raises(ValueError, match="FusedNeuron needs a bias, then n weights and n inputs"):
        regrad.apply(FusedNeuron(), Var(1.0), Var(2.0))


def test_integral_number_types_are_sizes():
    np = pytest.importorskip("numpy")
    model = MLP(np.int64(2), [np.int32(3), 1])
    assert model.nin == 2 and model.nouts == [3, 1] and type(model.nin) is int


def test_reprs_are_readable():
    assert repr(MLP(2, [16, 16, 1])) == "MLP(2 -> 16 -> 16 -> 1, activation='relu'; 337 parameters)"
    assert repr(MLP(2, [3, 1], fused=False)) == "MLP(2 -> 3 -> 1, activation='relu', fused=False; 13 parameters)"
    assert repr(Layer(2, 3)) == "Layer(2 -> 3, activation='relu')"
    assert repr(Neuron(2, nonlin=False)) == "Neuron(2, activation='linear')"
