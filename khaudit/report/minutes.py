"""The handover minutes of one locality (biên bản giao nhận), as the text both exports print.

The form follows Decree 30/2020/NĐ-CP: the issuing unit beside the national heading, the number
and symbol ("Số: 15/BB-UBND"), place and date, the title, the parties (unit, name, position of
each side), the content, the conclusion, the copies clause and the signatures. The date is the
run's as-of date, the day the audit speaks for; the day the file was made is printed only as
"in ngày …" in the annex, with the technical identifiers that tie the minutes to their run.

The parties come from the project file's ``[handover]`` table, which the run keeps in
``run.json`` (``handover``); a blank field prints as a dotted line to fill in by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ..i18n import t
from ..run import Run
from . import figures as F
from . import numbers as N

#: What a blank field of the form prints as, to be filled in by hand.
DOTS = "…………………"

#: The kind of administrative unit an issuer's name ends with ("… xã Diên Lạc"); the heading
#: starts a line there, so a unit's name is never cut in two at the column's edge.
_UNIT_KIND = re.compile(
    r"\s(?=(?:thành phố|thị xã|thị trấn|đặc khu|phường|xã|huyện|quận|tỉnh)\s)", re.IGNORECASE
)


def issuer_lines(issuer: str) -> list[str]:
    """The issuing unit as the form's top-left heading writes it, in capitals: the body on one
    line and the unit it belongs to on the next ("ỦY BAN NHÂN DÂN" / "XÃ DIÊN LẠC")."""
    found = _UNIT_KIND.search(issuer.strip())
    if found is None or found.start() == 0:
        return [issuer.strip().upper()]
    text = issuer.strip()
    return [text[: found.start()].upper(), text[found.end() :].upper()]


@dataclass(frozen=True)
class Party:
    """One side of the handover: its unit and the person who signs for it."""

    unit: str = ""
    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class Handover:
    """The ``[handover]`` settings that apply to one locality."""

    issuer: str = ""  # the unit the minutes are issued by (top left); default: the receiver's
    number: str = ""  # the number of "Số: 15/BB-UBND"
    symbol: str = ""  # its symbol, "BB-UBND" (or "UBND": "BB-" is added)
    place: str = ""  # default: the province
    giver: Party = Party()
    receiver: Party = Party()


def _party(raw: Any, base: Party) -> Party:
    if not isinstance(raw, dict):
        return base
    return Party(
        **{k: str(raw.get(k) or getattr(base, k)).strip() for k in ("unit", "name", "position")}
    )


def handover_for(meta: dict, locality: str) -> Handover:
    """The handover settings of ``locality`` (name, slug or code): the project's ``[handover]``
    table, with that locality's ``[handover.locality."…"]`` entries over it."""
    raw = meta.get("handover") or {}
    keys = {locality}
    for loc in meta.get("localities", []):
        if loc.get("name") == locality:
            keys |= {loc.get("slug", ""), loc.get("code", "")} - {""}
    override: dict = next(
        (v for k, v in (raw.get("locality") or {}).items() if k in keys and isinstance(v, dict)),
        {},
    )
    merged = {
        k: str(override.get(k) or raw.get(k) or "").strip()
        for k in ("issuer", "number", "symbol", "place")
    }
    giver = _party(override.get("giver"), _party(raw.get("giver"), Party()))
    receiver = _party(override.get("receiver"), _party(raw.get("receiver"), Party()))
    return Handover(**merged, giver=giver, receiver=receiver)


def number_line(h: Handover, lang: str = "vi") -> str:
    """ "Số: 15/BB-UBND", dotted where the number or the unit's symbol is not set."""
    symbol = h.symbol.strip()
    if not symbol:
        symbol = "BB-……"
    elif not symbol.upper().startswith("BB"):
        symbol = f"BB-{symbol}"
    return t("minutes.number", lang, number=h.number or "……", symbol=symbol)


def place_date(place: str, day: dt.date, lang: str = "vi") -> str:
    """ "Khánh Hòa, ngày 05 tháng 02 năm 2025": Decree 30 writes a day below 10 and the months
    January and February with a leading zero (so the date cannot be altered by hand). In
    English: "Khánh Hòa, 5 February 2025"."""
    import calendar

    if lang == "vi":
        month = f"{day.month:02d}" if day.month < 3 else str(day.month)
        words = t("minutes.date", lang, day=f"{day.day:02d}", month=month, year=day.year)
    else:
        month = calendar.month_name[day.month]
        words = t("minutes.date", lang, day=day.day, month=month, year=day.year)
    return t("minutes.place_date", lang, place=place, date=words)


@dataclass
class Minutes:
    """Every line of the minutes of one locality, in one language, ready to lay out."""

    lang: str
    issuer: str
    number: str
    place_date: str
    title: str
    subject: str
    opening: str
    parties: list[tuple[str, Party]]  # (heading "I. BÊN GIAO", the party)
    content_title: str
    body: str
    figures: list[tuple[str, str]]  # (label, value as text)
    conclusion_title: str
    verdict: str
    ready: bool
    copies: str
    signatures: list[tuple[str, str, str]]  # (role, "(Ký, ghi rõ họ tên)", full name)
    annex_title: str
    annex: list[tuple[str, str]] = field(default_factory=list)
    printed: str = ""


def build_minutes(
    run: Run, locality: str, lang: str = "vi", printed: dt.date | None = None
) -> Minutes:
    """The minutes of ``locality`` in ``run``, in ``lang``."""
    records, files = F.locality_tables(run, locality, lang)
    head = F.headline(records, files)
    meta = run.meta
    h = handover_for(meta, locality)
    audited = N.to_date(meta.get("as_of")) or dt.date.today()
    place = h.place or meta.get("province", "")
    when = place_date(place, audited, lang)
    return Minutes(
        lang=lang,
        issuer=h.issuer or h.receiver.unit or DOTS,
        number=number_line(h, lang),
        place_date=when,
        title=t("minutes.title", lang),
        subject=t("minutes.subject", lang, locality=locality),
        opening=t(
            "minutes.opening",
            lang,
            date=N.date_text(audited, lang),
            place=place,
            run=meta.get("run_id", ""),
        ),
        parties=[
            (t("minutes.giver", lang), h.giver),
            (t("minutes.receiver", lang), h.receiver),
        ],
        content_title=t("minutes.content", lang),
        body=_body(head, locality, lang),
        figures=_figures(records, head, lang),
        conclusion_title=t("minutes.conclusion", lang),
        verdict=t(
            "report.minutes_verdict_ok" if head.ready_for_handover else "report.minutes_verdict_no",
            lang,
        ),
        ready=head.ready_for_handover,
        copies=t("minutes.copies", lang),
        signatures=[
            (t("report.handing", lang), t("report.sign", lang), h.giver.name),
            (t("report.receiving", lang), t("report.sign", lang), h.receiver.name),
        ],
        annex_title=t("minutes.annex", lang),
        annex=_annex(meta, lang),
        printed=t("minutes.printed", lang, date=N.date_text(printed or dt.date.today(), lang)),
    )


def _body(head: F.Headline, locality: str, lang: str) -> str:
    return t(
        "report.minutes_body",
        lang,
        locality=locality,
        records=N.integer(head.unique_records, lang),
        digitized=N.integer(head.digitized, lang),
        completion=N.percent(head.completion, lang),
        missing=N.integer(head.missing, lang),
        problems=N.integer(head.problems, lang),
        files=N.integer(head.files, lang),
    )


def _figures(records: Any, head: F.Headline, lang: str) -> list[tuple[str, str]]:
    """The headline figures, then the records per status, as (label, text) pairs."""
    from .present import shown

    rows = [(t(k, lang), shown(v, kind, lang)) for k, v, kind in F.headline_rows(head)]
    counts = F.record_status_counts(records, lang)
    rows += [
        (str(label), N.integer(n, lang) + (f" ({N.percent(s, lang)})" if s is not None else ""))
        for label, n, s in zip(counts.iloc[:, 1], counts.iloc[:, 2], counts.iloc[:, 3])
    ]
    return rows


def _annex(meta: dict, lang: str) -> list[tuple[str, str]]:
    """The identifiers that tie the minutes to their run, each named in ``lang``. The
    fingerprint's line is what ``khaudit verify-report`` reads back from the PDF."""
    return [
        (t("report.tool_version", lang), str(meta.get("version", ""))),
        (t("report.run_id", lang), str(meta.get("run_id", ""))),
        (t("minutes.fingerprint", lang), str(meta.get("fingerprint", ""))),
        (t("report.catalogue_sha256", lang), str(meta.get("scan_catalogue_sha256", ""))),
        (t("report.project_sha256", lang), str(meta.get("project", {}).get("sha256", ""))),
        (t("minutes.as_of", lang), N.date_text(meta.get("as_of"), lang)),
    ]
