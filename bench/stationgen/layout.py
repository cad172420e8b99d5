"""Where the station put each record's scan and what it called it, and what the path (and
the scanning software's export) tells about the record: the evidence the labelling rule
weighs. Evidence keys: ``code`` (segments), ``file_no``, ``box``, ``year``, ``month``, ``date``,
``title`` (a :class:`~.typed.Visible`), ``order`` (batch, position) and ``bare`` (a counter
group aligned by order and pages only).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field

from .habits import Habits
from .records import Record
from .typed import Typing, Visible, fold, type_title

COUNTERS = {"counter_sidecar", "counter_bare", "box_counter"}


@dataclass
class Scan:
    record: Record | None  # None only for a copy's record lookup; orphans carry one too
    path: str = ""
    pages: int | None = 0
    fmt: str = "pdf"
    evidence: dict[str, object] = field(default_factory=dict)
    batch: str = ""
    seq: int = 0  # position in the scanning order
    injected: str = ""
    copy_of: Scan | None = None
    sidecar_row: dict[str, object] = field(default_factory=dict)
    status: str = ""
    candidates: frozenset[int] = frozenset()


def segments(code: str) -> tuple[object, ...]:
    """A code as its alphanumeric segments, numbers without their leading zeros."""
    parts = re.findall(r"[0-9]+|[A-Za-z]+", fold(code))
    return tuple(int(p) if p.isdigit() else p.upper() for p in parts)


def _pad(rng: random.Random, n: int, pad: object) -> str:
    if pad == "mixed":
        pad = rng.choice((0, 3, 4))
    return f"{n:0{pad}d}" if pad else str(n)


def _code_name(rng: random.Random, code: str, habits: Habits) -> str:
    sep = str(habits.name_style["code_sep"])
    parts = re.split(r"[./\-]", code)
    out = []
    for p in parts:
        if p.isdigit() and len(p) != 4 and rng.random() < 0.3:
            p = str(int(p))  # a leading zero dropped here and there
        out.append(p)
    name = sep.join(out)
    return name.lower() if rng.random() < 0.1 else name


def _safe(name: str) -> str:
    name = re.sub(r'[\\/:*?"<>|]+', " ", name)
    return re.sub(r"\s+", " ", name).strip(" .")


def _name_typing(habits: Habits) -> Typing:
    style = habits.name_style
    return Typing(
        fold=habits.typing.fold and style["marks"] == "fold",
        abbr_p=habits.typing.abbr_p,
        typo_p=habits.typing.typo_p,
        run_p=habits.typing.run_p,
        case=str(style["case"]),
        joiner=str(style["joiner"]),
    )


def _titled(rng: random.Random, habits: Habits, head: str, record: Record) -> tuple[str, Visible]:
    room = None if habits.name_limit is None else max(8, habits.name_limit - len(head))
    typed, visible = type_title(record.title.words, _name_typing(habits), rng, room)
    return head + typed, visible


def name_for(rng: random.Random, habits: Habits, record: Record) -> tuple[str, dict[str, object]]:
    """The file name (no folder, no extension) and the evidence it carries."""
    keying = record.keying
    style = habits.name_style
    ev: dict[str, object] = {}
    if keying in ("code_resep", "station_code", "code_title"):
        head = _code_name(rng, record.code, habits)
        ev["code"] = segments(record.code)
        if keying == "station_code":
            head = habits.prefix + head
        if keying == "code_title":
            name, ev["title"] = _titled(rng, habits, head + rng.choice((" ", "_", " - ")), record)
            return name, ev
        return head, ev
    if keying == "number_title":
        head = str(style["number_form"]).format(n=_pad(rng, record.file_no, style["pad"]))
        ev["file_no"] = record.file_no
        if not head.endswith((" ", "_", "-", ".")):
            head += " "
        name, ev["title"] = _titled(rng, habits, head, record)
        return name, ev
    if keying == "date_title":
        head = record.date_start.strftime(str(style["date_form"]))
        ev["date"] = record.date_start
        name, ev["title"] = _titled(rng, habits, head, record)
        return name, ev
    if keying == "title_only":
        name, ev["title"] = _titled(rng, habits, "", record)
        return name, ev
    if keying == "box_folder_number":
        ev["file_no"] = record.file_no
        return str(style["file_form"]).format(f=record.file_no), ev
    if keying == "box_flat":
        ev["file_no"], ev["box"] = record.file_no, record.box
        return str(style["flat_form"]).format(b=record.box, f=record.file_no), ev
    if keying == "year_number":
        ev["file_no"] = record.file_no
        return _pad(rng, record.file_no, style["pad"] or 4), ev
    raise ValueError(keying)


def folder_for(habits: Habits, record: Record, batch: str) -> tuple[str, dict[str, object]]:
    """The folder (posix, relative to the root) and the evidence it carries."""
    keying = record.keying
    if keying in ("box_folder_number", "box_counter"):
        return str(habits.name_style["box_form"]).format(b=record.box), {"box": record.box}
    if keying == "year_number":
        return str(record.year_start), {"year": record.year_start}
    if keying in COUNTERS:
        return (batch, {}) if habits.folders in ("batch", "operator") else ("", {})
    if habits.folders == "year":
        return str(record.year_start), {"year": record.year_start}
    if habits.folders == "year_month":
        d = record.date_start
        return f"{d.year}/{d.month:02d}", {"year": d.year, "month": (d.year, d.month)}
    if habits.folders in ("batch", "operator"):
        return batch, {}
    return "", {}


def batch_names(rng: random.Random, habits: Habits, count: int) -> list[str]:
    """Batch folder names in scanning order (they sort in that order)."""
    day = dt.date(2025, 5, 5) + dt.timedelta(days=rng.randrange(20))
    form = rng.choice(("%Y-%m-%d", "Dot {k:02d} - %d.%m.%Y", "%Y%m%d", "Lo {k:02d}"))
    if habits.folders == "operator":
        operators = [f"May scan {k}" for k in range(1, 4)] + ["Nguyen Van Hung", "Tran Thi Mai"]
        who = rng.choice(operators)  # one operator ran the series: the dates order its batches
        return [f"{who}/{day + dt.timedelta(days=2 * k):%Y-%m-%d}" for k in range(count)]
    out = []
    for k in range(count):
        when = day + dt.timedelta(days=2 * k)
        out.append(when.strftime(form.replace("{k:02d}", f"{k + 1:02d}")))
    return out


def finish_path(habits: Habits, folder: str, stem: str, ext: str) -> str:
    path = f"{folder}/{_safe(stem)}{ext}" if folder else f"{_safe(stem)}{ext}"
    if habits.name_style["marks"] == "nfd":
        path = unicodedata.normalize("NFD", path)
    else:
        path = unicodedata.normalize("NFC", path)
    return path


def counter_name(habits: Habits, n: int) -> str:
    return str(habits.name_style["counter"]).format(n=n)
