"""The ``khaudit`` command: a thin shell over the Python API (every flag is an API argument)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .cli_text import Group as _Group
from .cli_text import install_click_translation
from .errors import KhauditError
from .escape import for_terminal
from .i18n import LANGUAGES, language, set_language, t

if TYPE_CHECKING:
    from pathlib import Path


class _PathArg(click.Path):
    """click's checks of a path argument, the value handed to the command as a ``Path``.

    pathlib is imported when a command runs, not when the commands are built: with the modules
    it pulls in (urllib.parse, ipaddress, fnmatch) it costs ``--help`` a few milliseconds.
    """

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import os
        from pathlib import Path

        return Path(os.fsdecode(super().convert(value, param, ctx)))


def _fail(exc: Exception) -> None:
    click.echo(f"khaudit: {for_terminal(exc, lines=True)}", err=True)
    sys.exit(2)


install_click_translation()


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    """``--version`` in the command line's language (click's own message is made once, in the
    language of the moment its decorator runs, so ``--lang`` could not change it)."""
    if value and not ctx.resilient_parsing:
        click.echo(t("cli.version", version=__version__))
        ctx.exit()


@click.group(cls=_Group, help="help.cli")
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="help.version",
)
@click.option(
    "--lang", type=click.Choice(LANGUAGES), envvar="KHAUDIT_LANG", default=None, help="help.lang"
)
def cli(lang: str | None) -> None:
    """Audit an archive's digitization: inventories against scans, reports, handover."""
    if lang:
        set_language(lang)
    from .executor import start_method

    try:
        start_method()  # a wrong KHAUDIT_START_METHOD is said now, not from inside a stage
    except KhauditError as exc:
        _fail(exc)


@cli.command(help="help.demo")
@click.argument("out", type=_PathArg(file_okay=False))
@click.option("--seed", default=2025, show_default=True, help="help.demo.seed")
@click.option(
    "--rows", default=300, show_default=True, type=click.IntRange(30), help="help.demo.rows"
)
@click.option(
    "--localities",
    default=4,
    show_default=True,
    type=click.IntRange(1, 4),
    help="help.demo.localities",
)
@click.option("--force", is_flag=True, help="help.demo.force")
@click.option(
    "--hold-back",
    type=click.FloatRange(0, 0.9),
    default=0.0,
    show_default=True,
    help="help.demo.hold_back",
)
@click.option("--deliver", is_flag=True, help="help.demo.deliver")
def demo(
    out: Path, seed: int, rows: int, localities: int, force: bool, hold_back: float, deliver: bool
) -> None:
    """Write the demo province (inventories, scans, ground truth, project.toml) to OUT."""
    from .demo import deliver_demo, generate_demo

    if deliver:
        try:
            click.echo(t("cli.delivered", n=deliver_demo(out), path=out))
        except KhauditError as exc:
            _fail(exc)
        return
    try:
        project = generate_demo(
            out,
            seed=seed,
            rows=rows,
            localities=localities,
            force=force,
            progress=lambda name: click.echo(t("cli.demo_step", name=name), err=True),
            hold_back=hold_back,
        )
    except KhauditError as exc:
        _fail(exc)
    click.echo(t("cli.demo_written", path=project))


@cli.command(help="help.audit")
@click.argument("project", type=_PathArg(dir_okay=False))
@click.option(
    "--out",
    required=True,
    type=_PathArg(file_okay=False),
    help="help.audit.out",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="help.report_lang")
@click.option("--no-report", is_flag=True, help="help.audit.no_report")
@click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help="help.audit.as_of"
)
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help="help.scheduler")
def audit(
    project: Path, out: Path, lang: str, no_report: bool, as_of, scheduler: str | None
) -> None:
    """Load inventories, scan, match, reconcile and write the run (and its reports) to OUT."""
    from .audit import audit as run_audit
    from .project import load_project
    from .run import check_out

    try:
        lang = lang or language()
        proj = load_project(project)
        check_out(
            out,
            [root for loc in proj.localities for root in loc.scan_roots],
            [p for loc in proj.localities for p in loc.inventory_patterns],
        )
        run = run_audit(proj, out, lang=lang, as_of=as_of, scheduler=scheduler)
    except KhauditError as exc:
        _fail(exc)
    for warning in run.meta.get("warnings", []):
        click.echo(for_terminal(warning, lines=True), err=True)
    for name, roots in run.meta["schemes"].items():
        for root, schemes in roots.items():
            total = sum(schemes.values()) or 1
            text = ", ".join(
                f"{t('scheme.' + k)} {v} ({_share(v, total)})"
                for k, v in sorted(schemes.items(), key=lambda kv: -kv[1])
            )
            click.echo(for_terminal(t("cli.schemes", locality=name, root=root, schemes=text)))
    for name, roots in run.meta.get("conventions", {}).items():
        for root, adopted in roots.items():
            if adopted:
                click.echo(for_terminal(t("cli.conventions", locality=name, root=root)))
                for text in _conventions(root, adopted, lang):
                    click.echo("  " + for_terminal(text))
    for name, counts in run.meta["counts"].items():
        rec = ", ".join(f"{t('status.' + k)} {v}" for k, v in counts["records"].items() if v)
        click.echo(for_terminal(t("cli.records", locality=name, counts=rec)))
    click.echo(t("cli.run_written", path=out, run_id=run.meta["run_id"]))
    if not no_report:
        from .report.render import render_reports

        for path in render_reports(out, lang=lang):
            click.echo(t("cli.report_written", path=path))


def _share(part: int, total: int) -> str:
    """A whole percentage; a few files among many are "<1%", never "0%" of something."""
    share = part * 100 / total
    return "<1%" if 0 < share < 0.5 else f"{share:.0f}%"


def _conventions(root: str, adopted: list[dict[str, Any]], lang: str) -> list[str]:
    """A root's naming conventions, each reading of a field said once: matching adopts one
    per name shape and evidence, and a reader asks what a name means, not for which shape, so
    the shapes' evidence is summed and a field's kinds of evidence follow each other (certain
    links first). A reading the path parser knows, with no certain link to check it on, is
    said without a count of none."""
    from .match.readings import describe_field, describe_reading

    order = {"links": 0, "unique": 1, "parsed": 2}
    merged: dict[tuple[str, str], dict[str, list[int]]] = {}
    for c in adopted:
        evidence = merged.setdefault((str(c["reading"]), str(c["field"])), {})
        counts = evidence.setdefault(str(c["basis"]), [0, 0])
        counts[0] += int(c["agree"])
        counts[1] += int(c["checked"])
    out = []
    for (reading, field), evidence in merged.items():
        said = {"reading": describe_reading(reading, lang), "field": describe_field(field, lang)}
        head = f"{said['reading']} = {said['field']}"
        parts: list[str] = []
        for basis in sorted(evidence, key=lambda b: order.get(b, 3)):
            agree, checked = evidence[basis]
            key = "convention.parsed_alone" if basis == "parsed" and not checked else None
            text = t(key or f"convention.{basis}", lang, **said, agree=agree, checked=checked)
            parts.append(text.removeprefix(head).lstrip(": ") if parts else text)
        out.append(", ".join(parts))
    return out


@cli.command(help="help.scan")
@click.argument("project", type=_PathArg(dir_okay=False))
@click.option("--locality", multiple=True, help="help.localities")
@click.option("--sha256/--no-sha256", default=None, help="help.scan.sha256")
@click.option("--no-pages", is_flag=True, help="help.scan.no_pages")
@click.option("--workers", type=int, default=None, help="help.scan.workers")
@click.option("--max-mbps", type=float, default=None, help="help.scan.max_mbps")
@click.option("--full", is_flag=True, help="help.scan.full")
def scan(
    project: Path,
    locality: tuple[str, ...],
    sha256: bool | None,
    no_pages: bool,
    workers: int | None,
    max_mbps: float | None,
    full: bool,
) -> None:
    """Bring the scan catalogue up to date with the project's scan roots (read-only)."""
    from .project import load_project
    from .scan.catalogue import Catalogue

    try:
        proj = load_project(project)
        chosen = [proj.locality(n) for n in locality] or list(proj.localities)
    except KhauditError as exc:
        _fail(exc)
    settings = proj.scan
    try:
        catalogue = Catalogue(settings.catalogue or ":memory:")
    except KhauditError as exc:
        _fail(exc)
    if catalogue.note:
        click.echo(for_terminal(catalogue.note), err=True)
    with catalogue:
        for loc in chosen:
            for root in loc.scan_roots:
                summary = catalogue.scan(
                    root,
                    sha256=settings.sha256 if sha256 is None else sha256,
                    pages=not no_pages,
                    workers=settings.workers if workers is None else workers,
                    max_mbps=settings.max_mbps if max_mbps is None else max_mbps,
                    full=full,
                    desc=t("cli.scan_bar", locality=loc.name),
                )
                click.echo(for_terminal(f"{loc.name}: {summary.line()}"))
    click.echo(t("cli.catalogue", path=catalogue.path if settings.catalogue else None))


@cli.command(help="help.report")
@click.argument("run_dir", type=_PathArg(file_okay=False, exists=True))
@click.option("--locality", multiple=True, help="help.report.localities")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="help.report_lang")
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help="help.report.scheduler")
def report(run_dir: Path, locality: tuple[str, ...], lang: str, scheduler: str | None) -> None:
    """Render the HTML and xlsx report of each locality of a run."""
    from . import executor
    from .report.render import render_reports

    executor.configure(scheduler)
    try:
        for path in render_reports(
            run_dir, localities=list(locality) or None, lang=lang or language()
        ):
            click.echo(t("cli.report_written", path=path))
    except KhauditError as exc:
        _fail(exc)


@cli.command(help="help.score")
@click.argument("run_dir", type=_PathArg(file_okay=False, exists=True))
@click.argument("truth_dir", type=_PathArg(file_okay=False, exists=True))
@click.option("--strict", is_flag=True, help="help.score.strict")
def score(run_dir: Path, truth_dir: Path, strict: bool) -> None:
    """Compare a run with a ground truth: link precision/recall, statuses, injected problems."""
    from .evaluate import format_score, score_run

    try:
        result = score_run(run_dir, truth_dir)
    except KhauditError as exc:
        _fail(exc)
    click.echo(format_score(result, language()))
    if strict and not result.all_injected_found:
        sys.exit(1)


@cli.command(help="help.history")
@click.argument("project", type=_PathArg(dir_okay=False))
@click.option("--exclude", "exclude", metavar="RUN_ID", help="help.history.exclude")
@click.option("--reason", default="", help="help.history.reason")
def history(project: Path, exclude: str | None, reason: str) -> None:
    """List the project's audits over time and forecast each locality against the deadline."""
    from .forecast import forecast_all, forecast_table
    from .history import exclude_run, history_table, read_history
    from .history_view import forecast_text, history_line
    from .project import load_project

    try:
        proj = load_project(project)
        assert proj.history is not None
        if exclude:
            exclude_run(proj.history, exclude, reason)
            click.echo(for_terminal(t("cli.excluded", run_id=exclude, reason=reason)))
    except KhauditError as exc:
        _fail(exc)
    history_file = proj.history
    assert history_file is not None  # load_project always names one
    entries = read_history(history_file, include_excluded=True)
    if not entries:
        click.echo(t("cli.no_history", path=proj.history))
        return
    for entry in entries:
        click.echo(for_terminal(history_line(entry)))
    table = forecast_table(forecast_all(history_table(read_history(history_file)), proj.progress))
    if len(table):
        click.echo("")
        click.echo(for_terminal(forecast_text(table), lines=True))


@cli.command(help="help.compare")
@click.argument("run_a", type=_PathArg(file_okay=False, exists=True))
@click.argument("run_b", type=_PathArg(file_okay=False, exists=True))
@click.option("--out", type=_PathArg(dir_okay=False), default=None, help="help.compare.out")
def compare(run_a: Path, run_b: Path, out: Path | None) -> None:
    """Compare two runs: records whose status moved, scan files added, changed, moved."""
    from .compare import compare as compare_runs
    from .compare_view import comparison_text, write_comparison

    try:
        comparison = compare_runs(run_a, run_b)
        if out is not None:
            write_comparison(comparison, out, [run_a, run_b])
    except KhauditError as exc:
        _fail(exc)
    click.echo(for_terminal(comparison_text(comparison), lines=True))
    if out is not None:
        click.echo(t("cli.compare_written", path=out, n=len(comparison.table())))


@cli.command("verify-report", help="help.verify_report")
@click.argument("report", type=_PathArg(dir_okay=False, exists=True))
@click.argument("run_dir", type=_PathArg(file_okay=False, exists=True))
def verify_report_command(report: Path, run_dir: Path) -> None:
    """Say whether a report (HTML, PDF minutes, xlsx) still matches its run; exit 1 if not."""
    from .report.verify_report import verify_report

    try:
        check = verify_report(report, run_dir)
    except KhauditError as exc:
        _fail(exc)
    click.echo(for_terminal(check.explain(), lines=True))
    if not check.matches:
        sys.exit(1)


@cli.group(help="help.review")
def review() -> None:
    """Decide the links khaudit would not make alone."""


@review.command("export", help="help.review.export")
@click.argument("run_dir", type=_PathArg(file_okay=False, exists=True))
@click.option("--out", required=True, type=_PathArg(dir_okay=False), help="help.review.out")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help="help.report_lang")
def review_export(run_dir: Path, out: Path, lang: str) -> None:
    """Write the pairs to decide as an xlsx with an Accept/Reject column."""
    from .review import export_review

    try:
        n = export_review(run_dir, out, lang=lang or language())
    except KhauditError as exc:
        _fail(exc)
    click.echo(t("cli.review_written", n=n, path=out))


@review.command("import", help="help.review.import")
@click.argument("file", type=_PathArg(dir_okay=False, exists=True))
@click.option("--project", required=True, type=_PathArg(dir_okay=False))
@click.option("--by", default="", help="help.review.by")
@click.option(
    "--run",
    "run_dir",
    default=None,
    type=_PathArg(file_okay=False, exists=True),
    help="help.review.run",
)
def review_import(file: Path, project: Path, by: str, run_dir: Path | None) -> None:
    """Record the decisions of a filled-in review workbook; the next audit applies them."""
    from .project import load_project
    from .review import import_review

    try:
        proj = load_project(project)
        recorded, problems = import_review(file, proj.decisions, by=by, run_dir=run_dir)
    except KhauditError as exc:
        _fail(exc)
    for problem in problems:  # cells of the workbook: shown with control characters escaped
        click.echo(for_terminal(f"{file}: {problem}"), err=True)
    click.echo(t("cli.decisions", n=recorded, path=proj.decisions))
    if problems:
        sys.exit(1)


@cli.group(help="help.inventory")
def inventory() -> None:
    """Inventory files on their own, before an audit."""


@inventory.command("check", help="help.inventory.check")
@click.argument("files", nargs=-1, required=True, type=_PathArg(dir_okay=False, exists=True))
@click.option(
    "--column", "columns", multiple=True, metavar="FIELD=HEADING", help="help.inventory.column"
)
def inventory_check(files: tuple[Path, ...], columns: tuple[str, ...]) -> None:
    """Show what khaudit detects in inventory FILES; exit 1 if any has errors."""
    from .inventory.check import check_inventory, format_check

    overrides = {}
    for item in columns:
        field, _, heading = item.partition("=")
        if not heading:
            _fail(KhauditError(t("cli.column_option", item=item)))
        overrides[field.strip()] = heading.strip()
    errors = 0
    for path in files:
        result = check_inventory(path, overrides)
        click.echo(for_terminal(format_check(result), lines=True))
        errors += result.errors
    sys.exit(1 if errors else 0)


@cli.command(help="help.package")
@click.argument("run_dir", type=_PathArg(file_okay=False, exists=True))
@click.option("--locality", help="help.package.locality")
@click.option("--receiver", help="help.package.receiver")
@click.option("--out", required=True, type=_PathArg(), help="help.package.out")
@click.option(
    "--mode",
    type=click.Choice(["copy", "link", "fetch"]),
    default="copy",
    show_default=True,
    help="help.package.mode",
)
@click.option("--rehash", is_flag=True, help="help.package.rehash")
@click.option(
    "--project",
    type=_PathArg(dir_okay=False, exists=True),
    help="help.package.project",
)
def package(
    run_dir: Path,
    locality: str | None,
    receiver: str | None,
    out: Path,
    mode: str,
    rehash: bool,
    project: Path | None,
) -> None:
    """Write a locality's handover bag (BagIt): scans, inventories, run tables, report; or,
    with --receiver, everything zoned to one receiving unit across localities."""
    from .handover.package import package_locality
    from .handover.receiver import package_receiver

    try:
        if (locality is None) == (receiver is None):
            raise KhauditError(t("err.package.one_of"))
        if receiver is not None:
            result = package_receiver(
                run_dir, receiver, out, mode=mode, rehash=rehash, project=project, lang=language()
            )
        else:
            result = package_locality(
                run_dir, str(locality), out, mode=mode, rehash=rehash, project=project
            )
    except KhauditError as exc:
        _fail(exc)
    for note in result.notes:
        click.echo(for_terminal(t("bag.warning", problem=note), lines=True), err=True)
    click.echo(
        t(
            "cli.bag_written",
            bag=result.bag,
            files=result.files,
            bytes=result.bytes,
            reused=result.from_catalogue,
            hashed=result.hashed,
            linked=result.linked,
            copied=result.copied,
            fetch=result.fetch,
        )
    )


@cli.command(help="help.verify")
@click.argument("bag", type=_PathArg(file_okay=False, exists=True))
@click.option("--fast", is_flag=True, help="help.verify.fast")
def verify(bag: Path, fast: bool) -> None:
    """Check a bag on receipt: missing, altered and unexpected files; exit 1 on any problem."""
    from .handover.verify import verify_bag

    result = verify_bag(bag, fast=fast)
    for warning in result.warnings:
        click.echo(for_terminal(t("bag.warning", problem=warning), lines=True), err=True)
    for problem in result.problems:
        click.echo(for_terminal(problem, lines=True))
    what = t("cli.checked_fast") if fast else t("cli.checked_full")
    shown = for_terminal(bag)
    if result.valid:
        click.echo(t("cli.bag_valid", bag=shown, files=result.files, bytes=result.bytes, what=what))
    else:
        click.echo(t("cli.bag_invalid", bag=shown, n=len(result.problems), what=what))
        sys.exit(1)


def _tolerant_console() -> None:
    """Let output that the console's code page cannot show (Vietnamese on cp1252 or cp437, a
    Windows console redirected to a file) come out as "?" rather than end the run with a
    UnicodeEncodeError; a UTF-8 console is left as it is."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf8sig") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def main() -> None:
    _tolerant_console()
    try:
        cli()
    except Exception as exc:  # a refused write (disk full, read-only) is a sentence, not a bug
        from .cli_text import hoist_lang
        from .write_failure import write_failure

        # the command has ended and given back the language it was started in: speak the
        # one its --lang asked for
        words = hoist_lang(sys.argv[1:])
        if words[:1] == ["--lang"] and words[1:2] and words[1] in LANGUAGES:
            set_language(words[1])
        if (message := write_failure(exc)) is None:
            raise
        click.echo(f"khaudit: {message}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
