"""The training explorer's budgets: the size of its file, the cost of --explore, its speed in Chromium.

All with the command's defaults: 100 points of the moons, ``MLP(2, [16, 16, 1])``,
100 epochs (the original regrad's run).

1. Size: ``regrad-nn moons --explore explorer.html``: the file's size and what
   takes the room. Budget: at most 5 MB.
2. Time: the same command with and without ``--explore``, each run a new
   process started from the shell (start-up included), wall-clock time,
   alternating, ``--runs`` times each; the best and the median count.
   Budget: with ``--explore`` at most 2x the time without. (The graph
   drawing's layout takes seconds: the command has it made in a second
   process while it trains, so on a machine with a free core it costs about
   max(0, layout - training).)
3. Chromium (Debian's, through Playwright, every non-local request aborted):
   the time to open the file until the explorer has drawn everything, and the
   time to redraw after the slider moves, measured in the page from the
   ``input`` event until the next frame is painted, for every snapshot.
   Budgets: at most 2 s to open, at most 100 ms per redraw.

Run: hatch run bench:python benchmarks/bench_explorer.py [--runs 5] [--markdown benchmarks/results/explorer.md]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from machine import machine  # benchmarks/machine.py: scripts run from benchmarks/ have it on the path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from browser import have_chromium, launch, open_page  # noqa: E402

MB = 1_000_000
READY = "document.querySelector('div.regrad-explorer') && document.querySelector('div.regrad-explorer').dataset.rxReady"

#: in the page: wait until the next frame has been painted
PAINTED = "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))"

#: in the page: move the slider to every snapshot; for each, the time of the input handler
#: and the time until the next frame has been painted (a callback queued in requestAnimationFrame
#: runs once the browser has painted that frame)
SLIDE = """async () => {
  const slider = document.querySelector("div.regrad-explorer input.rx-slider");
  const handler = [], painted = [];
  for (let f = 0; f <= Number(slider.max); f++) {
    const start = performance.now();
    slider.value = String(f);
    slider.dispatchEvent(new Event("input", { bubbles: true }));
    handler.push(performance.now() - start);
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    painted.push(performance.now() - start);
  }
  return { handler, painted };
}"""


def command() -> list[str]:
    found = shutil.which("regrad-nn", path=str(Path(sys.executable).parent)) or shutil.which("regrad-nn")
    if found is None:
        sys.exit("the regrad-nn command is not installed in this environment")
    return [found, "moons"]  # the defaults (on a pipe the progress bar is one summary line)


def timed_run(options: list[str], folder: Path) -> float:
    """Wall-clock seconds of one run of the command, from the shell."""
    start = time.perf_counter()
    done = subprocess.run([*command(), *options], cwd=folder, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"regrad-nn moons {' '.join(options)} failed: {done.stderr}")
    return seconds


def sizes(html: str) -> list[tuple[str, int]]:
    """What takes the room in the file: (part, bytes)."""
    data_text = re.search(r'<script type="application/json" class="rx-data">(.*?)</script>', html).group(1)
    data = json.loads(data_text)
    weights = len(json.dumps([f["weights"] for f in data["frames"]], separators=(",", ":")))
    ends = r"</script><script>.*?</script></div>"  # a drawing ends with its data and its script
    graph = re.search(r'<div class="regrad-viz" tabindex.*?class="rv-data">.*?' + ends, html, re.S)
    network = re.search(r'<div class="regrad-viz rv-network".*?class="rv-network-data">.*?' + ends, html, re.S)
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    return [
        ("the whole file", len(html.encode())),
        (
            f"the explorer's data ({len(data['frames'])} snapshots of {len(data['frames'][0]['weights'])} weights, "
            f"{len(data['points'])} points, the graph's recipe)",
            len(data_text.encode()),
        ),
        ("  of which the weights", weights),
        ("the point's graph drawing (regrad-viz, SVG + data + viewer)", len(graph.group(0).encode()) if graph else 0),
        ("the network drawing (regrad-viz, SVG + data + script)", len(network.group(0).encode()) if network else 0),
        ("all scripts (viewer.js, network.js, explorer.js)", sum(len(s.encode()) for s in scripts)),
        ("all style sheets", sum(len(s.encode()) for s in styles)),
    ]


def browser_times(path: Path, opens: int) -> tuple[list[float], list[float], dict[str, list[float]]]:
    """Seconds to open (wall clock, and the page's own clock), and the slider's redraw times (ms)."""
    from playwright.sync_api import sync_playwright

    wall, page_clock = [], []
    with sync_playwright() as p:
        browser = launch(p)
        for _ in range(opens):
            start = time.perf_counter()
            page, log = open_page(browser, path.as_uri(), viewport=(1200, 900))
            page.wait_for_function(READY)
            page.evaluate(PAINTED)
            wall.append(time.perf_counter() - start)
            page_clock.append(page.evaluate("performance.now()") / 1000)  # since the navigation started
            if log.problems():
                sys.exit(f"the page had problems: {log.problems()}")
            page.close()
        page, log = open_page(browser, path.as_uri(), viewport=(1200, 900))
        page.wait_for_function(READY)
        page.evaluate(PAINTED)  # the explorer zooms its graph in the first frame: let that be done
        slide = page.evaluate(SLIDE)
        browser.close()
    return wall, page_clock, slide


def layout_seconds() -> float:
    """Seconds to make the drawing of the point's graph (its layout, mostly), in this process: best of 2."""
    from regrad_nn.explore import explorer_drawing
    from regrad_nn.moons import initial_model

    model = initial_model()
    times = []
    for _ in range(2):
        start = time.perf_counter()
        explorer_drawing(model, "hinge")
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of the command with and without --explore")
    parser.add_argument("--opens", type=int, default=5, help="times the page is opened in Chromium")
    parser.add_argument("--markdown", type=Path, help="also write the results as markdown to this file")
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")

    with tempfile.TemporaryDirectory(prefix="regrad-explorer-bench-") as scratch:
        folder = Path(scratch)
        plain, explore = [], []
        for _ in range(args.runs):  # alternating: a busy moment of the machine hits both
            plain.append(timed_run([], folder))
            explore.append(timed_run(["--explore", "explorer.html"], folder))
        path = folder / "explorer.html"
        html = path.read_text(encoding="utf-8")
        parts = sizes(html)
        if have_chromium():
            wall, page_clock, slide = browser_times(path, args.opens)
        else:
            wall, page_clock, slide = [], [], {"handler": [], "painted": []}

    layout = layout_seconds()
    best_ratio = min(explore) / min(plain)
    median_ratio = statistics.median(explore) / statistics.median(plain)
    size_ok = parts[0][1] <= 5 * MB
    lines = ["| part of `explorer.html` | bytes | MB |", "|---|---:|---:|"]
    lines += [f"| {name} | {size:,} | {size / MB:.2f} |" for name, size in parts]
    lines += [
        "",
        "| run from the shell | best (s) | median (s) | runs |",
        "|---|---:|---:|---:|",
        f"| `regrad-nn moons` | {min(plain):.2f} | {statistics.median(plain):.2f} | {len(plain)} |",
        f"| `regrad-nn moons --explore explorer.html` | {min(explore):.2f} | "
        f"{statistics.median(explore):.2f} | {len(explore)} |",
        f"| ratio | {best_ratio:.2f}× | {median_ratio:.2f}× | |",
    ]
    verdict = [
        f"Size: {parts[0][1] / MB:.2f} MB (budget ≤ 5 MB: {'met' if size_ok else 'NOT met'}).",
        f"Time: --explore takes {best_ratio:.2f}× (best of {args.runs}) and {median_ratio:.2f}× (median) the run "
        f"without it (budget ≤ 2×: {'met' if best_ratio <= 2 else 'NOT met'} on the best runs, "
        f"{'met' if median_ratio <= 2 else 'NOT met'} on the medians). The drawing of the point's graph, "
        f"laid out in a second process while the first trains, takes {layout:.2f} s alone: it is the longest "
        "part of the run (start-up, then the layout, then writing the page).",
    ]
    if wall:
        handler, painted = slide["handler"], slide["painted"]
        p95 = sorted(painted)[round(0.95 * (len(painted) - 1))]
        within = sum(ms <= 100 for ms in painted)
        verdict += [
            f"Open in Chromium: {min(wall):.2f} s best, {statistics.median(wall):.2f} s median of {len(wall)} "
            f"(wall clock, from a new tab to everything drawn; the page's own clock: "
            f"{statistics.median(page_clock):.2f} s median) (budget ≤ 2 s: "
            f"{'met' if statistics.median(wall) <= 2 else 'NOT met'}).",
            f"Slider, moved to each of the {len(painted)} snapshots in turn: the page's script takes "
            f"{statistics.median(handler):.1f} ms median ({max(handler):.1f} ms at most); until the next frame is "
            f"painted, {statistics.median(painted):.1f} ms median, {p95:.1f} ms for 95 % of the moves, "
            f"{max(painted):.1f} ms at most (the first move: {painted[0]:.1f} ms) (budget ≤ 100 ms: "
            f"{within} of {len(painted)} moves within it).",
        ]
    else:
        verdict.append("Chromium: not measured (no /usr/bin/chromium).")
    print("\n".join(lines))
    print()
    print("\n".join(verdict))

    if args.markdown:
        when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        used = "hatch run bench:python benchmarks/bench_explorer.py " + " ".join(sys.argv[1:])
        doc = [
            "# The training explorer: file size, cost of --explore, speed in Chromium",
            "",
            f"Measured {when} on {machine()}, load average {load:.2f} at the start, with `{used.strip()}` "
            "(`benchmarks/bench_explorer.py`).",
            "",
            "The command's defaults: 100 points of the moons (noise 0.1, seed 1337), `MLP(2, [16, 16, 1])`, 100 "
            "epochs of full-batch SGD on the hinge loss + 1e-4·L2. Times are wall-clock times of whole runs from the "
            "shell (start-up included), alternating with and without `--explore`. The explorer keeps every "
            "snapshot of the weights at full precision and nothing computed: the page computes the outputs over "
            "the plane, the curves and the point's graph itself. The drawing of the point's graph is laid out "
            "once, in a second process while training runs.",
            "",
            *lines,
            "",
            *[f"- {line}" for line in verdict],
            "",
        ]
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text("\n".join(doc), encoding="utf-8")
        print(f"\nwrote {args.markdown}")


if __name__ == "__main__":
    main()
