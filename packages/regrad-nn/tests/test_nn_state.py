"""state_dict / load_state_dict and the model files: round trips and mismatch errors."""

from __future__ import annotations

import json
import random
import re

import pytest

from regrad_nn import MLP, load_model, save_model

ROWS = [[0.5, -1.0], [1.5, 0.25], [-0.75, 0.8]]


def outputs(model):
    return [model(row).val for row in ROWS]


def test_state_dict_is_json_and_round_trips_into_a_fresh_model():
    random.seed(1)
    trained = MLP(2, [4, 3, 1])
    state = json.loads(json.dumps(trained.state_dict()))
    assert state["layers.0.neurons.0.w"] == [p.val for p in trained.layers[0].neurons[0].w]
    random.seed(2)
    fresh = MLP(2, [4, 3, 1])
    assert outputs(fresh) != outputs(trained)
    fresh.load_state_dict(state)
    assert outputs(fresh) == outputs(trained)
    assert [p.val for p in fresh.parameters()] == [p.val for p in trained.parameters()]


def test_loading_keeps_the_parameter_objects():
    model = MLP(2, [2, 1])
    before = model.parameters()
    model.load_state_dict(MLP(2, [2, 1]).state_dict())
    assert all(a is b for a, b in zip(before, model.parameters()))


def test_name_mismatch_raises_key_error_naming_the_keys():
    model = MLP(2, [3, 1])
    state = model.state_dict()
    del state["layers.1.neurons.0.b"]
    state["layers.2.neurons.0.b"] = 0.0
    with pytest.raises(KeyError, match=re.escape("missing layers.1.neurons.0.b; unexpected layers.2.neurons.0.b")):
        model.load_state_dict(state)


def test_shape_mismatch_raises_and_changes_nothing():
    model = MLP(2, [3, 1])
    before = [p.val for p in model.parameters()]
    state = MLP(3, [3, 1]).state_dict()  # first layer has 3 inputs
    with pytest.raises(ValueError, match=re.escape("layers.0.neurons.0.w: shape mismatch, expected 2 numbers, got 3")):
        model.load_state_dict(state)
    state = model.state_dict()
    state["layers.0.neurons.0.b"] = 99.0
    state["layers.1.neurons.0.w"] = [1.0, 2.0, "x"]
    with pytest.raises(ValueError, match=re.escape("layers.1.neurons.0.w.2: expected a number")):
        model.load_state_dict(state)
    assert [p.val for p in model.parameters()] == before  # checked before anything was written
    with pytest.raises(ValueError, match="expected a list of 3 numbers"):
        model.load_state_dict({**model.state_dict(), "layers.1.neurons.0.w": 1.0})
    with pytest.raises(TypeError, match="needs a dict"):
        model.load_state_dict([1, 2])


def test_save_and_load_model_files(tmp_path):
    random.seed(4)
    model = MLP(2, [5, 1], activation="tanh")
    path = save_model(model, tmp_path / "m.json", accuracy=0.5)
    doc = json.loads(path.read_text())
    assert doc["config"] == {"nin": 2, "nouts": [5, 1], "activation": "tanh"} and doc["accuracy"] == 0.5
    state = random.getstate()
    loaded = load_model(path)
    assert random.getstate() == state  # loading draws no random numbers from the caller's stream
    assert outputs(loaded) == outputs(model)
    (tmp_path / "other.json").write_text('{"hello": 1}')
    with pytest.raises(ValueError, match="not a regrad-nn model file"):
        load_model(tmp_path / "other.json")
