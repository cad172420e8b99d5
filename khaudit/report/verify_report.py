"""``khaudit verify-report``: does a report (HTML, PDF minutes or workbook) still match its run?

A report carries its run's fingerprint (a digest of the tool version, the parameters, the project
file, every input and the scan catalogue). It matches when the run directory's run.json has the
same fingerprint and the run's tables still have the digests run.json recorded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import KhauditError
from ..i18n import LANGUAGES, t
from ..run import load_run

_META = re.compile(r'<meta name="khaudit-fingerprint" content="([0-9a-f]{64})"')
_PDF = re.compile(r"Fingerprint:\s*([0-9a-f]{64})")


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
            return t("verify_report.matches", report=self.report,
                     fingerprint=self.run_fingerprint[:16])
        if self.report_fingerprint != self.run_fingerprint:
            return t("verify_report.other_run", report=self.report,
                     report_run=self.report_fingerprint[:16],
                     folder_run=self.run_fingerprint[:16])
        return t("verify_report.changed", report=self.report,
                 tables=", ".join(self.changed_tables))


def report_fingerprint(report: Path) -> str:
    suffix = report.suffix.lower()
    if suffix in (".html", ".htm"):
        found = _META.search(report.read_text(encoding="utf-8", errors="replace"))
    elif suffix == ".pdf":
        import pypdf

        text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(report).pages)
        found = _PDF.search(text)
    elif suffix == ".xlsx":
        import openpyxl

        labels = {t("report.run_id", lang) for lang in LANGUAGES}
        book = openpyxl.load_workbook(report, read_only=True)
        value = next((row[1] for row in book.worksheets[0].iter_rows(values_only=True)
                      if len(row) > 1 and row[0] in labels and row[1]), "")
        found = re.fullmatch(r"[0-9a-f]{64}", str(value))
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
    return ReportCheck(report, report_fingerprint(report), run.meta.get("fingerprint", ""),
                       run.verify_tables())
