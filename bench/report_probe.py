"""Open every report of a run as its user would, and say what a reader would find wrong.

Usage: .venv/bin/python bench/report_probe.py RUN_DIR [RUN_DIR ...] --out DIR [--lang vi]

For each run folder (a ``khaudit audit`` or ``khaudit report`` output):
  - every ``.xlsx`` converted to PDF by LibreOffice (``soffice --headless --convert-to pdf``),
    its output searched for a repair message, the PDF turned into PNGs by pdftoppm;
  - every ``.html`` printed to PDF by headless Chromium (A4 checked from the PDF's page size),
    then into PNGs by pdftoppm;
  - every ``.pdf`` (the minutes) into PNGs by pdftoppm;
  - the text a person reads (workbook cells, the printed pages' text) searched for
    artefacts: ``<NA>``, ``None``, ``nan``, ``NaT``, status codes ("duplicate_row",
    "page_mismatch"), and in a Vietnamese report numbers written the English way ("92.3%",
    "190,500"), in an English one the run's Vietnamese notes left as they were; workbook cells
    holding a number as text ("302", "92,3%").
Prints one line per file (what opened it, pages, problems) and exits 1 when any file has a
problem. The PNGs stay in ``--out`` to be looked at. Needs LibreOffice (Debian's
libreoffice-calc), Chromium and poppler-utils (pdftoppm).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pypdf

from khaudit.contract import FILE_STATUSES, RECORD_STATUSES
from khaudit.i18n import catalogue

#: Catalogue families whose keys end in the codes the run tables hold.
CODE_FAMILIES = ("status.", "issue.problem.", "quality.", "scheme.", "zoning.basis.", "format.")
#: The codes of more than one word ("duplicate_row", "page_mismatch"): never a reader's word.
CODES = sorted({k[len(f) :] for k in catalogue("en") for f in CODE_FAMILIES if k.startswith(f)})
#: Words that show a blank or a code reached a reader.
ARTEFACTS = re.compile(
    r"<NA>|\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|"
    + "|".join(rf"\b{re.escape(c)}\b" for c in CODES if "_" in c)
)
#: Status codes that are English words: in a Vietnamese report, a code that was not translated.
STATUS_WORDS = re.compile(
    "|".join(rf"\b{s}\b" for s in sorted({*RECORD_STATUSES, *FILE_STATUSES}) if "_" not in s)
)
#: Phrases of the run's Vietnamese notes ("không tìm thấy bản quét"): in an English report, a
#: note that was not written again in English.
VIETNAMESE_NOTES = sorted(
    {
        part.strip()
        for key, text in catalogue("vi").items()
        if key.startswith(("why.", "walk.", "integrity.", "zoning."))
        for part in re.split(r"\{[^}]*\}", text)
        if len(part.strip()) >= 12
    }
)
#: Numbers written the English way ("92.3%", "190,500"), wrong in a Vietnamese report.
ENGLISH_NUMBERS = re.compile(r"(?<![\w.,/-])(?:\d+\.\d+%|\d{1,3}(?:,\d{3})+)(?![\w.,/-])")
#: Text that is a number ("302", "92,3%", "1.234"): in a workbook it should be one.
NUMBER_TEXT = re.compile(r"^[-+]?\d{1,3}(?:[.,]\d{3})*(?:[.,]\d+)?%?$")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
]
#: Columns whose text cells are codes or names, never numbers (a sheet called "2019").
TEXT_HEADINGS = re.compile(r"sheet|trang tính|mã|code|hash|băm|path|đường dẫn|tệp|file", re.I)


def _pngs(pdf: Path, out: Path) -> int:
    """Render ``pdf`` into PNGs beside ``out``; the number of pages rendered."""
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(out)], check=True, timeout=300)
    return len(list(out.parent.glob(f"{out.name}-*.png")))


#: The run's parameters as the project file names them ("matching.accept_score=85"): the
#: fingerprint's technical identifiers, left out of the search.
PARAMETER = re.compile(r"[\w.]+=[^\s;]*")


def _text_problems(texts: list[str], lang: str) -> list[str]:
    found: list[str] = []
    for text in map(PARAMETER.sub, [""] * len(texts), texts):
        found += [f"artefact {m.group(0)!r}" for m in ARTEFACTS.finditer(text)]
        if lang == "vi":
            found += [f"English number {m.group(0)!r}" for m in ENGLISH_NUMBERS.finditer(text)]
            found += [f"status code {m.group(0)!r}" for m in STATUS_WORDS.finditer(text)]
        else:
            found += [f"Vietnamese note {p!r}" for p in VIETNAMESE_NOTES if p in text]
    return sorted(set(found))


def _workbook_cells(path: Path) -> tuple[list[str], list[str]]:
    """Every text cell of the workbook, and the text cells that hold a number."""
    texts, numbers = [], []
    book = openpyxl.load_workbook(path, read_only=True)
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue
        headings: list[str] = []
        for row in ws.iter_rows(values_only=True):
            filled = [v for v in row if v is not None]
            if len(filled) >= 3 and all(isinstance(v, str) for v in filled):
                headings = [str(v or "") for v in row]  # a table's heading row
            for c, value in enumerate(row):
                if not isinstance(value, str):
                    continue
                texts.append(value)
                heading = headings[c] if c < len(headings) else ""
                if NUMBER_TEXT.match(value.strip()) and not TEXT_HEADINGS.search(heading):
                    numbers.append(f"{ws.title}!{heading or c}: {value!r}")
    return texts, numbers


def probe_xlsx(path: Path, out: Path, lang: str) -> tuple[int, list[str]]:
    profile = out / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless"]
        + ["--convert-to", "pdf", "--outdir", str(out), str(path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    problems = []
    said = done.stdout + done.stderr
    if done.returncode or re.search(r"repair|corrupt|error", said, re.I):
        problems.append(f"LibreOffice: {said.strip()[:200]}")
    pdf = out / f"{path.stem}.pdf"
    pages = _pngs(pdf, out / path.stem) if pdf.exists() else 0
    texts, numbers = _workbook_cells(path)
    problems += _text_problems(texts, lang)
    problems += [f"number as text {n}" for n in numbers[:5]]
    return pages, problems


def probe_html(path: Path, out: Path, lang: str) -> tuple[int, list[str]]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        return 0, ["Chromium is not installed"]
    pdf = out / f"{path.stem}.pdf"
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={out / 'chromium'}"]
        + [f"--print-to-pdf={pdf}", path.resolve().as_uri()],
        capture_output=True,
        timeout=600,
        check=True,
    )
    pages = pypdf.PdfReader(pdf).pages
    sizes = {
        tuple(sorted((round(float(p.mediabox.width)), round(float(p.mediabox.height)))))
        for p in pages
    }
    problems = [] if sizes == {(595, 842)} else [f"not A4: {sorted(sizes)}"]
    problems += _text_problems([p.extract_text() for p in pages], lang)
    return _pngs(pdf, out / path.stem), problems


def probe_pdf(path: Path, out: Path, lang: str) -> tuple[int, list[str]]:
    texts = [p.extract_text() for p in pypdf.PdfReader(path).pages]
    return _pngs(path, out / path.stem), _text_problems(texts, lang)


PROBES = {".xlsx": probe_xlsx, ".html": probe_html, ".pdf": probe_pdf}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--lang", default="vi", choices=["vi", "en"])
    args = parser.parse_args()
    failed = 0
    for run in args.runs:
        for path in sorted(p for p in run.rglob("*") if p.suffix in PROBES):
            out = args.out / run.name / path.relative_to(run)  # a folder per file
            out.mkdir(parents=True, exist_ok=True)
            pages, problems = PROBES[path.suffix](path, out, args.lang)
            failed += bool(problems) or not pages
            verdict = "; ".join(problems) if problems else "ok"
            print(f"{path.relative_to(run.parent)}\t{pages} page(s)\t{verdict}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
