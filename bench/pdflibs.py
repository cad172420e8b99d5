"""Benchmark: pikepdf against pypdfium2 for what a scan audit asks of a PDF, on PDFs from
several writers (bench/pdfgen.py KINDS: Pillow, img2pdf, pikepdf, pypdf, fpdf2).

Usage: .venv/bin/python bench/pdflibs.py [--pages 20] [--dpi 240] [--rounds 5]
Needs: img2pdf (a benchmark-only dependency, the ``bench`` extra).

For each kind, one file of --pages pages at --dpi, then the same file owner-restricted, user-
locked and cut in half. Timed, best of --rounds (each library once a round, on the bytes in
memory): opening and counting pages; the full reading (pages, every page's image resolution
and colour, the PDF/A claim). Correct means the figures the writer put in. pypdfium2 has no
way to the catalogue's XMP metadata: its PDF/A claim is read from the raw bytes (a regex over
the whole file, which an old revision or an embedded file can fool).
"""

from __future__ import annotations

import argparse
import io
import random
import re
import time

import pandas as pd
import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from pdfgen import KINDS, make_kind

from khaudit.scan.pdfdoc import Unreadable, color_rank, read_pdf

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--dpi", type=int, default=240)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
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
