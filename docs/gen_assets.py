"""Generate every graph, plot and program output that the documentation shows.

The pages never hold a hand-copied picture, program or output. Instead:

* where a page shows one of the repository's examples, it includes the file
  itself (``examples/*.py``, pymdownx.snippets); this script *runs* that file
  as ``python examples/<name>.py`` would and saves what it printed, and every
  graph the example draws with ``draw_to_html`` is embedded from the very Var
  the example drew;
* the other code a page shows lives in ``docs/code/*.py``, is included the
  same way, and is run here the same way, section by section, so the output
  under each listing is the output of that listing;
* each graph is drawn by regrad-viz from the Vars that code built, and the
  moons plot is drawn by the ``regrad-nn moons`` command;
* the benchmark tables and the changelogs are copied from
  ``benchmarks/results/`` and ``packages/*/CHANGELOG.md``.

Everything goes to ``docs/generated/`` (git-ignored), once: the English and
the Chinese pages include the same files.

* ``snippets/``: pieces that pages include (HTML fragments, program output,
  benchmark tables, changelogs); excluded from the site as pages of their own;
* ``img/``: PNG and SVG pictures; ``html/``: stand-alone graph pages.

Usage: ``python docs/gen_assets.py [--strict]``. Without ``--strict`` an asset
that cannot be made yet (a package still being written) becomes a visible
note on its page and the script says so at the end; with ``--strict`` (what
``hatch run docs:build`` and the docs test use) any missing asset is an error.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import inspect
import io
import os
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CODE = DOCS / "code"
EXAMPLES = ROOT / "examples"
OUT = DOCS / "generated"
SNIPPETS = OUT / "snippets"
IMAGES = OUT / "img"
PAGES = OUT / "html"
BENCH_RESULTS = ROOT / "benchmarks" / "results"
#: the packages whose CHANGELOG.md the changelog page includes, in this order
PACKAGES = ["regrad-core", "regrad-viz", "regrad-nn"]

#: a line such as ``# --8<-- [start:forward]``: the same markers snippets uses for sections
CELL_MARK = re.compile(r"^\s*#\s*--8<--\s*\[(start|end):(\w+)\]\s*$")


class Generator:
    """Makes the assets; in lenient mode, records the ones it could not make."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.missing: list[str] = []
        self.warnings: list[str] = []

    def attempt(self, what: str, make: Callable[[], Any], note_file: str | None = None) -> Any:
        """Run ``make()``; if it fails and we are lenient, write a visible note instead."""
        try:
            return make()
        except Exception as error:  # lenient mode turns any failure into a note on the page
            if self.strict:
                raise
            reason = f"{type(error).__name__}: {error}"
            self.missing.append(f"{what}: {reason}")
            print(f"  skipped {what}: {reason}", file=sys.stderr)
            if note_file is not None:
                write(SNIPPETS / note_file, note(what, reason))
            return None


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def note(what: str, reason: str) -> str:
    """A warning box shown where an asset should be (lenient builds only)."""
    reason = reason.replace("`", "'")
    return (
        f'!!! warning "Not generated yet: {html.escape(what)}"\n'
        f"    The docs build could not make this yet (`{reason}`).\n"
        f"    It appears once the package that draws it is complete.\n"
    )


# ---------------------------------------------------------------- running code


def split_cells(source: str) -> list[tuple[str, str]]:
    """``(cell name, code)`` pieces of a script; code outside any section is cell ``""``.

    Each piece keeps its lines at their original line numbers (the lines before
    it become blank), so a traceback points at the right line of the file.
    """
    lines = source.splitlines(keepends=True)
    cells: list[tuple[str, list[str]]] = [("", [])]
    for number, line in enumerate(lines):
        mark = CELL_MARK.match(line)
        if mark is None:
            cells[-1][1].append(line)
            continue
        name = mark.group(2) if mark.group(1) == "start" else ""
        cells.append((name, ["\n"] * (number + 1)))
    return [(name, "".join(code)) for name, code in cells if "".join(code).strip()]


@contextlib.contextmanager
def in_scratch_folder() -> Iterator[Path]:
    """Run the block in a fresh temporary folder; keep the HTML pages and pictures written there."""
    old_cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="regrad-docs-") as scratch:
        os.chdir(scratch)
        try:
            yield Path(scratch)
        finally:
            os.chdir(old_cwd)
            for page in Path(scratch).glob("*.htm*"):
                PAGES.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, PAGES / page.name)
            for picture in [*Path(scratch).glob("*.png"), *Path(scratch).glob("*.svg")]:
                IMAGES.mkdir(parents=True, exist_ok=True)
                shutil.copy(picture, IMAGES / picture.name)


def run_script(name: str) -> dict[str, Any]:
    """Run ``docs/code/<name>.py`` like ``python <name>.py`` and save what it prints.

    The whole output goes to ``snippets/<name>.out``, each section's output to
    ``snippets/<name>.<section>.out``. The script runs in a scratch directory;
    any HTML file it writes (``draw_to_html``) is kept in ``generated/html/``.
    Returns the script's global variables, for drawing.
    """
    path = CODE / f"{name}.py"
    namespace: dict[str, Any] = {"__name__": "__main__", "__file__": str(path)}
    everything = io.StringIO()
    with in_scratch_folder():
        try:
            for cell, code in split_cells(path.read_text(encoding="utf-8")):
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    exec(compile(code, str(path), "exec"), namespace)
                everything.write(printed.getvalue())
                if cell:
                    write(SNIPPETS / f"{name}.{cell}.out", printed.getvalue())
        finally:
            write(SNIPPETS / f"{name}.out", everything.getvalue())
    return namespace


class Drawn:
    """What one ``draw_to_html`` call of an example drew: the root Var, the file and the options."""

    def __init__(self, root: Any, file: str, options: dict[str, Any]) -> None:
        self.root = root
        self.file = file
        self.options = options


def run_example(name: str) -> tuple[dict[str, Any], list[Drawn]]:
    """Run ``examples/<name>.py`` as ``python examples/<name>.py`` would, in a scratch folder.

    What it prints goes to ``snippets/<name>.out``; the files it writes are
    kept (``generated/html/``, ``generated/img/``). Every ``draw_to_html``
    call is recorded, so the page can embed the graph of the very Var the
    example drew. Returns the example's global variables and its drawings.
    """
    import regrad_viz

    path = EXAMPLES / f"{name}.py"
    drawn: list[Drawn] = []
    real_draw_to_html = regrad_viz.draw_to_html

    def recording_draw_to_html(root: Any, file: Any, orientation: str = "TB", **options: Any) -> str:
        drawn.append(Drawn(root, Path(os.fspath(file)).name, {"orientation": orientation, **options}))
        return real_draw_to_html(root, file, orientation, **options)

    printed = io.StringIO()
    old_argv, old_path = sys.argv, list(sys.path)
    namespace: dict[str, Any] = {}
    with in_scratch_folder():
        sys.argv = [str(path)]  # no options: the example's defaults, files written here
        sys.path.insert(0, str(EXAMPLES))  # as for `python examples/<name>.py`: its folder comes first
        regrad_viz.draw_to_html = recording_draw_to_html  # type: ignore[assignment]
        try:
            with contextlib.redirect_stdout(printed):
                namespace = runpy.run_path(str(path), run_name="__main__")
        finally:
            regrad_viz.draw_to_html = real_draw_to_html  # type: ignore[assignment]
            sys.argv, sys.path[:] = old_argv, old_path
            write(SNIPPETS / f"{name}.out", printed.getvalue())
    return namespace, drawn


def example_function(namespace: dict[str, Any], example: str, function: str, *args: Any) -> None:
    """Save one function of an example: its source (``<example>.<function>.py``) and what a call prints (``.out``)."""
    fn = namespace[function]
    write(SNIPPETS / f"{example}.{function}.py", inspect.getsource(fn))
    printed = io.StringIO()
    with in_scratch_folder(), contextlib.redirect_stdout(printed):
        fn(*args)
    write(SNIPPETS / f"{example}.{function}.out", printed.getvalue())


# ---------------------------------------------------------------- graphs


def graph_fragment(root: Any, name: str, **options: Any) -> Any:
    """Embed-ready HTML of ``root``'s graph (interactive, with the stepper) in ``snippets/<name>.html``."""
    import regrad_viz

    drawing = regrad_viz.draw(root, **options)
    fragment = drawing.to_html(full_page=False)
    write(SNIPPETS / f"{name}.html", f'<div class="regrad-figure">\n{fragment}\n</div>\n')
    return drawing


def graph_svg(root: Any, name: str, **options: Any) -> None:
    """A static SVG picture of ``root``'s graph in ``img/<name>.svg``."""
    import regrad_viz

    write(IMAGES / f"{name}.svg", regrad_viz.draw(root, **options).to_svg())


def graph_exports(root: Any, name: str) -> None:
    """The Graphviz and Mermaid text exports, as snippets."""
    import regrad_viz

    drawing = regrad_viz.draw(root)
    write(SNIPPETS / f"{name}.dot", drawing.to_dot())
    write(SNIPPETS / f"{name}.mmd", drawing.to_mermaid())


def placeholder_svg(text: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60">'
        f'<text x="10" y="35" font-family="sans-serif" font-size="14">{html.escape(text)}</text></svg>\n'
    )


# ---------------------------------------------------------------- the pages' assets


def home(gen: Generator) -> None:
    """The first example on the home page."""
    run_script("home")


def engine_source(gen: Generator) -> None:
    """The pieces of regrad's own source that pages quote, taken from the installed code."""
    import regrad

    write(SNIPPETS / "source_mul.py", inspect.getsource(regrad.ops.Mul))
    write(SNIPPETS / "source_relu.py", inspect.getsource(regrad.ops.Relu))
    write(SNIPPETS / "source_sweep.py", inspect.getsource(regrad.engine._sweep))


def how_it_works(gen: Generator) -> None:
    """The worked example of "How reverse-mode AD works": L = (x*w + x) ** 2."""
    for cell in ("forward", "order", "steps", "backward"):
        write(SNIPPETS / f"how_it_works.{cell}.out", "(not run)\n")
    ns = run_script("how_it_works")  # core only: always runs
    from regrad import Var

    def example() -> Var:
        x = Var(2.0, req_grad=True, name="x")
        w = Var(-3.0, req_grad=True, name="w")
        return (x * w + x) ** 2

    if example().val != ns["L"].val:
        raise RuntimeError("the drawn graph is not the one docs/code/how_it_works.py computes")
    gen.attempt("the graph of L", lambda: graph_fragment(example(), "how_graph"), "how_graph.html")
    gen.attempt(
        "the graph of L, left to right",
        lambda: graph_fragment(example(), "how_graph_lr", orientation="LR"),
        "how_graph_lr.html",
    )
    gen.attempt(
        "the graph of L with every adjoint",
        lambda: graph_fragment(example(), "how_adjoints", orientation="LR", show_adjoints=True),
        "how_adjoints.html",
    )
    # the script's own L, after its backward(): the graph stays and can be drawn
    gen.attempt(
        "the graph of L after backward",
        lambda: graph_fragment(ns["L"], "how_after", orientation="LR"),
        "how_after.html",
    )
    write(SNIPPETS / "how_memory.out", "(not run)\n")
    gen.attempt("the node count of a graph", lambda: run_script("how_memory"), "how_memory.out")
    run_script("everyday")  # core only: always runs


#: the examples page: the examples whose drawings it embeds, in page order
DRAWING_EXAMPLES = ["basic_0_usage", "basic_1_sigmoid", "basic_2_mlp"]


def examples(gen: Generator) -> None:
    """Run the repository's examples that the Examples page includes, and embed what they drew."""
    for name in DRAWING_EXAMPLES:
        made = gen.attempt(f"the example {name}.py", lambda n=name: run_example(n), f"{name}.out")
        if made is None:
            continue
        for drawn in made[1]:
            snippet = f"example_{Path(drawn.file).stem}.html"
            gen.attempt(
                f"the graph {drawn.file} of {name}.py",
                lambda d=drawn, s=snippet: graph_fragment(d.root, Path(s).stem, **d.options),
                snippet,
            )
    # the page names the examples' files and links the stand-alone pages they wrote
    expected = ["computed_graph_pow", "computed_graph_sigmoid", "computed_graph_mlp", "computed_graph_mlp_fused"]
    for name in expected:
        if not (SNIPPETS / f"example_{name}.html").exists():
            if gen.strict:
                raise RuntimeError(f"docs/examples.md embeds {name}, which no example drew")
            write(SNIPPETS / f"example_{name}.html", note(f"the graph {name}", "the example did not draw it"))
        if not (PAGES / f"{name}.html").exists():  # lenient build: keep the page's link working
            write(PAGES / f"{name}.html", f"<!doctype html><title>{name}</title><p>{name}: not generated yet</p>\n")
    write(SNIPPETS / "basic_3_nn.out", "(not run)\n")
    gen.attempt("the example basic_3_nn.py", lambda: run_example("basic_3_nn"), "basic_3_nn.out")


def derivatives(gen: Generator) -> None:
    """The derivatives page: examples/basic_4_derivatives.py, function by function, and docs/code/derivatives.py."""
    for cell in ("rows", "jacobian", "again"):
        write(SNIPPETS / f"derivatives.{cell}.out", "(not run)\n")
    for piece in ("f.py", "draw_gradient_graph.py", "out"):
        write(SNIPPETS / f"basic_4_derivatives.{piece}", "# (not generated yet)\n")
    for function in ("both_modes", "newton", "hessian_vector_product"):
        for kind in ("py", "out"):
            write(SNIPPETS / f"basic_4_derivatives.{function}.{kind}", "# (not generated yet)\n")
    run_script("derivatives")  # core only: always runs

    def example() -> None:
        example_ns, drawn = run_example("basic_4_derivatives")
        for function in ("f", "draw_gradient_graph"):  # shown, not run on their own
            write(SNIPPETS / f"basic_4_derivatives.{function}.py", inspect.getsource(example_ns[function]))
        for function in ("both_modes", "newton", "hessian_vector_product"):  # shown, with what they print
            example_function(example_ns, "basic_4_derivatives", function)
        if len(drawn) != 1:
            raise RuntimeError(f"docs/derivatives.md shows the one graph basic_4_derivatives.py draws; {len(drawn)}")
        graph_fragment(drawn[0].root, "example_gradient_graph", **drawn[0].options)

    gen.attempt("the example basic_4_derivatives.py", example, "example_gradient_graph.html")


def custom_op(gen: Generator) -> None:
    """The Softplus example: run it, draw its graph and the graph of its derivative."""
    for cell in ("use", "any_order", "check", "torch_style", "blocks", "checked", "args", "make_node"):
        write(SNIPPETS / f"custom_op.{cell}.out", "(not run)\n")
    ns = run_script("custom_op")  # core only: always runs
    x = ns["Var"](0.5, req_grad=True, name="x")
    y = ns["softplus"](x * 3) + x
    gen.attempt("the Softplus graph", lambda: graph_fragment(y, "custom_op", orientation="LR"), "custom_op.html")
    gen.attempt(
        "the graph of the Softplus derivative",
        lambda: graph_fragment(ns["slope"], "custom_op_slope", orientation="LR"),
        "custom_op_slope.html",
    )


def viz_guide(gen: Generator) -> None:
    """Run the guide's code; draw its graphs, the same small graph in four orientations, and its text exports."""
    for cell in ("one_call", "object", "after", "failed", "cap"):
        write(SNIPPETS / f"viz_guide.{cell}.out", "(not run)\n")
    ns = gen.attempt("the viz guide's code", lambda: run_script("viz_guide"))
    if ns is not None:
        gen.attempt(
            "the two-neuron graph after backward",
            lambda: graph_fragment(ns["out"], "viz_after", orientation="LR"),
            "viz_after.html",
        )
        gen.attempt(
            "the graph whose backward fails",
            lambda: graph_fragment(ns["bad"], "viz_failed"),
            "viz_failed.html",
        )
    from regrad import Var

    def sigmoid_graph() -> Any:
        x = Var(0.5, req_grad=True, name="x")
        return 1 / (1 + (-x).exp())

    for orientation in ("TB", "BT", "LR", "RL"):
        gen.attempt(
            f"the {orientation} picture",
            lambda o=orientation: graph_svg(sigmoid_graph(), f"sigmoid_{o}", orientation=o),
        )
        if not (IMAGES / f"sigmoid_{orientation}.svg").exists():
            write(IMAGES / f"sigmoid_{orientation}.svg", placeholder_svg(f"{orientation}: not generated yet"))
    for kind in ("dot", "mmd"):
        write(SNIPPETS / f"sigmoid.{kind}", "(not generated yet)\n")
    gen.attempt("the text exports", lambda: graph_exports(sigmoid_graph(), "sigmoid"))


def moons(gen: Generator) -> None:
    """Train on moons with the ``regrad-nn`` command (it writes the decision-boundary PNG); show its errors."""
    command = str(Path(sys.executable).with_name("regrad-nn"))

    def run(*args: str, cwd: Path | None = None, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, COLUMNS="100")  # --help wraps at a width that reads well on the page
        return subprocess.run([command, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)

    def train() -> None:
        png = IMAGES / "moons.png"
        png.unlink(missing_ok=True)
        IMAGES.mkdir(parents=True, exist_ok=True)
        result = run("moons", "--plot", png.name, cwd=IMAGES)  # as the page shows it: in the PNG's folder
        if result.returncode != 0 or not png.exists():
            raise RuntimeError(f"regrad-nn moons failed ({result.returncode}): {result.stderr.strip()[-500:]}")
        write(SNIPPETS / "moons.out", result.stdout)
        write(SNIPPETS / "moons.err", result.stderr)  # not a terminal: one summary line instead of a bar

    def usage() -> None:
        result = run("moons", "--help", timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"regrad-nn moons --help failed: {result.stderr.strip()[-500:]}")
        write(SNIPPETS / "moons_help.out", result.stdout)
        version = run("--version", timeout=60)
        if version.returncode != 0:
            raise RuntimeError(f"regrad-nn --version failed: {version.stderr.strip()[-500:]}")
        write(SNIPPETS / "moons_version.out", version.stdout)

    def failures() -> None:
        """The runs the page shows failing, each with its exit status (checked against the page's table)."""
        shown = []
        with in_scratch_folder() as scratch:
            for args, status in [
                (["moons", "--alpha", "-5"], 2),
                (["moons", "--plot", "boundary.bmpx"], 2),
                (["moons", "--save", "missing/model.json"], 2),
                (["moons", "--lr", "1e300", "--save", "model.json"], 1),
            ]:
                result = run(*args, cwd=scratch)
                if result.returncode != status:
                    raise RuntimeError(f"regrad-nn {' '.join(args)} exited with {result.returncode}, not {status}")
                if (scratch / "model.json").exists():
                    raise RuntimeError("a diverged run saved its model")
                shown.append(f"$ regrad-nn {' '.join(args)}\n{result.stderr.strip()}\n$ echo $?\n{status}\n")
        write(SNIPPETS / "moons_errors.out", "".join(shown))

    for name in ("moons.out", "moons.err", "moons_help.out", "moons_version.out", "moons_errors.out"):
        write(SNIPPETS / name, "(not run)\n")
    gen.attempt("the moons command's help", usage)
    gen.attempt("the moons command's errors", failures)
    gen.attempt("the moons training run and its plot", train)
    write(SNIPPETS / "moons_fast.out", "(not run)\n")
    gen.attempt("the opt-in speed path", lambda: run_script("moons_fast"), "moons_fast.out")


def benchmarks(gen: Generator) -> None:
    """Copy the recorded benchmark tables (benchmarks/results/<name>.md)."""
    for name in ("core", "viz", "nn"):
        source = BENCH_RESULTS / f"{name}.md"

        def copy(source: Path = source, name: str = name) -> None:
            if not source.exists() or not source.read_text(encoding="utf-8").strip():
                raise FileNotFoundError(f"{source.relative_to(ROOT)} has not been recorded")
            text = source.read_text(encoding="utf-8")
            text = re.sub(r"\A\s*# .*\n", "", text)  # the page has its own heading for this file
            write(SNIPPETS / f"bench_{name}.md", demote_headings(text, 1))

        gen.attempt(f"the {name} benchmark results", copy, f"bench_{name}.md")


def changelogs(gen: Generator) -> None:
    """Each package's CHANGELOG.md, under the changelog page's heading for that package.

    The file's own title (``# Changelog``) is dropped and its headings go one
    level down, so ``## [Unreleased]`` sits under the page's ``## regrad-viz``.
    A package without a changelog gets a line saying so (and a warning here).
    """
    for package in PACKAGES:
        source = ROOT / "packages" / package / "CHANGELOG.md"
        if not source.exists():
            gen.warnings.append(f"{source.relative_to(ROOT)} does not exist (the changelog page says so)")
            write(SNIPPETS / f"changelog_{package}.md", f"*{package} has no `CHANGELOG.md` yet.*\n")
            continue
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"\A\s*# .*\n", "", text)
        write(SNIPPETS / f"changelog_{package}.md", demote_headings(text, 1))


def demote_headings(markdown: str, levels: int) -> str:
    """``# Title`` becomes ``### Title`` (for levels=2), outside fenced code: the page's headings stay above."""
    lines, fenced = [], False
    for line in markdown.splitlines(keepends=True):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            line = "#" * levels + line
        lines.append(line)
    return "".join(lines)


#: the order in which the API pages list each package's public names (its ``__all__``);
#: a name missing here is listed after these, so the reference is always complete
API_ORDER = {
    "regrad": [
        "Var",
        "apply",
        "sum",
        "dot",
        "grad",
        "jvp",
        "hessian",
        "backward_steps",
        "BackwardStep",
        "topological_order",
        "no_grad",
        "enable_grad",
        "set_grad_enabled",
        "is_grad_enabled",
        "gradcheck",
        "GradcheckError",
        "make_node",
        "fast",
        "ops",
    ],
    "regrad_viz": [
        "draw",
        "draw_to_html",
        "Drawing",
        "GraphError",
        "DEFAULT_MAX_NODES",
        "draw_network",
        "NetworkDrawing",
    ],
    "regrad_nn": [
        "Module",
        "Neuron",
        "Layer",
        "MLP",
        "FusedNeuron",
        "save_model",
        "load_model",
        "hinge_loss",
        "mse_loss",
        "bce_with_logits_loss",
        "BCEWithLogits",
        "l2_penalty",
        "accuracy",
        "Optimizer",
        "SGD",
        "Adam",
        "LinearDecay",
        "make_moons",
        "train_moons",
        "MoonsResult",
        "TrainingDivergedError",
        "plot_decision_boundary",
        "TrainingRecorder",
        "MissingExtraError",
    ],
}
#: documented too, though not re-exported at the top
API_EXTRA: dict[str, list[str]] = {}


def api_paths(package: str) -> list[str]:
    """Where each public name of ``package`` is defined (``regrad.var.Var``), in API_ORDER's order.

    The defining path, not ``regrad.gradcheck``: that name is both a function
    and the module it lives in. Names inside a module that is listed whole
    (``regrad.ops``) are left to that module's entry.
    """
    import importlib

    module = importlib.import_module(package)
    public = list(getattr(module, "__all__", []))
    order = [name for name in API_ORDER.get(package, []) if name in public]
    order += sorted(name for name in public if name not in order)
    paths = []
    for name in order:
        obj = getattr(module, name)
        if inspect.ismodule(obj):
            paths.append(obj.__name__)
        elif inspect.isclass(obj) or inspect.isfunction(obj):
            paths.append(f"{obj.__module__}.{obj.__qualname__}")
        else:  # a constant: documented where the package exports it
            paths.append(f"{package}.{name}")
    whole = [path for path in paths if inspect.ismodule(getattr(module, path.rsplit(".", 1)[-1], None))]
    paths = [path for path in paths if path in whole or not any(path.startswith(m + ".") for m in whole)]
    return paths + API_EXTRA.get(package, [])


def api_reference(gen: Generator) -> None:
    """One ``::: path`` line per public name: mkdocstrings renders each from its docstring."""
    for package in ("regrad", "regrad_viz", "regrad_nn"):
        lines = [f"::: {path}\n" for path in api_paths(package)]
        write(SNIPPETS / f"api_{package}.md", "\n".join(lines))


def explorer(gen: Generator) -> None:
    """The training explorer of docs/explorer.md, made by docs/gen_explorer.py."""
    import gen_explorer  # docs/ is on sys.path: gen_assets.py runs as a script

    gen.attempt("the training explorer", lambda: gen_explorer.generate(OUT), "explorer.html")


#: every step, in order; each makes the assets of one page (or a few)
STEPS: list[Callable[[Generator], None]] = [
    api_reference,
    home,
    engine_source,
    how_it_works,
    derivatives,
    examples,
    custom_op,
    viz_guide,
    moons,
    benchmarks,
    changelogs,
    explorer,
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail if any asset cannot be made")
    args = parser.parse_args(argv)

    shutil.rmtree(OUT, ignore_errors=True)
    for folder in (SNIPPETS, IMAGES, PAGES):
        folder.mkdir(parents=True)
    gen = Generator(strict=args.strict)
    for step in STEPS:
        print(f"docs assets: {step.__name__}", file=sys.stderr)
        try:
            step(gen)
        except Exception:
            traceback.print_exc()
            print(f"docs assets: {step.__name__} failed", file=sys.stderr)
            return 1
    for warning in gen.warnings:
        print(f"docs assets: warning: {warning}", file=sys.stderr)
    if gen.missing:
        print(f"docs assets: {len(gen.missing)} not generated (rerun with --strict to fail on this):", file=sys.stderr)
        for item in gen.missing:
            print(f"  - {item}", file=sys.stderr)
    else:
        print("docs assets: all generated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
