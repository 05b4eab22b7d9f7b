"""Generate every graph, plot and program output that the documentation shows.

The pages never hold a hand-copied picture or a pasted output. Instead:

* the code a page shows lives in ``docs/code/*.py`` and is included verbatim
  (pymdownx.snippets); this script *runs* that code and saves what it printed,
  so the output under each listing is the output of that listing;
* each graph is drawn by regrad-viz from the Vars that code built, and the
  moons plot is drawn by the ``regrad-nn moons`` command;
* the benchmark tables are copied from ``benchmarks/results/``.

Everything goes to ``docs/generated/`` (git-ignored):

* ``snippets/``: pieces that pages include (HTML fragments, program output,
  benchmark tables); excluded from the site as pages of their own;
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
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
CODE = DOCS / "code"
OUT = DOCS / "generated"
SNIPPETS = OUT / "snippets"
IMAGES = OUT / "img"
PAGES = OUT / "html"
BENCH_RESULTS = ROOT / "benchmarks" / "results"

#: a line such as ``# --8<-- [start:forward]``: the same markers snippets uses for sections
CELL_MARK = re.compile(r"^\s*#\s*--8<--\s*\[(start|end):(\w+)\]\s*$")


class Generator:
    """Makes the assets; in lenient mode, records the ones it could not make."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.missing: list[str] = []

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
    old_cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="regrad-docs-") as scratch:
        os.chdir(scratch)
        try:
            for cell, code in split_cells(path.read_text(encoding="utf-8")):
                printed = io.StringIO()
                with contextlib.redirect_stdout(printed):
                    exec(compile(code, str(path), "exec"), namespace)
                everything.write(printed.getvalue())
                if cell:
                    write(SNIPPETS / f"{name}.{cell}.out", printed.getvalue())
        finally:
            os.chdir(old_cwd)
            write(SNIPPETS / f"{name}.out", everything.getvalue())
            for page in Path(scratch).glob("*.html"):
                PAGES.mkdir(parents=True, exist_ok=True)
                shutil.copy(page, PAGES / page.name)
    return namespace


# ---------------------------------------------------------------- graphs


def graph_fragment(root: Any, name: str, **options: Any) -> None:
    """Embed-ready HTML of ``root``'s graph (interactive, with the stepper) in ``snippets/<name>.html``."""
    import regrad_viz

    drawing = regrad_viz.draw(root, **options)
    fragment = drawing.to_html(full_page=False)
    # the drawing's own size lets the page's CSS give it a stage of the same shape
    width, height = drawing.layout.width, drawing.layout.height
    style = f"--graph-ratio: {height / width:.4f}; --graph-height: {height:.0f}px"
    write(SNIPPETS / f"{name}.html", f'<div class="regrad-figure" style="{style}">\n{fragment}\n</div>\n')


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


# ---------------------------------------------------------------- the pages' assets


def home(gen: Generator) -> None:
    """The first example on the home page."""
    run_script("home")


def engine_source(gen: Generator) -> None:
    """The pieces of regrad's own source that pages quote, taken from the installed code."""
    import inspect

    import regrad

    write(SNIPPETS / "source_mul.py", inspect.getsource(regrad.ops.Mul))
    write(SNIPPETS / "source_sweep.py", inspect.getsource(regrad.engine._sweep))


def how_it_works(gen: Generator) -> None:
    """The worked example of "How reverse-mode AD works": L = (x*w + x) ** 2."""
    for cell in ("forward", "order", "steps", "backward"):
        write(SNIPPETS / f"how_it_works.{cell}.out", "(not run)\n")
    ns = run_script("how_it_works")  # core only: always runs
    # the script ran backward (and freed the graph), so draw fresh copies of it
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

    def after_backward() -> None:
        loss = example()
        loss.backward(retain_graph=True)  # keep the graph so it can still be drawn
        graph_fragment(loss, "how_after", orientation="LR")

    gen.attempt("the graph of L after backward", after_backward, "how_after.html")
    write(SNIPPETS / "how_memory.out", "(not run)\n")
    gen.attempt("the node count of an MLP's graph", lambda: run_script("how_memory"), "how_memory.out")


#: the examples page: (script in docs/code, orientation of its graph); each script defines ``y``
EXAMPLES = [("seed_pow", "TB"), ("seed_sigmoid", "TB"), ("seed_mlp", "LR"), ("seed_mlp_elementwise", "BT")]


def seed_examples(gen: Generator) -> None:
    """The three examples of the original design (pow, sigmoid, MLP), each with its embedded graph."""
    ran = {}
    for script, orientation in EXAMPLES:
        ns = gen.attempt(f"the example {script}.py", lambda s=script: run_script(s), f"{script}.out")
        if ns is None:
            write(SNIPPETS / f"{script}.html", note(f"the graph of {script}.py", "the example did not run"))
            continue
        ran[script] = ns
        gen.attempt(
            f"the graph of {script}.py",
            lambda y=ns["y"], s=script, o=orientation: graph_fragment(y, s, orientation=o),
            f"{script}.html",
        )
    if "seed_mlp" in ran:  # examples.md says so under the MLP graph: keep the page true if regrad-nn changes
        hidden = [node for node in ran["seed_mlp"]["y"].src or () if node.op is not None]
        if len(hidden) != 2:
            raise RuntimeError(f"docs/examples.md says 2 of the 3 hidden neurons are in the graph; now {len(hidden)}")
    for name in ("computed_graph_pow", "computed_graph_sigmoid", "computed_graph_mlp"):
        if not (PAGES / f"{name}.html").exists():  # lenient build: keep the page's link working
            write(PAGES / f"{name}.html", f"<!doctype html><title>{name}</title><p>{name}: not generated yet</p>\n")


def custom_op(gen: Generator) -> None:
    """The Softplus example: run it, draw its graph."""
    ns = run_script("custom_op")  # core only: always runs
    x = ns["Var"](0.5, req_grad=True, name="x")
    y = ns["softplus"](x * 3) + x
    gen.attempt("the Softplus graph", lambda: graph_fragment(y, "custom_op", orientation="LR"), "custom_op.html")


def viz_guide(gen: Generator) -> None:
    """Run the guide's code; draw the same small graph in four orientations, and its text exports."""
    for cell in ("one_call", "object", "freed", "cap"):
        write(SNIPPETS / f"viz_guide.{cell}.out", "(not run)\n")
    gen.attempt("the viz guide's code", lambda: run_script("viz_guide"))
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


def placeholder_svg(text: str) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60">'
        f'<text x="10" y="35" font-family="sans-serif" font-size="14">{html.escape(text)}</text></svg>\n'
    )


def moons(gen: Generator) -> None:
    """Train on moons with the ``regrad-nn`` command; it writes the decision-boundary PNG."""
    write(SNIPPETS / "moons.out", "(not run)\n")
    command = Path(sys.executable).with_name("regrad-nn")

    def train() -> None:
        png = IMAGES / "moons.png"
        png.unlink(missing_ok=True)
        IMAGES.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(  # as the page shows it: run in the folder the PNG goes to
            [str(command), "moons", "--plot", png.name],
            cwd=IMAGES,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if result.returncode != 0 or not png.exists():
            raise RuntimeError(f"regrad-nn moons failed ({result.returncode}): {result.stderr.strip()[-500:]}")
        write(SNIPPETS / "moons.out", result.stdout)

    def usage() -> None:
        result = subprocess.run([str(command), "moons", "--help"], capture_output=True, text=True, timeout=60)
        if result.returncode != 0:
            raise RuntimeError(f"regrad-nn moons --help failed: {result.stderr.strip()[-500:]}")
        write(SNIPPETS / "moons_help.out", result.stdout)

    write(SNIPPETS / "moons_help.out", "(not run)\n")
    gen.attempt("the moons command's help", usage)
    gen.attempt("the moons training run and its plot", train, "moons_plot.md")
    if (IMAGES / "moons.png").exists():
        write(SNIPPETS / "moons_plot.md", "![The decision boundary after training](generated/img/moons.png)\n")


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
        "backward_steps",
        "BackwardStep",
        "topological_order",
        "no_grad",
        "is_grad_enabled",
        "gradcheck",
        "GradcheckError",
        "ops",
    ],
    "regrad_viz": ["draw", "draw_to_html", "Drawing", "GraphError", "DEFAULT_MAX_NODES"],
    "regrad_nn": [
        "Module",
        "Neuron",
        "Layer",
        "MLP",
        "save_model",
        "load_model",
        "DotRelu",
        "DotTanh",
        "DotSigmoid",
        "hinge_loss",
        "mse_loss",
        "bce_with_logits_loss",
        "BCEWithLogits",
        "l2_penalty",
        "accuracy",
        "Optimizer",
        "SGD",
        "Adam",
        "linear_decay",
        "LinearDecay",
        "make_moons",
        "train_moons",
        "MoonsResult",
        "plot_decision_boundary",
        "MissingExtraError",
        "EXTRA_INSTALL",
    ],
}
#: documented too, though not re-exported at the top
API_EXTRA = {"regrad": ["regrad.engine.is_freed"]}


def api_paths(package: str) -> list[str]:
    """Where each public name of ``package`` is defined (``regrad.var.Var``), in API_ORDER's order.

    The defining path, not ``regrad.gradcheck``: that name is both a function
    and the module it lives in. Names inside a module that is listed whole
    (``regrad.ops``) are left to that module's entry.
    """
    import importlib
    import inspect

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail if any asset cannot be made")
    args = parser.parse_args(argv)

    shutil.rmtree(OUT, ignore_errors=True)
    for folder in (SNIPPETS, IMAGES, PAGES):
        folder.mkdir(parents=True)
    gen = Generator(strict=args.strict)
    steps = [api_reference, home, engine_source, how_it_works, seed_examples, custom_op, viz_guide, moons, benchmarks]
    for step in steps:
        print(f"docs assets: {step.__name__}", file=sys.stderr)
        try:
            step(gen)
        except Exception:
            traceback.print_exc()
            print(f"docs assets: {step.__name__} failed", file=sys.stderr)
            return 1
    if gen.missing:
        print(f"docs assets: {len(gen.missing)} not generated (rerun with --strict to fail on this):", file=sys.stderr)
        for item in gen.missing:
            print(f"  - {item}", file=sys.stderr)
    else:
        print("docs assets: all generated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
