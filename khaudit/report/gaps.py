"""Gap exploration for analysts: filter what is not digitized, drill into a record's candidates,
and decide review pairs, all from a JupyterLab notebook (notebooks/explore_gaps.ipynb).

The queries are plain functions over the run tables (tested); :func:`explorer` wires them to
ipywidgets, and decisions go through the same log as ``khaudit review import``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..contract import true_column
from ..i18n import t
from ..match.decisions import Decision, record_decisions
from ..run import Run

GAP_STATUSES = ("missing", "page_mismatch", "damaged_scan", "needs_review", "duplicate_entry")
GAP_COLUMNS = [
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "box",
    "file_no",
    "title",
    "year_start",
    "sheets",
    "pages",
    "status",
    "note",
]


def localities(run: Run) -> list[str]:
    return [loc["name"] for loc in run.meta.get("localities", [])]


def gaps(
    run: Run,
    locality: str | None = None,
    statuses: tuple[str, ...] = GAP_STATUSES,
    text: str = "",
    tthc_only: bool = False,
) -> pd.DataFrame:
    """Records that are not digitized, filtered; ``text`` searches title, code and note
    without regard to case or Vietnamese marks."""
    from ..textnorm import fold

    records = run.records
    mask = records["status"].isin(statuses)
    if locality:
        mask &= records["locality"] == locality
    if tthc_only:
        mask &= true_column(records["tthc"])
    if text.strip():
        needle = fold(text)
        haystack = (
            records["title"].astype(str)
            + " "
            + records["record_code"].astype(str)
            + " "
            + records["note"].astype(str)
        ).map(fold)
        mask &= haystack.str.contains(needle, regex=False)
    return records.loc[mask, GAP_COLUMNS].reset_index(drop=True)


def candidates_for(
    run: Run, locality: str, source_file: str, source_sheet: str, source_row: int
) -> pd.DataFrame:
    """The scans proposed for one record, best first."""
    table = run.table("candidates")
    if table.empty:
        return table
    mine = table[
        (table["locality"] == locality)
        & (table["source_file"] == source_file)
        & (table["source_sheet"].astype(str) == str(source_sheet or ""))
        & (table["source_row"].astype(str) == str(source_row))
    ]
    return mine.sort_values("candidate_score", ascending=False).reset_index(drop=True)


def decide(decisions_file: Path, candidate: pd.Series | dict, verdict: str, by: str = "") -> int:
    """Record a decision about one candidate pair (a row of the candidates table)."""
    row = dict(candidate)
    return record_decisions(
        decisions_file,
        [
            Decision(
                locality=str(row["locality"]),
                content=str(row["xxh3_128"]),
                source_file=str(row["source_file"]),
                source_sheet=str(row.get("source_sheet") or ""),
                source_row=int(row["source_row"]),
                verdict=verdict,
                path=str(row["path"]),
            )
        ],
        by=by,
    )


def explorer(run: Run, decisions_file: Path | None = None, by: str = "", lang: str = "vi"):
    """An interactive explorer: filters, the gap table, a record's candidates, decisions."""
    import ipywidgets as W
    from IPython.display import display

    locality = W.Dropdown(
        options=[(t("gaps.all", lang), "")] + [(n, n) for n in localities(run)],
        description=t("report.locality", lang),
    )
    status = W.SelectMultiple(
        options=[(t(f"status.{s}", lang), s) for s in GAP_STATUSES],
        value=GAP_STATUSES,
        description=t("col.status", lang),
    )
    text = W.Text(placeholder=t("gaps.search_hint", lang), description=t("gaps.search", lang))
    tthc = W.Checkbox(description=t("gaps.tthc_only", lang))
    row = W.BoundedIntText(description=t("gaps.row", lang), min=0, max=10**9)
    table_out, detail_out = W.Output(), W.Output()
    accept = W.Button(description=t("report.accept", lang))
    reject = W.Button(description=t("report.reject", lang))
    state: dict[str, pd.DataFrame] = {}

    def refresh(*_: object) -> None:
        state["gaps"] = gaps(
            run, locality.value or None, tuple(status.value), text.value, tthc.value
        )
        with table_out:
            table_out.clear_output()
            display(state["gaps"].head(500))

    def show(*_: object) -> None:
        with detail_out:
            detail_out.clear_output()
            frame = state.get("gaps", pd.DataFrame())
            if row.value >= len(frame):
                return
            r = frame.iloc[row.value]
            state["candidates"] = candidates_for(
                run, r["locality"], r["source_file"], r["source_sheet"], r["source_row"]
            )
            display(r.to_frame().T)
            display(state["candidates"])

    def record(verdict: str) -> None:
        found = state.get("candidates")
        if decisions_file is None or found is None or found.empty:
            return
        decide(decisions_file, found.iloc[0], verdict, by=by)
        with detail_out:
            print(f"{verdict}: {found.iloc[0]['path']} → {decisions_file}")

    for widget in (locality, status, text, tthc):
        widget.observe(refresh, names="value")
    row.observe(show, names="value")
    accept.on_click(lambda _: record("accept"))
    reject.on_click(lambda _: record("reject"))
    refresh()
    show()
    return W.VBox(
        [
            W.HBox([locality, text, tthc]),
            status,
            table_out,
            W.HBox([row, accept, reject]),
            detail_out,
        ]
    )
