"""The ``regrad-nn moons`` command, end to end in a subprocess, and its error messages."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import regrad_nn.cli
import regrad_nn.files
import regrad_nn.moons
from regrad_nn import __version__, load_model
from regrad_nn.cli import main

pytest.importorskip("sklearn")
pytest.importorskip("matplotlib")
pytest.importorskip("tqdm")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "regrad_nn.cli", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_small_run_writes_a_png_and_a_json(tmp_path):
    done = run(
        "moons", "--samples", "60", "--hidden", "8,8", "--epochs", "25", "--seed", "2",
        "--plot", "boundary.png", "--save", "model.json", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    accuracy = float(re.search(r"final accuracy ([\d.]+)%", done.stdout).group(1)) / 100
    assert accuracy > 0.75  # chance is 0.5
    assert "moons:" in done.stderr and "acc=" in done.stderr and "loss=" in done.stderr  # the progress, summed up

    png = (tmp_path / "boundary.png").read_bytes()
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    doc = json.loads((tmp_path / "model.json").read_text())
    assert doc["config"]["nouts"] == [8, 8, 1]
    assert doc["training"]["epochs"] == 25 and doc["accuracy"] == pytest.approx(accuracy, abs=0.006)

    # the saved model classifies the same points as well as the run said
    from regrad_nn import make_moons

    model = load_model(tmp_path / "model.json")
    X, y = make_moons(60, 0.1, seed=2)
    correct = sum((model.predict(x) > 0) == (t > 0) for x, t in zip(X, y))
    assert correct / 60 == pytest.approx(accuracy, abs=0.006)


def test_console_script_is_installed(tmp_path):
    script = shutil.which("regrad-nn") or str(Path(sys.executable).with_name("regrad-nn"))
    if not Path(script).exists():
        pytest.skip("the regrad-nn console script is not installed in this environment")
    done = subprocess.run([script, "moons", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    for option in (
        "--samples",
        "--noise",
        "--hidden",
        "--epochs",
        "--lr",
        "--batch-size",
        "--seed",
        "--plot",
        "--save",
    ):
        assert option in done.stdout


def test_missing_extra_names_the_extra_to_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "sklearn", None)  # makes `import sklearn` fail
    assert main(["moons", "--epochs", "1"]) == 2
    err = capsys.readouterr().err
    assert "scikit-learn" in err and "pip install 'regrad-nn[moons]'" in err


def test_missing_matplotlib_is_reported_before_training(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert main(["moons", "--plot", "x.png"]) == 2
    assert "matplotlib" in capsys.readouterr().err


def test_bad_options_exit_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["moons", "--hidden", "16,x"])
    assert exit_info.value.code == 2
    assert "layer sizes like 16,16" in capsys.readouterr().err
    assert main([]) == 2  # no command: help


def status(argv):
    """main(argv)'s exit status, also when argparse exits."""
    try:
        return main(argv)
    except SystemExit as exit_info:
        return exit_info.code


def test_version_and_help(capsys):
    assert status(["--version"]) == 0
    assert capsys.readouterr().out == f"regrad-nn {__version__}\n"
    assert status(["moons", "--help"]) == 0
    out = capsys.readouterr().out
    blocks = re.split(r"\n  (?=-)", out.split("options:", 1)[1])  # one block per option
    assert len(blocks) > 15
    for block in blocks:
        assert block.count("default") <= 1, block  # ArgumentDefaultsHelpFormatter said some twice
    assert "(default: None)" not in out and "Exit status" in out


def test_one_epoch_is_singular(tmp_path, capsys):
    assert main(["moons", "--epochs", "1", "--samples", "20", "--hidden", "4", "--no-progress"]) == 0
    assert "trained 1 epoch in " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--alpha", "nan", "argument --alpha: expected a number >= 0, got 'nan'"),
        ("--alpha", "-5", "argument --alpha: expected a number >= 0, got '-5'"),
        ("--lr", "0", "argument --lr: expected a number > 0, got '0'"),
        ("--lr", "inf", "argument --lr: expected a number > 0, got 'inf'"),
        ("--lr", "1e999", "argument --lr: expected a number > 0, got '1e999'"),
        ("--momentum", "1", "argument --momentum: expected a number >= 0 and < 1, got '1'"),
        ("--momentum", "-0.5", "argument --momentum: expected a number >= 0 and < 1"),
        ("--noise", "-1", "argument --noise: expected a number >= 0"),
        ("--noise", "nan", "argument --noise: expected a number >= 0"),
        ("--hidden", "16,,16", "argument --hidden: expected comma-separated layer sizes like 16,16, got '16,,16'"),
        ("--hidden", "16,", "argument --hidden: expected comma-separated layer sizes"),
        ("--hidden", "0", "argument --hidden: layer sizes must be positive ints"),
        ("--samples", "1", "argument --samples: expected an integer >= 2, got '1'"),
        ("--epochs", "0", "argument --epochs: expected an integer >= 1"),
        ("--seed", "-1", "argument --seed: expected an integer >= 0"),
        ("--seed", str(2**32), "argument --seed: expected an integer below 2**32"),
        ("--save", "", "--save: the path is empty"),
        ("--plot", "", "--plot: the path is empty"),
    ],
)
def test_bad_values_exit_2_with_one_line_before_training(capsys, no_training, option, value, message, one_error_line):
    assert status(["moons", option, value]) == 2
    assert message in one_error_line(capsys.readouterr().err)


def test_output_paths_are_checked_before_training(tmp_path, capsys, no_training, one_error_line):
    (tmp_path / "file.txt").write_text("")
    cases = [
        (["--save", str(tmp_path / "missing" / "m.json")], f"--save {tmp_path}/missing/m.json: the folder"),
        (["--save", str(tmp_path)], f"--save {tmp_path}: is a folder, not a file"),
        (["--plot", str(tmp_path / "file.txt" / "b.png")], f"{tmp_path}/file.txt is not a folder"),
        (["--plot", str(tmp_path / "b.txt")], "cannot tell the image format (its extension .txt is not one of"),
        (["--plot", str(tmp_path / "b")], "it has no extension naming one of"),
        (["--save", str(tmp_path / "x.png"), "--plot", str(tmp_path / "x.png")], "--save and --plot name the same"),
        (["--save", os.devnull], f"--save {os.devnull}: exists and is not a regular file"),
    ]
    for options, message in cases:
        assert status(["moons", *options]) == 2
        line = one_error_line(capsys.readouterr().err)
        assert message in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]  # nothing written, not even a probe


def test_an_unwritable_folder_is_reported_before_training(tmp_path, capsys, monkeypatch, no_training, one_error_line):
    def denied(path, mode="r"):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(regrad_nn.files, "open", denied, raising=False)  # as in a folder we may not write in
    assert status(["moons", "--save", str(tmp_path / "m.json")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"--save {tmp_path}/m.json: cannot write in {tmp_path} (Permission denied)" in line


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root may write in any folder")
def test_a_read_only_folder_is_reported_before_training(tmp_path, capsys, no_training, one_error_line):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert status(["moons", "--save", str(folder / "m.json")]) == 2
    finally:
        folder.chmod(0o700)
    assert "cannot write in" in one_error_line(capsys.readouterr().err)


def test_plot_formats_follow_the_extension(tmp_path):
    small = ["moons", "--samples", "20", "--hidden", "4", "--epochs", "2", "--no-progress"]
    assert main([*small, "--plot", str(tmp_path / "b.svg")]) == 0
    assert b"<svg" in (tmp_path / "b.svg").read_bytes()[:500]  # it used to hold PNG bytes
    assert main([*small, "--plot", str(tmp_path / "b.PDF")]) == 0
    assert (tmp_path / "b.PDF").read_bytes().startswith(b"%PDF")


def test_a_diverging_run_exits_1_and_saves_nothing(tmp_path, capsys, one_error_line):
    done = status(["moons", "--lr", "1e300", "--no-progress", "--save", str(tmp_path / "m.json")])
    assert done == 1
    captured = capsys.readouterr()
    line = one_error_line(captured.err)
    assert "training diverged: the loss became nan in epoch" in line and "nothing was saved" in line
    assert "final loss" not in captured.out
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_exits_130_with_one_line_and_writes_nothing(tmp_path, capsys, monkeypatch):
    def interrupted(**options):
        raise KeyboardInterrupt

    monkeypatch.setattr(regrad_nn.moons, "train_moons", interrupted)
    assert main(["moons", "--save", str(tmp_path / "m.json"), "--plot", str(tmp_path / "b.png")]) == 130
    assert capsys.readouterr().err == "regrad-nn moons: interrupted\n"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT is POSIX")
def test_ctrl_c_in_a_real_run(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-m", "regrad_nn", "moons", "--epochs", "1000000", "--save", "m.json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # imports done, training under way
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err == "regrad-nn moons: interrupted\n" and out == ""
    assert list(tmp_path.iterdir()) == []


def test_no_carriage_returns_in_a_log(tmp_path):
    done = run("moons", "--samples", "20", "--hidden", "4", "--epochs", "30", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "\r" not in done.stderr and done.stderr.startswith("moons: 30 epochs in ")
    assert len(done.stderr.splitlines()) == 1


def test_exit_statuses_are_documented():
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for text in (regrad_nn.cli.__doc__, readme):
        for code in ("0", "1", "2", "130"):
            assert re.search(rf"\b{code}\b", text), code


def test_a_write_failing_after_training_is_one_line(tmp_path, capsys, monkeypatch, one_error_line):
    def disk_full(*args, **options):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(regrad_nn.cli, "save_model", disk_full)
    small = ["moons", "--samples", "20", "--hidden", "4", "--epochs", "2", "--no-progress"]
    assert status([*small, "--save", str(tmp_path / "m.json")]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert line.endswith(f"--save {tmp_path}/m.json: cannot write it (No space left on device)")


class Terminal(io.StringIO):
    """A stderr that says it is a terminal."""

    def isatty(self):
        return True


def test_tqdm_is_needed_only_where_the_bar_would_show(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # not installed
    small = ["moons", "--samples", "20", "--hidden", "4", "--epochs", "2"]
    assert main(small) == 0  # stderr is captured, not a terminal: no bar, so no tqdm needed
    assert capsys.readouterr().err.startswith("moons: 2 epochs in ")  # the summary line instead


def test_tqdm_missing_for_a_bar_on_a_terminal_is_said_before_training(monkeypatch, no_training):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    assert main(["moons", "--epochs", "1"]) == 2
    lines = terminal.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("regrad-nn moons: error: regrad-nn moons (its progress bar")
    assert "needs tqdm" in lines[0] and "pip install 'regrad-nn[moons]'" in lines[0]


def test_settings_that_train_moons_refuses_are_bad_usage_found_before_training(
    monkeypatch, capsys, no_training, one_error_line
):
    seen = []

    def refuse(**settings):
        seen.append(settings)
        raise ValueError("momentum must be a finite number >= 0, got -1.0")

    monkeypatch.setattr(regrad_nn.moons, "check_settings", refuse)
    assert status(["moons", "--epochs", "3", "--optimizer", "adam"]) == 2
    assert one_error_line(capsys.readouterr().err).endswith("error: momentum must be a finite number >= 0, got -1.0")
    assert seen[0]["epochs"] == 3 and seen[0]["optimizer"] == "adam" and seen[0]["hidden"] == [16, 16]


def value_error_in_epoch_2(train_moons):
    """``train_moons`` that raises ValueError in its second epoch (a bug, or a domain error)."""

    def train(**options):
        def on_epoch(model, epoch, lr):
            if epoch == 2:
                raise ValueError("math domain error")

        return train_moons(**{**options, "on_epoch": on_epoch})

    return train


def test_a_value_error_during_training_is_not_reported_as_bad_usage(monkeypatch, capsys):
    monkeypatch.setattr(regrad_nn.moons, "train_moons", value_error_in_epoch_2(regrad_nn.moons.train_moons))
    with pytest.raises(ValueError, match="math domain error"):  # not turned into "bad usage", exit status 2
        main(["moons", "--samples", "20", "--hidden", "4", "--epochs", "5", "--no-progress"])
    assert "error:" not in capsys.readouterr().err


def test_a_value_error_during_training_exits_1_with_its_traceback(tmp_path):
    """As the docstring says: any other error is a bug, Python's traceback and exit status 1; nothing saved."""
    program = """if True:
        import sys
        import regrad_nn.moons

        train_moons = regrad_nn.moons.train_moons

        def train(**options):  # raises ValueError in epoch 2
            def on_epoch(model, epoch, lr):
                if epoch == 2:
                    raise ValueError("math domain error")

            return train_moons(**{**options, "on_epoch": on_epoch})

        regrad_nn.moons.train_moons = train
        from regrad_nn.cli import main

        sys.exit(main(sys.argv[1:]))
    """
    command = [sys.executable, "-c", program, "moons", "--samples", "20", "--hidden", "4", "--save", "m.json"]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("Traceback") and done.stderr.endswith("ValueError: math domain error\n")
    assert "regrad-nn moons: error" not in done.stderr
    assert list(tmp_path.iterdir()) == []
