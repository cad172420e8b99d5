"""Report notebooks executed without a kernel: the same executed notebook papermill writes."""

from __future__ import annotations

import json
import types
from pathlib import Path

import nbformat
import pytest

from khaudit.report.inprocess import CellFailed, execute_inprocess
from khaudit.report.render import outputs_html, run_notebook


def _notebook(path: Path, *sources: str) -> Path:
    cells = [
        {"cell_type": "markdown", "metadata": {}, "source": "# title"},
        {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "name = 'x'"},
        *(
            {
                "cell_type": "code",
                "metadata": {},
                "source": s,
                "outputs": [],
                "execution_count": None,
            }
            for s in sources
        ),
    ]
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_outputs_are_recorded_per_cell(tmp_path):
    notebook = _notebook(
        tmp_path / "n.ipynb",
        "from IPython.display import HTML, display\ndisplay(HTML(f'<b>{name}</b>'))",
        "print('said', name)",
        "1 + 1",
        "import os\nos.getcwd()",
    )
    (tmp_path / "work").mkdir()
    done = execute_inprocess(notebook, {"name": "Xã Diên Lạc"}, tmp_path / "work")
    injected = done["cells"][2]
    assert "injected-parameters" in injected["metadata"]["tags"]
    assert "name = 'Xã Diên Lạc'" in injected["source"]
    html_out, printed, value, cwd = (c["outputs"] for c in done["cells"][3:])
    assert html_out[0]["data"]["text/html"] == "<b>Xã Diên Lạc</b>"
    assert printed[0] == {"output_type": "stream", "name": "stdout", "text": "said Xã Diên Lạc\n"}
    assert value[0]["output_type"] == "execute_result" and value[0]["data"]["text/plain"] == "2"
    assert str(tmp_path / "work") in cwd[0]["data"]["text/plain"]
    assert "<b>Xã Diên Lạc</b>" in outputs_html(done)
    nbformat.validate(nbformat.from_dict(done))  # a notebook any Jupyter tool opens
    # a second notebook in the same process starts from a fresh namespace
    again = execute_inprocess(_notebook(tmp_path / "m.ipynb", "'leftover' in dir()"), {}, tmp_path)
    assert again["cells"][-1]["outputs"][0]["data"]["text/plain"] == "False"


def test_a_failing_cell_is_located(tmp_path):
    notebook = _notebook(tmp_path / "n.ipynb", "x = 1", "raise ValueError('bad row')")
    with pytest.raises(CellFailed) as failed:
        execute_inprocess(notebook, {}, tmp_path)
    assert failed.value.cell_index == 4 and failed.value.ename == "ValueError"
    assert failed.value.evalue == "bad row"


def test_run_notebook_writes_the_executed_notebook(tmp_path):
    notebook = _notebook(tmp_path / "n.ipynb", "name")
    out = tmp_path / "out.ipynb"
    run_notebook(notebook, out, {"name": "y"}, tmp_path, "inprocess")
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["cells"][-1]["outputs"][0]["data"]["text/plain"] == "'y'"


def test_a_session_of_ones_own_is_left_alone(tmp_path):
    """Rendering from a notebook's kernel (an IPython shell already running) neither resets
    its variables nor sends the report's output to it."""
    from IPython.core.interactiveshell import InteractiveShell

    from khaudit.report import inprocess

    InteractiveShell.clear_instance()  # khaudit's own, if an earlier test made it
    shell = InteractiveShell.instance(user_module=types.ModuleType("someones_session"))
    try:
        shell.user_ns["mine"] = 42
        notebook = _notebook(
            tmp_path / "n.ipynb", "from IPython.display import display\ndisplay(7)"
        )
        done = inprocess.execute_inprocess(notebook, {}, tmp_path)
        assert done["cells"][-1]["outputs"][0]["data"]["text/plain"] == "7"
        assert shell.user_ns["mine"] == 42
    finally:
        InteractiveShell.clear_instance()
