"""One locality: its inventory, its scan tree, its scanning tool's export and its truth."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from . import scans, sidecar
from .habits import COPY_FOLDERS, COPY_MARKS, Habits
from .inventory import (
    HEADINGS,
    Layout,
    build_grid,
    heading,
    write_csv,
    write_xlsx_openpyxl,
    write_xlsx_xlsxwriter,
)
from .titles import Dossier, draw_dossiers, draw_orphan_title
from .typist import Typing, cut_for_filename, fits, strip_marks, tokens, type_title

#: Headings the loader has no synonym for; a title column so named is mapped in the project.
_UNKNOWN_TITLE_HEADINGS = {h for h in HEADINGS["title"][1]}

#: Keyings whose scan names identify the dossier without its title.
_DECISIVE = {
    "code_name",
    "number_in_code_title",
    "number_in_code_only",
    "number_title",
    "number_only",
    "box_folders",
    "box_flat",
    "year_number",
    "counter_ordered",
    "page_series",
}


@dataclass
class Entry:
    """An inventory row."""

    dossier: Dossier
    index: int  # the dossier's position in the fonds (repeats share it)
    file_no: int
    box: int
    code: str
    repeat: bool = False
    source_file: str = ""
    sheet: str = ""
    row: int = 0
    status: str = "digitized"
    injected: str = ""
    paths: list[str] = field(default_factory=list)


@dataclass
class ScanFile:
    path: str  # relative to the scan root, POSIX separators
    data: bytes
    entry: int | None  # the dossier index, None for an orphan
    status: str = "matched"
    injected: str = ""
    typing: Typing | None = None
    year: int | None = None  # a year the path or export states
    pages: int | None = None  # pages usable as evidence (None: short or damaged)
    decisive: bool = True
    series: bool = False  # one page of a page-series folder


@dataclass
class LocalityOutput:
    name: str
    code: str
    slug: str
    inventories: list[str]
    scan_root: str
    sidecar: str | None
    columns: dict[str, str]
    habits: Habits
    records: list[dict[str, str]]
    files: list[dict[str, str]]


def _code(form: str, commune_code: str, year: int, no: int) -> str:
    if form == "fonds_commune_year_no":
        return f"H56.{commune_code or '22999'}.{year}.{no:04d}"
    if form == "year_office_no":
        return f"{year}.VP.{no:03d}"
    if form == "no_year_suffix":
        return f"{no:02d}/{year}/HS-UBND"
    if form == "fonds_cat_year_no":
        return f"H56.17.03.{year}.{no:04d}"
    return f"VP-{year}-{no:04d}"


def _code_in_name(code: str, rng_choice: int) -> str:
    """A code as a file name can carry it: no slash; some stations change the separators."""
    if rng_choice == 0:
        return code.replace("/", "-")
    if rng_choice == 1:
        return code.replace("/", "_").replace(".", "_")
    return code.replace("/", "-").lower()


def _num(n: int, pad: int) -> str:
    return f"{n:0{pad}d}" if pad else str(n)


def _dates(d: Dossier, form: str, rng: random.Random) -> dict[str, object]:
    start = dt.date(d.year_start, rng.randint(1, 6), rng.randint(1, 28))
    end = dt.date(d.year_end, rng.randint(7, 12), rng.randint(1, 28))
    if form == "year":
        return {
            "dates": str(d.year_start)
            if d.year_start == d.year_end
            else f"{d.year_start}-{d.year_end}"
        }
    if form == "range":
        return {"dates": f"{start:%m/%Y} - {end:%m/%Y}"}
    if form == "dmy_range":
        return {"dates": f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"}
    return {"date_start": f"{start:%d/%m/%Y}", "date_end": f"{end:%d/%m/%Y}"}


def _retention(d: Dossier, rng: random.Random) -> str:
    if d.family in (
        "land_cert",
        "land_transfer",
        "marriage_book",
        "birth_book",
        "decisions",
        "minutes",
        "resolution",
    ):
        return "Vĩnh viễn"
    return rng.choice(("10 năm", "20 năm", "50 năm", "70 năm"))


class _Builder:
    def __init__(
        self,
        rng: random.Random,
        name: str,
        code: str,
        slug: str,
        n: int,
        habits: Habits,
        base: Path,
    ) -> None:
        self.rng, self.name, self.code, self.slug, self.n = rng, name, code, slug, n
        self.h, self.base = habits, base
        self.entries: list[Entry] = []  # one per dossier, in fonds order
        self.rows: list[Entry] = []  # inventory rows (dossiers and repeats)
        self.files: list[ScanFile] = []
        self.columns_override: dict[str, str] = {}
        self.inventories: list[str] = []
        self.sidecar_path: str | None = None
        self.root = f"scans/{slug}"
        self.taken: set[str] = set()
        self._index: tuple[dict[int, list[str]], dict[str, set[int]]] | None = None
        self.code_style = rng.randrange(3)  # how this station writes a code into a name

    # --- the paper side -------------------------------------------------------------------
    def dossiers(self) -> None:
        rng, h = self.rng, self.h
        years = (rng.randint(2008, 2014), rng.randint(2019, 2024))
        dossiers = draw_dossiers(rng, self.n, self.name, years, h.twin_rate)
        if "page_series" in h.keyings:
            # A folder of page images per dossier: sheets kept small so the tree stays small.
            for d in dossiers:
                d.sheets = max(1, d.sheets // 12)
        order = sorted(range(len(dossiers)), key=lambda i: (dossiers[i].year_start, rng.random()))
        box, in_box, box_size = 1, 0, rng.randint(6, 15)
        per_year: dict[int, int] = {}
        for pos, i in enumerate(order):
            d = dossiers[i]
            if h.per_year_numbering:
                per_year[d.year_start] = per_year.get(d.year_start, 0) + 1
                no = per_year[d.year_start]
            else:
                no = pos + 1
            if in_box == box_size:
                box, in_box, box_size = box + 1, 0, rng.randint(6, 15)
            in_box += 1
            self.entries.append(
                Entry(
                    dossier=d,
                    index=pos,
                    file_no=no,
                    box=box,
                    code=_code(h.code_form, self.code, d.year_start, no),
                )
            )
        # Rows typed twice: the repeat follows its original within a few rows.
        repeats = max(1, round(self.n * 0.006)) if self.n >= 40 else 0
        chosen = set(rng.sample(range(len(self.entries)), repeats))
        pending: list[tuple[int, Entry]] = []
        for pos, e in enumerate(self.entries):
            self.rows.append(e)
            if pos in chosen:
                pending.append(
                    (
                        pos + rng.randint(0, 3),
                        Entry(
                            dossier=e.dossier,
                            index=e.index,
                            file_no=e.file_no,
                            box=e.box,
                            code=e.code,
                            repeat=True,
                            status="duplicate_entry",
                            injected="repeat",
                        ),
                    )
                )
            for item in [p for p in pending if p[0] <= pos]:
                self.rows.append(item[1])
                pending.remove(item)
        self.rows.extend(p[1] for p in pending)

    def inventory(self) -> None:
        rng, h = self.rng, self.h
        style = h.heading_style
        columns: list[tuple[str, str]] = []
        for f in h.columns:
            text = self._heading(f, style)
            if f == "title" and strip_marks(text).lower() in {
                strip_marks(u).lower() for u in _UNKNOWN_TITLE_HEADINGS
            }:
                self.columns_override["title"] = text
            columns.append((f, text))
        layout = Layout(
            title_block=h.title_block,
            two_row_header=h.two_row_header,
            numbered_row=h.numbered_row,
            blank_rate=h.blank_rate,
            footer=h.footer,
            heading_style=style,
        )
        unit = f"UBND {self.name.lower().split(' ', 1)[0]} {self.name.split(' ', 1)[1]}"
        parts = self._split_parts()
        grids = []
        stt = 0
        for part_no, (label, rows) in enumerate(parts, 1):
            if h.stt_restart:
                stt = 0
            cells = []
            for e in rows:
                stt += 1
                cells.append(self._cells(e, stt))
            grid, where = build_grid(label, columns, cells, layout, unit, part_no, rng)
            for e, r in zip(rows, where):
                e.row = r
            grids.append((grid, rows))
        folder = f"inventories/{self.slug}"
        stem = rng.choice(("muc-luc-ho-so", "Muc luc", "MLHS", "muc_luc"))
        if h.inv_format == "csv":
            for grid, rows in grids:
                name = f"{stem}-{grid.name}.csv" if len(grids) > 1 else f"{stem}.csv"
                rel = f"{folder}/{name}"
                write_csv(self.base / rel, grid, h.csv_encoding, h.csv_delimiter)
                for e in rows:
                    e.source_file, e.sheet = rel, ""
                self.inventories.append(rel)
        else:
            rel = f"{folder}/{stem}.xlsx"
            writer = (
                write_xlsx_openpyxl if h.inv_format == "xlsx_openpyxl" else write_xlsx_xlsxwriter
            )
            writer(self.base / rel, [g for g, _ in grids])
            for grid, rows in grids:
                for e in rows:
                    e.source_file, e.sheet = rel, grid.name
            self.inventories.append(rel)

    def _heading(self, f: str, style: str) -> str:
        return heading(f, self.rng, style, self.h.rare_heading_rate)

    def _split_parts(self) -> list[tuple[str, list[Entry]]]:
        k = self.h.split_sheets
        if k == 1:
            return [(self.rng.choice(("Sheet1", "Mục lục", "MLHS", "Muc luc 01")), self.rows)]
        size = -(-len(self.rows) // k)
        parts = []
        for i in range(k):
            chunk = self.rows[i * size : (i + 1) * size]
            if not chunk:
                continue
            # A repeat stays on its original's sheet only by chance, as in real workbooks.
            label = f"{chunk[0].dossier.year_start}-{chunk[-1].dossier.year_start}"
            if any(label == p[0] for p in parts):
                label = f"{label} ({i + 1})"
            parts.append((label, chunk))
        return parts

    def _cells(self, e: Entry, stt: int) -> dict[str, object]:
        d, xlsx = e.dossier, self.h.inv_format != "csv"
        cells: dict[str, object] = {
            "stt": stt,
            "box": e.box,
            "file_no": e.file_no,
            "record_code": e.code,
            "title": d.title,
            "sheets": d.sheets if xlsx or self.rng.random() < 0.9 else f"{d.sheets} tờ",
            "retention": _retention(d, self.rng),
            "notes": "",
        }
        cells.update(_dates(d, self.h.dates_form, self.rng))
        if not xlsx:
            cells = {k: str(v) for k, v in cells.items()}
        if self.h.decomposed:
            cells = {
                k: unicodedata.normalize("NFD", v) if isinstance(v, str) else v
                for k, v in cells.items()
            }
        return cells

    # --- the scan side --------------------------------------------------------------------
    def fates(self) -> None:
        rng = self.rng
        n = len(self.entries)
        idx = list(range(n))
        rng.shuffle(idx)
        counts = {
            "missing": max(1, round(n * 0.04)),
            "short": max(1, round(n * 0.03)),
            "empty": max(1, round(n * 0.005)),
            "truncated": max(1, round(n * 0.005)),
        }
        if "sheets" not in self.h.columns:
            del counts["short"]  # without a sheets column no one can tell a scan is short
        for kind, count in counts.items():
            # A one-sheet dossier cannot be scanned short.
            pool = [
                i
                for i in idx
                if not self.entries[i].injected
                and (kind != "short" or self.entries[i].dossier.sheets >= 2)
            ]
            for i in pool[:count]:
                self.entries[i].injected = kind

    def keying_of(self, e: Entry) -> str:
        k = self.h.keyings
        return k[0] if len(k) == 1 or e.index < self.h.batch_split * len(self.entries) else k[1]

    def scans(self) -> None:
        rng, h = self.rng, self.h
        order = [e for e in self.entries if e.injected != "missing"]
        # Scan order: the inventory's, with neighbouring dossiers swapped now and then.
        for i in range(len(order) - 1):
            if rng.random() < h.counter_shuffle:
                order[i], order[i + 1] = order[i + 1], order[i]
        counters: dict[str, int] = {}
        stamps: dict[str, dt.datetime] = {}
        sidecar_rows: dict[str, list[dict[str, object]]] = {}
        for e in order:
            keying = self.keying_of(e)
            d = e.dossier
            pages = d.sheets * (2 if rng.random() < 0.3 else 1)
            if e.injected == "short":  # fates() gives short scans to dossiers of 2 sheets or more
                pages = min(d.sheets - 1, max(1, int(d.sheets * rng.uniform(0.3, 0.8))))
            batch = self._batch_folder(e)
            if keying == "page_series":
                self._page_series(e, batch, pages)
                continue
            ext = "tif" if h.image_format == "tif" else "pdf"
            typing: Typing | None = None
            year: int | None = None
            if keying in ("counter_sidecar", "counter_ordered"):
                stem = self._counter(batch, counters, stamps)
                if keying == "counter_sidecar":
                    typing = type_title(d.title, h.noise, rng, h.abbreviations, h.cut_at)
                    sidecar_rows.setdefault(batch, []).append(
                        self._sidecar_row(f"{stem}.{ext}", typing, e, pages)
                    )
                    year = d.year_start if "year" in h.sidecar_fields else None
                folder = batch
            else:
                stem, folder, typing, year = self._name(e, keying, batch)
            path = self._free(f"{folder}/{stem}" if folder else stem, f".{ext}")
            data = scans.scan_bytes(ext, h.pdf_writer, pages, f"{self.slug}/{path}")
            f = ScanFile(
                path=path,
                data=data,
                entry=e.index,
                typing=typing,
                year=year,
                pages=pages if e.injected not in ("short", "empty", "truncated") else None,
            )
            if (
                "pages" in h.sidecar_fields
                and keying == "counter_sidecar"
                and f.pages is None
                and e.injected == "short"
            ):
                f.pages = None
            f.decisive = keying in _DECISIVE or (
                keying == "counter_sidecar" and "code" in h.sidecar_fields
            )
            if e.injected == "empty":
                f.data, f.status, f.injected = b"", "empty", "empty"
            elif e.injected == "truncated":
                f.data, f.status, f.injected = scans.truncate(data), "corrupt", "truncated"
            self.files.append(f)
        self._orphans(counters, stamps, sidecar_rows)
        for batch, rows in sidecar_rows.items():
            self._write_sidecar(batch, rows)

    def _free(self, stem: str, ext: str) -> str:
        """A path no other scan has: two identical typed names get "_2", as operators do."""
        path, k = stem + ext, 1
        while path.lower() in self.taken:
            k += 1
            path = f"{stem}_{k}{ext}"
        self.taken.add(path.lower())
        return path

    def _batch_folder(self, e: Entry) -> str:
        h = self.h
        if len(h.keyings) == 1 or h.batch_folders is None:
            return ""
        first = e.index < h.batch_split * len(self.entries)
        return h.batch_folders[0] if first else h.batch_folders[1]

    def _counter(self, batch: str, counters: dict[str, int], stamps: dict[str, dt.datetime]) -> str:
        rng = self.rng
        if batch not in counters:
            counters[batch] = rng.randint(1, 400)
            stamps[batch] = dt.datetime(2025, rng.randint(3, 6), rng.randint(1, 28), 7, 30)
        counters[batch] += 2 if rng.random() < 0.02 else 1  # a discarded sheet skips a number
        stamps[batch] += dt.timedelta(seconds=rng.randint(40, 600))
        return self.h.counter.format(
            n=counters[batch], year=2025, stamp=f"{stamps[batch]:%Y%m%d_%H%M%S}"
        )

    def _sidecar_row(
        self, filename: str, typing: Typing, e: Entry | None, pages: int
    ) -> dict[str, object]:
        rng = self.rng
        row: dict[str, object] = {
            "file": filename
            if rng.random() < 0.7 or self.h.sidecar_format != "csv"
            else f"D:\\SCAN\\{self.slug}\\{filename}".replace("/", "\\"),
            "title": typing.text,
            "pages": pages,
            "operator": rng.choice(("Lan", "Hùng", "Thảo")),
            "scanned": f"{dt.date(2025, rng.randint(3, 6), rng.randint(1, 28)):%d/%m/%Y}",
        }
        if e is not None:
            row["code"] = e.code
            row["year"] = e.dossier.year_start
        return row

    def _typed_name(self, e: Entry, prefix: str) -> Typing:
        h = self.h
        typing = type_title(e.dossier.title, h.noise, self.rng, h.abbreviations, h.cut_at)
        typing = cut_for_filename(typing, max(20, h.name_limit - len(prefix)))
        if h.underscores:
            typing = Typing(typing.text.replace(" ", "_"), typing.dropped, typing.cut)
        return typing

    def _name(
        self, e: Entry, keying: str, batch: str
    ) -> tuple[str, str, Typing | None, int | None]:
        h, d = self.h, e.dossier
        folders = [batch] if batch else []
        year_folder = keying in ("year_number", "year_title") or (
            h.year_folders and keying in ("code_name", "number_only", "number_title")
        )
        if year_folder:
            folders.append(str(d.year_start))
        year = d.year_start if year_folder else None
        typing: Typing | None = None
        number = _num(e.file_no, h.pad)
        if keying == "code_name":
            stem = _code_in_name(e.code, self.code_style)
        elif keying in ("number_in_code_title", "number_title"):
            prefix = number + h.separator
            typing = self._typed_name(e, prefix)
            stem = prefix + typing.text
        elif keying in ("number_in_code_only", "number_only", "year_number"):
            stem = number
        elif keying in ("title_only", "year_title"):
            typing = self._typed_name(e, "")
            stem = typing.text
        else:  # box keyings
            spelt = h.box_spelling.format(
                b=e.box, b2=f"{e.box:02d}", b3=f"{e.box:03d}", f=e.file_no, f3=f"{e.file_no:03d}"
            )
            if keying == "box_flat":
                spelt = spelt.replace("/", "_")
            folder, _, stem = spelt.rpartition("/")
            if folder:
                folders.append(folder)
        return stem, "/".join(folders), typing, year

    def _series_folder(self, code: str, box: int, file_no: int) -> str:
        h = self.h
        if h.series_key == "code":
            return _code_in_name(code, self.code_style)
        if h.series_key == "box":
            return h.box_spelling.format(
                b=box, b2=f"{box:02d}", b3=f"{box:03d}", f=file_no, f3=f"{file_no:03d}"
            )
        return f"HS{_num(file_no, max(3, h.pad))}"

    def _page_series(self, e: Entry, batch: str, pages: int) -> None:
        h = self.h
        folder = self._series_folder(e.code, e.box, e.file_no)
        if batch:
            folder = f"{batch}/{folder}"
        ext = h.series_format
        for p in range(1, pages + 1):
            path = f"{folder}/{p:03d}.{ext}"
            data = scans.scan_bytes(ext, h.pdf_writer, 1, f"{self.slug}/{path}")
            f = ScanFile(path=path, data=data, entry=e.index, pages=None, series=True)
            if p == 1 and e.injected == "empty":  # one page of the series lost in transfer
                f.data, f.status, f.injected = b"", "empty", "empty"
            elif p == 1 and e.injected == "truncated":
                f.data, f.status, f.injected = scans.truncate(data), "corrupt", "truncated"
            self.files.append(f)

    def _orphans(
        self,
        counters: dict[str, int],
        stamps: dict[str, dt.datetime],
        sidecar_rows: dict[str, list[dict[str, object]]],
    ) -> None:
        rng, h = self.rng, self.h
        count = max(1, round(len(self.entries) * 0.005))
        top = len(self.entries) + 500
        years = (
            min(e.dossier.year_start for e in self.entries),
            max(e.dossier.year_start for e in self.entries),
        )
        for i in range(count):
            keying = h.keyings[-1]
            batch = h.batch_folders[1] if len(h.keyings) > 1 and h.batch_folders else ""
            ext = "tif" if h.image_format == "tif" else "pdf"
            no = top + i * 7
            typing: Typing | None = None
            folder = batch
            if keying == "counter_ordered":
                return  # a counter with neither export nor title cannot be told from a dossier
            if keying == "counter_sidecar":
                for _ in range(20):
                    typing = type_title(
                        draw_orphan_title(rng, self.name, years),
                        h.noise,
                        rng,
                        h.abbreviations,
                        h.cut_at,
                    )
                    if not self.fitting(typing, None):
                        break
                else:
                    continue
                stem = self._counter(batch, counters, stamps)
                sidecar_rows.setdefault(batch, []).append(
                    self._sidecar_row(f"{stem}.{ext}", typing, None, rng.randint(2, 20))
                )
            elif keying in ("title_only", "year_title", "number_title", "number_in_code_title"):
                for _ in range(20):
                    typing = cut_for_filename(
                        type_title(
                            draw_orphan_title(rng, self.name, years),
                            "low",
                            rng,
                            h.abbreviations,
                            h.cut_at,
                        ),
                        h.name_limit,
                    )
                    if not self.fitting(typing, None):
                        break
                else:
                    continue
                stem = typing.text
                if keying in ("number_title", "number_in_code_title"):
                    stem = _num(no, h.pad) + h.separator + stem
                if keying == "year_title":
                    folder = "/".join(x for x in (batch, str(years[1])) if x)
            elif keying == "code_name":
                stem = _code_in_name(_code(h.code_form, self.code, years[1], no), self.code_style)
            elif keying == "page_series":
                series = self._series_folder(_code(h.code_form, self.code, years[1], no), top, no)
                folder = "/".join(x for x in (batch, series) if x)
                stem = "001"
                ext = h.series_format
            elif keying.startswith("box"):
                stem = f"Hop {top}/HS {no}" if keying == "box_folders" else f"H{top}_{no}"
            else:
                stem = _num(no, h.pad)
                if keying == "year_number":
                    folder = "/".join(x for x in (batch, str(years[1])) if x)
            path = self._free(f"{folder}/{stem}" if folder else stem, f".{ext}")
            data = scans.scan_bytes(ext, h.pdf_writer, rng.randint(2, 20), f"{self.slug}/{path}")
            self.files.append(
                ScanFile(
                    path=path,
                    data=data,
                    entry=None,
                    status="orphan",
                    injected="orphan",
                    typing=typing,
                    decisive=False,
                )
            )

    def copies(self) -> None:
        """Byte-identical copies of scans the truth links for certain (of a page series, the
        whole folder)."""
        rng = self.rng
        good = [
            f
            for f in self.files
            if f.entry is not None
            and f.status == "matched"
            and (not f.series or f.path.endswith(("/001.jpg", "/001.tif")))
        ]
        if not good:
            return
        count = max(1, round(len(self.entries) * 0.008))
        for f in rng.sample(good, min(count, len(good))):
            mark = rng.choice(COPY_MARKS)
            if f.series:
                folder = f.path.rpartition("/")[0]
                parent, _, item = folder.rpartition("/")
                if mark == "folder":
                    copied = f"{rng.choice(COPY_FOLDERS)}/{item}"
                else:
                    copied = mark.format(stem=item, ext="")
                    copied = f"{parent}/{copied}" if parent else copied
                for page in [
                    p
                    for p in self.files
                    if p.series
                    and p.entry == f.entry
                    and p.status == "matched"
                    and p.path.startswith(folder + "/")
                ]:
                    path = self._free(
                        f"{copied}/{page.path.rpartition('/')[2].rsplit('.', 1)[0]}",
                        "." + page.path.rsplit(".", 1)[1],
                    )
                    self.files.append(
                        ScanFile(
                            path=path,
                            data=page.data,
                            entry=page.entry,
                            status="duplicate",
                            injected="duplicate",
                            series=True,
                        )
                    )
                continue
            folder, _, name = f.path.rpartition("/")
            stem, _, ext = name.rpartition(".")
            if mark == "folder":
                path = self._free(f"{rng.choice(COPY_FOLDERS)}/{stem}", f".{ext}")
            else:
                copy_stem = mark.format(stem=stem, ext="")
                path = self._free(f"{folder}/{copy_stem}" if folder else copy_stem, f".{ext}")
            self.files.append(
                ScanFile(
                    path=path, data=f.data, entry=f.entry, status="duplicate", injected="duplicate"
                )
            )

    def _write_sidecar(self, batch: str, rows: list[dict[str, object]]) -> None:
        h = self.h
        name = self.rng.choice(sidecar.NAMES[h.sidecar_format])
        if h.sidecar_outside and self.sidecar_path is None:
            rel = f"exports/{self.slug}-{name}"
            self.sidecar_path = rel
        else:
            rel = f"{self.root}/{batch}/{name}" if batch else f"{self.root}/{name}"
        sidecar.write_sidecar(
            self.base / rel, h.sidecar_format, h.sidecar_headings, h.sidecar_fields, rows, self.rng
        )

    # --- the truth ------------------------------------------------------------------------
    def label(self) -> None:
        """Apply the labelling rule (see the package docstring) and set every status."""
        candidates: dict[int, set[int]] = {}  # file position -> dossiers it fits
        for pos, f in enumerate(self.files):
            if f.entry is None or f.decisive or f.status == "duplicate" or f.typing is None:
                continue
            candidates[pos] = self.fitting(f.typing, f.entry, f.year, f.pages)
        # One scan per dossier: a dossier another scan names for certain is no candidate.
        certain = {
            f.entry
            for pos, f in enumerate(self.files)
            if f.entry is not None and f.status != "duplicate" and pos not in candidates
        }
        changed = True
        while changed:
            changed = False
            for pos, fitting in candidates.items():
                own = self.files[pos].entry
                rest = {i for i in fitting if i == own or i not in certain}
                if rest != fitting:
                    candidates[pos] = rest
                    changed = True
                if len(rest) == 1 and own not in certain:
                    certain.add(own)
                    changed = True
        review: set[int] = set()
        for pos, fitting in candidates.items():
            if len(fitting) > 1:
                f = self.files[pos]
                if f.status == "matched":
                    f.status, f.injected = "needs_review", "ambiguous"
                review |= {i for i in fitting if i not in certain or i == f.entry}
        for e in self.entries:
            if e.index in review:
                e.status = "needs_review"
                e.injected = e.injected or "ambiguous"
            elif e.injected == "missing":
                e.status = "missing"
            elif e.injected == "short":
                e.status = "page_mismatch"
            elif e.injected in ("empty", "truncated"):
                e.status = "damaged_scan"

    def fitting(
        self, typing: Typing, own: int | None, year: int | None = None, pages: int | None = None
    ) -> set[int]:
        """The dossiers a typed title (with a stated year and page count) could be."""
        if self._index is None:
            row_tokens = {e.index: tokens(e.dossier.title) for e in self.entries}
            postings: dict[str, set[int]] = {}
            for i, toks in row_tokens.items():
                for t in set(toks):
                    postings.setdefault(t, set()).add(i)
            self._index = (row_tokens, postings)
        row_tokens, postings = self._index
        by_index = {e.index: e for e in self.entries}
        typed = tokens(typing.text)
        usable = typed[:-1] if typing.cut else typed
        known = [t for t in usable if t in postings]
        pool = set(by_index)
        for t in sorted(known, key=lambda t: len(postings[t]))[:2]:
            pool &= postings[t]
        if own is not None:
            pool.add(own)
        fitting = set()
        for i in pool:
            d = by_index[i].dossier
            if year is not None and not d.year_start <= year <= d.year_end:
                continue
            if (
                pages is not None
                and "sheets" in self.h.columns
                and not d.sheets <= pages <= 2 * d.sheets
            ):
                continue
            if i == own or fits(typing, typed, row_tokens[i]):
                fitting.add(i)
        return fitting

    def write_scans(self) -> None:
        root = self.base / self.root
        root.mkdir(parents=True, exist_ok=True)
        for f in self.files:
            scans.write(root / f.path, f.data)

    def output(self) -> LocalityOutput:
        by_index = {e.index: e for e in self.entries}
        for f in self.files:
            if f.entry is not None:
                by_index[f.entry].paths.append(f.path)
        records = []
        for e in self.rows:
            records.append(
                {
                    "locality": self.name,
                    "source_file": e.source_file,
                    "source_sheet": e.sheet,
                    "source_row": str(e.row),
                    "record_code": e.code if "record_code" in self.h.columns else "",
                    "title": e.dossier.title,
                    "expected_status": e.status,
                    "injected": e.injected if not e.repeat else "repeat",
                    "true_paths": "" if e.repeat else "|".join(e.paths),
                    "keying": self.keying_of(e),
                }
            )
        files = []
        for f in self.files:
            e = by_index.get(f.entry) if f.entry is not None else None
            files.append(
                {
                    "locality": self.name,
                    "path": f.path,
                    "expected_status": f.status,
                    "injected": f.injected,
                    "source_file": e.source_file if e else "",
                    "source_sheet": e.sheet if e else "",
                    "source_row": str(e.row) if e else "",
                    "keying": self.keying_of(e) if e else self.h.keyings[-1],
                }
            )
        return LocalityOutput(
            name=self.name,
            code=self.code,
            slug=self.slug,
            inventories=self.inventories,
            scan_root=self.root,
            sidecar=self.sidecar_path,
            columns=self.columns_override,
            habits=self.h,
            records=records,
            files=files,
        )


def build_locality(
    rng: random.Random, name: str, code: str, slug: str, n: int, habits: Habits, base: Path
) -> LocalityOutput:
    """Write one locality's inventory, scans and export under ``base``; return its truth."""
    b = _Builder(rng, name, code, slug, n, habits, base)
    b.dossiers()
    b.inventory()
    b.fates()
    b.scans()
    b.label()
    b.copies()
    b.write_scans()
    return b.output()
