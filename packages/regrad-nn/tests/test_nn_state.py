"""state_dict / load_state_dict and the model files: round trips and mismatch errors."""

from __future__ import annotations

import json
import math
import random
import re
import time

import pytest

import regrad_nn.files
from regrad_nn import MLP, load_model, save_model
from regrad_nn.files import MAX_PARAMETERS, _expected_state

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


# ---------------------------------------------------------------- loading checks the whole file first

FORMAT = '"format": "regrad-nn/mlp"'


def write(tmp_path, text, name="model.json"):
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def good_doc(model=None):
    random.seed(7)
    model = model or MLP(2, [3, 1])
    return {"format": "regrad-nn/mlp", "config": model.config(), "state": model.state_dict()}


def test_a_tiny_file_with_a_huge_config_fails_at_once_without_building(tmp_path, monkeypatch):
    path = write(tmp_path, "{" + FORMAT + ', "config": {"nin": 2000, "nouts": [2000, 1]}, "state": {}}')
    assert path.stat().st_size < 100
    monkeypatch.setattr(regrad_nn.files, "MLP", None)  # building anything would raise TypeError
    start = time.perf_counter()
    with pytest.raises(ValueError, match=re.escape(f"{path}: config describes 4,004,001 parameters, more than")):
        load_model(path)
    assert time.perf_counter() - start < 0.5
    small = write(tmp_path, "{" + FORMAT + ', "config": {"nin": 2, "nouts": [3, 1]}, "state": {}}', "small.json")
    with pytest.raises(ValueError, match=re.escape(f"{small}: state is missing layers.0.neurons.0.w")):
        load_model(small)


def edited(change):
    doc = good_doc()
    change(doc)
    return json.dumps(doc)


def set_in(*keys_and_value):
    *keys, value = keys_and_value

    def change(doc):
        target = doc
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value

    return change


BAD_FILES = [
    ("{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not a regrad-nn model file (not UTF-8 text)"),
    ("[" * 100_000 + "]" * 100_000, "not valid JSON"),
    ('{"format": "something/else"}', 'not a regrad-nn model file (no "format": "regrad-nn/mlp")'),
    ("[1, 2]", "not a regrad-nn model file"),
    ("{" + FORMAT + ', "state": {}}', "the file has no config"),
    ("{" + FORMAT + ', "config": {"nin": 2, "nouts": [1]}}', "the file has no state"),
    (edited(set_in("config", [2, [3, 1]])), "config must be an object, got list"),
    (edited(lambda doc: doc["config"].pop("nin")), "config is missing nin"),
    (edited(set_in("config", "nin", "2")), "config nin must be a positive integer, got '2'"),
    (edited(set_in("config", "nin", True)), "config nin must be a positive integer, got True"),
    (edited(set_in("config", "nin", 2.0)), "config nin must be a positive integer, got 2.0"),
    (edited(set_in("config", "nouts", [])), "config nouts must be a non-empty list"),
    (edited(set_in("config", "nouts", 3)), "config nouts must be a non-empty list"),
    (edited(set_in("config", "nouts", [3, 0])), "config nouts.1 must be a positive integer, got 0"),
    (edited(set_in("config", "activation", "gelu")), "config activation must be one of relu, tanh, sigmoid, linear"),
    (edited(set_in("config", "fused", True)), "config has an unexpected key 'fused'"),
    (edited(set_in("state", [])), "state must be an object, got list"),
    (edited(lambda doc: doc["state"].pop("layers.1.neurons.0.b")), "state is missing layers.1.neurons.0.b"),
    (edited(set_in("state", "layers.2.neurons.0.b", 0.0)), "state has an unexpected entry 'layers.2.neurons.0.b'"),
    (edited(set_in("state", "layers.0.neurons.0.w", [1.0])), "state layers.0.neurons.0.w has 1 numbers, expected 2"),
    (edited(set_in("state", "layers.0.neurons.0.w", 1.0)), "state layers.0.neurons.0.w must be a list of 2 numbers"),
    (edited(set_in("state", "layers.0.neurons.2.b", "x")), "layers.0.neurons.2.b must be a finite number, got 'x'"),
    (edited(set_in("state", "layers.0.neurons.2.b", True)), "state layers.0.neurons.2.b must be a finite number"),
    (edited(set_in("state", "layers.0.neurons.2.b", math.nan)), "layers.0.neurons.2.b must be a finite number, got n"),
    (edited(set_in("state", "layers.1.neurons.0.w", [0.5, math.inf, 0.5])), "layers.1.neurons.0.w.1 must be a finite"),
    (edited(set_in("state", "layers.1.neurons.0.w", [0.5, None, 0.5])), "layers.1.neurons.0.w.1 must be a finite"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_files_raise_value_errors_naming_the_file_and_the_key(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ValueError) as info:
        load_model(path)
    assert str(info.value).startswith(f"{path}: ") and message in str(info.value)


def test_the_good_file_of_those_tests_loads(tmp_path):
    doc = good_doc()
    model = load_model(write(tmp_path, json.dumps(doc)))
    assert model.state_dict() == doc["state"]
    del doc["config"]["activation"]  # optional: MLP's default, relu
    assert load_model(write(tmp_path, json.dumps(doc))).activation == "relu"


def test_the_parameter_limit_is_documented_and_can_be_raised(tmp_path):
    assert MAX_PARAMETERS == 1_000_000 and "MAX_PARAMETERS" in regrad_nn.files.__doc__
    path = write(tmp_path, json.dumps(good_doc(MLP(2, [3, 1]))))  # 13 parameters
    assert len(load_model(path, max_parameters=13).parameters()) == 13
    with pytest.raises(ValueError, match="describes 13 parameters, more than the limit of 12"):
        load_model(path, max_parameters=12)


@pytest.mark.parametrize(("nin", "nouts"), [(1, [1]), (2, [3, 1]), (3, [4, 5, 2])])
def test_the_expected_entries_are_those_of_state_dict(nin, nouts):
    state = MLP(nin, nouts).state_dict()
    expected = [(name, None if isinstance(value, float) else len(value)) for name, value in state.items()]
    assert list(_expected_state(nin, nouts)) == expected


# ---------------------------------------------------------------- saving: checked, strict, atomic


def reject_constants(name):
    raise ValueError(f"not strict JSON: {name}")


def test_saved_files_are_strict_json(tmp_path):
    path = save_model(MLP(2, [3, 1]), tmp_path / "m.json", final_loss=0.25)
    json.loads(path.read_text(), parse_constant=reject_constants)


def test_save_refuses_what_could_not_be_loaded_and_writes_nothing(tmp_path):
    path = tmp_path / "m.json"
    model = MLP(2, [3, 1])
    with pytest.raises(ValueError, match="an extra field cannot be named 'state'"):
        save_model(model, path, state={})
    with pytest.raises(ValueError, match="an extra field cannot be named 'config'"):
        save_model(model, path, config={"nin": 5})
    with pytest.raises(ValueError, match=re.escape(f"{path}: Out of range float values are not JSON compliant")):
        save_model(model, path, final_loss=math.nan)

    class Hollow(MLP):  # a model whose state is empty
        __slots__ = ()

        def state_dict(self):
            return {}

    with pytest.raises(ValueError, match=re.escape(f"{path}: state is missing layers.0.neurons.0.w")):
        save_model(Hollow(2, [3, 1]), path)
    model.layers[1].neurons[0].w[2].val = math.nan
    with pytest.raises(ValueError, match=re.escape(f"{path}: state layers.1.neurons.0.w.2 must be a finite number")):
        save_model(model, path)
    with pytest.raises(TypeError, match="save_model needs an MLP, got Layer"):
        save_model(model.layers[0], path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [OSError("disk full"), KeyboardInterrupt()])
def test_a_failed_save_leaves_the_old_file_as_it_was(tmp_path, monkeypatch, failure):
    path = save_model(MLP(2, [3, 1]), tmp_path / "m.json")
    before = path.read_bytes()

    def fail(fd):
        raise failure

    monkeypatch.setattr(regrad_nn.files.os, "fsync", fail)  # fails after the new bytes are written
    with pytest.raises(type(failure)):
        save_model(MLP(2, [5, 1]), path)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind
