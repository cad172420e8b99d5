"""Benchmark: content evidence on a large locality of searchable PDFs from other writers.

Usage: .venv/bin/python bench/content.py [--dir /tmp/khaudit-bench-content] [--files 5000]
                                         [--tools reportlab,fpdf2]

One locality of ``--files`` searchable PDFs (generated once and kept in --dir), shared among
the writers of ``--tools``: reportlab (a TrueType subset, simple fonts with a ToUnicode map,
text in render mode 3 over the page image, as OCR software writes it) and fpdf2 (a Type 0
font, Identity-H with a ToUnicode map). Each file is a record's cover (the national heading,
"HỒ SƠ", the title in capitals, its code on every other one) then pages of body text;
the inventory is a CSV of the same records, titles from the demo's generator. A tenth of the
files is named by a scanner counter with no sidecar, and every fiftieth pair is swapped.

Timed, one process, CPU time of this process (the box is shared: wall time counts other
people's work), best of 3 rounds:
  per writer, the first-page text readers alone on the files' bytes in memory: the
  content-stream reader on the page pikepdf already has open for the inspection (what text
  adds to a scan; the bar: >= 1,000 files a second a core), the same with pikepdf's open
  counted, and PDFium;
then once, the whole audit of the locality (scan with inspection, matching with content
evidence, reconciling, writing the run), wall and CPU time of all processes, with how its
content evidence came out: files with text read, right names matched with content_match >=
0.8, counters linked by content, swapped files kept from matched.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import matplotlib
from scan import ROUNDS, cpu_seconds, text_rate

from khaudit.demo.titles import make_titles

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
HEADING = ["ỦY BAN NHÂN DÂN XÃ DIÊN LẠC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; xét đề nghị của "
    "công chức địa chính - xây dựng xã, Ủy ban nhân dân xã quyết định như sau."
)


def cover_lines(title: str, code: str | None) -> list[str]:
    lines = [*HEADING, "HỒ SƠ", title.upper()]
    return lines + ([f"Mã hồ sơ: {code}"] if code else []) + ["Thời hạn bảo quản: Vĩnh viễn"]


def page_image() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("L", (620, 877), 235).save(out, "JPEG", quality=60)
    return out.getvalue()


def reportlab_pdf(lines: list[str], pages: int, image: bytes) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    width, height = A4
    for number in range(pages):
        pdf.drawImage(ImageReader(io.BytesIO(image)), 0, 0, width, height)
        text = pdf.beginText(56, height - 70)
        text.setTextRenderMode(3)  # invisible, as OCR software lays text over the image
        text.setFont("DejaVu", 12)
        for line in lines if number == 0 else [f"Trang {number + 1}", BODY]:
            text.textLine(line)
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def fpdf2_pdf(lines: list[str], pages: int, image: bytes) -> bytes:
    import fpdf

    pdf = fpdf.FPDF(unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    for number in range(pages):
        pdf.add_page()
        pdf.image(io.BytesIO(image), x=0, y=0, w=210)
        pdf.text_mode = fpdf.enums.TextMode.INVISIBLE
        pdf.set_font("DejaVu", size=12)
        pdf.set_xy(20, 20)
        for line in lines if number == 0 else [f"Trang {number + 1}", BODY]:
            pdf.multi_cell(170, 7, line)
    return bytes(pdf.output())


WRITERS = {"reportlab": reportlab_pdf, "fpdf2": fpdf2_pdf}


def _write(job: tuple[Path, str, list[str], int]) -> None:
    path, tool, lines, pages = job
    path.write_bytes(WRITERS[tool](lines, pages, page_image()))


def generate(base: Path, count: int, tools: list[str]) -> dict[str, list[str]]:
    """The locality (kept in ``base``): inventory, scans, and what each file truly is."""
    marker = base / f".done-{count}-{'-'.join(tools)}"
    truth = base / "truth.csv"
    if not marker.exists():
        rng = random.Random(29)
        titles = make_titles(rng, count, (2015, 2020), "xã Diên Lạc")
        codes = [f"H56.22.01.{t.year}.{i:05d}" for i, t in enumerate(titles, 1)]
        rows, jobs = [], []
        for i in range(count):
            tool = tools[i % len(tools)]
            kind = "counter" if i % 10 == 9 else "swapped" if i % 50 in (0, 1) else "right"
            name = f"IMG_{i:05d}.pdf" if kind == "counter" else f"{codes[i]}.pdf"
            shown = (
                i + 1 if kind == "swapped" and i % 50 == 0 else i - 1 if kind == "swapped" else i
            )
            lines = cover_lines(titles[shown].text, codes[shown] if i % 2 else None)
            (base / "scans" / tool).mkdir(parents=True, exist_ok=True)
            jobs.append((base / "scans" / tool / name, tool, lines, 1 + i % 4))
            rows.append({"path": f"{tool}/{name}", "tool": tool, "kind": kind, "code": codes[i]})
        with ProcessPoolExecutor() as pool:
            list(pool.map(_write, jobs, chunksize=50))
        with (base / "inv.csv").open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Số tờ"])
            for i, (title, code) in enumerate(zip(titles, codes)):
                writer.writerow([i + 1, code, title.text, 1 + i % 4])
        with truth.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, ["path", "tool", "kind", "code"])
            writer.writeheader()
            writer.writerows(rows)
        (base / "project.toml").write_text(
            'title = "bench"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
            'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n[scan]\n'
            'catalogue = "catalogue.sqlite"\n',
            encoding="utf-8",
        )
        marker.touch()
    with truth.open(encoding="utf-8") as fh:
        return {r["path"]: [r["tool"], r["kind"], r["code"]] for r in csv.DictReader(fh)}


def audit_once(base: Path, truth: dict[str, list[str]]) -> dict[str, float]:
    from khaudit.audit import audit

    (base / "catalogue.sqlite").unlink(missing_ok=True)
    run_dir = base / f"run-{time.time_ns()}"
    cpu, wall = cpu_seconds(), time.perf_counter()
    run = audit(base / "project.toml", run_dir, lang="en")
    cpu, wall = cpu_seconds() - cpu, time.perf_counter() - wall
    files = run.files.set_index("path")
    kind = files.index.map(lambda p: truth[p][1])
    code = files.index.map(lambda p: truth[p][2])
    right, counter, swapped = kind == "right", kind == "counter", kind == "swapped"
    matched = files["status"] == "matched"
    return {
        "files": len(files),
        "wall_s": wall,
        "cpu_s": cpu,
        "text read": float((files["text_source"] == "layer").mean()),
        "right: matched, content_match >= 0.8": float(
            (matched & (files["content_match"] >= 0.8))[right].mean()
        ),
        "counters linked to their record": float(
            (matched & (files["record_code"] == code))[counter].mean()
        ),
        "swapped kept from matched": float((~matched)[swapped].mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/khaudit-bench-content"))
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--tools", default="reportlab,fpdf2")
    args = parser.parse_args()
    tools = args.tools.split(",")
    start = time.perf_counter()
    truth = generate(args.dir, args.files, tools)
    print(f"{len(truth)} searchable PDFs ({', '.join(tools)}), {time.perf_counter() - start:.0f} s")
    print(f"first-page text, files/s/core (CPU time, best of {ROUNDS}):")
    print(f"| writer | files | {' | '.join(READERS)} | same text as PDFium |")
    print("|---|---:|" + "---:|" * (len(READERS) + 1))
    for tool in tools:
        rates = text_rate(args.dir / "scans" / tool)
        cells = " | ".join(f"{rates[f'{r} (cpu)']:,.0f}" for r in READERS)
        n = sum(1 for v in truth.values() if v[0] == tool)
        print(f"| {tool} | {n:,} | {cells} | {rates['same text as PDFium']:.0%} |")
    print("(want >= 1,000 files/s/core: the content stream on the open page)")
    whole = audit_once(args.dir, truth)
    print(
        f"whole audit: {whole['files']:,} files in {whole['wall_s']:.1f} s wall "
        f"({whole['files'] / whole['wall_s']:,.0f} files/s), {whole['cpu_s']:.1f} s CPU, "
        f"all processes ({whole['files'] / whole['cpu_s']:,.0f} files/s/core)"
    )
    for name, value in whole.items():
        if name not in ("files", "wall_s", "cpu_s"):
            print(f"  {name}: {value:.1%}")
    print(f"load average: {os.getloadavg()}")


READERS = ["content stream, page open", "content stream + pikepdf open", "PDFium from bytes"]

if __name__ == "__main__":
    main()
