"""The ``khaudit`` command: a thin shell over the Python API (every flag is an API argument)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import KhauditError
from .i18n import LANGUAGES, t


def _fail(exc: Exception) -> None:
    click.echo(f"khaudit: {exc}", err=True)
    sys.exit(2)


@click.group()
@click.version_option(__version__, prog_name="khaudit")
def cli() -> None:
    """Audit an archive's digitization: inventories against scans, reports, handover."""


@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2025, show_default=True, help="Random seed.")
@click.option("--rows", default=300, show_default=True, help="Inventory rows per locality.")
@click.option("--localities", default=4, show_default=True, type=click.IntRange(1, 4))
@click.option("--force", is_flag=True, help="Replace an earlier demo in OUT.")
@click.option("--hold-back", type=click.FloatRange(0, 0.9), default=0.0, show_default=True,
              help="Keep this share of good scans in OUT/incoming until --deliver.")
@click.option("--deliver", is_flag=True, help="Move held-back scans into the scan roots.")
def demo(out: Path, seed: int, rows: int, localities: int, force: bool, hold_back: float,
         deliver: bool) -> None:
    """Write the demo province (inventories, scans, ground truth, project.toml) to OUT."""
    from .demo import deliver_demo, generate_demo

    if deliver:
        click.echo(f"Delivered {deliver_demo(out)} held-back scans into {out}/scans")
        return
    try:
        project = generate_demo(out, seed=seed, rows=rows, localities=localities, force=force,
                                progress=lambda name: click.echo(f"demo: {name}", err=True),
                                hold_back=hold_back)
    except KhauditError as exc:
        _fail(exc)
    click.echo(f"Demo province written: {project}")


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Run directory to write.")
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True)
@click.option("--no-report", is_flag=True, help="Write the tables only, no HTML/xlsx reports.")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="The date the run is recorded at in the history (back-filling, tests).")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="Run the work on this Dask distributed scheduler.")
def audit(project: Path, out: Path, lang: str, no_report: bool, as_of,
          scheduler: str | None) -> None:
    """Load inventories, scan, match, reconcile and write the run (and its reports) to OUT."""
    from .audit import audit as run_audit

    try:
        run = run_audit(project, out, lang=lang, as_of=as_of, scheduler=scheduler)
    except KhauditError as exc:
        _fail(exc)
    for name, roots in run.meta["schemes"].items():
        for root, schemes in roots.items():
            total = sum(schemes.values()) or 1
            text = ", ".join(f"{k} {v} ({v * 100 / total:.0f}%)" for k, v in
                             sorted(schemes.items(), key=lambda kv: -kv[1]))
            click.echo(f"{name}: {root}: naming schemes detected: {text}")
    for name, counts in run.meta["counts"].items():
        rec = ", ".join(f"{k} {v}" for k, v in counts["records"].items() if v)
        click.echo(f"{name}: records: {rec}")
    click.echo(f"Run written to {out} (fingerprint {run.meta['run_id']})")
    if not no_report:
        from .report.render import render_reports

        for path in render_reports(out, lang=lang):
            click.echo(f"Report: {path}")


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--locality", multiple=True, help="Only these localities (name, slug or code).")
@click.option("--sha256/--no-sha256", default=None,
              help="Also compute SHA-256 (default: the project's [scan] sha256).")
@click.option("--no-pages", is_flag=True, help="Hash only: no page counts or integrity checks.")
@click.option("--workers", type=int, default=None, help="Processes (default: one per core).")
@click.option("--max-mbps", type=float, default=None, help="Cap the read rate (network shares).")
@click.option("--full", is_flag=True, help="Read every file again, changed or not.")
def scan(project: Path, locality: tuple[str, ...], sha256: bool | None, no_pages: bool,
         workers: int | None, max_mbps: float | None, full: bool) -> None:
    """Bring the scan catalogue up to date with the project's scan roots (read-only)."""
    from .project import load_project
    from .scan.catalogue import Catalogue

    try:
        proj = load_project(project)
        chosen = [proj.locality(n) for n in locality] or list(proj.localities)
    except KhauditError as exc:
        _fail(exc)
    settings = proj.scan
    with Catalogue(settings.catalogue or ":memory:") as catalogue:
        for loc in chosen:
            for root in loc.scan_roots:
                summary = catalogue.scan(
                    root, sha256=settings.sha256 if sha256 is None else sha256,
                    pages=not no_pages,
                    workers=settings.workers if workers is None else workers,
                    max_mbps=settings.max_mbps if max_mbps is None else max_mbps, full=full,
                    desc=f"scan {loc.name}")
                click.echo(f"{loc.name}: {summary.line()}")
    click.echo(f"Catalogue: {settings.catalogue}")


@cli.command()
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--locality", multiple=True, help="Only these localities (name or slug).")
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True)
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786",
              help="Render on this Dask distributed scheduler.")
def report(run_dir: Path, locality: tuple[str, ...], lang: str, scheduler: str | None) -> None:
    """Render the HTML and xlsx report of each locality of a run."""
    from . import executor
    from .report.render import render_reports

    executor.configure(scheduler)
    try:
        for path in render_reports(run_dir, localities=list(locality) or None, lang=lang):
            click.echo(f"Report: {path}")
    except KhauditError as exc:
        _fail(exc)


@cli.command()
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("truth_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help="Exit 1 unless every injected problem is found.")
def score(run_dir: Path, truth_dir: Path, strict: bool) -> None:
    """Compare a run with a ground truth: link precision/recall, statuses, injected problems."""
    from .evaluate import format_score, score_run

    try:
        result = score_run(run_dir, truth_dir)
    except KhauditError as exc:
        _fail(exc)
    click.echo(format_score(result))
    if strict and not result.all_injected_found:
        sys.exit(1)


@cli.command()
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--exclude", "exclude", metavar="RUN_ID", help="Leave a run out of forecasts.")
@click.option("--reason", default="", help="Why the run is excluded (required with --exclude).")
def history(project: Path, exclude: str | None, reason: str) -> None:
    """List the project's audits over time and forecast each locality against the deadline."""
    from .forecast import forecast_all, forecast_table
    from .history import exclude_run, history_table, read_history
    from .project import load_project

    try:
        proj = load_project(project)
        assert proj.history is not None
        if exclude:
            exclude_run(proj.history, exclude, reason)
            click.echo(f"Run {exclude} excluded from forecasts: {reason}")
    except KhauditError as exc:
        _fail(exc)
    entries = read_history(proj.history, include_excluded=True)
    if not entries:
        click.echo(f"No audits recorded yet in {proj.history}")
        return
    for entry in entries:
        done = sum(s["digitized"] for s in entry.localities.values())
        total = sum(s["records"] for s in entry.localities.values()) or 1
        mark = f"  (excluded: {entry.excluded})" if entry.excluded else ""
        click.echo(f"{entry.as_of}  {entry.run_id}  {done}/{total} digitized "
                   f"({done / total:.1%}){mark}")
    table = forecast_table(forecast_all(history_table(read_history(proj.history)),
                                        proj.progress))
    if len(table):
        click.echo("")
        columns = ["locality", "completion", "pace", "forecast", "earliest", "latest",
                   "days_vs_deadline", "pages_to_scan", "working_days", "budget", "note"]
        shown = table[columns].copy()
        shown["completion"] = (100 * shown["completion"]).round(1).astype(str) + "%"
        shown["pace"] = shown["pace"].map(lambda v: "" if v is None or v != v else f"{v:.2f}/day")
        shown["note"] = shown["note"].map(lambda c: t(f"forecast.{c}", "en") if c else "")
        click.echo(shown.to_string(index=False))


@cli.command("verify-report")
@click.argument("report", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
def verify_report_command(report: Path, run_dir: Path) -> None:
    """Say whether a report (HTML, PDF minutes, xlsx) still matches its run; exit 1 if not."""
    from .report.verify_report import verify_report

    try:
        check = verify_report(report, run_dir)
    except KhauditError as exc:
        _fail(exc)
    click.echo(check.explain())
    if not check.matches:
        sys.exit(1)


@cli.group()
def review() -> None:
    """Decide the links khaudit would not make alone."""


@review.command("export")
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default="vi", show_default=True)
def review_export(run_dir: Path, out: Path, lang: str) -> None:
    """Write the pairs to decide as an xlsx with an Accept/Reject column."""
    from .review import export_review

    try:
        n = export_review(run_dir, out, lang=lang)
    except KhauditError as exc:
        _fail(exc)
    click.echo(f"{n} candidate pairs written to {out}")


@review.command("import")
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--project", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", default="", help="Who decided (default: the login name).")
def review_import(file: Path, project: Path, by: str) -> None:
    """Record the decisions of a filled-in review workbook; the next audit applies them."""
    from .project import load_project
    from .review import import_review

    try:
        proj = load_project(project)
        recorded, problems = import_review(file, proj.decisions, by=by)
    except KhauditError as exc:
        _fail(exc)
    for problem in problems:
        click.echo(f"{file}: {problem}", err=True)
    click.echo(f"{recorded} decisions recorded in {proj.decisions}; the next audit applies them")
    if problems:
        sys.exit(1)


@cli.group()
def inventory() -> None:
    """Inventory files on their own, before an audit."""


@inventory.command("check")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--column", "columns", multiple=True, metavar="FIELD=HEADING",
              help="Map a heading khaudit does not know, e.g. title='Nội dung'.")
def inventory_check(files: tuple[Path, ...], columns: tuple[str, ...]) -> None:
    """Show what khaudit detects in inventory FILES; exit 1 if any has errors."""
    from .inventory.check import check_inventory, format_check

    overrides = {}
    for item in columns:
        field, _, heading = item.partition("=")
        if not heading:
            _fail(KhauditError(f"--column {item!r}: write FIELD=HEADING, e.g. title=Nội dung"))
        overrides[field.strip()] = heading.strip()
    errors = 0
    for path in files:
        result = check_inventory(path, overrides)
        click.echo(format_check(result))
        errors += result.errors
    sys.exit(1 if errors else 0)


@cli.command()
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--locality", required=True, help="The locality to hand over (name, slug, code).")
@click.option("--out", required=True, type=click.Path(path_type=Path), help="The bag to write.")
@click.option("--mode", type=click.Choice(["link", "copy", "fetch"]), default="link",
              show_default=True, help="Hard-link, copy, or leave scans in place (fetch.txt).")
@click.option("--rehash", is_flag=True, help="Read every file again instead of trusting the "
              "scan catalogue for unchanged files.")
@click.option("--project", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="The project file, if it moved since the audit.")
def package(run_dir: Path, locality: str, out: Path, mode: str, rehash: bool,
            project: Path | None) -> None:
    """Write a locality's handover bag (BagIt): scans, inventories, run tables, report."""
    from .handover.package import package_locality

    try:
        result = package_locality(run_dir, locality, out, mode=mode, rehash=rehash,
                                  project=project)
    except KhauditError as exc:
        _fail(exc)
    click.echo(f"Bag written: {result.bag} ({result.files} files, {result.bytes} bytes; "
               f"{result.from_catalogue} SHA-256 reused from the audit, "
               f"{result.hashed} files read; "
               f"{result.linked} linked, {result.copied} copied, {result.fetch} left in place)")


@cli.command()
@click.argument("bag", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--fast", is_flag=True, help="Payload-Oxum and presence only, no hashing.")
def verify(bag: Path, fast: bool) -> None:
    """Check a bag on receipt: missing, altered and unexpected files; exit 1 on any problem."""
    from .handover.verify import verify_bag

    result = verify_bag(bag, fast=fast)
    for problem in result.problems:
        click.echo(str(problem))
    what = "presence and Payload-Oxum" if fast else "every hash"
    if result.valid:
        click.echo(f"{bag}: valid ({result.files} files, {result.bytes} bytes; checked {what})")
    else:
        click.echo(f"{bag}: NOT VALID: {len(result.problems)} problem(s) (checked {what})")
        sys.exit(1)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
