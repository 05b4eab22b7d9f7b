"""The training explorer without a browser: the recorder, what the page holds, the hook, the command's --explore."""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scripts import HAVE_NODE, javascript_errors

import regrad_nn
import regrad_nn.moons
from regrad import Var
from regrad_nn import MLP, TrainingRecorder, bce_with_logits_loss, hinge_loss, mse_loss
from regrad_nn.cli import main
from regrad_nn.explore import (
    DRAWN_LABEL,
    DRAWN_POINT,
    MAX_FRAMES,
    Frame,
    check_drawable,
    explorer_drawing,
    kept_frames,
    loss_term,
    model_at,
    point_drawing,
    point_graph,
)
from regrad_nn.moons import initial_model, train_moons

pytest.importorskip("sklearn")
regrad_viz = pytest.importorskip("regrad_viz")

STATIC = Path(regrad_nn.__file__).parent / "static"


def small_run(**options):
    """A small seeded training run, recorded: (recorder, result)."""
    settings = {"hidden": (5, 4), "epochs": 6, "lr": 0.5, "seed": 3} | options
    X, y = regrad_nn.make_moons(30, 0.15, settings["seed"])  # as the command makes them
    recorder = TrainingRecorder(X, y, loss=settings.get("loss", "hinge"), alpha=settings.get("alpha", 1e-4))
    result = train_moons(data=(X, y), on_epoch=recorder.record, **settings)
    return recorder, result


def page_data(html):
    return json.loads(re.search(r'<script type="application/json" class="rx-data">(.*?)</script>', html).group(1))


# ------------------------------------------------------------ the loss terms


@pytest.mark.parametrize("label", [1.0, -1.0])
@pytest.mark.parametrize("score", [-2.5, -0.25, 0.0, 0.75, 3.0])
def test_explore_each_term_is_the_loss_of_that_one_point(score, label):
    """One point's term equals the loss function on that point alone (a mean over one: no 1/n to leave out)."""
    s = Var(score, req_grad=True)
    assert loss_term(s, label, "hinge").val == hinge_loss([s], [label]).val
    assert loss_term(s, label, "bce").val == bce_with_logits_loss([s], [(1 + label) / 2]).val
    assert loss_term(s, label, "mse").val == mse_loss([s], [label]).val
    with pytest.raises(ValueError, match="knows the losses hinge, bce, mse"):
        loss_term(s, label, "huber")


def test_explore_a_point_graph_has_named_inputs_label_and_parameters():
    random.seed(0)
    model = MLP(2, [3, 1])
    term = point_graph(model, [0.5, -0.25], 1.0, "hinge")
    drawing = regrad_viz.draw(term)
    labels = {node.label for node in drawing.graph.nodes if node.label is not None}
    assert {"x.0", "x.1", "y", "layers.0.neurons.2.w.1", "layers.1.neurons.0.b"} <= labels
    ops = [node.op_name for node in drawing.graph.nodes if node.kind == "op"]
    assert ops[:3] == ["Relu", "Sub", "Mul"] and ops.count("FusedNeuron") == 4


# ------------------------------------------------------------ recording


def test_explore_the_hook_records_every_epoch_and_the_trained_weights():
    recorder, result = small_run()
    frames = recorder.frames
    assert [f.epoch for f in frames] == list(range(7))
    assert [f.lr for f in frames[:2]] == [0.5, pytest.approx(0.5 - 0.45 / 6)]  # LinearDecay, as trained
    assert frames[-1].lr is None
    assert frames[0].weights == [p.val for p in initial_model((5, 4), "relu", 3).parameters()]
    assert frames[-1].weights == [p.val for p in result.model.parameters()]
    assert recorder.config == {"nin": 2, "nouts": [5, 4, 1], "activation": "relu"}


def test_explore_recorder_checks_what_it_is_given():
    good = ([[0.0, 1.0], [1.0, 0.0]], [1.0, -1.0])
    with pytest.raises(ValueError, match="a label per point"):
        TrainingRecorder([[0.0, 1.0]], [1.0, -1.0])
    with pytest.raises(ValueError, match="points of 2 finite numbers"):
        TrainingRecorder([[0.0, 1.0, 2.0]], [1.0])
    with pytest.raises(ValueError, match="points of 2 finite numbers"):
        TrainingRecorder([[0.0, math.nan]], [1.0])
    with pytest.raises(ValueError, match="labels -1 or \\+1"):
        TrainingRecorder([[0.0, 1.0]], [0.0])
    with pytest.raises(ValueError, match="knows the losses"):
        TrainingRecorder(*good, loss="huber")
    with pytest.raises(ValueError, match="alpha must be a finite number >= 0"):
        TrainingRecorder(*good, alpha=-1.0)
    recorder = TrainingRecorder(*good)
    with pytest.raises(ValueError, match="nothing recorded"):
        recorder.to_html()
    random.seed(0)
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        recorder.record(MLP(3, [2, 1]), 0)
    with pytest.raises(ValueError, match="2 inputs and 1 output"):
        recorder.record(MLP(2, [2, 2]), 0)
    model = MLP(2, [2, 1])
    recorder.record(model, 0, lr=0.1)
    with pytest.raises(ValueError, match="epochs must grow"):
        recorder.record(model, 0)
    with pytest.raises(ValueError, match="epoch must be an int >= 0"):
        recorder.record(model, -1)
    with pytest.raises(ValueError, match="another shape"):
        recorder.record(MLP(2, [3, 1]), 1)
    recorder.record(model, 1)
    model.layers[0].neurons[0].w[0].val = math.inf  # the training diverged: recorded, but never written
    recorder.record(model, 2)
    with pytest.raises(ValueError, match="after epoch 2 are not all finite: the training diverged"):
        recorder.to_html()


def test_explore_a_long_run_keeps_evenly_spaced_snapshots_first_and_last():
    frames = [Frame(k, 0.1, [0.0] * 337) for k in range(1001)]
    kept = kept_frames(frames, 337)
    assert len(kept) == MAX_FRAMES
    assert kept[0].epoch == 0 and kept[-1].epoch == 1000
    gaps = {b.epoch - a.epoch for a, b in itertools.pairwise(kept)}
    assert gaps == {5}
    assert len(kept_frames(frames, 4353)) < MAX_FRAMES  # a larger network: fewer snapshots, a page of the same size
    assert kept_frames(frames[:10], 337) == frames[:10]


def test_explore_drawing_leaves_the_model_alone():
    recorder, _ = small_run()
    model = model_at(recorder.config, recorder.frames[0].weights)
    before = [(p.val, p.grad) for p in model.parameters()]
    drawing = point_drawing(model, recorder.X[3], recorder.y[3], "hinge")
    assert [(p.val, p.grad) for p in model.parameters()] == before
    assert drawing.orientation == "LR"
    assert any(node.grad not in (None, 0.0) for node in drawing.graph.nodes)  # this term's gradients
    # the explorer's drawing is laid out once, for any point: its numbers are replaced as the page opens
    assert explorer_drawing(model, "hinge").to_svg() == point_drawing(model, DRAWN_POINT, DRAWN_LABEL, "hinge").to_svg()


# ------------------------------------------------------------ the page


def test_explore_the_page_holds_the_weights_exactly_and_nothing_from_outside():
    recorder, _ = small_run()
    html = recorder.to_html()
    assert html.startswith("<!DOCTYPE html>") and html.count('<div class="regrad-explorer"') == 1
    for outside in ("<script src", "<link", "http://", "https://", "@import", "url(", "<iframe"):
        assert outside not in html, outside
    data = page_data(html)
    assert [frame["weights"] for frame in data["frames"]] == [f.weights for f in recorder.frames]  # to the bit
    assert data["layers"] == [2, 5, 4, 1] and data["loss"] == "hinge" and data["alpha"] == 1e-4
    assert data["points"] == recorder.X and data["labels"] == recorder.y
    graph = data["graph"]
    assert graph[0]["op"] == "Relu" and graph[0]["name"] == "Relu"
    neurons = [node for node in graph if node.get("op") == "FusedNeuron"]
    assert len(neurons) == 10 and neurons[0]["name"] == "FusedNeuron L2.N0"
    assert len({node["name"] for node in graph}) == len(graph)  # one name per box, never a number in it
    assert not any("val" in node["name"] for node in graph)
    parameters = sorted(node["parameter"] for node in graph if "parameter" in node)
    assert parameters == list(range(len(recorder.frames[0].weights)))
    # both drawings, regrad-viz's own, and the explorer's script after them
    assert html.count('<div class="regrad-viz rv-network"') == 1
    assert html.index('class="regrad-viz rv-network"') < html.index('<script type="application/json" class="rx-data"')
    fragment = recorder.to_html(full_page=False)
    assert fragment.startswith('<div class="regrad-explorer"') and fragment in html


@pytest.mark.parametrize(("loss", "activation"), [("bce", "tanh"), ("mse", "sigmoid")])
def test_explore_other_losses_and_activations(loss, activation):
    recorder, _ = small_run(loss=loss, activation=activation)
    graph = page_data(recorder.to_html())["graph"]
    ops = {node.get("op") for node in graph}
    assert ("BCEWithLogits" in ops) == (loss == "bce") and ("Pow" in ops) == (loss == "mse")
    neurons = [node for node in graph if node.get("op") == "FusedNeuron"]
    assert {node["op_args"]["activation"] for node in neurons} == {activation, "linear"}  # each op's own args
    assert [node["op_args"] for node in graph if node.get("op") == "Pow"] == ([{"power": 2}] if loss == "mse" else [])
    if loss == "bce":
        assert graph[0]["args"] is None  # target=..., the point's: the page writes it


def test_explore_save_is_atomic(tmp_path, monkeypatch):
    recorder, _ = small_run()
    path = tmp_path / "explorer.html"
    path.write_text("the old page", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("the drawing failed")

    monkeypatch.setattr(regrad_nn.explore, "_explorer_fragment", broken)
    with pytest.raises(RuntimeError):
        recorder.save(path)
    assert path.read_text(encoding="utf-8") == "the old page"
    monkeypatch.undo()
    assert recorder.save(path) == path and path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explorer.html"]


def test_explore_without_regrad_viz_says_what_to_install(monkeypatch):
    recorder, _ = small_run()
    monkeypatch.setitem(sys.modules, "regrad_viz", None)
    with pytest.raises(regrad_nn.MissingExtraError, match=r"needs regrad-viz.*pip install 'regrad-nn\[moons\]'"):
        recorder.to_html()


@pytest.mark.skipif(not HAVE_NODE, reason="needs node to parse JavaScript")
def test_explore_script_parses_before_and_after_compacting(tmp_path):
    from regrad_viz.html import compact_js

    source = (STATIC / "explorer.js").read_text(encoding="utf-8")
    assert javascript_errors({"source.js": source, "inline.js": compact_js(source)}, tmp_path) == []


# ------------------------------------------------------------ the command


SMALL = [
    "moons",
    "--samples",
    "30",
    "--hidden",
    "5,4",
    "--epochs",
    "6",
    "--lr",
    "0.5",
    "--seed",
    "3",
    "--noise",
    "0.15",
]


def test_explore_command_writes_the_same_page_as_the_recorder(tmp_path, capsys):
    path = tmp_path / "explorer.html"
    assert main([*SMALL, "--no-progress", "--explore", str(path)]) == 0
    assert f"training explorer written to {path}" in capsys.readouterr().out
    recorder, _ = small_run(alpha=1e-4)
    # the command lays the graph out in another process, from the weights training starts from: same page
    assert path.read_text(encoding="utf-8") == recorder.to_html()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["explorer.html"]


def test_explore_command_checks_its_path_before_training(tmp_path, capsys, no_training, one_error_line):
    (tmp_path / "file.txt").write_text("")
    cases = [
        (["--explore", ""], "--explore: the path is empty"),
        (["--explore", str(tmp_path / "missing" / "e.html")], f"--explore {tmp_path}/missing/e.html: the folder"),
        (["--explore", str(tmp_path)], f"--explore {tmp_path}: is a folder, not a file"),
        (["--explore", str(tmp_path / "file.txt" / "e.html")], f"{tmp_path}/file.txt is not a folder"),
        (["--save", str(tmp_path / "e.html"), "--explore", str(tmp_path / "e.html")], "--save and --explore name"),
        (["--plot", str(tmp_path / "e.png"), "--explore", str(tmp_path / "e.png")], "--plot and --explore name"),
    ]
    for options, message in cases:
        assert main(["moons", *options]) == 2
        line = one_error_line(capsys.readouterr().err)
        assert message in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_explore_command_without_regrad_viz_says_so_before_training(
    tmp_path, capsys, monkeypatch, no_training, one_error_line
):
    monkeypatch.setitem(sys.modules, "regrad_viz", None)
    assert main(["moons", "--explore", str(tmp_path / "e.html")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "regrad-nn moons --explore needs regrad-viz" in line and "pip install 'regrad-nn[moons]'" in line
    assert list(tmp_path.iterdir()) == []


def test_explore_command_diverging_or_interrupted_writes_nothing(tmp_path, capsys, monkeypatch, one_error_line):
    path = tmp_path / "e.html"
    assert main(["moons", "--lr", "1e300", "--no-progress", "--explore", str(path)]) == 1
    assert "nothing was saved" in one_error_line(capsys.readouterr().err)

    def interrupted(**options):
        raise KeyboardInterrupt

    monkeypatch.setattr(regrad_nn.moons, "train_moons", interrupted)
    assert main(["moons", "--explore", str(path)]) == 130
    assert capsys.readouterr().err == "regrad-nn moons: interrupted\n"
    assert list(tmp_path.iterdir()) == []


def test_explore_a_network_too_large_to_draw_is_found_without_drawing():
    random.seed(0)
    check_drawable(MLP(2, [95, 95, 1]), "hinge")  # 9,501 parameters: a point's graph has 9,699 nodes
    too_large = MLP(2, [100, 100, 1])  # 10,501 parameters
    start = time.perf_counter()
    with pytest.raises(ValueError, match="has more than 10,000 nodes, more than regrad-viz draws"):
        check_drawable(too_large, "hinge")
    assert time.perf_counter() - start < 5  # counted, not laid out
    with pytest.raises(regrad_viz.GraphError):  # what laying it out after training used to end in
        regrad_viz.graph.collect_graph(point_graph(too_large, DRAWN_POINT, DRAWN_LABEL, "hinge"), trace=False)


def test_explore_command_refuses_a_network_too_large_to_draw_before_training(
    tmp_path, capsys, no_training, one_error_line
):
    explorer, model = tmp_path / "x.html", tmp_path / "m.json"
    outputs = ["--explore", str(explorer), "--save", str(model)]
    assert main(["moons", "--hidden", "100,100", "--epochs", "1", "--no-progress", *outputs]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"--explore {explorer}: the graph of a point's loss term for MLP(2 -> 100 -> 100 -> 1" in line
    assert "has more than 10,000 nodes" in line and "smaller hidden layers" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), RuntimeError("the drawing failed")])
def test_explore_command_writes_no_file_until_the_drawing_is_ready(tmp_path, capsys, monkeypatch, failure):
    """Ctrl-C (or a failure) while the command waits for the explorer's drawing, after training: nothing written."""
    import multiprocessing.pool

    def waiting(self, timeout=None):
        raise failure

    monkeypatch.setattr(multiprocessing.pool.ApplyResult, "get", waiting)  # the command's drawing.get()
    outputs = ["--save", "m.json", "--plot", "b.png", "--explore", "e.html"]
    command = [*SMALL, "--no-progress", *[str(tmp_path / text) if "." in text else text for text in outputs]]
    if isinstance(failure, KeyboardInterrupt):
        assert main(command) == 130
        assert capsys.readouterr().err == "regrad-nn moons: interrupted\n"  # "nothing saved": true
    else:
        with pytest.raises(RuntimeError, match="the drawing failed"):
            main(command)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform != "linux" or shutil.which("pgrep") is None, reason="needs Linux's /proc and pgrep")
def test_explore_ctrl_c_in_a_real_run_stops_the_drawing_process_too(tmp_path):
    """Ctrl-C in a terminal reaches the whole process group: the command and the process laying out the drawing."""
    process = subprocess.Popen(
        [sys.executable, "-m", "regrad_nn", "moons", "--epochs", "1000000", "--explore", "e.html"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a command run from a terminal has
    )
    time.sleep(3)  # imports done, the drawing being laid out, training under way
    workers = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, text=True).stdout.split()
    assert workers  # the process laying out the drawing
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "regrad-nn moons: interrupted\n" and out == ""
    assert list(tmp_path.iterdir()) == []
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_explore_help_names_the_option(capsys):
    with pytest.raises(SystemExit):
        main(["moons", "--help"])
    assert "--explore PATH" in capsys.readouterr().out
