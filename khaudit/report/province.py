"""The province roll-up for the Department of Home Affairs: every unit, ranked against the deadline.

The synthesis report Home Affairs sends to the People's Committee. It lists every unit of the
province: the localities the run audited, and, when the official list of units is given (or the
zoning package can give it), those not audited yet, shown as such. Localities are ranked by
their forecast against the deadline (those that will miss it first), then by completion; a
totals row sums the province. Same escaping rules as the locality report.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..contract import RECORD_STATUSES, RecordStatus, is_true
from ..errors import KhauditError
from ..i18n import t
from ..textnorm import slugify
from . import figures as F
from . import numbers as N
from . import svg
from .locality import Sections, table_html
from .minutes import DOTS, Party, place_date


@dataclass(frozen=True)
class Unit:
    """A unit of the province as an official list names it."""

    name: str
    code: str = ""


def as_unit(item: Any) -> Unit:
    """A unit from a name, a (name, code) pair, a mapping or an object with ``name``/``code``:
    the shapes an official list of units comes in."""
    if isinstance(item, Unit):
        return item
    if isinstance(item, str):
        return Unit(item.strip())
    if isinstance(item, tuple | list):
        return Unit(str(item[0]).strip(), str(item[1]).strip() if len(item) > 1 else "")
    if isinstance(item, dict):
        return Unit(str(item.get("name", "")).strip(), str(item.get("code") or "").strip())
    return Unit(str(item.name).strip(), str(getattr(item, "code", "") or "").strip())


def official_units(province: str) -> list[Unit] | None:
    """Every unit of ``province`` from the zoning package's official list; None where that
    package is not installed in this version or does not know the province (the summary then
    lists the audited localities)."""
    try:
        from ..zoning import units_of_province
    except ImportError:
        return None
    try:
        return [as_unit(u) for u in units_of_province(province)]
    except (LookupError, ValueError, KhauditError):  # a province the official list lacks
        return None


#: The columns of the province table (see :func:`province_table`), in order.
COLUMNS = [
    "rank",
    "locality",
    "code",
    "audited",
    "records",
    "digitized",
    "completion",
    "tthc_completion",
    *(s for s in RECORD_STATUSES if s != RecordStatus.DIGITIZED),  # digitized has its column above
    "forecast",
    "days_vs_deadline",
    "pages_to_scan",
    "changes",
    "quality_share",
    "outlook",
]


#: The columns a province row reads of each locality's records and files.
#: The province page prints on landscape A4: its ranking table has a column per status. Set
#: after the reports' shared style (the later page rule wins).
LANDSCAPE = "<style>@page { size: A4 landscape; margin: 15mm 12mm 15mm 15mm; }</style>"

RECORD_NEEDS = ["status", "tthc", "sheets", "pages"]
FILE_NEEDS = ["format", "pages", "quality"]


def _split(frame: pd.DataFrame, columns: list[str]) -> dict[str, pd.DataFrame]:
    """``frame``'s rows per locality, only ``columns``: one pass over the province instead of
    a filter of the whole table per locality."""
    kept = frame[["locality", *(c for c in columns if c in frame.columns)]]
    return {str(name): rows for name, rows in kept.groupby("locality", sort=False)}


def _locality_row(
    name: str, code: str, records: pd.DataFrame, files: pd.DataFrame, forecast: dict, changes: int
) -> dict:
    h = F.headline(records, files)
    counts = records["status"].value_counts()
    days = F._number(forecast.get("days_vs_deadline"))
    miss = is_true(forecast.get("will_miss_deadline", ""))
    outlook = "will_miss" if miss else ("on_track" if forecast.get("forecast") else "no_forecast")
    quality = F.quality_figures(files)
    return {
        "locality": name,
        "code": code,
        "audited": True,
        "records": h.unique_records,
        "digitized": h.digitized,
        "completion": h.completion,
        "tthc_completion": h.tthc_completion,
        "tthc_records": h.tthc_records,
        "tthc_digitized": h.tthc_digitized,
        **{s: int(counts.get(s, 0)) for s in RECORD_STATUSES},
        "forecast": N.to_date(forecast.get("forecast")),
        "days_vs_deadline": days,
        "pages_to_scan": int(F._number(forecast.get("pages_to_scan")) or 0),
        "changes": changes,
        "quality_share": quality.share,
        "quality": quality,
        "outlook": outlook,
    }


def _ranked(rows: list[dict]) -> list[dict]:
    """Those that will miss the deadline first (stalled ones, then the latest), then those on
    track (the closest to the deadline first), then those without a forecast (least complete
    first)."""
    order = {"will_miss": 0, "on_track": 1, "no_forecast": 2}

    def key(row: dict) -> tuple:
        days = row["days_vs_deadline"]
        if days is None:  # a stalled locality never finishes: the worst of those that miss
            days = -(10**9) if row["outlook"] == "will_miss" else 0
        return (order[row["outlook"]], days, row["completion"])

    ranked = sorted(rows, key=key)
    for rank, row in enumerate(ranked, 1):
        row["rank"] = rank
    return ranked


def _audited(localities: list[dict]) -> Callable[[Unit], bool]:
    """Whether a unit of the official list is one of ``localities``: by code where both have
    one, else by name (its slug)."""
    slugs = [
        (loc.get("slug") or slugify(loc.get("name", "")), loc.get("code")) for loc in localities
    ]
    coded = {code for _, code in slugs if code}
    uncoded = {slug for slug, code in slugs if not code}
    every = {slug for slug, _ in slugs}

    def audited(unit: Unit) -> bool:
        slug = slugify(unit.name)
        return (unit.code in coded or slug in uncoded) if unit.code else slug in every

    return audited


def province_table(run: Any, units: Iterable[Any] | None = None) -> pd.DataFrame:
    """Every unit of the province, one row each (:data:`COLUMNS` and the figures the totals
    need), numbers as numbers: the run's localities ranked against the deadline, then the units
    of ``units`` (an official list) the run did not audit, with ``audited`` False."""
    forecast = run.table("forecast")
    by_name = {row["locality"]: row.to_dict() for _, row in forecast.iterrows()}
    changes = run.table("scan_changes")["locality"].value_counts()
    localities = run.meta.get("localities", [])
    records, files = _split(run.records, RECORD_NEEDS), _split(run.files, FILE_NEEDS)
    empty_records = run.records.iloc[:0][["locality", *RECORD_NEEDS]]
    empty_files = run.files.iloc[:0]
    rows = _ranked(
        [
            _locality_row(
                loc["name"],
                loc.get("code", ""),
                records.get(loc["name"], empty_records),
                files.get(loc["name"], empty_files),
                by_name.get(loc["name"], {}),
                int(changes.get(loc["name"], 0)),
            )
            for loc in localities
        ]
    )
    audited = _audited(localities)
    for unit in (as_unit(u) for u in units or []):
        if not audited(unit):
            rows.append(
                {
                    "locality": unit.name,
                    "code": unit.code,
                    "audited": False,
                    "outlook": "not_audited",
                }
            )
    return pd.DataFrame(rows).reindex(
        columns=[*COLUMNS, "tthc_records", "tthc_digitized", "quality"]
    )


def totals_row(table: pd.DataFrame) -> dict:
    """The province as one row: sums of counts, completion from the sums, the last forecast
    (the province is done when its last locality is)."""
    audited = table[table["audited"] == True]  # noqa: E712 (a column of objects)
    total: dict[str, Any] = {"audited": True}
    for column in (
        "records",
        "digitized",
        *RECORD_STATUSES,
        "pages_to_scan",
        "changes",
        "tthc_records",
        "tthc_digitized",
    ):
        total[column] = int(pd.to_numeric(audited[column], errors="coerce").fillna(0).sum())
    total["completion"] = total["digitized"] / total["records"] if total["records"] else None
    total["tthc_completion"] = (
        total["tthc_digitized"] / total["tthc_records"] if total["tthc_records"] else None
    )
    pages = sum(q.pages for q in audited["quality"])
    total["quality_share"] = sum(q.pages_ok for q in audited["quality"]) / pages if pages else None
    dates = [d for d in audited["forecast"] if d is not None and not N.is_blank(d)]
    complete = len(dates) == len(audited)
    total["forecast"] = max(dates) if dates and complete else None
    days = [d for d in audited["days_vs_deadline"] if not N.is_blank(d)]
    total["days_vs_deadline"] = min(days) if days and complete else None
    return total


RECEIVER_COLUMNS = [
    "receiver",
    "receiver_code",
    "records",
    "digitized",
    "completion",
    "giving_units",
]


def receiver_table(run: Any) -> pd.DataFrame:
    """What each receiving unit gets at the handover, summed across the run's localities:
    records, digitized ones, the share digitized and the localities that give them (as the run
    orders them); unresolved records last, under an empty receiver. Empty when the run has no
    zoning columns."""
    from ..zoning.summary import receiver_counts

    records = run.records
    counts = receiver_counts(records)
    if counts.empty:
        return pd.DataFrame(columns=RECEIVER_COLUMNS)
    order = [loc["name"] for loc in run.meta.get("localities", [])]
    givers = records.groupby(records["receiver"].fillna("").astype(str))["locality"].unique()
    counts["giving_units"] = [
        "; ".join(
            sorted(givers.get(r, []), key=lambda n: (order.index(n) if n in order else 10**6, n))
        )
        for r in counts["receiver"]
    ]
    counts["completion"] = [
        d / n if n else None for d, n in zip(counts["digitized"], counts["records"], strict=True)
    ]
    return counts[RECEIVER_COLUMNS]


def _shown_rows(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The province table with its totals row, under headings in ``lang`` (the page writes
    its numbers the reader's way)."""
    total = totals_row(table)
    total["locality"] = t("report.total", lang)
    frame = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    frame["note"] = [
        t(f"report.{o}", lang) if isinstance(o, str) and o else "" for o in frame["outlook"]
    ]
    statuses = [s for s in RECORD_STATUSES if s != RecordStatus.DIGITIZED]
    shown = [
        "rank",
        "locality",
        "code",
        "completion",
        "tthc_completion",
        "records",
        "digitized",
        *statuses,
        "forecast",
        "days_vs_deadline",
        "pages_to_scan",
        "changes",
        "quality_share",
        "note",
    ]
    if not frame["code"].map(lambda c: not N.is_blank(c)).any():
        shown.remove("code")
    text = frame[shown]
    headings = {s: t(f"status.{s}", lang) for s in statuses}
    headings["code"] = t("col.unit_code", lang)
    return text.rename(columns=lambda c: headings.get(c) or t(f"col.{c}", lang))


class ProvinceReport(Sections):
    """Every unit of one province side by side, for the Department of Home Affairs."""

    def __init__(self, run: Any, lang: str = "vi", units: Iterable[Any] | None = None):
        super().__init__(run, lang)
        province = self.run.meta.get("province", "")
        self.units = list(units) if units is not None else official_units(province)
        self._rows: pd.DataFrame | None = None

    def rows(self) -> pd.DataFrame:
        """:func:`province_table` of this report, computed once (callers derive new frames)."""
        if self._rows is None:
            self._rows = province_table(self.run, self.units)
        return self._rows

    def table(self) -> pd.DataFrame:
        """Every unit, numbers as numbers (see :func:`province_table`), under headings in the
        report's language; ``locality`` and ``completion`` keep their contract names."""
        raw = self.rows()
        headings = {s: t(f"status.{s}", self.lang) for s in RECORD_STATUSES}
        headings.update(code=t("col.unit_code", self.lang), outlook=t("col.note", self.lang))
        shown = raw[[c for c in COLUMNS if c != "audited"]].assign(
            outlook=[t(f"report.{o}", self.lang) for o in raw["outlook"]]
        )
        return shown.rename(
            columns=lambda c: (
                c
                if c in ("locality", "completion")
                else headings.get(c) or t(f"col.{c}", self.lang)
            )
        )

    def signer(self) -> Party:
        raw = (self.run.meta.get("handover") or {}).get("province") or {}
        return Party(**{k: str(raw.get(k) or "").strip() for k in ("unit", "name", "position")})

    def header(self) -> str:
        meta = self.run.meta
        province = meta.get("province", "")
        unit = self.signer().unit or t("report.home_affairs", self.lang, province=province)
        day = N.to_date(meta.get("as_of"))
        when = place_date(province, day, self.lang) if day else ""
        e = html.escape
        form = (
            "<div class='kh minutes-head'><table class='form'><tr>"
            f"<td><b>{e(unit.upper())}</b><br/>———<br/>{e(t('report.province_number', self.lang))}"
            f"</td><td><b>{e(t('minutes.republic', self.lang))}</b><br/>"
            f"<b>{e(t('minutes.motto', self.lang))}</b><br/>———<br/><i>{e(when)}</i></td>"
            "</tr></table></div>"
        )
        subject = f"<b>{self._t('report.province')}:</b> {e(province)}"
        deadline = N.date_text(F.deadline(self.run), self.lang)
        return (
            form
            + self._header(
                "report.province_title",
                subject,
                [
                    ("report.as_of", N.date_text(meta.get("as_of"), self.lang)),
                    ("report.deadline", deadline or DOTS),
                ],
            )
            + LANDSCAPE
        )

    def deadline_chart(self, audited: pd.DataFrame) -> str:
        """Each audited unit's way to the deadline (:func:`.svg.deadline_rows`), ranked."""
        history = self.run.table("history")
        limit = N.to_date(F.deadline(self.run))
        ways = []
        for _, row in audited.iterrows():
            mine = history[history["locality"] == row["locality"]] if len(history) else history
            audits = sorted(d for d in map(N.to_date, mine["as_of"] if len(mine) else []) if d)
            end = row["forecast"] if isinstance(row["forecast"], dt.date) else None
            left = N.integer(int(row["records"]) - int(row["digitized"]), self.lang)
            ways.append(
                svg.Way(
                    name=str(row["locality"]),
                    audits=audits,
                    left=t("report.left_to_do", self.lang, n=left),
                    forecast=end,
                    late=bool(end and limit and end > limit),
                    end_words=N.date_text(end, self.lang)
                    if end
                    else t("report.no_forecast", self.lang),
                )
            )
        title = t("report.deadline_chart", self.lang)
        return svg.as_img(svg.deadline_rows(ways, limit, title, self.lang), title)

    def ranking(self) -> str:
        table = self.rows()
        audited = table[table["audited"] == True]  # noqa: E712 (a column of objects)
        chart = self.deadline_chart(audited) if len(audited) else ""
        missing = int((table["audited"] == False).sum())  # noqa: E712
        note = (
            f"<p class='muted'>{self._t('report.not_audited_count', n=missing)}</p>"
            if missing
            else ""
        )
        return (
            f"<div class='kh'><h2>{self._t('report.ranking')}</h2>"
            f"{table_html(_shown_rows(table, self.lang), self.lang, max_rows=10**6, wide=True)}"
            f"{note}</div>"
            f"<div class='kh'><h2>{self._t('report.deadline_chart')}</h2>{chart}</div>"
        )

    def receivers(self) -> str:
        """What each receiving unit gets, summed across the localities (the handover's
        zoning): one sentence per receiver, as the locality reports write them."""
        from ..zoning.summary import receiver_lines

        lines = receiver_lines(self.run.records, self.lang)
        if not lines:
            return ""
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        return f"<div class='kh'><h2>{self._t('report.receivers')}</h2><ul>{items}</ul></div>"

    def signatures(self) -> str:
        """Recipients on the left, the Department's signature on the right, on one page."""
        signer = self.signer()
        printed = N.date_text(dt.date.today(), self.lang)
        position = signer.position or t("report.home_affairs_head", self.lang)
        recipients = "".join(
            f"<br/>{html.escape(line)}"
            for line in t("report.recipients_list", self.lang).split("\n")
        )
        return (
            f"<div class='kh keep'><div class='sign'><div style='text-align:left'>"
            f"<b><i>{self._t('report.recipients')}</i></b>{recipients}</div>"
            f"<div><b>{html.escape(position.upper())}</b><br/><i>{self._t('report.sign_seal')}"
            f"</i><div class='name'>{html.escape(signer.name) or '&nbsp;'}</div></div></div>"
            f"<p class='muted'>{self._t('report.printed', date=printed)}</p></div>"
        )

    def sections(self) -> list[str]:
        return [
            self.header(),
            self.ranking(),
            self.receivers(),
            self.signatures(),
            self.fingerprint(),
        ]
