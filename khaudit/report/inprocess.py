"""Execute a report notebook inside the current process, without a Jupyter kernel.

The report notebooks only call khaudit and display HTML, so starting a kernel for each locality
(a new interpreter, pandas imported again, ZeroMQ round trips per cell) costs more than the
report itself. Here one IPython shell per worker process runs the cells of many notebooks in
turn, each in a fresh namespace, and records what they display as nbformat outputs: the
executed notebook is the same document papermill writes (parameters cell injected after the
cell tagged ``parameters``, outputs per cell), so the HTML export and the handover bag are
unchanged. Notebooks a person runs keep papermill and a real kernel.
"""

from __future__ import annotations

import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


class CellFailed(Exception):
    """A report notebook's cell raised: where and what, as papermill's execution error tells
    it (render.py raises this for either engine)."""

    def __init__(self, cell_index: int, ename: str, evalue: str):
        super().__init__(f"cell {cell_index}: {ename}: {evalue}")
        self.cell_index, self.ename, self.evalue = cell_index, ename, evalue


def parameter_cell(parameters: dict[str, object]) -> dict[str, Any]:
    """The code cell papermill would inject: one assignment per parameter, tagged as such."""
    source = "# Parameters\n" + "".join(f"{k} = {v!r}\n" for k, v in parameters.items())
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": "injected-parameters",
        "metadata": {"tags": ["injected-parameters"]},
        "outputs": [],
        "source": source,
    }


def parameterize(notebook: dict[str, Any], parameters: dict[str, object]) -> dict[str, Any]:
    """A copy of ``notebook`` with the parameters cell injected after the ``parameters`` one
    (or first, when no cell carries the tag)."""
    cells = [dict(c) for c in notebook.get("cells", [])]
    at = next(
        (
            i + 1
            for i, c in enumerate(cells)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        0,
    )
    cells.insert(at, parameter_cell(parameters))
    return {**notebook, "cells": cells}


#: The name of the module the report cells run in; it marks the shell as khaudit's own.
CELLS_MODULE = "khaudit_report_cells"


def _foreign_shell() -> bool:
    """Whether this process already runs an IPython shell of its own (a notebook's kernel,
    an IPython terminal): display() always speaks to that one, so reports go elsewhere."""
    from IPython.core.interactiveshell import InteractiveShell

    if not InteractiveShell.initialized():
        return False
    return InteractiveShell.instance().user_module.__name__ != CELLS_MODULE


def _shell() -> Any:
    """The process's IPython shell, with no history file and output captured per cell."""
    import types

    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    if InteractiveShell.initialized():
        return InteractiveShell.instance()
    config = Config()
    config.HistoryManager.enabled = False
    config.HistoryManager.hist_file = ":memory:"
    # A module of its own: the shell registers its user module in sys.modules under the
    # module's name, and must not take the place of this process's __main__.
    module = types.ModuleType(CELLS_MODULE)
    return InteractiveShell.instance(config=config, colors="nocolor", user_module=module)


@contextlib.contextmanager
def _captured(shell: Any, outputs: list[dict[str, Any]]) -> Iterator[None]:
    """Send what a cell displays, returns and prints to ``outputs`` for the time of the cell."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import CapturingDisplayPublisher

    class Hook(DisplayHook):
        """The shell's display hook (``_``, ``Out``, quiet ``;``) keeping results, not printing."""

        outputs: list[dict[str, Any]] = []

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, data: dict[str, Any], metadata: Any = None) -> None:
            self.outputs.append({"data": data, "metadata": metadata or {}})

    publisher = CapturingDisplayPublisher()
    hook = Hook(shell=shell)
    hook.outputs = []
    trap = shell.display_trap  # installs the hook as sys.displayhook while a cell runs
    saved = shell.display_pub, shell.displayhook, trap.hook, sys.stdout, sys.stderr
    out, err = io.StringIO(), io.StringIO()
    shell.display_pub, shell.displayhook, trap.hook = publisher, hook, hook
    sys.stdout, sys.stderr = out, err
    try:
        yield
    finally:
        shell.display_pub, shell.displayhook, trap.hook, sys.stdout, sys.stderr = saved
        for name, stream in (("stdout", out), ("stderr", err)):
            if stream.getvalue():
                outputs.append({"output_type": "stream", "name": name, "text": stream.getvalue()})
        for item in publisher.outputs:
            outputs.append(
                {"output_type": "display_data", "data": item["data"], "metadata": item["metadata"]}
            )
        for item in hook.outputs:
            outputs.append(
                {
                    "output_type": "execute_result",
                    "data": item["data"],
                    "metadata": item["metadata"],
                    "execution_count": None,
                }
            )


def execute_inprocess(notebook: Path, parameters: dict[str, object], cwd: Path) -> dict[str, Any]:
    """Run ``notebook`` with ``parameters`` in this process's shell; return the executed
    notebook (as a dict in nbformat 4). Raises :class:`CellFailed` at the first failing cell."""
    import json
    import os

    if _foreign_shell():  # never run report cells in, or reset, a person's own session
        return _in_child(notebook, parameters, cwd)
    document = parameterize(json.loads(notebook.read_text("utf-8")), parameters)
    shell = _shell()
    shell.reset(new_session=False)
    here = Path.cwd()
    os.chdir(cwd)
    try:
        code = [(i, c) for i, c in enumerate(document["cells"]) if c.get("cell_type") == "code"]
        for count, (index, cell) in enumerate(code, start=1):
            outputs: list[dict[str, Any]] = []
            cell["outputs"], cell["execution_count"] = outputs, count
            source = "".join(cell.get("source", ""))
            with _captured(shell, outputs):
                result = shell.run_cell(source, store_history=False, silent=False)
            for output in outputs:
                if output["output_type"] == "execute_result":
                    output["execution_count"] = count
            error = result.error_in_exec or result.error_before_exec
            if error is not None:
                raise CellFailed(index, type(error).__name__, str(error)) from error
    finally:
        os.chdir(here)
    return document


def _in_child(notebook: Path, parameters: dict[str, object], cwd: Path) -> dict[str, Any]:
    """:func:`execute_inprocess` in a fresh child process (started, not forked: a kernel's
    threads and sockets are not copied)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as child:
        return child.submit(execute_inprocess, notebook, parameters, cwd).result()
