"""Naming conventions: how each office turns a record into scan paths, and what they leave.

Each convention is a function from a record to a ``Scan``: its file parts (one PDF, a
multi-page TIFF, a register split by page range, a folder of page images or of documents) and
the *candidates*, the records its path (or its sidecar row) still allows. An identifier that is
unique in the locality (code, receipt, box and file, parcel and map sheet, a decision's number
within its year, a register's kind, year and book, a sheet's row number) leaves one candidate;
a typed title leaves every record whose title begins with what the operator typed, narrowed by
the year or the day the path shows. ``labels`` decides the rest.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .habits import Habits
from .records import REGISTERS, Record
from .typist import fold, strip_marks, title_fits, typed_title


@dataclass
class Part:
    path: str
    pages: int
    fmt: str = "pdf"  # pdf | tif | jpg


@dataclass
class Scan:
    """What scanning one record produced."""

    record: int
    keying: str
    parts: list[Part]
    candidates: list[int]
    order_group: str = ""  # counters and lots: scan order follows the inventory in this group
    sidecar: dict[str, str] | None = None
    shows_year: bool = False


@dataclass
class Context:
    habits: Habits
    records: list[Record]
    rng: random.Random
    rows: dict[int, tuple[str, int]]  # record -> (sheet name, STT)
    folded: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # folded, filled when first needed
    counters: dict[str, int] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)


KIND_FOLDERS = {
    "land_gcn": "Dat dai",
    "land_transfer": "Dat dai",
    "civil": "Ho tich",
    "register": "So ho tich",
    "business": "Kinh doanh",
    "construction": "Xay dung",
    "complaint": "Don thu",
    "decision": "Quyet dinh",
    "decision_book": "Quyet dinh",
    "report": "Bao cao",
    "yearly": "Tong hop",
}


def _number(r: Record) -> int:
    return r.file_no


def folder(ctx: Context, convention: str, r: Record, need_year: bool = False) -> tuple[str, bool]:
    """The folder a convention files the scan in, and whether it shows the year."""
    how = ctx.habits.folder[convention]
    style = ctx.habits.style[convention]
    if need_year and how in ("flat", "box"):
        how = "year"
    if how == "year":
        return (("{y}", "Nam {y}", "NĂM {y}", "{y}")[style % 4].format(y=r.year) + "/", True)
    if how == "kind_year":
        return f"{KIND_FOLDERS[r.kind]}/{r.year}/", True
    if how == "box":
        return (
            ("Hop {b:03d}", "Hộp {b}", "H{b:02d}", "Box {b}")[style % 4].format(b=r.box) + "/",
            False,
        )
    return "", False


def _title_candidates(ctx: Context, covered: str, keep: Callable[[Record], bool]) -> list[int]:
    return [i for i, r in enumerate(ctx.records) if keep(r) and title_fits(covered, ctx.folded[i])]


def _typed(ctx: Context, convention: str, r: Record) -> tuple[str, str]:
    typed = typed_title(r.title, ctx.habits.typing[convention], ctx.rng)
    if not title_fits(typed.covered, fold(r.title)):
        raise AssertionError(f"typed title lost its own record: {typed} / {r.title}")
    return _safe(typed.text), typed.covered


def _safe(text: str) -> str:
    """What a file system takes: no slashes, colons or quotes in a name."""
    for bad in '/\\:*?"<>|':
        text = text.replace(bad, "-")
    return text.strip(" .")


def _unique(ctx: Context, path: str, ext: str) -> str:
    """An operator saving a second file under a taken name gets ' (2)' from the system."""
    candidate, n = path + ext, 1
    while candidate.lower() in ctx.taken:
        n += 1
        candidate = f"{path} ({n}){ext}"
    ctx.taken.add(candidate.lower())
    return candidate


def _one(
    ctx: Context, i: int, keying: str, path: str, candidates: list[int], shows_year: bool = False
) -> Scan:
    r = ctx.records[i]
    fmt = "tif" if ctx.rng.random() < ctx.habits.tiff_share else "pdf"
    full = _unique(ctx, path, "." + fmt)
    return Scan(i, keying, [Part(full, r.sheets, fmt)], candidates, shows_year=shows_year)


def _code_text(r: Record, style: int, fonds: str) -> str:
    code = r.code.replace("/", "-")
    if style == 1:
        return code.lower()
    if style == 2:
        return code.replace(".", "_")
    if style == 3 and code.startswith(fonds) and len(code) > len(fonds) + 1:
        return code[len(fonds) + 1 :]  # the fonds left out: it is the same on every scan
    if style == 5:
        return code.replace(".", " ").replace("-", " ")
    return code


def name_code(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["code"]
    where, year = folder(ctx, "code", r)
    text = _code_text(r, style, ctx.habits.fonds)
    if style == 4:
        text += " " + _typed(ctx, "code", r)[0]
    return _one(ctx, i, "code", where + text, [i], year)


def name_number_only(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["number_only"]
    no, y = _number(r), r.year
    per_year = ctx.habits.numbering == "per_year"
    forms = ("{no:04d}", "{no}", "HS{no:03d}", "So {no:03d}", "{no:03d}.{y}", "HS_{y}_{no:04d}")
    where, shown = folder(ctx, "number_only", r, need_year=per_year and style < 4)
    return _one(
        ctx, i, "number_only", where + forms[style].format(no=no, y=y), [i], shown or style >= 4
    )


def _swap_digits(no: int, rng: random.Random) -> int:
    text = f"{no:03d}"
    j = rng.randrange(len(text) - 1)
    swapped = text[:j] + text[j + 1] + text[j] + text[j + 2 :]
    return int(swapped)


def name_number_title(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["number_title"]
    text, covered = _typed(ctx, "number_title", r)
    no = _number(r)
    where, shown = folder(ctx, "number_title", r, need_year=ctx.habits.numbering == "per_year")
    by_title = _title_candidates(ctx, covered, lambda o: not shown or o.year == r.year)
    if by_title == [i] and ctx.rng.random() < ctx.habits.rates["swap_digits"]:
        no = _swap_digits(no, ctx.rng)  # the title still names it alone
    forms = (
        "{no:03d} - {t}",
        "{no}_{t}",
        "{no:04d}.{t}",
        "HS {no} {t}",
        "{t} ({no:03d})",
        "{t}_{no:03d}",
    )
    return _one(ctx, i, "number_title", where + forms[style].format(no=no, t=text), [i], shown)


def name_title_only(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    text, covered = _typed(ctx, "title_only", r)
    where, shown = folder(ctx, "title_only", r)
    cands = _title_candidates(ctx, covered, lambda o: not shown or o.year == r.year)
    return _one(ctx, i, "title_only", where + text, cands, shown)


def name_box_file(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["box_file"]
    forms = (
        "Hop {b:02d}/HS {no:03d}",
        "H{b:03d}_{no:03d}",
        "B{b}-F{no}",
        "{b}.{no}",
        "Hộp {b}/{no}",
        "hop{b}_hs{no}",
    )
    no = _number(r)
    if ctx.habits.numbering == "per_year":
        # numbers restart each year; the year folder keeps box and number one record
        where, shown = folder(ctx, "box_file", r, need_year=True)
    else:
        where, shown = ("", False) if style in (0, 4) else folder(ctx, "box_file", r)
    return _one(ctx, i, "box_file", where + forms[style].format(b=r.box, no=no), [i], shown)


def name_stt_sheet(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["stt_sheet"]
    sheet, stt = ctx.rows[i]
    where = "" if not sheet else (strip_marks(sheet) if style % 2 else sheet) + "/"
    forms = ("STT {s:03d}", "{s}", "TT{s:04d}", "{s:03d} - {t}", "Dong {s}", "{s:02d}")
    text = _typed(ctx, "stt_sheet", r)[0] if style == 3 else ""
    return _one(ctx, i, "stt_sheet", where + forms[style].format(s=stt, t=text), [i])


def name_receipt(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["receipt"]
    day, seq = r.receipt.rsplit("-", 2)[1:]
    owner = strip_marks(r.owner).upper()
    forms = (
        r.receipt,
        f"H56-{day}-{seq}",
        f"{day}-{seq}",
        f"{day}_{seq} {owner}",
        f"{r.receipt}_{owner}",
        r.receipt.replace(".", "_"),
    )
    where, shown = folder(ctx, "receipt", r)
    return _one(ctx, i, "receipt", where + forms[style], [i], shown)


def name_symbol(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["symbol"]
    no, d = r.decision_no, r.start
    forms = (
        f"{no}-QD-UBND",
        f"QĐ {no}",
        f"QD{no:03d}",
        f"{no}.QĐ-UBND",
        f"QD_{no}_{r.year}",
        f"{no:03d}_QD-UBND_{d:%d%m%Y}",
    )
    where, shown = folder(ctx, "symbol", r, need_year=style < 4)
    return _one(ctx, i, "symbol", where + forms[style], [i], True)


def name_parcel(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["parcel"]
    s, p = r.map_sheet, r.parcel
    owner = strip_marks(r.owner)
    forms = (
        f"T{s}_TD{p}",
        f"To {s} thua {p}",
        f"{s}-{p}",
        f"TBD{s:02d}.T{p:04d}",
        f"{p}_{s} {owner.upper()}",
        f"thua {p} to {s} - {owner}",
    )
    where, shown = folder(ctx, "parcel", r)
    return _one(ctx, i, "parcel", where + forms[style], [i], shown)


_KIND_WORD = {
    "land_gcn": "GCN",
    "land_transfer": "CN",
    "civil": "HT",
    "business": "HKD",
    "construction": "XD",
    "complaint": "DON",
}


def name_owner(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["owner"]
    bare = strip_marks(r.owner)
    forms = (
        bare.upper(),
        bare,
        ("Ba " if r.title.count(" bà ") else "Ong ") + bare,
        bare.replace(" ", "").lower(),
        r.owner,
        f"{bare.upper()} - {_KIND_WORD[r.kind]}",
    )
    where, _ = folder(ctx, "owner", r, need_year=True)
    if len(ctx.owners) != len(ctx.records):
        ctx.owners = [fold(o.owner) for o in ctx.records]
    key = ctx.owners[i]

    def same(j: int) -> bool:
        o = ctx.records[j]
        kind_shown = style != 5 or _KIND_WORD.get(o.kind) == _KIND_WORD[r.kind]
        return ctx.owners[j] == key and o.year == r.year and kind_shown

    cands = [j for j in range(len(ctx.records)) if same(j)]
    return _one(ctx, i, "owner", where + forms[style], cands, True)


def name_book_page(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["book_page"]
    kind, book = r.register
    ab = REGISTERS[kind]
    word = strip_marks(kind).capitalize()
    where, _ = folder(ctx, "book_page", r)
    forms = (
        f"{ab}_{r.year}_Q{book:02d}",
        f"{word} {r.year} - Quyen {book}",
        "SO " + ab + f" {r.year} Q{book} tr {{a:03d}}-{{b:03d}}",
        f"{r.year}/{ab}-Q{book:02d}",
        f"So dang ky {strip_marks(kind)} {r.year} quyen {book:02d}",
        f"{ab}.{r.year}.{book:02d}_p{{a}}-{{b}}",
    )
    form = forms[style]
    if "{a" not in form:
        return _one(ctx, i, "book_page", where + form, [i], True)
    cut = ctx.rng.randint(r.sheets // 3, 2 * r.sheets // 3)
    parts = [
        Part(_unique(ctx, where + form.format(a=a, b=b), ".pdf"), b - a + 1)
        for a, b in ((1, cut), (cut + 1, r.sheets))
    ]
    return Scan(i, "book_page", parts, [i], shows_year=True)


def name_date_title(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["date_title"]
    text, covered = _typed(ctx, "date_title", r)
    d = r.start
    forms = (
        f"{d:%Y%m%d}_",
        f"{d:%d.%m.%Y} ",
        f"{d:%Y-%m-%d} - ",
        f"{d:%d%m%y} ",
        f"{d:%d-%m-%Y}_",
        f"{d:%Y.%m.%d} ",
    )
    where, _ = folder(ctx, "date_title", r)
    # the day narrows the titles only as finely as the inventory writes its dates
    shown = {
        "range_my": lambda o: (o.start.year, o.start.month) == (d.year, d.month),
        "year": lambda o: o.year == d.year,
    }
    cands = _title_candidates(
        ctx, covered, shown.get(ctx.habits.dates_form, lambda o: o.start == d)
    )
    return _one(ctx, i, "date_title", where + forms[style] + text, cands, True)


def _id_folder(ctx: Context, r: Record, style: int) -> str:
    cols = ctx.habits.columns
    if (
        "record_code" in cols
        and style % 3 == 0
        and not (r.tthc and "receipt" in ctx.habits.specific)
    ):
        return r.code.replace("/", "-")
    if "box" in cols and style % 3 == 1:
        return f"Hop {r.box:02d}/HS {r.file_no:03d}"
    return (f"{r.year}/" if ctx.habits.numbering == "per_year" else "") + f"{r.file_no:04d}"


def name_page_folder(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["page_folder"]
    base = _id_folder(ctx, r, style)
    stem = base.rsplit("/", 1)[-1]
    forms = ("{n:04d}", "page_{n:03d}", stem + "_{n:03d}", "{n:03d}", "Trang {n}", "IMG_{n:04d}")
    ext = "tif" if style == 3 else "jpg"
    parts = [
        Part(f"{base}/{forms[style].format(n=n)}.{ext}", 1, ext) for n in range(1, r.sheets + 1)
    ]
    return Scan(i, "page_folder", parts, [i])


def name_doc_folder(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["doc_folder"]
    base = _id_folder(ctx, r, style + 1)
    docs = ctx.rng.randint(2, max(2, min(5, r.sheets)))
    cuts = (
        sorted(ctx.rng.sample(range(1, r.sheets), docs - 1))
        if r.sheets > docs
        else list(range(1, docs))
    )
    bounds = [0, *cuts, r.sheets]
    forms = ("{k:02d}", "Van ban {k}", "{k:02d}_{stem}", "VB{k:03d}", "tai lieu {k}", "{k}")
    stem = base.rsplit("/", 1)[-1]
    parts = [
        Part(f"{base}/{forms[style].format(k=k + 1, stem=stem)}.pdf", bounds[k + 1] - bounds[k])
        for k in range(len(bounds) - 1)
        if bounds[k + 1] > bounds[k]
    ]
    return Scan(i, "doc_folder", parts, [i])


SCAN_START = dt.datetime(2025, 5, 5, 7, 30)
_COUNTERS = (
    "IMG_{n:06d}",
    "SCAN{n:04d}",
    "DSC_{n:05d}",
    "{t}",
    "Batch {b:03d}/Scan_{n:04d}",
    "img{n}",
)


def name_counter(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    style = ctx.habits.style["counter_sidecar"]
    n = ctx.counters.setdefault("counter", ctx.rng.choice((1, 1, 101, 12345)))
    ctx.counters["counter"] = n + 1
    seconds = ctx.counters.setdefault("clock", 0) + ctx.rng.randint(40, 400)
    ctx.counters["clock"] = seconds
    stamp = f"{SCAN_START + dt.timedelta(seconds=seconds):%Y%m%d%H%M%S}"
    name = _COUNTERS[style].format(n=n, t=stamp, b=1 + n // 100)
    scan = _one(ctx, i, "counter_sidecar", name, [i])
    scan.order_group = "counter"
    variant = ctx.habits.style.get("sidecar_variant", 0)
    row = {"file": scan.parts[0].path, "pages": str(r.sheets)}
    if variant == 0 and "record_code" in ctx.habits.columns:
        row["code"] = r.code
    elif variant == 1 and "box" in ctx.habits.columns:
        row["box"], row["file_no"] = str(r.box), str(r.file_no)
    else:
        text, covered = _typed(ctx, "counter_sidecar", r)
        row["title"], row["year"] = text, str(r.year)
        scan.candidates = _title_candidates(ctx, covered, lambda o: o.year == r.year)
        scan.shows_year = True
    scan.sidecar = row
    return scan


def name_lot(ctx: Context, i: int) -> Scan:
    r = ctx.records[i]
    seq = ctx.counters.get("lot_seq", 0) + 1
    lot = ctx.counters.get("lot", 1)
    if seq > ctx.counters.setdefault("lot_size", ctx.rng.choice((40, 50, 80))):
        lot, seq = lot + 1, 1
    ctx.counters["lot_seq"], ctx.counters["lot"] = seq, lot
    style = ctx.habits.style["lot_seq"]
    forms = ("LO{l:02d}/LO{l:02d}_{s:04d}", "Lo {l}/{s:03d}", "L{l:03d}/L{l:03d}-{s:05d}")
    scan = _one(ctx, i, "lot_seq", forms[style % 3].format(l=lot, s=seq), [i])
    scan.order_group = "lot"
    row = {"file": scan.parts[0].path, "lot": str(lot), "seq": str(seq), "pages": str(r.sheets)}
    if "record_code" in ctx.habits.columns:
        row["code"] = r.code
    else:
        row["box"], row["file_no"] = str(r.box), str(r.file_no)
    row["title"] = r.title
    scan.sidecar = row
    return scan


NAMERS: dict[str, Callable[[Context, int], Scan]] = {
    "code": name_code,
    "number_only": name_number_only,
    "number_title": name_number_title,
    "title_only": name_title_only,
    "box_file": name_box_file,
    "stt_sheet": name_stt_sheet,
    "counter_sidecar": name_counter,
    "date_title": name_date_title,
    "page_folder": name_page_folder,
    "doc_folder": name_doc_folder,
    "lot_seq": name_lot,
    "receipt": name_receipt,
    "symbol": name_symbol,
    "parcel": name_parcel,
    "owner": name_owner,
    "book_page": name_book_page,
}
