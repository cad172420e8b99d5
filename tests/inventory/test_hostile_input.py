"""Damaged and crafted inventories and sidecars: each is a located issue, the rest still loads.

A file past a cap in khaudit/inventory/limits.py is refused with where (file, sheet, row,
column), why and what to do; it never ends an audit or ``inventory check`` with a traceback.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hostile_files import (
    binary_csv,
    broken_xml,
    deep_json,
    far_cell_xlsx,
    hidden_columns_xlsx,
    long_cell_csv,
    wide_csv,
    zip_bomb_xlsx,
)

from khaudit.audit import audit
from khaudit.cli import cli
from khaudit.demo import generate_demo
from khaudit.i18n import t
from khaudit.inventory.check import check_inventory
from khaudit.inventory.limits import MAX_CELL_CHARS, MAX_COLUMNS
from khaudit.inventory.loader import load_locality
from khaudit.match.sidecar import read_sidecar


def _good_csv(path: Path) -> Path:
    path.write_text("STT,Tiêu đề hồ sơ,Số tờ\n1,Hồ sơ một,3\n2,Hồ sơ hai,4\n", encoding="utf-8")
    return path


def _load(tmp_path: Path, hostile: Path):
    good = _good_csv(tmp_path / "good.csv")
    frame, issues = load_locality([(hostile, hostile.name), (good, good.name)], "Xã A")
    unreadable = [i for i in issues if i.problem == "file_unreadable"]
    assert len(unreadable) == 1 and unreadable[0].source_file == hostile.name
    assert list(frame["source_file"]) == ["good.csv", "good.csv"]  # the other file loaded
    return unreadable[0]


def test_csv_row_wider_than_excel_is_located(tmp_path):
    issue = _load(tmp_path, wide_csv(tmp_path / "wide.csv", MAX_COLUMNS + 5))
    assert issue.source_row == 3 and issue.column == "XFE"
    assert "16,384" in issue.value


def test_csv_cell_longer_than_excel_allows_is_named_at_its_row_and_the_rest_reads(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text(
        "STT,Tiêu đề hồ sơ,Số tờ\n1,Hồ sơ một,3\n2," + "x" * 200_000 + ",4\n3,Hồ sơ ba,5\n",
        encoding="utf-8",
    )
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert list(frame["title"]) == ["Hồ sơ một", "", "Hồ sơ ba"]  # one cell never hides the rest
    assert list(frame["sheets"].astype(int)) == [3, 4, 5]
    long = [i for i in issues if i.problem == "cell_too_long"]
    assert [(i.source_row, i.value) for i in long] == [(3, "column B, 200,000 characters")]
    assert f"{MAX_CELL_CHARS:,}" in long[0].expected("en")
    assert not [i for i in issues if i.problem == "file_unreadable"]


def test_a_cell_of_exactly_the_limit_loads_and_is_named_as_likely_cut(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("STT,Tiêu đề hồ sơ\n1," + "x" * MAX_CELL_CHARS + "\n", encoding="utf-8")
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame) == 1 and not [i for i in issues if i.problem == "file_unreadable"]
    assert len(frame["title"][0]) == MAX_CELL_CHARS  # read as it is
    cut = [(i.source_row, i.value, i.severity) for i in issues if i.problem == "cell_at_limit"]
    assert cut == [(2, t("issue.value.cell_length", column="B", length=MAX_CELL_CHARS), "info")]


def _xlsx_with_title(path: Path, title: str, shared: bool) -> Path:
    """An inventory xlsx whose title cell holds ``title`` as a shared string or an inline
    one, written by hand: Excel, LibreOffice and openpyxl all cut a text to 32,767
    characters when they save, so only a hand-made (or crafted) file holds a longer one."""
    import zipfile

    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    cell = (
        '<c r="B2" t="s"><v>0</v></c>'
        if shared
        else f'<c r="B2" t="inlineStr"><is><t>{title}</t></is></c>'
    )
    head = '<c r="A1" t="inlineStr"><is><t>STT</t></is></c>'
    head += '<c r="B1" t="inlineStr"><is><t>Tiêu đề hồ sơ</t></is></c>'
    sheet = f'<worksheet {ns}><sheetData><row r="1">{head}</row><row r="2"><c r="A2"><v>1</v></c>'
    sheet += f"{cell}</row></sheetData></worksheet>"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
            'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml'
            '.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets><sheet name="MLHS" sheetId="1" r:id="r1"/>'
            "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="r1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="r2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr(
            "xl/sharedStrings.xml",
            f'<sst {ns} count="1" uniqueCount="1"><si><t>{title}</t></si></sst>',
        )
    return path


@pytest.mark.parametrize("shared", [True, False], ids=["shared string", "inline string"])
def test_an_xlsx_cell_over_the_limit_reaches_khaudit_whole_and_is_named(tmp_path, shared):
    # calamine hands the whole text over (it does not cut at 32,767), so the cap applies
    path = _xlsx_with_title(tmp_path / "inv.xlsx", "x" * 40_000, shared)
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert list(frame["title"]) == [""]
    long = [(i.source_sheet, i.source_row, i.value) for i in issues if i.problem == "cell_too_long"]
    assert long == [("MLHS", 2, t("issue.value.cell_length", column="B", length=40_000))]


def test_an_xlsx_cell_that_a_spreadsheet_program_cut_is_named(tmp_path):
    # what LibreOffice 7.4 and openpyxl save of a 40,000-character cell: its first 32,767
    path = _xlsx_with_title(tmp_path / "inv.xlsx", "x" * MAX_CELL_CHARS, True)
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame["title"][0]) == MAX_CELL_CHARS
    assert [(i.source_row, i.problem) for i in issues] == [(2, "cell_at_limit")]


def test_binary_file_named_csv_is_refused_as_not_text(tmp_path):
    issue = _load(tmp_path, binary_csv(tmp_path / "inv.csv"))
    assert "NUL" in issue.value and "CSV UTF-8" in issue.value


def test_zip_bomb_is_refused_before_unpacking(tmp_path):
    issue = _load(tmp_path, zip_bomb_xlsx(tmp_path / "bomb.xlsx", 300_000_000))
    assert "xl/worksheets/sheet1.xml" in issue.value


def test_highly_compressed_member_is_refused(tmp_path):
    issue = _load(tmp_path, zip_bomb_xlsx(tmp_path / "bomb.xlsx", 40_000_000))
    assert "compressed" in issue.value


@pytest.mark.parametrize("last", [30_000_000, 4_000_000_000])
def test_hidden_column_ranges_are_capped_at_excels_last_column(tmp_path, last):
    path = hidden_columns_xlsx(tmp_path / "hidden.xlsx", last)
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame) == 5
    hidden = [i for i in issues if i.problem == "hidden_column"]
    assert {i.column for i in hidden} == {"STT", "Hộp số", "Hồ sơ số", "Tiêu đề hồ sơ", "Số tờ"}


def test_stray_value_in_the_last_cell_is_refused_naming_the_sheet(tmp_path):
    issue = _load(tmp_path, far_cell_xlsx(tmp_path / "far.xlsx"))
    assert issue.source_sheet == "Mục lục" and "1,048,576" in issue.value


def test_inventory_check_reports_instead_of_failing(tmp_path):
    path = wide_csv(tmp_path / "wide.csv", MAX_COLUMNS + 1)
    assert "16,384" in check_inventory(path).error
    result = CliRunner().invoke(cli, ["inventory", "check", str(path)])
    assert (
        result.exit_code == 1
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert "16,384" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "make, where",
    [
        (lambda d: deep_json(d / "meta.json"), "64"),
        (lambda d: broken_xml(d / "meta.xml"), "line 4, column 25"),
    ],
)
def test_unreadable_sidecar_is_a_located_problem(tmp_path, make, where):
    problems: list[str] = []
    path = make(tmp_path)
    assert read_sidecar(path, problems) == []
    assert len(problems) == 1 and str(path) in problems[0] and where in problems[0]


def test_a_sidecar_cell_longer_than_excel_allows_leaves_the_other_entries_read(tmp_path):
    problems: list[str] = []
    notes: list[str] = []
    entries = read_sidecar(long_cell_csv(tmp_path / "meta.csv"), problems, notes)
    assert [(e.file, e.title) for e in entries][:1] == [("001.pdf", "Hồ sơ một")]
    assert len(entries) == 2 and entries[1].title == "" and problems == []
    # the cell read as empty is named: file, row, column and length
    where = ", ".join(["meta.csv", t("issue.row", row=3), t("issue.column", column="B")])
    assert notes == [t("ignored.long_cell", where=where, length=200_000)]


@pytest.mark.parametrize("suffix", [".json", ".xml"])
def test_a_long_cell_of_a_json_or_xml_sidecar_is_named_too(tmp_path, suffix):
    path = tmp_path / f"meta{suffix}"
    long = "x" * (MAX_CELL_CHARS + 1)
    if suffix == ".json":
        path.write_text(
            json.dumps([{"file": "001.pdf", "title": "Hồ sơ"}, {"file": "002.pdf", "title": long}])
        )
    else:
        path.write_text(
            "<r><e><file>001.pdf</file><title>Hồ sơ</title></e>"
            f"<e><file>002.pdf</file><title>{long}</title></e></r>"
        )
    notes: list[str] = []
    entries = read_sidecar(path, [], notes)
    assert [(e.file, e.title) for e in entries] == [("001.pdf", "Hồ sơ"), ("002.pdf", "")]
    assert len(notes) == 1 and f"meta{suffix}" in notes[0] and f"{MAX_CELL_CHARS + 1:,}" in notes[0]


def test_audit_finishes_with_hostile_sidecars_and_inventories(tmp_path):
    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    base = tmp_path / "p"
    root = next((base / "scans").iterdir())
    deep_json(root / "export.json")
    long_cell_csv(root / "export.csv")
    broken_xml(root / "export.xml")
    inventories = next((base / "inventories").iterdir())
    wide_csv(inventories / "wide.csv", MAX_COLUMNS + 1)
    shutil.copy(zip_bomb_xlsx(tmp_path / "bomb.xlsx", 40_000_000), inventories / "bomb.xlsx")
    run = audit(base / "project.toml", tmp_path / "run")
    records = run.table("records")
    assert len(records) > 20  # the demo's own inventory loaded
    ignored = run.table("ignored_files").set_index("path")
    for name in ("export.json", "export.xml"):
        assert str(root / name) in ignored.loc[name, "reason"]
    # its long cell read as empty and named where the user reads why, its two entries kept
    assert ignored.loc["export.csv", "reason"] == "; ".join(
        [
            t("ignored.sidecar", "vi", n=2),
            t("ignored.long_cell", "vi", where="export.csv, dòng 3, cột 'B'", length=200_000),
        ]
    )
    issues = run.table("inventory_issues")
    unreadable = issues[issues["problem"] == "file_unreadable"]
    assert set(unreadable["source_file"].str.rsplit("/", n=1).str[-1]) == {"wide.csv", "bomb.xlsx"}
    wide = unreadable[unreadable["source_file"].str.endswith("wide.csv")].iloc[0]
    assert str(wide["source_row"]) == "3" and wide["column"] == "XFE"
    assert isinstance(run.table("files"), pd.DataFrame)


def test_a_long_cell_of_the_project_named_sidecar_is_a_scan_problem(tmp_path):
    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    base = tmp_path / "p"
    long_cell_csv(base / "meta.csv")
    project = base / "project.toml"
    project.write_text(project.read_text(encoding="utf-8") + 'sidecar = "meta.csv"\n', "utf-8")
    problems = audit(project, tmp_path / "run").table("scan_problems")
    said = problems[problems["path"] == "meta.csv"]["problem"].tolist()
    row, column = t("issue.row", "vi", row=3), t("issue.column", "vi", column="B")
    where = ", ".join(["meta.csv", row, column])
    assert said == [t("ignored.long_cell", "vi", where=where, length=200_000)]


def test_an_inventory_far_over_the_cap_is_refused_by_its_size_never_read_to_be_hashed(tmp_path):
    # a 10 GB sparse file: its fingerprint digest took minutes to compute for a file its
    # size alone refuses; it is an input of the fingerprint by its size, with no digest
    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    big = next((tmp_path / "p" / "inventories").iterdir()) / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(10 * 1024**3)
    run = audit(tmp_path / "p" / "project.toml", tmp_path / "run")
    inputs = {Path(i["path"]).name: i for i in run.meta["inputs"]}
    assert inputs["big.xlsx"]["size"] == 10 * 1024**3 and inputs["big.xlsx"]["sha256"] == ""
    assert len(inputs) == 2 and all(
        len(i["sha256"]) == 64 for i in inputs.values() if i != inputs["big.xlsx"]
    )
    issues = run.table("inventory_issues")
    assert (
        "10,737,418,240" in issues[issues["source_file"].str.endswith("big.xlsx")]["value"].iloc[0]
    )


def test_audit_leaves_the_access_times_of_inventories_and_sidecars_as_they_were(tmp_path):
    import os

    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    base = tmp_path / "p"
    root = next((base / "scans").iterdir())
    (root / "export.csv").write_text("Tên tệp,Tiêu đề hồ sơ\n001.pdf,Hồ sơ\n", encoding="utf-8")
    deep_json(root / "export.json", 100)
    broken_xml(root / "export.xml")
    inventories = list(next((base / "inventories").iterdir()).iterdir())
    watched = [*inventories, root / "export.csv", root / "export.json", root / "export.xml"]
    old = 1_000_000_000  # 2001: older than the files' mtime, so any read would update it
    for path in watched:
        os.utime(path, (old, path.stat().st_mtime))
    audit(base / "project.toml", tmp_path / "run")
    assert {p.name: p.stat().st_atime for p in watched} == {p.name: old for p in watched}


def test_delimiters_inside_quotes_do_not_count_as_columns(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text(
        'STT,Tiêu đề hồ sơ\n1,"Hồ sơ' + "," * (MAX_COLUMNS + 10) + '"\n2,Hồ sơ\n', encoding="utf-8"
    )
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame) == 2 and not [i for i in issues if i.problem == "file_unreadable"]


def test_a_sidecar_in_a_scan_root_is_an_input_of_the_fingerprint(tmp_path):
    generate_demo(tmp_path / "p", seed=3, rows=30, localities=1)
    base = tmp_path / "p"
    root = next((base / "scans").iterdir())
    sidecar = root / "export.csv"
    sidecar.write_text("Tên tệp,Tiêu đề hồ sơ\n001.pdf,Hồ sơ một\n", encoding="utf-8")
    first = audit(base / "project.toml", tmp_path / "run1")
    assert any(
        i["kind"] == "sidecar" and i["path"].endswith("export.csv") for i in first.meta["inputs"]
    )
    sidecar.write_text("Tên tệp,Tiêu đề hồ sơ\n001.pdf,Hồ sơ hai\n", encoding="utf-8")
    second = audit(base / "project.toml", tmp_path / "run2")
    assert second.meta["fingerprint"] != first.meta["fingerprint"]


def test_an_ods_whose_cells_reach_past_the_limits_is_refused(tmp_path):
    import zipfile

    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns}>'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>STT'
        "</text:p></table:table-cell></table:table-row>"
        '<table:table-row table:number-rows-repeated="1048570"><table:table-cell/>'
        "</table:table-row><table:table-row>"
        '<table:table-cell table:number-columns-repeated="16380"/>'
        '<table:table-cell office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet>"
        "</office:body></office:document-content>"
    )
    path = tmp_path / "far.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "mimetype",
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        z.writestr(
            "META-INF/manifest.xml",
            (
                '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" manifest:media-type='
                '"application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>'
            ),
        )
        z.writestr("content.xml", content)
    issue = _load(tmp_path, path)
    assert "cell" in issue.value.lower()


def test_sheets_naming_one_part_many_times_are_capped_together(tmp_path, monkeypatch):
    # a 1.7 KB xlsx of 40 sheets naming one part of 999,999 x 20 cells ran for over 120 s
    # and 3.2 GB (then the limit of the test); the cells of every sheet now count together
    import zipfile

    from khaudit.inventory import readers

    monkeypatch.setattr(readers, "MAX_CELLS", 1_000)
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    sheets = "".join(f'<sheet name="S{i}" sheetId="{i + 1}" r:id="r{i}"/>' for i in range(3))
    rels = "".join(
        f'<Relationship Id="r{i}" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        for i in range(3)
    )
    path = tmp_path / "many.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        z.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{pkg}"><Relationship Id="r1" Type="{rel}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<workbook {ns} xmlns:r="{rel}"><sheets>{sheets}</sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{pkg}">{rels}</Relationships>'
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet {ns}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>STT</t></is>'
            '</c></row><row r="30"><c r="T30"><v>1</v></c></row></sheetData></worksheet>',
        )
    issue = _load(tmp_path, path)  # 551 cells a sheet as calamine lays it: the second passes
    assert issue.source_sheet == "S1" and "1,102" in issue.value
