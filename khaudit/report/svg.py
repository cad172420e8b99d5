"""The locality report's charts as SVG written directly: status bars, completion columns and
the burn-down.

A locality report draws four small charts, and a province renders dozens of reports: with
matplotlib each chart cost most of a second (ticks, text extents, tight layout, PNG encoding),
more than the rest of the report. These charts are bars, lines and labels on known scales, so
they are written here as SVG in a millisecond, and they print as vectors. Each is embedded as an
``<img>`` data URI: the page stays one file that opens offline, and an image never runs a
script. Untrusted text (box numbers, statuses, titles) is XML-escaped, so it is shown as typed.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from . import numbers as N

FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
INK, GRID, TARGET = "#1a1a1a", "#d0d7e1", "#c62828"
STATUS_COLOURS = {
    "digitized": "#2e7d32",
    "page_mismatch": "#f9a825",
    "missing": "#c62828",
    "duplicate_entry": "#8d6e63",
    "damaged_scan": "#6a1b9a",
    "needs_review": "#1565c0",
    "matched": "#2e7d32",
    "orphan": "#ef6c00",
    "duplicate": "#8d6e63",
    "corrupt": "#6a1b9a",
    "empty": "#757575",
}
#: A chart's width in CSS pixels (the page is at most 1100 px wide).
WIDTH = 700
#: Pixels between two date labels of the burn-down (closer ones are not written).
LABEL_GAP = 30


def text_width(text: str, size: float) -> float:
    """The width ``text`` takes at ``size`` px, from the average advance of a sans-serif
    letter (wide enough that labels laid out by it do not collide)."""
    return 0.6 * size * len(text)


def _text(
    x: float,
    y: float,
    text: str,
    size: float = 11,
    anchor: str = "start",
    fill: str = INK,
    extra: str = "",
) -> str:
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' text-anchor='{anchor}' "
        f"fill='{fill}'{extra}>{escape(text)}</text>"
    )


def _document(width: float, height: float, title: str, body: list[str]) -> str:
    return (
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width:.0f}' height='{height:.0f}' "
        f"viewBox='0 0 {width:.0f} {height:.0f}' font-family='{FONT}'>"
        f"<title>{escape(title)}</title><rect width='100%' height='100%' fill='white'/>"
        + _text(width / 2, 18, title, 13, "middle", extra=" font-weight='bold'")
        + "".join(body)
        + "</svg>"
    )


def as_img(svg: str, alt: str) -> str:
    """``svg`` as an ``<img>`` whose source is the document itself (base64 data URI)."""
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f"<img alt={quoteattr(alt)} src='data:image/svg+xml;base64,{data}'/>"


def nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that divides 0..``top`` in about
    ``ticks`` intervals."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def status_bars(
    labels: Sequence[str], values: Sequence[int], colours: Sequence[str], title: str, lang: str
) -> str:
    """Horizontal bars, one per status, each with its count written at its end."""
    left = 16 + max((text_width(s, 11) for s in labels), default=0)
    top, row = 34, 24
    height = top + row * len(labels) + 12
    span = WIDTH - left - 70
    peak = max([*values, 1])
    body = []
    for i, (label, value, colour) in enumerate(zip(labels, values, colours, strict=True)):
        y = top + i * row
        length = max(1.5, span * value / peak) if value > 0 else 0  # a few stay visible
        body += [
            _text(left - 8, y + row / 2 + 4, label, anchor="end"),
            f"<rect x='{left:.1f}' y='{y + 3}' width='{length:.1f}' height='{row - 6}' "
            f"fill='{colour}'/>",
            _text(left + length + 5, y + row / 2 + 4, N.integer(value, lang)),
        ]
    body.append(
        f"<line x1='{left:.1f}' y1='{top}' x2='{left:.1f}' y2='{height - 12}' stroke='{INK}'/>"
    )
    return _document(WIDTH, height, title, body)


def _percent_axis(left: float, right: float, top: float, bottom: float) -> list[str]:
    """Grid lines and labels at 0, 25, 50, 75 and 100%, the 100% target dashed in red."""
    parts = []
    for p in (0, 25, 50, 75, 100):
        y = bottom - (bottom - top) * p / 100
        colour, dash = (TARGET, " stroke-dasharray='5,3'") if p == 100 else (GRID, "")
        parts += [
            f"<line x1='{left}' y1='{y:.1f}' x2='{right}' y2='{y:.1f}' stroke='{colour}'{dash}/>",
            _text(left - 6, y + 4, f"{p}%", 10, "end"),
        ]
    return parts


def completion_columns(keys: Sequence[str], shares: Sequence[float], axis: str, title: str) -> str:
    """Completion (0-1) per box or per year as columns against the 100% target; the keys are
    written under their columns, turned upright and thinned out when they are many."""
    n = max(1, len(keys))
    step_px = min(40.0, max(4.0, 640 / n))
    left, top, plot = 50, 34, 180
    width = max(WIDTH, left + step_px * n + 20)
    upright = n > 12
    every = max(1, math.ceil(11 / step_px)) if upright else 1
    label_room = (max((text_width(k, 9) for k in keys), default=0) + 8) if upright else 18
    bottom = top + plot
    body = _percent_axis(left, left + step_px * n, top, bottom)
    for i, (key, share) in enumerate(zip(keys, shares, strict=True)):
        x = left + i * step_px
        h = plot * max(0.0, min(1.0, float(share)))
        body.append(
            f"<rect x='{x + step_px * 0.12:.1f}' y='{bottom - h:.1f}' width='{step_px * 0.76:.1f}'"
            f" height='{h:.1f}' fill='#2e7d32'/>"
        )
        if i % every == 0:
            cx = x + step_px / 2
            if upright:
                body.append(
                    _text(
                        cx + 3,
                        bottom + 6,
                        key,
                        9,
                        "end",
                        extra=f" transform='rotate(-90 {cx + 3:.1f} {bottom + 6:.1f})'",
                    )
                )
            else:
                body.append(_text(cx, bottom + 14, key, 10, "middle"))
    height = bottom + label_room + 22
    body.append(_text(left + step_px * n / 2, height - 6, axis, 11, "middle"))
    return _document(width, height, title, body)


def burndown(
    dates: Sequence[dt.date],
    remaining: Sequence[int],
    forecast: dt.date | None,
    deadline: dt.date | None,
    title: str,
    names: dict[str, str],
    lang: str,
) -> str:
    """Records still to digitize at each audit (a line with points), the forecast as a dashed
    line from the last audit to zero, the deadline as a red vertical line; ``names`` holds the
    legend's words for ``remaining``, ``forecast`` and ``deadline``."""
    days = [*dates, *(d for d in (forecast, deadline) if d)]
    first, span = _time_span(days)
    left, right, top, bottom = 60, WIDTH - 20, 34, 214
    step = nice_step(max([*remaining, 1]) * 1.05)
    peak = step * math.ceil(max([*remaining, 1]) * 1.05 / step)

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / span

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / peak

    body = [
        part
        for k in range(int(peak / step) + 1)
        for part in (
            f"<line x1='{left}' y1='{y(k * step):.1f}' x2='{right}' y2='{y(k * step):.1f}' "
            f"stroke='{GRID}'/>",
            _text(left - 6, y(k * step) + 4, N.integer(k * step, lang), 10, "end"),
        )
    ]
    first_labels = [*([deadline] if deadline else []), *reversed(dates)]
    body += _date_ticks(sorted(set(days)), first_labels, x, bottom, lang)
    body.append(f"<line x1='{left}' y1='{bottom}' x2='{right}' y2='{bottom}' stroke='{INK}'/>")
    points = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in zip(dates, remaining, strict=True))
    body.append(f"<polyline points='{points}' fill='none' stroke='#1f4e79' stroke-width='2'/>")
    body += [
        f"<circle cx='{x(d):.1f}' cy='{y(v):.1f}' r='3.5' fill='#1f4e79'/>"
        for d, v in zip(dates, remaining, strict=True)
    ]
    legend = [("remaining", "#1f4e79", "")]
    if forecast and dates:
        body.append(
            f"<line x1='{x(dates[-1]):.1f}' y1='{y(remaining[-1]):.1f}' x2='{x(forecast):.1f}' "
            f"y2='{y(0):.1f}' stroke='#2e7d32' stroke-width='2' stroke-dasharray='6,4'/>"
        )
        legend.append(("forecast", "#2e7d32", " stroke-dasharray='6,4'"))
    if deadline:
        body.append(
            f"<line x1='{x(deadline):.1f}' y1='{top}' x2='{x(deadline):.1f}' y2='{bottom}' "
            f"stroke='{TARGET}' stroke-width='1.5'/>"
        )
        legend.append(("deadline", TARGET, ""))
    height = bottom + 70
    body += _legend([(names[key], colour, dash) for key, colour, dash in legend], left, height - 12)
    return _document(WIDTH, height, title, body)


def _time_span(days: list[dt.date]) -> tuple[dt.date, int]:
    """The first day of a time axis over ``days`` and its length in days, with a margin of
    a twelfth on each side so no point sits on the frame."""
    first, last = min(days), max(days)
    pad = max(1, (last - first).days // 12)
    return first - dt.timedelta(days=pad), max(1, (last - first).days + 2 * pad)


def _legend(entries: list[tuple[str, str, str]], left: float, y: float) -> list[str]:
    """A legend on one line: for each (words, colour, dash attribute) a stroke and its words."""
    parts, at = [], float(left)
    for words, colour, dash in entries:
        parts += [
            f"<line x1='{at:.1f}' y1='{y}' x2='{at + 22:.1f}' y2='{y}' stroke='{colour}' "
            f"stroke-width='2'{dash}/>",
            _text(at + 27, y + 4, words, 10),
        ]
        at += 40 + text_width(words, 10)
    return parts


def _date_ticks(
    days: list[dt.date],
    first: list[dt.date],
    x: Callable[[dt.date], float],
    bottom: float,
    lang: str,
) -> list[str]:
    """A tick under each date the chart marks and a slanted label under those that do not
    crowd a label already placed, the dates of ``first`` (the deadline, the audits) placed
    before the others."""
    parts = [
        f"<line x1='{at:.1f}' y1='{bottom}' x2='{at:.1f}' y2='{bottom + 4}' stroke='{INK}'/>"
        for at in map(x, days)
    ]
    placed: list[float] = []
    for day in [*first, *(d for d in days if d not in first)]:
        at = x(day)
        if any(abs(at - other) < LABEL_GAP for other in placed):
            continue
        placed.append(at)
        parts.append(
            _text(
                at,
                bottom + 14,
                N.date_text(day, lang),
                9,
                "end",
                extra=f" transform='rotate(-30 {at:.1f} {bottom + 14})'",
            )
        )
    return parts


@dataclass(frozen=True)
class Way:
    """One unit's row of :func:`deadline_rows`: its audits, what is left to do (words), its
    forecast completion (None without one) and the words written at the row's end."""

    name: str
    audits: list[dt.date]
    left: str
    forecast: dt.date | None
    late: bool
    end_words: str


def deadline_rows(ways: Sequence[Way], deadline: dt.date | None, title: str, lang: str) -> str:
    """Each unit's way to the deadline, one row each in the given (ranked) order: its audits
    as points with what is left written before the last one, the forecast as a line to a
    diamond at the forecast date (red when after the deadline, green otherwise) with the date
    written after it; the deadline as a dashed red vertical line."""
    days = [d for w in ways for d in (*w.audits, w.forecast) if d] + (
        [deadline] if deadline else []
    )
    if not days:
        days = [dt.date.today()]
    names = 16 + max((text_width(w.name, 11) for w in ways), default=0)
    left = names + 60  # room for what is left, written before a first audit
    right, top, row = WIDTH + 100 - 110, 40, 26
    first, span = _time_span(days)
    bottom = top + row * max(1, len(ways))

    def x(day: dt.date) -> float:
        return left + (right - left) * (day - first).days / span

    body = _date_ticks(sorted(set(days)), [deadline] if deadline else [], x, bottom, lang)
    for i, way in enumerate(ways):
        body += _way(way, top + i * row + row / 2, x, (names, left, right))
    if deadline:
        body.append(
            f"<line x1='{x(deadline):.1f}' y1='{top - 4}' x2='{x(deadline):.1f}' y2='{bottom}' "
            f"stroke='{TARGET}' stroke-width='1.5' stroke-dasharray='5,3'/>"
        )
    return _document(WIDTH + 100, bottom + 60, title, body)


def _way(
    way: Way, y: float, x: Callable[[dt.date], float], edges: tuple[float, float, float]
) -> list[str]:
    """One row of :func:`deadline_rows`; ``edges``: where the names end, the plot's left and
    right."""
    names, left, right = edges
    parts = [
        _text(names, y + 4, way.name, 11, "end"),
        f"<line x1='{left:.1f}' y1='{y:.1f}' x2='{right:.1f}' y2='{y:.1f}' stroke='{GRID}'/>",
    ]
    if not way.audits:
        return parts
    last = max(way.audits)
    parts += [f"<circle cx='{x(d):.1f}' cy='{y:.1f}' r='3' fill='#1f4e79'/>" for d in way.audits]
    parts.append(_text(x(last) - 6, y + 3, way.left, 9, "end", "#1f4e79"))
    end, colour = x(last), "#666"
    if way.forecast:
        colour, end = (TARGET if way.late else "#2e7d32"), x(way.forecast)
        parts += [
            f"<line x1='{x(last):.1f}' y1='{y:.1f}' x2='{end:.1f}' y2='{y:.1f}' "
            f"stroke='{colour}' stroke-width='2'/>",
            f"<path d='M{end:.1f},{y - 4:.1f} l4,4 l-4,4 l-4,-4 z' fill='{colour}'/>",
        ]
    parts.append(_text(end + 7, y + 3, way.end_words, 9, fill=colour))
    return parts
