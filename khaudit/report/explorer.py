"""The analyst's explorer in JupyterLab: interactive tables (itables) of every gap, the
candidates of any row, decisions about any candidate, and one audit against another.

Tables are itables DataTables built on the table's own HTML (``use_to_html``): in JupyterLab
they search, sort and page; in a notebook nobody has trusted yet (one papermill wrote) the same
HTML still shows every row as a plain table, with nothing that needs the trust. Headings,
statuses and the DataTables controls speak the reader's language. The widgets (filters, the
row's candidates, the decision buttons) need a running kernel; their text form says so instead
of printing ``VBox(children=...)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import KhauditError
from ..i18n import t
from ..run import Run
from . import gaps as G
from .notes import notes_in_language

#: Headings whose catalogue key is not "col.<column>".
HEADINGS = {"root": "col.scan_root"}
#: Columns whose values are statuses (worded by the catalogue as "status.<code>").
STATUS_COLUMNS = ("status", "file_status")


def localized(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """``frame`` for a reader: headings and statuses in ``lang``, blanks instead of markers
    ("None", "<NA>", "nan"), a "#" column first with the row's number in the table, counted
    from 1 as a person counts (the number the row box takes); notes in ``lang``."""
    out = frame.copy()
    for column in STATUS_COLUMNS:
        if column in out.columns:
            out[column] = out[column].map(lambda s: t(f"status.{s}", lang) if s else "")
    if "origin" in out.columns:
        out["origin"] = out["origin"].map(lambda s: t(f"gaps.origin_{s}", lang) if s else "")
    if "candidate_score" in out.columns:
        out["candidate_score"] = (
            (100 * pd.to_numeric(out["candidate_score"])).round().astype("Int64")
        )
    out = notes_in_language(out, lang, None).astype(object)
    out = out.where(out.notna(), "")
    out.insert(0, "row", range(1, len(out) + 1))
    return out.rename(columns={c: t(HEADINGS.get(c, f"col.{c}"), lang) for c in out.columns})


def _datatable_language(lang: str) -> dict[str, str]:
    keys = {
        "search": "table.search",
        "info": "table.info",
        "infoEmpty": "table.info_empty",
        "infoFiltered": "table.info_filtered",
        "lengthMenu": "table.length_menu",
        "zeroRecords": "table.zero_records",
    }
    return {option: t(key, lang) for option, key in keys.items()}


def numbered(frame: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """``frame`` indexed by its rows' numbers, 1, 2, 3… under the "#" heading (its "#" column
    when it has one). The index is what the plain table shows in a notebook nobody has
    trusted yet (itables prints it there whatever ``showIndex`` says): never pandas' 0, 1, 2."""
    heading = t("col.row", lang)
    if heading in frame.columns:
        out = frame.set_index(heading)
    else:
        out = frame.set_axis(range(1, len(frame) + 1), axis="index")
    out.index.name = None
    out.columns.name = heading
    return out


def table_html(frame: pd.DataFrame, caption: str, lang: str = "vi") -> str:
    """An interactive table of every row of ``frame`` (searchable, sortable, selectable),
    its rows numbered from 1."""
    import itables

    return itables.to_html_datatable(
        numbered(localized(frame, lang), lang),
        caption=caption,
        use_to_html=True,
        showIndex=True,
        select=True,
        language=_datatable_language(lang),
        lengthMenu=[10, 25, 100, 1000],
        classes="display compact",
    )


def show_table(frame: pd.DataFrame, caption: str, lang: str = "vi") -> None:
    """Display :func:`table_html` in the notebook."""
    from IPython.display import HTML, display

    display(HTML(table_html(frame, caption, lang)))


def show_gaps(run: Run, lang: str = "vi") -> None:
    """Every record not digitized, in one interactive table."""
    frame = G.gaps(run)
    show_table(frame, t("gaps.caption_gaps", lang, n=len(frame)), lang)


def show_orphans(run: Run, lang: str = "vi") -> None:
    """Every scan no record claims (or waiting for review), in one interactive table."""
    frame = G.orphans(run)
    show_table(frame, t("gaps.caption_orphans", lang, n=len(frame)), lang)


def setup() -> None:
    """Load itables' code into the notebook once, so tables work offline."""
    import itables

    itables.init_notebook_mode(all_interactive=False, connected=False)


def show_comparison(run: Run, earlier: str | Path | None, lang: str = "vi") -> None:
    """The audit ``earlier`` against ``run``: status transitions, the records that moved and
    the scan files that changed, as interactive tables."""
    from IPython.display import HTML, display

    from ..compare import compare
    from ..compare_view import files_frame, records_frame, transitions_frame

    if not earlier:
        display(HTML(f"<p>{_escape(t('gaps.compare_none', lang))}</p>"))
        return
    try:
        result = compare(earlier, run)
    except KhauditError as exc:  # no run there: said in the notebook, the rest still runs
        display(HTML(f"<p>{_escape(str(exc))}</p>"))
        return
    name = result.run_a
    tables = (
        (transitions_frame(result, lang), t("gaps.caption_transitions", lang, run=name)),
        (
            records_frame(result, lang),
            t("gaps.caption_moved", lang, run=name, n=len(result.records)),
        ),
        (files_frame(result, lang), t("gaps.caption_files", lang, run=name, n=len(result.files))),
    )
    for frame, caption in tables:
        display(HTML(_plain_table_html(frame, caption, lang)))


def _plain_table_html(frame: pd.DataFrame, caption: str, lang: str) -> str:
    """An interactive table of a frame whose headings are already in the reader's language,
    its rows numbered from 1."""
    import itables

    shown = frame.astype(object).where(frame.notna(), "")
    return itables.to_html_datatable(
        numbered(shown, lang),
        caption=caption,
        use_to_html=True,
        showIndex=True,
        select=True,
        language=_datatable_language(lang),
        classes="display compact",
    )


def _percent(score: object) -> str:
    return f"{round(100 * float(str(score or 0)))}%"


def _escape(text: str) -> str:
    import html

    return html.escape(text)


def explorer(run: Run, decisions_file: Path | None = None, by: str = "", lang: str = "vi") -> Any:
    """The interactive explorer: filters, the table, a row's candidates, decisions."""
    return Explorer(run, decisions_file, by, lang).box


def _box_class() -> Any:
    import ipywidgets as W

    class ExplorerBox(W.VBox):
        """The explorer's widgets; shown as a sentence where no kernel runs them."""

        hint = ""

        def __repr__(self) -> str:
            return self.hint

    return ExplorerBox


class Explorer:
    """The widgets and what they do; ``box`` is what the notebook displays, ``controls``
    names each widget (for tests and for people extending the explorer)."""

    def __init__(self, run: Run, decisions_file: Path | None, by: str, lang: str):
        import ipywidgets as W

        self.run, self.log, self.lang = run, decisions_file, lang
        self.frame = pd.DataFrame()
        self.options = pd.DataFrame()
        c = self.controls = self._widgets(W, by)
        for name in ("mode", "locality", "status", "text", "tthc"):
            c[name].observe(self.refresh, names="value")
        c["row"].observe(self.show_row, names="value")
        c["accept"].on_click(lambda _: self.record("accept"))
        c["reject"].on_click(lambda _: self.record("reject"))
        self.box = _box_class()(
            [
                W.HBox([c["reviewer"], c["mode"]]),
                W.HBox([c["locality"], c["text"], c["tthc"]]),
                c["status"],
                c["table"],
                W.HBox([c["row"], c["option"], c["accept"], c["reject"]]),
                c["message"],
                c["detail"],
            ]
        )
        self.box.hint = t("gaps.static_hint", lang)
        self.refresh()

    def _widgets(self, W: Any, by: str) -> dict[str, Any]:
        lang = self.lang
        return {
            "reviewer": W.Text(
                value=by,
                description=t("gaps.reviewer", lang),
                placeholder=t("gaps.reviewer_hint", lang),
            ),
            "mode": W.ToggleButtons(
                options=[
                    (t("gaps.mode_records", lang), "records"),
                    (t("gaps.mode_files", lang), "files"),
                ]
            ),
            "locality": W.Dropdown(
                options=[(t("gaps.all", lang), "")] + [(n, n) for n in G.localities(self.run)],
                description=t("report.locality", lang),
            ),
            "status": W.SelectMultiple(
                options=[(t(f"status.{s}", lang), s) for s in G.GAP_STATUSES],
                value=G.GAP_STATUSES,
                description=t("col.status", lang),
            ),
            "text": W.Text(
                placeholder=t("gaps.search_hint", lang), description=t("gaps.search", lang)
            ),
            "tthc": W.Checkbox(description=t("gaps.tthc_only", lang)),
            "table": W.Output(),
            "row": W.BoundedIntText(value=1, description=t("gaps.row", lang), min=1, max=10**9),
            "option": W.Dropdown(options=[], description=t("gaps.option", lang)),
            "accept": W.Button(description=t("report.accept", lang), button_style="success"),
            "reject": W.Button(description=t("report.reject", lang), button_style="danger"),
            "message": W.HTML(),
            "detail": W.Output(),
        }

    def refresh(self, *_: object) -> None:
        """Apply the filters and show the table (every row)."""
        from IPython.display import HTML, display

        c, lang = self.controls, self.lang
        locality = c["locality"].value or None
        if c["mode"].value == "files":
            self.frame = G.orphans(self.run, locality, c["text"].value)
            caption = t("gaps.caption_orphans", lang, n=len(self.frame))
        else:
            self.frame = G.gaps(
                self.run, locality, tuple(c["status"].value), c["text"].value, c["tthc"].value
            )
            caption = t("gaps.caption_gaps", lang, n=len(self.frame))
        with c["table"]:
            c["table"].clear_output()
            display(HTML(table_html(self.frame, caption, lang)))
        self.show_row()

    def show_row(self, *_: object) -> None:
        """The chosen row's candidates: the linker's and the nearest, every one decidable."""
        from IPython.display import HTML, display

        c, lang, row = self.controls, self.lang, self.controls["row"].value
        c["message"].value = ""
        with c["detail"]:
            c["detail"].clear_output()
            if not 1 <= row <= len(self.frame):
                self.options = pd.DataFrame()
                c["option"].options = []
                if len(self.frame):
                    display(HTML(f"<p>{_escape(t('gaps.row_none', lang, row=row))}</p>"))
                return
            item = self.frame.iloc[row - 1]  # the table's "#" counts from 1
            if c["mode"].value == "files":
                self.options = G.nearest_records(self.run, item, lang=lang)
            else:
                self.options = G.nearest_scans(self.run, item, lang=lang)
            caption = t("gaps.caption_options", lang, row=row, n=len(self.options))
            display(HTML(table_html(self.options, caption, lang)))
        c["option"].options = [
            (
                f"{i + 1}: {o.path} ↔ {o.record_code or o.title} ({_percent(o.candidate_score)})",
                i,
            )
            for i, o in enumerate(self.options.itertuples())
        ]

    def record(self, verdict: str) -> None:
        """Record ``verdict`` about the chosen candidate; refuse without a reviewer."""
        c, lang = self.controls, self.lang
        if self.log is None:
            c["message"].value = _escape(t("gaps.no_log", lang))
            return
        if self.options.empty or c["option"].value is None:
            c["message"].value = _escape(t("gaps.no_option", lang))
            return
        if not c["reviewer"].value.strip():
            c["message"].value = f"<b>{_escape(t('gaps.reviewer_required', lang))}</b>"
            return
        chosen = self.options.iloc[c["option"].value]
        try:
            G.decide(self.log, chosen, verdict, by=c["reviewer"].value)
        except KhauditError as exc:
            c["message"].value = f"<b>{_escape(str(exc))}</b>"
            return
        record = chosen["record_code"] or chosen["title"]
        c["message"].value = _escape(
            t(
                "gaps.decided",
                lang,
                verdict=t(f"report.{verdict}", lang),
                path=chosen["path"],
                record=record,
                by=c["reviewer"].value.strip(),
                log=self.log,
            )
        )
