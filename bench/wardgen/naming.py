"""How a batch names the scan of a record, and what the name lets a reader check.

A name is built from segments (a receipt, a procedure, an owner, a date, a typed title, a
device stem, a noise number), each carrying the evidence it gives; folders add theirs. The
64-character cut keeps the evidence of the segments it leaves whole and a prefix of the one
it cuts (a title's words, a name), never of what it removes. Evidence is only what the
inventory can check: a box folder says nothing to an inventory without a box column.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import keyboard as kb
from .habits import Batch, Habits
from .records import Part, Record
from .vocab import DEVICES, PROCEDURES


@dataclass(frozen=True)
class Evidence:
    kind: str
    value: object


@dataclass
class Seg:
    text: str
    evidence: list[Evidence] = field(default_factory=list)
    #: a typed title: (typed token, folded words it covers, readable when cut)
    tokens: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)
    person: str = ""  # folded name of a person segment
    cut_readable: bool = True  # a cut name still reads as a prefix (not Telex/VNI keys)
    typed_sep: str = " "


@dataclass
class Named:
    folders: list[str]
    stem: str
    evidence: list[Evidence]
    keying: str
    log: dict[str, str] | None = None  # the scanning log's row (device_log)


@dataclass
class Clock:
    """The scanning station's clock: days of the 2025 digitization drive, minutes apart."""

    now: dt.datetime
    counter: int = 0

    def tick(self, rng: random.Random) -> dt.datetime:
        self.now += dt.timedelta(minutes=rng.randint(1, 6), seconds=rng.randint(0, 59))
        if self.now.hour >= 17:
            day = self.now.date() + dt.timedelta(days=1)
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
            self.now = dt.datetime(day.year, day.month, day.day, 7, rng.randint(30, 59))
        self.counter += 1
        return self.now


def device_stem(device: str, when: dt.datetime, n: int) -> str:
    fields = {
        "Y": f"{when.year:04d}",
        "y": f"{when.year % 100:02d}",
        "m": f"{when.month:02d}",
        "d": f"{when.day:02d}",
        "H": f"{when.hour:02d}",
        "M": f"{when.minute:02d}",
        "S": f"{when.second:02d}",
        "n": n,
    }
    if device == "word":
        fields["n"] = n % 9 + 1
    return DEVICES[device].format(**fields)


def _typed(text: str, b: Batch) -> str:
    return kb.case(kb.marks(text, b.marks), b.case)


def _name_seg(name: str, b: Batch) -> Seg:
    typed = _typed(name, b).split(" ")
    if not b.sep:
        text = kb.join(typed, "", True)
    elif b.sep in ("_", "-"):
        text = b.sep.join(typed)
    else:
        text = " ".join(typed)
    readable = b.marks not in ("telex", "vni")
    ev = [Evidence("person", kb.fold(name))]
    return Seg(text, ev, person=kb.fold(name), cut_readable=readable)


def title_tokens(
    parts: list[Part], b: Batch, rng: random.Random
) -> list[tuple[str, tuple[str, ...], bool]]:
    """The title as the operator typed it, token by token, with the words each covers."""
    out: list[tuple[str, tuple[str, ...], bool]] = []
    for part in parts:
        if b.abbreviate and part.short:
            out.append((_typed(part.short, b), kb.words(part.text), False))
            continue
        for word in part.text.split():
            folded = kb.words(word)
            if not folded:
                continue
            clean = b.marks not in ("telex", "vni")
            typed = _typed(word, b)
            if rng.random() < b.slips and part.role == "word":
                typed, clean = kb.slip(typed, rng), False
            out.append((typed, folded, clean))
    if len(out) > 3 and kb.fold(out[0][0]) == "ho" and rng.random() < 0.5:
        out = out[2:]  # "Hồ sơ" left out: the reader strips it on both sides
    merged: list[tuple[str, tuple[str, ...], bool]] = []
    for tok in out:
        if merged and rng.random() < b.run_together and tok[0].isalpha():
            prev = merged.pop()
            merged.append((prev[0] + tok[0], prev[1] + tok[1], False))
        else:
            merged.append(tok)
    return merged


def _title_seg(parts: list[Part], b: Batch, rng: random.Random) -> Seg:
    tokens = title_tokens(parts, b, rng)
    sep = b.sep if b.sep in (" ", "_", "-") else " "
    text = kb.join([t for t, _, _ in tokens], sep, not b.sep)
    covered = tuple(w for _, ws, _ in tokens for w in ws)
    title = Evidence("title", (covered, "", True))
    return Seg(text, [title], tokens=tokens, typed_sep="" if not b.sep else sep)


def _date_text(d: dt.date, form: str) -> str:
    return {
        "dmy_dash": f"{d.day}-{d.month}-{d.year}",
        "ymd_dot": f"{d.year}.{d.month:02d}.{d.day:02d}",
        "dmy_compact": f"{d.day:02d}{d.month:02d}{d.year}",
        "dmy_dot": f"{d.day:02d}.{d.month:02d}.{d.year}",
        "ymd_compact": f"{d.year}{d.month:02d}{d.day:02d}",
    }[form]


def _proc_seg(rec: Record, b: Batch, rng: random.Random) -> Seg:
    proc = PROCEDURES[rec.kind]
    text = proc.shorts[rng.randrange(len(proc.shorts))] if b.short_proc else proc.shorts[-1]
    return Seg(_typed(text, b), [Evidence("kind", rec.kind)])


def _parcel_seg(rec: Record, b: Batch) -> Seg | None:
    nums = [int(p.text) for p in rec.parts if p.role == "number"]
    if rec.kind not in ("gcn", "bien_dong") or len(nums) < 2:
        return None
    return Seg(f"thua {nums[0]} to {nums[1]}", [Evidence("numbers", (nums[0], nums[1]))])


def _period_seg(rec: Record, b: Batch) -> Seg:
    year, n = rec.period
    short = PROCEDURES[rec.kind].shorts[0]
    if rec.kind == "bao_cao":
        when = [f"Q{n}.{year}", f"Quy {n}-{year}", f"Q.{('I', 'II', 'III', 'IV')[n - 1]} {year}"]
        text = f"{short} KTXH {when[year % 3]}"
    elif rec.kind == "bien_ban":
        text = f"{short} T{n}-{year}" if year % 2 else f"{short} thang {n:02d}.{year}"
    else:
        text = f"{short} {year} Q{n:02d}"
    return Seg(_typed(text, b), [Evidence("kind", rec.kind), Evidence("period", rec.period)])


def anchor_segs(rec: Record, h: Habits, b: Batch, anchor: str, rng: random.Random) -> list[Seg]:
    """The segments of a name by its anchor (the rest of the name is decoration)."""
    if anchor == "receipt":
        typed = rec.receipt.replace(".", "_") if b.receipt_form == "underscore" else rec.receipt
        segs = [Seg(typed, [Evidence("code", rec.receipt)])]
        if b.receipt_form == "prefix":
            segs.insert(0, Seg("BN"))
        return segs + ([_name_seg(rec.owner, b)] if rng.random() < 0.4 else [])
    if anchor == "receipt_tail":
        tail = rec.receipt.split("-", 1)[1]
        return [Seg(tail, [Evidence("code_tail", tail)])]
    if anchor in ("owner_proc", "portal_owner", "id_owner", "date_owner"):
        owner = _name_seg(rec.owner, b)
        if anchor == "owner_proc":
            proc = _proc_seg(rec, b, rng)
            segs = [proc, owner] if b.proc_first else [owner, proc]
            parcel = _parcel_seg(rec, b)
            return segs + ([parcel] if parcel and rng.random() < 0.6 else [])
        if anchor == "portal_owner":
            return [Seg(PROCEDURES[rec.kind].portal, [Evidence("kind", rec.kind)]), owner]
        if anchor == "id_owner":
            return [Seg(rec.cccd if b.proc_first else rec.phone), owner]
        day = h.date_style in ("dmy", "dmy_dash", "range")
        ev = Evidence("date", rec.date) if day else Evidence("year", rec.year)
        return [Seg(_date_text(rec.date, b.date_form), [ev]), owner]
    if anchor == "box_file":
        return [Seg(f"{rec.file_no:03d}" if b.proc_first else f"HS {rec.file_no}", _fno(rec, h))]
    if anchor == "stt_former":
        return [
            Seg(f"STT {rec.stt:03d}" if b.proc_first else f"{rec.stt}", [Evidence("stt", rec.stt)])
        ]
    if anchor == "period":
        return [_period_seg(rec, b)]
    if anchor == "code" and rec.code:
        return [Seg(rec.code.replace("/", "-"), [Evidence("code", rec.code)])]
    return [_title_seg(rec.parts, b, rng)]


def _fno(rec: Record, h: Habits) -> list[Evidence]:
    if h.has_file_no or h.code_form in ("fonds", "slash") or rec.district:
        return [Evidence("file_no", rec.file_no)]
    return []


def _folder(
    level: str, rec: Record, h: Habits, b: Batch, when: dt.datetime
) -> tuple[str, list[Evidence]]:
    if level == "day":
        forms = (
            f"{when:%Y-%m-%d}",
            f"{when:%d.%m.%Y}",
            f"Ngay {when.day}-{when.month}",
            f"{when:%Y%m%d}",
        )
        return forms[len(b.date_form) % 4], []
    if level == "lot":
        return f"Lo {when.month:02d}", []
    if level == "kind":
        folders = PROCEDURES[rec.kind].folder
        return folders[len(b.sep + b.case) % len(folders)], [Evidence("kind", rec.kind)]
    if level == "year":
        return (str(rec.year) if len(b.case) % 2 else f"Nam {rec.year}"), [
            Evidence("year", rec.year)
        ]
    if level == "former":
        if not rec.former or rec.district:
            return "", []
        name = kb.strip_marks(rec.former)
        for kind in ("Thị trấn ", "Xã ", "Phường ", "Thi tran ", "Xa ", "Phuong "):
            name = name.removeprefix(kind)
        text = {0: name, 1: f"{name} (cu)", 2: name.upper().replace(" ", "_")}[len(b.sep) % 3]
        return text, [Evidence("former", rec.former)]
    # box
    if h.box_labels == "old" and h.former:
        ev = [Evidence("old_box", rec.old_box)] if h.old_box_column else []
        number = rec.old_box
    else:
        ev = [Evidence("box", rec.box)] if h.has_box else []
        number = rec.box
    text = (f"Hop {number:02d}", f"Hộp {number}", f"H{number:03d}")[len(b.case) % 3]
    return text, ev


def name_record(
    rec: Record, h: Habits, b: Batch, clock: Clock, rng: random.Random, multi: list[Record]
) -> Named:
    """The folders and stem of the scan of ``rec`` (and of ``multi``, scanned with it)."""
    when = clock.tick(rng)
    series = not PROCEDURES[rec.kind].tthc
    anchor = b.series_anchor if series else b.anchor
    if rec.district:
        anchor = "code" if b.proc_first else "box_file"
    folders: list[str] = []
    evidence: list[Evidence] = []
    if rec.district:
        district = kb.strip_marks(h.district_name)
        folders += [f"UBND {district}", f"{h.district_code} - Phong TNMT"]
        evidence.append(Evidence("former", rec.former))
    for level in b.folders:
        text, ev = _folder(level, rec, h, b, when)
        if text:
            folders.append(text)
            evidence += ev
    log = None
    keying = ("district_" if rec.district else "") + (anchor if not series else f"series_{anchor}")
    if anchor in ("device_notes", "device_log"):
        segs = [Seg(device_stem(b.device, when, clock.counter))]
        if anchor == "device_log":
            log = _log_row(rec, h, b, rng)
    else:
        segs = anchor_segs(rec, h, b, anchor, rng)
        if multi:
            names = [rec.owner] + [m.owner for m in multi]
            joined = ", ".join(_typed(n, b) for n in names)
            segs = [
                Seg(joined, [Evidence("persons_any", frozenset(kb.fold(n) for n in names))]),
                _proc_seg(rec, b, rng),
            ]
            keying = "several_in_one"
        if b.keep_device:
            segs.insert(0, Seg(device_stem(b.device, when, clock.counter)))
        if rng.random() < b.noise_number and (anchor.endswith("owner") or anchor == "owner_proc"):
            segs.append(Seg(rec.phone))
    stem, ev = _join(segs, b)
    return Named(folders, stem, evidence + ev, keying, log)


def _join(segs: list[Seg], b: Batch) -> tuple[str, list[Evidence]]:
    sep = b.sep if b.sep else "_"
    stem = sep.join(s.text for s in segs if s.text)
    limit = b.name_limit - 4 if b.name_limit else 0
    if not limit or len(stem) <= limit:
        return stem, [e for s in segs for e in s.evidence]
    cut = stem[:limit].rstrip(" _-.,")
    evidence: list[Evidence] = []
    at = 0
    for s in segs:
        if not s.text:
            continue
        end = at + len(s.text)
        if end <= len(cut):
            evidence += s.evidence
        elif at < len(cut):
            evidence += _cut_evidence(s, cut[at:])
        at = end + len(sep)
    return cut, evidence


def _cut_evidence(s: Seg, visible: str) -> list[Evidence]:
    """What a segment cut to ``visible`` still shows: a prefix of its words or name."""
    if s.person:
        if not s.cut_readable:
            return []
        shown = kb.fold(visible)
        return [Evidence("person_prefix", shown)] if len(shown) >= 3 else []
    if not s.tokens:
        return []
    words: list[str] = []
    at = 0
    partial = ""
    for typed, covered, clean in s.tokens:
        end = at + len(typed)
        if end < len(visible):
            words += covered
        else:
            shown = visible[at:]
            if clean and len(covered) == 1 and shown:
                partial = kb.fold(shown)
            break
        at = end + len(s.typed_sep)
    if not words and not partial:
        return []
    return [Evidence("title", (tuple(words), partial, False))]


_LOG_HEADS = {
    "file": ("Tên file", "Ten tep", "File name", "Tệp"),
    "receipt": ("Số biên nhận", "Ma ho so", "Mã HS"),
    "owner": ("Chủ hồ sơ", "Người nộp", "Ho ten"),
    "proc": ("Thủ tục", "Loai ho so", "TTHC"),
    "title": ("Tên hồ sơ", "Noi dung", "Tieu de"),
    "pages": ("Số trang", "So trang", "Trang"),
    "operator": ("Người quét", "Nhan vien"),
}


def log_heads(b: Batch) -> dict[str, str]:
    pick = len(b.sep) + len(b.case) + len(b.marks)
    return {k: v[pick % len(v)] for k, v in _LOG_HEADS.items()}


def _log_row(rec: Record, h: Habits, b: Batch, rng: random.Random) -> dict[str, str]:
    """The day's scanning log: what it says of the record (the file name is added later)."""
    heads = log_heads(b)
    row = {"operator": rng.choice(("Hùng", "Lan", "Tâm", "Vy"))}
    if b.log_evidence == "receipt" and rec.receipt:
        row["receipt"] = rec.receipt
    elif b.log_evidence == "owner" and rec.owner:
        row["owner"] = rec.owner
        row["proc"] = PROCEDURES[rec.kind].shorts[-1]
    else:
        row["title"] = kb.join([t for t, _, _ in title_tokens(rec.parts, b, rng)], " ", False)
    return {heads[k]: v for k, v in row.items()} | {"_kind": b.log_evidence}


def log_evidence(rec: Record, row: dict[str, str], b: Batch) -> list[Evidence]:
    """What the log's row lets a reader check (the same words the row was written from)."""
    heads = log_heads(b)
    if heads["receipt"] in row:
        return [Evidence("code", row[heads["receipt"]])]
    if heads["owner"] in row:
        return [Evidence("person", kb.fold(rec.owner)), Evidence("kind", rec.kind)]
    return [Evidence("title", (rec.twords, "", True))]
