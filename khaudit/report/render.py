"""Render reports: execute the parameterised notebooks with papermill, export what they show.

The exported HTML holds the notebook's outputs only (no code, no prompts, no narrative cells
tagged ``narrative``), in a minimal page with no external references, so it opens offline and
prints. Outputs are already escaped by the report code; plain-text outputs are escaped here.
Localities render in parallel processes, each rendering many in turn. Every file is written
atomically.
"""

from __future__ import annotations

import base64
import contextlib
import html
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..atomic import write_text
from ..errors import KhauditError
from ..executor import Pool, cpu_workers, scheduler
from ..i18n import t
from ..run import load_run
from ..textnorm import slugify
from .inprocess import CellFailed
from .minutes_pdf import write_minutes_pdf
from .province_xlsx import write_province_workbook
from .shared_run import preload, shared_run
from .xlsx import write_locality_workbook

NOTEBOOKS_ENV = "KHAUDIT_NOTEBOOKS"

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"/>
<meta name="generator" content="khaudit {version}"/>
<meta name="khaudit-fingerprint" content="{fingerprint}"/>
<title>{title}</title>
<style>body {{ max-width: 1100px; margin: 1.5em auto; padding: 0 1em; }}
@media print {{ body {{ max-width: none; }} }}</style>
</head><body>
{body}
</body></html>
"""


def notebook_dir() -> Path:
    """Where the parameterised notebooks are: $KHAUDIT_NOTEBOOKS or the source checkout's."""
    configured = os.environ.get(NOTEBOOKS_ENV)
    folder = Path(configured) if configured else Path(__file__).resolve().parents[2] / "notebooks"
    if not (folder / "locality_audit.ipynb").exists():
        raise KhauditError(t("err.render.notebooks", folder=folder, env=NOTEBOOKS_ENV))
    return folder


def outputs_html(notebook: dict) -> str:
    """The visible outputs of an executed notebook, in order, as one HTML fragment."""
    parts = []
    for cell in notebook.get("cells", []):
        tags = cell.get("metadata", {}).get("tags", [])
        if "narrative" in tags:
            continue
        if cell.get("cell_type") == "markdown":
            continue
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                raise KhauditError(
                    t("err.render.cell", name=output.get("ename"), value=output.get("evalue"))
                )
            data = output.get("data", {})
            if "text/html" in data:
                parts.append("".join(data["text/html"]))
            elif "image/png" in data:
                png = "".join(data["image/png"]).replace("\n", "")
                base64.b64decode(png, validate=True)
                parts.append(f"<img alt='' src='data:image/png;base64,{png}'/>")
            elif "text/plain" in data and output.get("output_type") != "execute_result":
                parts.append(f"<pre>{html.escape(''.join(data['text/plain']))}</pre>")
    return "\n".join(parts)


#: Seconds a report cell may run before the kernel is given up on (``KHAUDIT_CELL_TIMEOUT``).
CELL_TIMEOUT_ENV = "KHAUDIT_CELL_TIMEOUT"


def execute(notebook: Path, output: Path, parameters: dict[str, object], cwd: Path) -> Any:
    """papermill.execute_notebook with a cell timeout and one retry on a fresh kernel.

    Now and then a kernel's reply is lost and the client waits for ever while the kernel sits
    idle (papermill #711, jupyter_client #922). A cell timeout turns that into an error; one
    retry with a new kernel turns the error into a report. A notebook that fails for real
    fails again and is reported as such.
    """
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    timeout = int(os.environ.get(CELL_TIMEOUT_ENV, "600"))
    for attempt in (1, 2):
        try:
            return papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name="python3",
                progress_bar=False,
                log_output=False,
                cwd=str(cwd),
                execution_timeout=timeout,
            )
        except (CellTimeoutError, DeadKernelError, TimeoutError):
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


#: How report notebooks run: "inprocess" (an IPython shell in the worker, no kernel; the
#: default) or "kernel" (papermill and a Jupyter kernel per notebook, as a person would).
ENGINES = ("inprocess", "kernel")


def run_notebook(
    notebook: Path, output: Path, parameters: dict[str, object], cwd: Path, engine: str
) -> dict[str, Any]:
    """Execute a report notebook with ``engine``; write the executed copy to ``output``.

    Raises :class:`CellFailed` when a cell fails, whichever engine ran it.
    """
    if engine == "kernel":
        import papermill

        try:
            return dict(execute(notebook, output, parameters, cwd))
        except papermill.PapermillExecutionError as exc:
            raise CellFailed(exc.cell_index, exc.ename, exc.evalue) from exc
    if engine != "inprocess":
        raise ValueError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    import json

    from .inprocess import execute_inprocess

    document = execute_inprocess(notebook, parameters, cwd)
    write_text(output, json.dumps(document, ensure_ascii=False, indent=1) + "\n")
    return document


def render_locality(
    run_dir: str | Path, locality: str, lang: str = "vi", engine: str = "inprocess"
) -> Path:
    """Execute locality_audit.ipynb for one locality; write report.html and report.xlsx."""
    from .. import __version__

    run = shared_run(run_dir)
    from .locality import resolve_locality

    name = resolve_locality(run, locality)
    folder = Path(run_dir) / slugify(name)
    folder.mkdir(parents=True, exist_ok=True)
    executed = folder / "report.ipynb"
    try:
        notebook = run_notebook(
            notebook_dir() / "locality_audit.ipynb",
            executed,
            {"run_dir": str(Path(run_dir).resolve()), "locality": name, "lang": lang},
            folder,
            engine,
        )
    except CellFailed as exc:
        raise KhauditError(
            t(
                "err.render.locality",
                name=name,
                cell=exc.cell_index,
                error=exc.ename,
                value=exc.evalue,
            )
        ) from exc
    page = PAGE.format(
        lang=lang,
        version=__version__,
        fingerprint=run.meta["fingerprint"],
        title=html.escape(f"{name} — khaudit"),
        body=outputs_html(notebook),
    )
    target = folder / "report.html"
    write_text(target, page)
    write_locality_workbook(run, name, folder / "report.xlsx", lang=lang)
    write_minutes_pdf(run, name, folder / "bien-ban.pdf", lang=lang)
    return target


def render_province(run_dir: str | Path, lang: str = "vi", engine: str = "inprocess") -> Path:
    """Execute province_summary.ipynb for a run; write province.html and province.xlsx."""
    from .. import __version__

    run = shared_run(run_dir)
    executed = Path(run_dir) / "province.ipynb"
    try:
        notebook = run_notebook(
            notebook_dir() / "province_summary.ipynb",
            executed,
            {"run_dir": str(Path(run_dir).resolve()), "lang": lang},
            Path(run_dir),
            engine,
        )
    except CellFailed as exc:
        raise KhauditError(
            t("err.render.province", cell=exc.cell_index, error=exc.ename, value=exc.evalue)
        ) from exc
    page = PAGE.format(
        lang=lang,
        version=__version__,
        fingerprint=run.meta["fingerprint"],
        title=html.escape(f"{run.meta.get('province', '')} — khaudit"),
        body=outputs_html(notebook),
    )
    target = Path(run_dir) / "province.html"
    write_text(target, page)
    write_province_workbook(run, Path(run_dir) / "province.xlsx", lang=lang)
    return target


@contextlib.contextmanager
def _kernel_log(path: Path) -> Iterator[None]:
    """Send what kernels print on their way in and out (transport warnings, shutdown
    interrupts) to a log beside the report instead of the inspector's terminal."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(path, "ab") as log:
        os.dup2(log.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


#: The run this worker process has prepared for (see :func:`_prepare_worker`).
_PREPARED: list[str] = []


def _prepare_worker(run_dir: str, engine: str) -> None:
    """Once per worker process of the render's own pool, which renders many localities and
    ends with the render (a long-lived Dask worker is left alone): read the run's tables whole,
    then move every object alive so far (those tables, the report code) out of the cyclic
    garbage collector's sight. IPython's reset between two notebooks runs a full collection,
    which would otherwise walk all of them again for every locality."""
    import gc
    import multiprocessing

    if multiprocessing.parent_process() is None or run_dir in _PREPARED:
        return  # in the caller's own process: leave its memory and collector as they are
    preload(shared_run(run_dir))
    from . import locality, xlsx  # noqa: F401  (imported before the freeze, as they stay)

    if engine == "inprocess":
        from .inprocess import _shell

        _shell()

    gc.collect()
    gc.freeze()
    _PREPARED.append(run_dir)


def _render_one(args: tuple[str, str, str, str, bool]) -> str:
    run_dir, name, lang, engine, own_worker = args
    if own_worker:  # a process of this render's own pool, not a shared (Dask) worker
        _prepare_worker(run_dir, engine)
    with _kernel_log(Path(run_dir) / ".render.log"):
        if name == PROVINCE:
            return str(render_province(run_dir, lang, engine))
        return str(render_locality(run_dir, name, lang, engine))


PROVINCE = "\0province"  # a job name no locality can have


def render_reports(
    run_dir: str | Path,
    localities: list[str] | None = None,
    lang: str = "vi",
    workers: int = 0,
    engine: str = "inprocess",
) -> list[Path]:
    """Render every (or the named) locality of a run, in parallel; return the HTML paths (the
    province's last when every locality is rendered).

    Each worker process renders many localities in turn (``engine="inprocess"``: one IPython
    shell per process, no kernel), so the cost of starting Python and importing the report code
    is paid once per core rather than once per locality.
    """
    from ..progress import bar

    run = load_run(run_dir)
    names = localities or [loc["name"] for loc in run.meta.get("localities", [])]
    if not localities:  # the province first, so its longer job does not end the render alone
        names = [PROVINCE, *names]
    own = scheduler() is None
    jobs = [(str(Path(run_dir).resolve()), name, lang, engine, own) for name in names]
    n = min(len(jobs), cpu_workers(workers))
    # Every job is queued at once: a worker takes the next as soon as it is free, so neither
    # waits while the other ends a longer job (the province's, or a large locality's).
    with (
        Pool(n, force_processes=n > 1) as pool,
        bar(total=len(jobs), desc=t("progress.render"), unit=t("progress.report_unit")) as progress,
    ):
        pending = [pool.submit(_render_one, job) for job in jobs]
        paths = []
        for future in pending:
            paths.append(Path(future.result()))
            progress.update()
    return paths[1:] + paths[:1] if not localities else paths  # the province's page last
