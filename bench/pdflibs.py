"""Benchmark: pikepdf against pypdfium2 for what a scan audit asks of a PDF, on PDFs from
several writers (bench/pdfgen.py KINDS: Pillow, img2pdf, pikepdf, pypdf, fpdf2).

Usage: .venv/bin/python bench/pdflibs.py [--pages 20] [--dpi 240] [--rounds 5]
       .venv/bin/python bench/pdflibs.py --tree /tmp/khaudit-bench-scan/mix [--sample 400]
Needs: img2pdf (a benchmark-only dependency, the ``bench`` extra).

``--tree``: CPU time a file, in one process, of each library's steps on a sample of a tree
(``bench/scan.py``'s stations' tree), each from the bytes already read for hashing, beside
hashing them and khaudit's bytes reader (pdfpages.py), best of --rounds interleaved rounds;
then whether pypdfium2 reads the same facts as the bytes reader, and whether it gives the same
answers in the scan's worker processes under each start method (fork, spawn, forkserver)
after the parent process has used it.

For each kind, one file of --pages pages at --dpi, then the same file owner-restricted, user-
locked and cut in half. Timed, best of --rounds (each library once a round, on the bytes in
memory): opening and counting pages; the full reading (pages, every page's image resolution
and colour, the PDF/A claim). Correct means the figures the writer put in. pypdfium2 has no
way to the catalogue's XMP metadata: its PDF/A claim is read from the raw bytes (a regex over
the whole file, which an old revision or an embedded file can fool).
"""

from __future__ import annotations

import argparse
import ctypes
import io
import os
import random
import re
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import xxhash
from pdfgen import KINDS, make_kind

from khaudit.scan.pdfdoc import Unreadable, color_rank, read_pdf
from khaudit.scan.pdfpages import read_pages

_PART = re.compile(rb"pdfaid:part(?:\s*=\s*[\"']|(?:\s[^<>]*)?>)\s*(\d+)")
_CONFORMANCE = re.compile(rb"pdfaid:conformance(?:\s*=\s*[\"']|(?:\s[^<>]*)?>)\s*([A-Za-z])")
_PDFIUM_COLOUR = {
    1: "L",
    2: "RGB",
    3: "CMYK",
    4: "L",
    5: "RGB",
    6: "LAB",
    7: "",
    8: "",
    9: "",
    10: "",
    11: "P",
}


def pikepdf_count(data: bytes) -> int:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def pikepdf_full(data: bytes) -> tuple:
    facts = read_pdf(io.BytesIO(data))
    return facts.pages, facts.dpi, facts.color_mode, facts.pdfa


def pdfium_count(data: bytes) -> int:
    doc = pdfium.PdfDocument(data)
    try:
        return len(doc)
    finally:
        doc.close()


def pdfium_full(data: bytes) -> tuple:
    doc = pdfium.PdfDocument(data)
    try:
        lowest, modes = None, []
        for i in range(len(doc)):
            page = doc[i]
            sharpest, mode = None, ""
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4):
                meta = obj.get_metadata()
                dpi = min(meta.horizontal_dpi, meta.vertical_dpi)
                sharpest = dpi if sharpest is None else max(sharpest, dpi)
                found = "1" if meta.bits_per_pixel == 1 else _PDFIUM_COLOUR.get(meta.colorspace, "")
                mode = max((mode, found), key=lambda m: color_rank(m) if m else -1)
            page.close()
            if sharpest is not None:
                lowest = sharpest if lowest is None else min(lowest, sharpest)
            if mode:
                modes.append(mode)
        part = _PART.search(data)
        conformance = _CONFORMANCE.search(data)
        pdfa = (
            (
                part.group(1).decode()
                + (conformance.group(1).decode().upper() if conformance else "")
            )
            if part
            else ""
        )
        return (
            len(doc),
            None if lowest is None else int(round(lowest)),
            min(modes, key=color_rank) if modes else "",
            pdfa,
        )
    finally:
        doc.close()


def verdict_pikepdf(data: bytes) -> str:
    try:
        read_pdf(io.BytesIO(data))
        return "ok"
    except Unreadable as exc:
        return exc.verdict


def verdict_pdfium(data: bytes) -> str:
    try:
        pdfium.PdfDocument(data).close()
        return "ok"
    except pdfium.PdfiumError as exc:
        return "encrypted" if "password" in str(exc).lower() else "unparsable"


def best(fn, data: bytes, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn(data)
        times.append(time.perf_counter() - start)
    return min(times)


# -- a tree's files, step by step ---------------------------------------------------------
# pypdfium2's raw API (ctypes over PDFium's C API): each call costs about a microsecond of
# Python, so what is timed is PDFium's own work plus one call per page and per page object.

_PDFIUM_ERROR = {
    pdfium_c.FPDF_ERR_PASSWORD: "encrypted",
    pdfium_c.FPDF_ERR_SECURITY: "encrypted",
}


def _pdfium_open(data: bytes) -> Any:
    """A PDFium document over ``data`` (which must outlive it: PDFium reads it lazily)."""
    return pdfium_c.FPDF_LoadMemDocument64(data, len(data), None)


def pdfium_raw_count(data: bytes) -> int:
    doc = _pdfium_open(data)
    if not doc:
        return -1
    try:
        return pdfium_c.FPDF_GetPageCount(doc)
    finally:
        pdfium_c.FPDF_CloseDocument(doc)


def pdfium_raw_pages(data: bytes) -> int:
    """Open, count, and load (parse) every page: PDFium's cost before any image is asked."""
    doc = _pdfium_open(data)
    try:
        n = pdfium_c.FPDF_GetPageCount(doc)
        for i in range(n):
            pdfium_c.FPDF_ClosePage(pdfium_c.FPDF_LoadPage(doc, i))
        return n
    finally:
        pdfium_c.FPDF_CloseDocument(doc)


def pdfium_raw_full(data: bytes) -> tuple:
    """(verdict, pages, lowest page's dpi, poorest colour, PDF/A claim, owner-restricted).

    A page's dpi is its sharpest image's (the lower of PDFium's horizontal and vertical
    figures, which it takes from the image's bounding box on the page); the PDF/A claim comes
    from the raw bytes, PDFium having no way to the catalogue's XMP packet.
    """
    doc = _pdfium_open(data)
    if not doc:
        verdict = _PDFIUM_ERROR.get(pdfium_c.FPDF_GetLastError(), "unparsable")
        return (verdict, 0, None, "", "", False)
    meta = pdfium_c.FPDF_IMAGEOBJ_METADATA()
    lowest, modes = None, []
    try:
        pages = pdfium_c.FPDF_GetPageCount(doc)
        restricted = pdfium_c.FPDF_GetSecurityHandlerRevision(doc) != -1
        for i in range(pages):
            page = pdfium_c.FPDF_LoadPage(doc, i)
            if not page:
                return ("unparsable", pages, None, "", "", restricted)
            sharpest, mode = None, ""
            for j in range(pdfium_c.FPDFPage_CountObjects(page)):
                obj = pdfium_c.FPDFPage_GetObject(page, j)
                if pdfium_c.FPDFPageObj_GetType(obj) != pdfium_c.FPDF_PAGEOBJ_IMAGE:
                    continue
                pdfium_c.FPDFImageObj_GetImageMetadata(obj, page, ctypes.byref(meta))
                dpi = min(meta.horizontal_dpi, meta.vertical_dpi)
                sharpest = dpi if sharpest is None else max(sharpest, dpi)
                found = "1" if meta.bits_per_pixel == 1 else _PDFIUM_COLOUR.get(meta.colorspace, "")
                mode = max((mode, found), key=lambda m: color_rank(m) if m else -1)
            pdfium_c.FPDF_ClosePage(page)
            if sharpest is not None:
                lowest = sharpest if lowest is None else min(lowest, sharpest)
            if mode:
                modes.append(mode)
    finally:
        pdfium_c.FPDF_CloseDocument(doc)
    return (
        "ok",
        pages,
        None if lowest is None else int(round(lowest)),
        min(modes, key=color_rank) if modes else "",
        pdfa_of_bytes(data),
        restricted,
    )


def pdfa_of_bytes(data: bytes) -> str:
    part = _PART.search(data)
    conformance = _CONFORMANCE.search(data)
    if not part:
        return ""
    return part.group(1).decode() + (conformance.group(1).decode().upper() if conformance else "")


def pikepdf_full_tree(data: bytes) -> tuple:
    facts = read_pdf(io.BytesIO(data))
    return facts.pages, facts.dpi, facts.color_mode, facts.pdfa


def bytes_reader(data: bytes) -> tuple:
    facts = read_pages(data)
    return facts.pages, facts.dpi, facts.color_mode, facts.pdfa


def _cpu_per_file(fn, datas: list[bytes]) -> float:
    start = time.process_time()
    for data in datas:
        fn(data)
    return (time.process_time() - start) / len(datas)


def _in_worker(paths: list[str]) -> list[tuple]:
    """PDFium's reading of ``paths`` in a worker process (as the scan's workers would)."""
    return [pdfium_raw_full(Path(p).read_bytes()) for p in paths]


def fork_check(paths: list[str]) -> dict[str, str]:
    """PDFium used here first, then in two of the scan's workers (khaudit.executor.Pool) under
    each start method KHAUDIT_START_METHOD can name: the same answers?"""
    from khaudit.executor import START_METHOD_VARIABLE, Pool

    want = _in_worker(paths)
    found = {}
    before = os.environ.get(START_METHOD_VARIABLE)
    for method in ("fork", "spawn", "forkserver"):
        os.environ[START_METHOD_VARIABLE] = method
        try:
            with Pool(workers=2, force_processes=True) as pool:
                futures = [pool.submit(_in_worker, paths[k::2]) for k in (0, 1)]
                got = [future.result() for future in futures]
            same = got[0] == want[0::2] and got[1] == want[1::2]
            found[method] = "same answers" if same else "DIFFERENT answers"
        except Exception as exc:  # a crashed worker is what this looks for
            found[method] = f"failed: {type(exc).__name__}: {exc}"
    if before is None:
        os.environ.pop(START_METHOD_VARIABLE, None)
    else:
        os.environ[START_METHOD_VARIABLE] = before
    return found


def turned(cm: bytes) -> bytes:
    """One page placing a 300 x 600 pixel image through ``cm``."""
    pdf = pikepdf.new()
    image = pikepdf.Stream(pdf, bytes(300 * 600))
    image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    image.Width, image.Height, image.BitsPerComponent = 300, 600, 8
    image.ColorSpace = pikepdf.Name.DeviceGray
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 612, 792],
        Resources=pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image)),
        Contents=pikepdf.Stream(pdf, b"q %s cm /Im0 Do Q" % cm),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


#: Placements of a 300 x 600 pixel image whose effective resolution is 150 dpi each way.
TURNED = {
    "upright, 2 x 4 in": b"144 0 0 288 0 0",
    "turned a quarter": b"0 144 -288 0 300 0",
    "turned 30 degrees": b"124.708 72 -144 249.415 300 0",
}


def cold_start(datas: list[bytes]) -> float:
    """CPU time a file of the bytes reader from empty shape caches (a new worker's)."""
    from khaudit.scan import pdfcolumns, pdfobjects

    pdfcolumns._templates.clear()
    pdfcolumns._mode_of.clear()
    pdfobjects._shapes.clear()
    return _cpu_per_file(read_pages, datas)


def tree_report(tree: Path, sample: int, rounds: int) -> None:
    paths = sorted(str(p) for p in tree.rglob("*.pdf"))
    paths = sorted(random.Random(5).sample(paths, min(sample, len(paths))))
    datas = [Path(p).read_bytes() for p in paths]
    pages = sum(pdfium_raw_count(d) for d in datas)
    steps = {
        "xxh3-128 hash (the hash-only scan's work)": xxhash.xxh3_128_hexdigest,
        "khaudit bytes reader (pdfpages.py): everything": bytes_reader,
        "pypdfium2: open + page count": pdfium_raw_count,
        "pypdfium2: + load every page": pdfium_raw_pages,
        "pypdfium2: + images' dpi and colour, PDF/A, password": pdfium_raw_full,
        "PDF/A claim by a regex over the bytes (alone)": pdfa_of_bytes,
        "pikepdf: open + page count": pikepdf_count,
        "pikepdf: everything (khaudit's pdfdoc.py)": pikepdf_full_tree,
    }
    cpu: dict[str, list[float]] = {name: [] for name in steps}
    cpu["khaudit bytes reader, from empty caches"] = []
    for _ in range(rounds):
        cpu["khaudit bytes reader, from empty caches"].append(cold_start(datas))
        for name, fn in steps.items():
            cpu[name].append(_cpu_per_file(fn, datas))
    print(
        f"{len(datas)} files of {tree} ({pages / len(datas):.1f} pages a file), CPU time a file, "
        f"one process, best of {rounds} interleaved rounds; load average {os.getloadavg()}"
    )
    for name, times in cpu.items():
        print(f"  {name:<56} {1e6 * min(times):8.0f} us")
    agree = sum(
        (a[1], a[3]) == (b[0], b[2]) and a[2] is not None and abs(a[2] - b[1]) <= 2
        for a, b in zip(map(pdfium_raw_full, datas), map(bytes_reader, datas))
    )
    print(f"  pypdfium2 and the bytes reader: same pages, dpi +-2, colour on {agree}/{len(datas)}")
    for label, cm in TURNED.items():
        data = turned(cm)
        print(
            f"  {label} (150 dpi): pypdfium2 {pdfium_raw_full(data)[2]}, "
            f"bytes reader {bytes_reader(data)[1]}, pikepdf {pikepdf_full_tree(data)[1]}"
        )
    for method, verdict in fork_check(paths[:40]).items():
        print(f"  pypdfium2 in 2 workers ({method}) after use in the parent: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tree", type=Path, default=None)
    parser.add_argument("--sample", type=int, default=400)
    args = parser.parse_args()
    if args.tree is not None:
        tree_report(args.tree, args.sample, args.rounds)
        return
    rows = []
    for kind, (writer, structure, _, colour, pdfa) in KINDS.items():
        data = make_kind(kind, args.dpi, args.pages, random.Random(5))
        want = (args.pages, args.dpi, colour, pdfa)
        libs = {
            "pikepdf": (pikepdf_count, pikepdf_full, verdict_pikepdf),
            "pypdfium2": (pdfium_count, pdfium_full, verdict_pdfium),
        }
        owner = locked = None
        with pikepdf.open(io.BytesIO(data)) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="o", user=""))
            owner = out.getvalue()
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="o", user="u"))
            locked = out.getvalue()
        for lib, (count, full, verdict) in libs.items():
            times = {"count": [], "full": []}
            for _ in range(args.rounds):  # interleaved with the other library's rounds
                times["count"].append(best(count, data, 1))
                times["full"].append(best(full, data, 1))
            got = full(data)
            rows.append(
                {
                    "kind": kind,
                    "writer": writer,
                    "structure": structure,
                    "library": lib,
                    "open+count_ms": round(1000 * min(times["count"]), 3),
                    "full_ms": round(1000 * min(times["full"]), 3),
                    "pages_ok": got[0] == want[0],
                    "dpi": got[1],
                    "dpi_ok": got[1] is not None and abs(got[1] - want[1]) <= 2,
                    "colour": got[2],
                    "colour_ok": got[2] == want[2],
                    "pdfa": got[3],
                    "pdfa_ok": got[3] == want[3],
                    "owner_only": verdict(owner),
                    "user_pw": verdict(locked),
                    "cut": verdict(data[: len(data) // 2]),
                }
            )
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 250)
    print(table.to_string(index=False))
    print()
    summary = table.groupby("library").agg(
        open_count_ms=("open+count_ms", "median"),
        full_ms=("full_ms", "median"),
        pages_ok=("pages_ok", "mean"),
        dpi_ok=("dpi_ok", "mean"),
        colour_ok=("colour_ok", "mean"),
        pdfa_ok=("pdfa_ok", "mean"),
        owner_only_readable=("owner_only", lambda s: (s == "ok").mean()),
        user_pw_encrypted=("user_pw", lambda s: (s == "encrypted").mean()),
    )
    print(summary.to_string())


if __name__ == "__main__":
    main()
