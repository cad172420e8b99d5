"""The ``khaudit`` command: a thin shell over the Python API (every flag is an API argument)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import KhauditError
from .escape import for_terminal
from .i18n import LANGUAGES, language, set_language, t


def _fail(exc: Exception) -> None:
    click.echo(f"khaudit: {for_terminal(exc, lines=True)}", err=True)
    sys.exit(2)


#: click asks gettext for the few words of its own it prints around khaudit's help texts; no
#: translation is installed for them, so they arrive in English and are mapped here.
_HEADINGS = {
    "Options": "help.click.options",
    "Commands": "help.click.commands",
    "Positional arguments": "help.click.arguments",
}


#: The notes click adds after an option's help, "[default: 3; required]", item by item.
_EXTRAS = (
    ("default: ", "help.click.default"),
    ("env var: ", "help.click.env_var"),
    ("required", "help.click.required"),
)


def _translated_extras(text: str) -> str:
    """An option's help with click's trailing "[...]" notes in khaudit's language."""
    head, sep, notes = text.rpartition("[")
    if not notes.endswith("]") or (head and not head.endswith("  ")):
        return text
    items = []
    for item in notes[:-1].split("; "):
        for english, key in _EXTRAS:
            if item.startswith(english):
                item = t(key) + item[len(english) :]
                break
        items.append(item)
    return f"{head}{sep}{'; '.join(items)}]"


class _HelpFormatter(click.HelpFormatter):
    """click's help layout with its words in khaudit's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, t("help.click.usage") + " " if prefix is None else prefix)

    def section(self, name: str):  # a context manager, as click's
        return super().section(t(_HEADINGS[name]) if name in _HEADINGS else name)

    def write_dl(self, rows, *args, **kwargs) -> None:
        super().write_dl([(term, _translated_extras(text)) for term, text in rows], *args, **kwargs)


class _Context(click.Context):
    formatter_class = _HelpFormatter


class _Translated:
    """Commands and groups whose help frame (usage line, headings, --help) is translated."""

    context_class: type[click.Context] = _Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", t("help.click.options_metavar"))
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = t("help.click.help")
        return option


class _Command(_Translated, click.Command):
    pass


class _Group(_Translated, click.Group):
    command_class = _Command
    group_class = type  # subgroups are translated groups too

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("subcommand_metavar", t("help.click.subcommand_metavar"))
        super().__init__(*args, **kwargs)


@click.group(cls=_Group, help=t("help.cli"))
@click.version_option(__version__, prog_name="khaudit", help=t("help.version"))
@click.option(
    "--lang", type=click.Choice(LANGUAGES), envvar="KHAUDIT_LANG", default=None, help=t("help.lang")
)
def cli(lang: str | None) -> None:
    """Audit an archive's digitization: inventories against scans, reports, handover."""
    if lang:
        set_language(lang)


@cli.command(help=t("help.demo"))
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=2025, show_default=True, help=t("help.demo.seed"))
@click.option("--rows", default=300, show_default=True, help=t("help.demo.rows"))
@click.option(
    "--localities",
    default=4,
    show_default=True,
    type=click.IntRange(1, 4),
    help=t("help.demo.localities"),
)
@click.option("--force", is_flag=True, help=t("help.demo.force"))
@click.option(
    "--hold-back",
    type=click.FloatRange(0, 0.9),
    default=0.0,
    show_default=True,
    help=t("help.demo.hold_back"),
)
@click.option("--deliver", is_flag=True, help=t("help.demo.deliver"))
def demo(
    out: Path, seed: int, rows: int, localities: int, force: bool, hold_back: float, deliver: bool
) -> None:
    """Write the demo province (inventories, scans, ground truth, project.toml) to OUT."""
    from .demo import deliver_demo, generate_demo

    if deliver:
        click.echo(t("cli.delivered", n=deliver_demo(out), path=out))
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


@cli.command(help=t("help.audit"))
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=t("help.audit.out"),
)
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=t("help.report_lang"))
@click.option("--no-report", is_flag=True, help=t("help.audit.no_report"))
@click.option(
    "--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None, help=t("help.audit.as_of")
)
@click.option("--scheduler", default=None, metavar="tcp://HOST:8786", help=t("help.scheduler"))
def audit(
    project: Path, out: Path, lang: str, no_report: bool, as_of, scheduler: str | None
) -> None:
    """Load inventories, scan, match, reconcile and write the run (and its reports) to OUT."""
    from .audit import audit as run_audit
    from .match.readings import Convention, describe
    from .project import load_project
    from .run import check_out

    try:
        lang = lang or language()
        proj = load_project(project)
        check_out(out, [root for loc in proj.localities for root in loc.scan_roots])
        run = run_audit(proj, out, lang=lang, as_of=as_of, scheduler=scheduler)
    except KhauditError as exc:
        _fail(exc)
    for warning in run.meta.get("warnings", []):
        click.echo(warning, err=True)
    for name, roots in run.meta["schemes"].items():
        for root, schemes in roots.items():
            total = sum(schemes.values()) or 1
            text = ", ".join(
                f"{t('scheme.' + k)} {v} ({v * 100 / total:.0f}%)"
                for k, v in sorted(schemes.items(), key=lambda kv: -kv[1])
            )
            click.echo(for_terminal(t("cli.schemes", locality=name, root=root, schemes=text)))
    for name, roots in run.meta.get("conventions", {}).items():
        for root, adopted in roots.items():
            if adopted:
                text = "; ".join(describe(Convention(root=root, **c), lang) for c in adopted)
                click.echo(
                    for_terminal(t("cli.convention", locality=name, root=root, convention=text))
                )
    for name, counts in run.meta["counts"].items():
        rec = ", ".join(f"{t('status.' + k)} {v}" for k, v in counts["records"].items() if v)
        click.echo(for_terminal(t("cli.records", locality=name, counts=rec)))
    click.echo(t("cli.run_written", path=out, run_id=run.meta["run_id"]))
    if not no_report:
        from .report.render import render_reports

        for path in render_reports(out, lang=lang):
            click.echo(t("cli.report_written", path=path))


@cli.command(help=t("help.scan"))
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--locality", multiple=True, help=t("help.localities"))
@click.option("--sha256/--no-sha256", default=None, help=t("help.scan.sha256"))
@click.option("--no-pages", is_flag=True, help=t("help.scan.no_pages"))
@click.option("--workers", type=int, default=None, help=t("help.scan.workers"))
@click.option("--max-mbps", type=float, default=None, help=t("help.scan.max_mbps"))
@click.option("--full", is_flag=True, help=t("help.scan.full"))
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
    with Catalogue(settings.catalogue or ":memory:") as catalogue:
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
                click.echo(f"{loc.name}: {summary.line()}")
    click.echo(t("cli.catalogue", path=settings.catalogue))


@cli.command(help=t("help.report"))
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--locality", multiple=True, help=t("help.report.localities"))
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=t("help.report_lang"))
@click.option(
    "--scheduler", default=None, metavar="tcp://HOST:8786", help=t("help.report.scheduler")
)
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


@cli.command(help=t("help.score"))
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.argument("truth_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--strict", is_flag=True, help=t("help.score.strict"))
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


@cli.command(help=t("help.history"))
@click.argument("project", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--exclude", "exclude", metavar="RUN_ID", help=t("help.history.exclude"))
@click.option("--reason", default="", help=t("help.history.reason"))
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
            click.echo(t("cli.excluded", run_id=exclude, reason=reason))
    except KhauditError as exc:
        _fail(exc)
    history_file = proj.history
    assert history_file is not None  # load_project always names one
    entries = read_history(history_file, include_excluded=True)
    if not entries:
        click.echo(t("cli.no_history", path=proj.history))
        return
    for entry in entries:
        done = sum(s["digitized"] for s in entry.localities.values())
        total = sum(s["records"] for s in entry.localities.values()) or 1
        mark = t("cli.history_excluded", reason=entry.excluded) if entry.excluded else ""
        click.echo(
            t(
                "cli.history_line",
                as_of=entry.as_of,
                run_id=entry.run_id,
                done=done,
                total=total,
                share=done / total,
                mark=mark,
            )
        )
    table = forecast_table(forecast_all(history_table(read_history(history_file)), proj.progress))
    if len(table):
        click.echo("")
        columns = [
            "locality",
            "completion",
            "pace",
            "forecast",
            "earliest",
            "latest",
            "days_vs_deadline",
            "pages_to_scan",
            "working_days",
            "budget",
            "note",
        ]
        shown = table[columns].copy()
        shown["completion"] = (100 * shown["completion"]).round(1).astype(str) + "%"
        shown["pace"] = shown["pace"].map(
            lambda v: "" if v is None or v != v else t("cli.per_day", pace=v)
        )
        shown["note"] = shown["note"].map(lambda c: t(f"forecast.{c}") if c else "")
        click.echo(shown.to_string(index=False))


@cli.command("verify-report", help=t("help.verify_report"))
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


@cli.group(help=t("help.review"))
def review() -> None:
    """Decide the links khaudit would not make alone."""


@review.command("export", help=t("help.review.export"))
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--lang", type=click.Choice(LANGUAGES), default=None, help=t("help.report_lang"))
def review_export(run_dir: Path, out: Path, lang: str) -> None:
    """Write the pairs to decide as an xlsx with an Accept/Reject column."""
    from .review import export_review

    try:
        n = export_review(run_dir, out, lang=lang or language())
    except KhauditError as exc:
        _fail(exc)
    click.echo(t("cli.review_written", n=n, path=out))


@review.command("import", help=t("help.review.import"))
@click.argument("file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--project", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--by", default="", help=t("help.review.by"))
@click.option(
    "--run",
    "run_dir",
    default=None,
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help=t("help.review.run"),
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


@cli.group(help=t("help.inventory"))
def inventory() -> None:
    """Inventory files on their own, before an audit."""


@inventory.command("check", help=t("help.inventory.check"))
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path)
)
@click.option(
    "--column", "columns", multiple=True, metavar="FIELD=HEADING", help=t("help.inventory.column")
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


@cli.command(help=t("help.package"))
@click.argument("run_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--locality", help=t("help.package.locality"))
@click.option("--receiver", help=t("help.package.receiver"))
@click.option("--out", required=True, type=click.Path(path_type=Path), help=t("help.package.out"))
@click.option(
    "--mode",
    type=click.Choice(["copy", "link", "fetch"]),
    default="copy",
    show_default=True,
    help=t("help.package.mode"),
)
@click.option("--rehash", is_flag=True, help=t("help.package.rehash"))
@click.option(
    "--project",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=t("help.package.project"),
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
        click.echo(t("bag.warning", problem=note), err=True)
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


@cli.command(help=t("help.verify"))
@click.argument("bag", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--fast", is_flag=True, help=t("help.verify.fast"))
def verify(bag: Path, fast: bool) -> None:
    """Check a bag on receipt: missing, altered and unexpected files; exit 1 on any problem."""
    from .handover.verify import verify_bag

    result = verify_bag(bag, fast=fast)
    for warning in result.warnings:
        click.echo(t("bag.warning", problem=warning), err=True)
    for problem in result.problems:
        click.echo(str(problem))
    what = t("cli.checked_fast") if fast else t("cli.checked_full")
    shown = for_terminal(bag)
    if result.valid:
        click.echo(t("cli.bag_valid", bag=shown, files=result.files, bytes=result.bytes, what=what))
    else:
        click.echo(t("cli.bag_invalid", bag=shown, n=len(result.problems), what=what))
        sys.exit(1)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
