"""``khaudit verify-report``: does a report (HTML, PDF minutes or workbook) still match its run?

A report carries its run's fingerprint (a digest of the tool version, the parameters, the project
file, every input and the scan catalogue). It matches when the run directory's run.json has the
same fingerprint and the run's tables still have the digests run.json recorded.

A report comes from someone else and is read as hostile: only a regular file is read, an HTML
page only up to :data:`HTML_CAP`, and a workbook whose zip members would inflate beyond
:data:`XLSX_CAP` (a zip bomb) is refused before it is opened.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import KhauditError
from ..i18n import LANGUAGES, t
from ..run import load_run

#: A fingerprint: a SHA-256 digest in hex.
_DIGEST = r"[0-9a-f]{64}"
_META = re.compile(r'<meta name="khaudit-fingerprint" content="([0-9a-f]{64})"')
#: The minutes print the fingerprint after its label in their language (older ones in English).
_PDF = re.compile(
    "(?:Fingerprint|"
    + "|".join(
        r"\s+".join(map(re.escape, t("minutes.fingerprint", lang).split())) for lang in LANGUAGES
    )
    + r"):\s*([0-9a-f]{64})"
)
#: The fingerprint is in the page's head: more than this is not read.
HTML_CAP = 64 << 20
#: Inflated size of every member of a report workbook together.
XLSX_CAP = 512 << 20


@dataclass
class ReportCheck:
    report: Path
    report_fingerprint: str
    run_fingerprint: str
    changed_tables: list[str]

    @property
    def matches(self) -> bool:
        return self.report_fingerprint == self.run_fingerprint and not self.changed_tables

    def explain(self) -> str:
        if self.matches:
            return t(
                "verify_report.matches", report=self.report, fingerprint=self.run_fingerprint[:16]
            )
        if self.report_fingerprint != self.run_fingerprint:
            return t(
                "verify_report.other_run",
                report=self.report,
                report_run=self.report_fingerprint[:16],
                folder_run=self.run_fingerprint[:16],
            )
        return t("verify_report.changed", report=self.report, tables=", ".join(self.changed_tables))


def _readable(report: Path) -> None:
    """KhauditError unless ``report`` is a regular file (a FIFO would block, a device never
    end)."""
    try:
        mode = os.stat(report).st_mode
    except OSError as exc:
        raise KhauditError(
            t("err.verify_report.unreadable", report=report, error=exc.strerror)
        ) from None
    if not stat.S_ISREG(mode):
        raise KhauditError(t("err.verify_report.unreadable", report=report, error=t("bag.special")))


def _check_zip(report: Path) -> None:
    try:
        with zipfile.ZipFile(report) as book:
            inflated = sum(member.file_size for member in book.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise KhauditError(t("err.verify_report.no_fingerprint", report=report)) from None
    if inflated > XLSX_CAP:
        raise KhauditError(
            t("err.verify_report.too_big", report=report, size=inflated, cap=XLSX_CAP)
        )


def report_fingerprint(report: Path) -> str:
    suffix = report.suffix.lower()
    _readable(report)
    if suffix in (".html", ".htm"):
        with open(report, "rb") as fh:
            head = fh.read(HTML_CAP)
        found = _META.search(head.decode("utf-8", errors="replace"))
    elif suffix == ".pdf":
        import pypdf

        try:
            pages = pypdf.PdfReader(report).pages
            text = "\n".join(page.extract_text() or "" for page in pages[:50])
        except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError, RecursionError):
            text = ""  # not a PDF pypdf can read: it carries no fingerprint khaudit can see
        found = _PDF.search(unicodedata.normalize("NFC", text))
    elif suffix == ".xlsx":
        import openpyxl

        # The fingerprint's own row; a workbook written before it had one put the
        # fingerprint in the run id's row, so that label is read too.
        labels = {
            t(k, lang) for k in ("report.fingerprint_digest", "report.run_id") for lang in LANGUAGES
        }
        _check_zip(report)
        try:
            book = openpyxl.load_workbook(report, read_only=True)
            rows = (
                row
                for sheet in book.worksheets  # a locality's first sheet, a province's last
                for row in sheet.iter_rows(max_row=200, max_col=2, values_only=True)
            )
            value = next(
                (
                    row[1]
                    for row in rows
                    if len(row) > 1 and row[0] in labels and re.fullmatch(_DIGEST, str(row[1]))
                ),
                "",
            )
        except (ValueError, KeyError, TypeError, OSError, IndexError, zipfile.BadZipFile):
            value = ""  # the labels are in the first rows of a sheet, or nowhere
        found = re.fullmatch(_DIGEST, str(value))
        if found:
            return found.group(0)
    else:
        raise KhauditError(t("err.verify_report.kind", report=report))
    if not found:
        raise KhauditError(t("err.verify_report.no_fingerprint", report=report))
    return found.group(1)


def verify_report(report: str | Path, run_dir: str | Path) -> ReportCheck:
    report = Path(report)
    run = load_run(run_dir)
    return ReportCheck(
        report, report_fingerprint(report), run.meta.get("fingerprint", ""), run.verify_tables()
    )
