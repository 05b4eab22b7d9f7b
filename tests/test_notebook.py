"""The tour notebook (examples/regrad_tour.ipynb), executed as Jupyter would, and its outputs checked.

nbclient runs every cell on the ``python3`` kernel of the test environment
(ipykernel). The printed numbers must be right, every drawing's output must be
one self-contained piece of HTML (its own style and script, nothing loaded
from anywhere: front ends such as Colab isolate outputs), and the moons plot
must be there.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "regrad_tour.ipynb"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tour")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        notebook, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(folder)}}
    )
    result = client.execute()
    out = folder / "executed.ipynb"
    nbformat.write(result, out)
    print(f"\nexecuted notebook: {out.stat().st_size / 1000:.0f} kB")  # reported in the closing note
    return result


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def printed(cell) -> list[str]:
    return "".join(o.get("text", "") for o in cell.outputs if o["output_type"] == "stream").split("\n")


def html_output(cell) -> str:
    (result,) = [o for o in cell.outputs if o["output_type"] == "execute_result"]
    return result["data"]["text/html"]


def test_the_committed_notebook_has_no_outputs_to_go_stale() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(cell.get("outputs", []) == [] for cell in code_cells(notebook))


def test_every_cell_runs_and_the_original_example_prints_its_numbers(executed) -> None:
    cells = code_cells(executed)
    assert all(o["output_type"] != "error" for cell in cells for o in cell.outputs)
    assert printed(cells[0])[:3] == ["24.7041", "222.1341", "978.7784"]


def test_each_drawing_is_one_self_contained_piece_of_html(executed) -> None:
    cells = code_cells(executed)
    drawings = [html_output(cells[i]) for i in (1, 2, 3, 4)]
    for html in drawings:
        assert html.startswith('<div class="regrad-viz') and "<svg" in html
        assert "<style>" in html and "<script>" in html  # its own style and viewer, in the output itself
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html), "nothing may load from anywhere"
        assert "@import" not in html and "url(http" not in html
    # the drawing of a + a**2 after backward: the leaf's grad and every op's adjoint
    assert "grad -7.0000" in drawings[0] and drawings[0].count("adj 1.0000") == 2
    # the stepper's data is there for the whole example (33 nodes)
    data = json.loads(re.search(r'class="rv-data">(.*?)</script>', drawings[1], re.S).group(1))
    assert len(data["steps"]) > 20


def test_the_custom_op_and_the_mlp_cells(executed) -> None:
    cells = code_cells(executed)
    line = printed(cells[3])[0]
    x = 0.3
    softplus = math.log1p(math.exp(x))
    sig = 1 / (1 + math.exp(-x))
    assert line == f"value {softplus * x:.6f}, ds/dx {softplus + x * sig:.6f}, gradcheck True"
    assert printed(cells[3])[1] == f"second derivative {sig * (1 - sig):.6f}"
    assert printed(cells[4])[0] == "MLP(2 -> 3 -> 1, activation='relu'; 13 parameters)"
    mlp = html_output(cells[4])
    assert mlp.count("FusedNeuron") >= 4  # every neuron, on or off, is in the picture


def test_training_on_the_moons_prints_and_plots(executed) -> None:
    cell = code_cells(executed)[5]
    assert printed(cell)[0] == "final loss 0.0110, accuracy 100%"
    assert any("image/png" in o.get("data", {}) for o in cell.outputs)
