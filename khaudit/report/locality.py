"""The locality audit report as HTML fragments, for the notebook to display in order.

Every untrusted string (titles, file names, notes) goes through pandas' escaping or
:func:`html.escape`; nothing from the inventory or the scan tree is ever written raw.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..contract import find_locality
from ..errors import KhauditError
from ..i18n import t
from ..run import Run
from . import figures as F
from . import numbers as N
from . import svg
from .content_check import content_section
from .minutes import DOTS, Minutes, build_minutes, issuer_lines
from .shared_run import shared_run

MAX_ROWS = 200

CSS = """
<style>
.kh { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: #1a1a1a; }
.kh h1 { font-size: 1.6em; margin: 0.2em 0; } .kh h2 { font-size: 1.25em; margin-top: 1.2em;
 border-bottom: 2px solid #1f4e79; color: #1f4e79; } .kh h3 { font-size: 1.05em; }
.kh table.kh-table { border-collapse: collapse; font-size: 0.85em; margin: 0.4em 0; }
.kh table.kh-table th { background: #e8eef7; text-align: left; }
.kh table.kh-table td, .kh table.kh-table th { border: 1px solid #c9d3e0; padding: 3px 6px;
 vertical-align: top; }
.kh .big { font-size: 2.2em; font-weight: bold; color: #1f4e79; }
.kh .cards { display: flex; gap: 1.5em; flex-wrap: wrap; }
.kh .card { border: 1px solid #c9d3e0; border-radius: 6px; padding: 0.5em 1em; min-width: 11em; }
.kh .sign { display: flex; justify-content: space-around; margin-top: 2em; text-align: center; }
.kh .sign div { width: 40%; min-height: 8em; } .kh .muted { color: #666; font-size: 0.85em; }
.kh .ok { color: #2e7d32; font-weight: bold; } .kh .no { color: #c62828; font-weight: bold; }
.kh code { font-size: 0.8em; word-break: break-all; }
.kh img { max-width: 100%; height: auto; }
.kh table.form { width: 100%; border: 0; margin-bottom: 1em; }
.kh table.form td { width: 50%; text-align: center; vertical-align: top; border: 0; }
.kh.minutes .center { text-align: center; } .kh.minutes .title { font-size: 1.3em; }
.kh.minutes .sign { display: flex; justify-content: space-around; }
.kh .sign .name { margin-top: 5em; font-weight: bold; width: auto; min-height: 0; }
.kh .kh-wide { overflow-x: auto; max-width: 100%; }
.kh .kh-wide table.kh-table td { white-space: nowrap; }
.kh .kh-wide table.kh-table th { min-width: 4.5em; }
@page { size: A4; margin: 18mm 15mm 18mm 20mm; }
@page wide { size: A4 landscape; margin: 15mm 12mm 15mm 15mm; }
@media print {
 .kh.problems { page: wide; }
 .kh { font-size: 10pt; }
 .kh h1, .kh h2, .kh h3 { break-after: avoid-page; page-break-after: avoid; }
 .kh table.kh-table { font-size: 8pt; width: 100%; page-break-inside: auto; }
 .kh table.kh-table td { overflow-wrap: break-word; min-width: 3.2em; }
 .kh table.kh-table td.x { overflow-wrap: anywhere; }
 .kh table.kh-table thead { display: table-header-group; }
 .kh table.kh-table tr, .kh img, .kh .cards, .kh .card { break-inside: avoid;
  page-break-inside: avoid; }
 .kh.minutes { break-before: page; page-break-before: always; }
 .kh .keep, .kh.keep, .kh .sign { break-inside: avoid; page-break-inside: avoid; }
 .kh .annex { break-before: page; page-break-before: always; }
 .kh .kh-wide { overflow: visible; }
 .kh .kh-wide table.kh-table { font-size: 7pt; }
 .kh .kh-wide table.kh-table td { white-space: normal; min-width: 0; }
 .kh .kh-wide table.kh-table th { min-width: 0; }
}
</style>
"""


def resolve_locality(run: Run, name: str) -> str:
    """The locality's name in ``run`` that ``name`` names by its name, slug or code."""
    localities = run.meta.get("localities", [])
    found = find_locality(localities, name, lambda loc: (loc["name"], loc["slug"], loc.get("code")))
    if found is not None:
        return found["name"]
    known = ", ".join(loc["name"] for loc in run.meta.get("localities", []))
    raise KhauditError(t("err.run.no_locality", path=run.path, name=name, known=known))


def table_html(frame: pd.DataFrame, lang: str, max_rows: int = MAX_ROWS, wide: bool = False) -> str:
    """A table as HTML, every cell written the reader's way (:func:`.present.for_people`) and
    escaped; the headings in a ``thead`` that a printed page repeats. A ``wide`` table keeps
    its cells on one line and scrolls sideways on a screen instead of squeezing its columns;
    printed, it wraps its cells in small type to fit the page."""
    from .present import for_people

    if frame.empty:
        return f"<p class='muted'>{html.escape(t('report.none', lang))}</p>"
    shown = for_people(frame.head(max_rows), lang)
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(_cell(v) for v in row) + "</tr>" for row in shown.itertuples(index=False)
    )
    text = f"<table class='kh-table'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if wide:
        text = f"<div class='kh-wide'>{text}</div>"
    if len(frame) > max_rows:
        more = t("report.more_rows", lang, n=len(frame) - max_rows)
        text += f"<p class='muted'>{html.escape(more)}</p>"
    return text


#: A run of characters this long with no space (a path, a digest) may break anywhere in print.
LONG_TOKEN = 24


def _cell(text: str) -> str:
    """One cell, escaped. Printed, a cell breaks only between words, so a number, a code or
    a word is never cut; a cell holding a run longer than :data:`LONG_TOKEN` (a path, a
    digest) may break anywhere, or it would push its table off the page."""
    long = len(text) > LONG_TOKEN and any(len(word) > LONG_TOKEN for word in text.split())
    return f"<td class='x'>{html.escape(text)}</td>" if long else f"<td>{html.escape(text)}</td>"


def _party_html(heading: str, unit: str, person: str) -> str:
    return f"<p><b>{html.escape(heading)}: {html.escape(unit)}</b><br/>{html.escape(person)}</p>"


def minutes_html(m: Minutes) -> str:
    """The minutes as an HTML fragment: the form's heading as a two-column table, the
    conclusion, the copies clause and the signatures kept on one printed page, the technical
    identifiers in an annex on a page of their own."""
    e = html.escape
    heading = (
        "<table class='form'><tr>"
        f"<td><b>{'<br/>'.join(e(line) for line in issuer_lines(m.issuer))}</b>"
        f"<br/>———<br/>{e(m.number)}</td>"
        f"<td><b>{e(t('minutes.republic', m.lang))}</b><br/><b>{e(t('minutes.motto', m.lang))}"
        f"</b><br/>———<br/><i>{e(m.place_date)}</i></td></tr></table>"
    )
    parties = "".join(
        _party_html(
            label,
            party.unit or DOTS,
            t("minutes.person", m.lang, name=party.name or DOTS, position=party.position or DOTS),
        )
        for label, party in m.parties
    )
    figures = pd.DataFrame(m.figures, columns=[t("col.metric", m.lang), t("col.figure", m.lang)])
    signatures = "".join(
        f"<div><b>{e(role)}</b><br/><i>{e(hint)}</i><div class='name'>{e(name) or '&nbsp;'}"
        "</div></div>"
        for role, hint, name in m.signatures
    )
    verdict = "ok" if m.ready else "no"
    annex = "".join(f"<tr><th>{e(a)}</th><td><code>{e(b)}</code></td></tr>" for a, b in m.annex)
    return (
        f"<div class='kh minutes'><h2>{e(t('report.minutes', m.lang))}</h2>{heading}"
        f"<p class='center title'><b>{e(m.title)}</b></p>"
        f"<p class='center'><b>{e(m.subject)}</b></p>"
        f"<p>{e(m.opening)}</p>{parties}<h3>{e(m.content_title)}</h3><p>{e(m.body)}</p>"
        f"{table_html(figures, m.lang)}"
        f"<div class='keep'><h3>{e(m.conclusion_title)}</h3><p class='{verdict}'>{e(m.verdict)}</p>"
        f"<p>{e(m.copies)}</p><div class='sign'>{signatures}</div></div>"
        f"<div class='annex'><h3>{e(m.annex_title)}</h3><table class='kh-table'>{annex}</table>"
        f"<p class='muted'>{e(m.printed)}</p></div></div>"
    )


class Sections:
    """A report over one run in one language: the base of the locality and province reports.

    Every method returns an HTML fragment whose untrusted text is escaped.
    """

    def __init__(self, run: Run | str | Path, lang: str = "vi"):
        self.run = run if isinstance(run, Run) else shared_run(run)
        self.lang = lang

    def _t(self, key: str, **values: object) -> str:
        return html.escape(t(key, self.lang, **values))

    def _header(self, title_key: str, subject: str, details: list[tuple[str, str]]) -> str:
        """The report's title, what it covers, and the run it was made from (all escaped)."""
        meta = self.run.meta
        extra = "".join(f" · {self._t(key)}: {html.escape(value)}" for key, value in details)
        return (
            f"{CSS}<div class='kh'><h1>{self._t(title_key)}</h1><p>{subject}<br/>"
            f"<span class='muted'>{html.escape(meta.get('title', ''))} · "
            f"{self._t('report.run_id')}: <code>{html.escape(meta.get('run_id', ''))}</code>"
            f"{extra}</span></p></div>"
        )

    def fingerprint(self) -> str:
        return (
            f"<div class='kh'><h2>{self._t('report.fingerprint')}</h2>"
            f"{table_html(F.fingerprint_table(self.run.meta, self.lang), self.lang)}</div>"
        )


class LocalityReport(Sections):
    """One locality of one run, rendered section by section."""

    def __init__(self, run: Run | str | Path, locality: str, lang: str = "vi"):
        super().__init__(run, lang)
        self.locality = resolve_locality(self.run, locality)
        self.records, self.files = F.locality_tables(self.run, self.locality, lang)
        self.head = F.headline(self.records, self.files)

    def header(self) -> str:
        meta = self.run.meta
        subject = (
            f"<b>{self._t('report.locality')}:</b> {html.escape(self.locality)} — "
            f"<b>{self._t('report.province')}:</b> "
            f"{html.escape(meta.get('province', ''))}"
        )
        return self._header(
            "report.title", subject, [("report.as_of", N.date_text(meta.get("as_of"), self.lang))]
        )

    def headline(self) -> str:
        h = self.head
        cards = [
            (
                t("report.tthc_completion", self.lang),
                N.percent(h.tthc_completion, self.lang),
                f"{N.integer(h.tthc_digitized, self.lang)}/{N.integer(h.tthc_records, self.lang)}",
            ),
            (
                t("report.completion", self.lang),
                N.percent(h.completion, self.lang),
                f"{N.integer(h.digitized, self.lang)}/{N.integer(h.unique_records, self.lang)}",
            ),
            (
                t("report.pages_scanned", self.lang),
                N.integer(h.pages_scanned, self.lang),
                f"{t('report.pages_expected', self.lang)}: "
                f"{N.integer(h.pages_expected, self.lang)}",
            ),
        ]
        body = "".join(
            f"<div class='card'><div>{html.escape(a)}</div><div class='big'>"
            f"{html.escape(b)}</div><div class='muted'>{html.escape(c)}</div></div>"
            for a, b, c in cards
        )
        return (
            f"<div class='kh'><h2>{self._t('report.headline')}</h2>"
            f"<div class='cards'>{body}</div>"
            f"{table_html(F.headline_table(h, self.lang), self.lang)}</div>"
        )

    def _status_chart(self, counts: pd.DataFrame, title_key: str) -> str:
        title = t(title_key, self.lang)
        labels = [str(s) for s in counts[t("col.status", self.lang)]]
        return svg.as_img(
            svg.status_bars(
                labels,
                [int(v) for v in counts[t("col.count", self.lang)]],
                [svg.STATUS_COLOURS.get(s, "#999") for s in counts["status"]],
                title,
                self.lang,
            ),
            title,
        )

    def _share_basis(self) -> str:
        return F.share_basis(self.head, self.lang)

    def status(self) -> str:
        rec = F.record_status_counts(self.records, self.lang)
        tthc = F.record_status_counts(self.records, self.lang, tthc_only=True)
        fil = F.file_status_counts(self.files, self.lang)
        parts = [
            f"<div class='kh'><h2>{self._t('report.status_records')}</h2>",
            f"<h3>{self._t('report.tthc')}</h3>",
            table_html(tthc.drop(columns=["status"]), self.lang),
            self._status_chart(rec, "report.status_records"),
            table_html(rec.drop(columns=["status"]), self.lang),
            f"<p class='muted'>{html.escape(self._share_basis())}</p>",
            f"<h2>{self._t('report.status_files')}</h2>",
            self._status_chart(fil, "report.status_files"),
            table_html(fil.drop(columns=["status"]), self.lang),
            "</div>",
        ]
        return "".join(parts)

    def progress(self) -> str:
        parts = ["<div class='kh'>"]
        for column, title_key, axis_key in (
            ("box", "report.by_box", "report.box"),
            ("year_start", "report.by_year", "report.year"),
        ):
            table = F.progress_by(self.records, column)
            if not table["key"].ne("").any():
                continue
            title = t(title_key, self.lang)
            chart = svg.completion_columns(
                [k or "?" for k in table["key"]],
                [float(c) for c in table["completion"]],
                t(axis_key, self.lang),
                title,
            )
            parts += [f"<h2>{html.escape(title)}</h2>", svg.as_img(chart, title)]
        return "".join(parts) + "</div>"

    def problems(self) -> str:
        """Every record and file with a problem, one table per kind: printed on landscape
        pages (a record's row has a dozen columns; on a portrait page its title and note
        wrap a word a line)."""
        parts = [f"<div class='kh problems'><h2>{self._t('report.problems')}</h2>"]
        for key in F.PROBLEMS:
            frame = F.problem_table(self.records, self.files, key)
            parts += [
                f"<h3>{self._t(f'report.{key}')} ({len(frame)})</h3>",
                table_html(F.localized(frame, self.lang), self.lang),
            ]
        issues = F.issue_table(self.run, self.locality)
        parts += [
            f"<h3>{self._t('report.inventory_issues')} ({len(issues)})</h3>",
            table_html(F.localized(issues, self.lang), self.lang),
            self.scan_problems(),
            "</div>",
        ]
        return "".join(parts)

    def scan_problems(self) -> str:
        """What the scan could not enter or a bag could not hold as named: how many, and each
        with its problem (``scan_problems.csv``)."""
        frame = F.scan_problem_table(self.run, self.locality, self.lang)
        body = (
            f"<p class='muted'>{self._t('report.scan_problems_intro')}</p>"
            f"{table_html(F.localized(frame, self.lang), self.lang, wide=True)}"
            if len(frame)
            else f"<p class='ok'>{self._t('report.scan_problems_none')}</p>"
        )
        return f"<h3>{self._t('report.scan_problems')} ({len(frame)})</h3>{body}"

    def changes(self) -> str:
        """Fixity between audits: scan files changed, moved or deleted since the last one."""
        frame = F.change_table(self.run, self.locality, self.lang)
        body = (
            table_html(F.localized(frame, self.lang), self.lang)
            if len(frame)
            else f"<p class='ok'>{self._t('report.changes_none')}</p>"
        )
        return (
            f"<div class='kh'><h2>{self._t('report.changes')} ({len(frame)})</h2>"
            f"<p class='muted'>{self._t('report.changes_intro')}</p>{body}</div>"
        )

    def review(self) -> str:
        frame = F.review_table(self.run, self.locality, self.lang)
        return (
            f"<div class='kh'><h2>{self._t('report.review')} ({len(frame)})</h2>"
            f"{table_html(F.localized(frame, self.lang), self.lang)}</div>"
        )

    def trend(self) -> str:
        """Progress over time: the burn-down of this locality's audits and its forecast."""
        history = F.locality_history(self.run, self.locality)
        forecast = F.locality_forecast(self.run, self.locality)
        parts = [f"<div class='kh'><h2>{self._t('report.trend')}</h2>"]
        if len(history):
            parts.append(self._burndown(history, forecast))
        parts.append(table_html(F.forecast_figures(forecast, self.lang), self.lang))
        return "".join(parts) + "</div>"

    def _burndown(self, history: pd.DataFrame, forecast: dict | None) -> str:
        title = t("report.burndown", self.lang)
        names = {k: t(f"report.{k}", self.lang) for k in ("remaining", "forecast", "deadline")}
        records = pd.to_numeric(history["records"], errors="coerce").fillna(0).astype(int)
        digitized = pd.to_numeric(history["digitized"], errors="coerce").fillna(0).astype(int)
        audits = [
            (day, int(left))
            for day, left in zip(map(N.to_date, history["as_of"]), records - digitized, strict=True)
            if day is not None
        ]
        if not audits:
            return ""
        chart = svg.burndown(
            [day for day, _ in audits],
            [left for _, left in audits],
            N.to_date((forecast or {}).get("forecast")),
            N.to_date(F.deadline(self.run)),
            title,
            names,
            self.lang,
        )
        return svg.as_img(chart, title)

    def schemes(self) -> str:
        rows = [
            (root, t(f"scheme.{scheme}", self.lang), n)
            for root, counts in self.run.meta.get("schemes", {}).get(self.locality, {}).items()
            for scheme, n in sorted(counts.items(), key=lambda kv: -kv[1])
        ]
        frame = pd.DataFrame(
            rows, columns=[t(f"col.{c}", self.lang) for c in ("scan_root", "scheme", "count")]
        )
        return (
            f"<div class='kh'><h2>{self._t('report.schemes')}</h2>"
            f"{table_html(frame, self.lang)}</div>"
        )

    def minutes(self) -> str:
        """The handover minutes in the form of an administrative record (see .minutes)."""
        return minutes_html(build_minutes(self.run, self.locality, self.lang))

    def quality(self) -> str:
        """Digitization quality: the share of pages at the project's standard, and the scan
        files below it with their shortfalls."""
        q = F.quality_figures(self.files)
        below = F.quality_table(self.files, self.lang)
        card = (
            f"<div class='cards'><div class='card'><div>{self._t('report.quality_pages')}"
            f"</div><div class='big'>{html.escape(F.quality_share_text(q, self.lang) or '—')}"
            f"</div><div class='muted'>{N.integer(q.pages_ok, self.lang)}/"
            f"{N.integer(q.pages, self.lang)}</div></div></div>"
        )
        if len(below):
            body = (
                f"<h3>{self._t('report.quality_files')} ({len(below)})</h3>"
                f"{table_html(F.localized(below, self.lang), self.lang)}"
            )
        elif q.files:
            body = f"<p class='ok'>{self._t('report.quality_all_ok')}</p>"
        else:  # no scan judged: "every scan meets the standard" would say nothing true
            body = f"<p class='muted'>{self._t('report.quality_none_judged')}</p>"
        return (
            f"<div class='kh'><h2>{self._t('report.quality')}</h2>"
            f"<p>{html.escape(F.quality_standard(self.run.meta, self.lang))}</p>"
            f"{card}{body}</div>"
        )

    def content(self) -> str:
        """What the scans' first pages said about their records (report/content_check.py)."""
        return content_section(self.files, self.run.meta, self.lang, table_html)

    def zoning(self) -> str:
        """Who receives this locality's records at the handover, and how much is digitized."""
        from ..zoning.summary import receiver_lines

        lines = receiver_lines(self.records, self.lang)
        if not lines:
            return ""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        return f"<div class='kh'><h2>{self._t('report.zoning')}</h2><ul>{items}</ul></div>"

    def sections(self) -> list[str]:
        return [
            self.header(),
            self.headline(),
            self.status(),
            self.progress(),
            self.trend(),
            self.problems(),
            self.changes(),
            self.quality(),
            self.review(),
            self.schemes(),
            self.content(),
            self.zoning(),
            self.minutes(),
        ]
