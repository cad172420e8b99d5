"""A comparison of two runs as a person reads it (terminal tables, the explorer's tables) and
as a CSV for a spreadsheet; headings and statuses in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import KhauditError
from .history_view import aligned, number
from .i18n import t

if TYPE_CHECKING:
    import pandas as pd

    from .compare import Comparison

#: Rows of each detail table shown on a terminal; the CSV (``--out``) has them all.
SHOWN_ROWS = 40


def status_label(status: str, lang: str | None = None) -> str:
    """A record status in words; the empty status of a row present in one run only."""
    return t(f"status.{status}", lang) if status else t("compare.absent", lang)


def _cut(text: str, width: int = 48) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def transitions_frame(comparison: Comparison, lang: str | None = None) -> pd.DataFrame:
    """Status transitions with translated headings and statuses (for the explorer)."""
    table = comparison.transitions()
    return table.assign(
        status_a=[status_label(s, lang) for s in table["status_a"]],
        status_b=[status_label(s, lang) for s in table["status_b"]],
    ).rename(
        columns={
            "status_a": t("compare.before", lang),
            "status_b": t("compare.after", lang),
            "records": t("compare.records", lang),
        }
    )


def records_frame(comparison: Comparison, lang: str | None = None) -> pd.DataFrame:
    """Every record that moved, headings and statuses translated."""
    frame = comparison.records.assign(
        status_a=[status_label(s, lang) for s in comparison.records["status_a"]],
        status_b=[status_label(s, lang) for s in comparison.records["status_b"]],
    )
    headings = {c: t(f"col.{c}", lang) for c in frame.columns if not c.startswith("status_")}
    headings |= {"status_a": t("compare.before", lang), "status_b": t("compare.after", lang)}
    return frame.rename(columns=headings)


def files_frame(comparison: Comparison, lang: str | None = None) -> pd.DataFrame:
    """Every scan file that changed, the kind of change in words."""
    frame = comparison.files.assign(
        kind=[t(f"compare.file_{k}", lang) for k in comparison.files["kind"]]
    )
    headings = {c: t(f"col.{c}" if c != "root" else "col.scan_root", lang) for c in frame.columns}
    return frame.rename(columns=headings)


def _records_text(comparison: Comparison) -> list[str]:
    lines = [t("compare.records_moved", n=number(len(comparison.records)))]
    transitions = comparison.transitions()
    if transitions.empty:
        return lines
    heads = [t("compare.before"), t("compare.after"), t("compare.records")]
    rows = [
        [status_label(r.status_a), status_label(r.status_b), number(r.records)]
        for r in transitions.itertuples()
    ]
    lines += ["", aligned([heads, *rows], right={2}), ""]
    detail = comparison.records.head(SHOWN_ROWS)
    heads = [t("col.locality"), t("col.source_row"), t("col.record_code"), t("col.title")]
    heads += [t("compare.before"), t("compare.after")]
    rows = [
        [
            r.locality,
            " ".join(str(p) for p in (Path(r.source_file).name, r.source_sheet, r.source_row) if p),
            r.record_code,
            _cut(r.title),
            status_label(r.status_a),
            status_label(r.status_b),
        ]
        for r in detail.itertuples()
    ]
    lines.append(aligned([heads, *rows]))
    if len(comparison.records) > SHOWN_ROWS:
        lines.append(t("compare.more", n=number(len(comparison.records) - SHOWN_ROWS)))
    return lines


def _files_text(comparison: Comparison) -> list[str]:
    counts = comparison.file_counts()
    words = ", ".join(f"{t(f'compare.file_{k}')} {number(v)}" for k, v in counts.items())
    lines = [t("compare.files_changed", counts=words)]
    if comparison.files.empty:
        return lines
    heads = [t("col.kind"), t("col.locality"), t("col.path"), t("col.other_path")]
    rows = [
        [t(f"compare.file_{r.kind}"), r.locality, r.path, r.other_path]
        for r in comparison.files.head(SHOWN_ROWS).itertuples()
    ]
    lines += ["", aligned([heads, *rows])]
    if len(comparison.files) > SHOWN_ROWS:
        lines.append(t("compare.more", n=number(len(comparison.files) - SHOWN_ROWS)))
    return lines


def comparison_text(comparison: Comparison) -> str:
    """The comparison for a terminal: the localities renamed between the runs, transitions,
    then the rows behind them (the first :data:`SHOWN_ROWS` of each), then the files."""
    lines = [t("compare.title", a=comparison.run_a, b=comparison.run_b), ""]
    renames = [t("compare.renamed", a=a, b=b) for a, b in sorted(comparison.renamed.items())]
    lines += [*renames, ""] if renames else []
    lines += _records_text(comparison)
    lines.append("")
    lines += _files_text(comparison)
    return "\n".join(lines)


def write_comparison(comparison: Comparison, out: Path, runs: Sequence[Path]) -> None:
    """Write every change as one CSV (UTF-8 with a BOM, so spreadsheets read the marks),
    atomically, each text cell escaped as the run's CSV tables are (a title typed as
    "=HYPERLINK(…)" stays text). A run folder is never written into: that would alter the
    run; nor a scan root, a folder of inventories or a file that is not an earlier
    comparison (:func:`khaudit.outfile.check_out_file`)."""
    from .atomic import write_text
    from .compare import COLUMNS
    from .outfile import check_out_file, csv_with_header, run_places
    from .run import for_spreadsheet, load_run

    target = out.resolve()
    roots: list[Path] = []
    inventories: list[Path] = []
    for run in runs:
        if target.is_relative_to(Path(run).resolve()):
            raise KhauditError(t("err.compare.inside_run", path=out, run=run))
        run_roots, run_inventories = run_places(load_run(run).meta)
        roots += run_roots
        inventories += run_inventories
    check_out_file(out, ".csv", csv_with_header(COLUMNS), roots, inventories)
    table = for_spreadsheet(comparison.table())
    write_text(out, "\ufeff" + table.to_csv(index=False, lineterminator="\r\n"))
