"""Generate the training explorer that ``docs/explorer.md`` ("Watching a network learn") embeds.

``generate(generated_dir)`` runs the page's Python example, ``EXAMPLE`` below
(the moons loop of the original regrad with a ``TrainingRecorder``), in a
scratch folder, and writes under ``generated_dir``:

* ``snippets/explorer_api.py``: that example, which the page shows
  (``--8<-- "explorer_api.py"``): the code on the page is the code that made
  the explorer on the page;
* ``snippets/explorer.html``: the explorer as one ``<div>``, which the page
  embeds (``--8<-- "explorer.html"``);
* ``html/explorer.html``: the file the example wrote, the same explorer on a
  page of its own (the page links to it).

It trains the same network on the same data as ``regrad-nn moons --explore
explorer.html`` with its defaults, so it is that command's explorer.
``docs/gen_assets.py`` calls it; ``python docs/gen_explorer.py`` runs it alone
(into ``docs/generated``).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

EXAMPLE = """\
import random

from regrad_nn import MLP, SGD, LinearDecay, TrainingRecorder, hinge_loss, l2_penalty, make_moons

X, y = make_moons(n_samples=100, noise=0.1, seed=1337)
random.seed(1337)
model = MLP(2, [16, 16, 1])
params = model.parameters()
optimizer = SGD(params, lr=1.0)
schedule = LinearDecay(optimizer, total_steps=100)
recorder = TrainingRecorder(X, y, loss="hinge", alpha=1e-4)  # the loss below: its per-point terms and its L2

for epoch in range(100):
    recorder.record(model, epoch, lr=optimizer.lr)  # the weights this epoch starts from
    scores = [model(x) for x in X]
    loss = hinge_loss(scores, y) + l2_penalty(params, 1e-4)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    schedule.step()
recorder.record(model, 100)  # the trained weights
recorder.save("explorer.html")  # one file: open it in a browser, no server needed
"""


def generate(generated_dir: Path) -> None:
    """Write the explorer's snippets and page under ``generated_dir`` (see the module docstring)."""
    snippets = generated_dir / "snippets"
    pages = generated_dir / "html"
    snippets.mkdir(parents=True, exist_ok=True)
    pages.mkdir(parents=True, exist_ok=True)
    (snippets / "explorer_api.py").write_text(EXAMPLE, encoding="utf-8")
    namespace: dict[str, Any] = {"__name__": "__main__"}
    old_cwd = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="regrad-explorer-") as scratch:
        os.chdir(scratch)
        try:
            exec(compile(EXAMPLE, "explorer_api.py", "exec"), namespace)
        finally:
            os.chdir(old_cwd)
        shutil.copy(Path(scratch) / "explorer.html", pages / "explorer.html")
    # the same explorer as one <div> for the page (the drawing laid out for the file is reused)
    fragment = namespace["recorder"].to_html(full_page=False)
    (snippets / "explorer.html").write_text(fragment + "\n", encoding="utf-8")


if __name__ == "__main__":
    generate(Path(__file__).resolve().parent / "generated")
