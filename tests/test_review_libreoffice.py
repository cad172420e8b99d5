"""Review workbooks a person filled in LibreOffice: re-saved as .xlsx they import as Excel's
do; saved in its own format (.ods) or as Excel 97-2003 (.xls) they are refused with the way
out, never an unzip error. The .ods and .xls were saved by LibreOffice 7.4 from an export."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from test_review_copies import _decide, _run

from khaudit.errors import KhauditError
from khaudit.match.decisions import read_decisions
from khaudit.review import export_review, import_review

DATA = Path(__file__).parent / "data" / "review"


@pytest.mark.parametrize(
    ("name", "kind"),
    [("rv-filled.ods", "OpenDocument (.ods)"), ("rv-filled.xls", "Excel 97-2003 (.xls)")],
)
def test_a_workbook_libreoffice_saved_in_another_format_is_refused_with_the_way_out(
    tmp_path: Path, name: str, kind: str
):
    log = tmp_path / "decisions.jsonl"
    with pytest.raises(KhauditError) as caught:
        import_review(DATA / name, log, by="Lê Thị Hạnh")
    said = str(caught.value)
    assert f"is saved as {kind}" in said and "Excel 2007-365 (.xlsx)" in said
    assert "Content_Types" not in said and not log.exists()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_export_filled_and_saved_again_by_libreoffice_imports(tmp_path: Path):
    _, run = _run(tmp_path)
    (tmp_path / "review").mkdir()
    book = tmp_path / "review" / "xem-xet.xlsx"
    export_review(run.path, book, lang="en")
    _decide(book, "Reject")
    saved = tmp_path / "saved"
    done = subprocess.run(
        ["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"]
        + ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(saved), str(book)],
        capture_output=True,
        timeout=300,
    )
    assert done.returncode == 0 and (saved / "xem-xet.xlsx").exists(), done.stderr
    log = tmp_path / ".khaudit" / "decisions.jsonl"
    recorded, problems = import_review(saved / "xem-xet.xlsx", log, by="Lê Thị Hạnh")
    assert (recorded, problems) == (1, [])
    lines = [json.loads(line) for line in log.read_text("utf-8").splitlines()]
    assert [d["verdict"] for d in lines] == ["reject"] and len(read_decisions(log)) == 1
