"""Zoning for the handover: official units, the pre-2025 mapping, place names as offices write
them, receivers in the run, and the receiver's bag.

Expected receivers come from ``vietnamadminunits.convert_address`` (the package's own public
converter, called on official addresses), not from khaudit's reading of the package data.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import bagit
import pandas as pd
import pytest
from click.testing import CliRunner

from khaudit.cli import cli
from khaudit.demo import scanfiles as sf
from khaudit.errors import KhauditError, ProjectError
from khaudit.handover.receiver import package_receiver
from khaudit.handover.verify import verify_bag
from khaudit.match.decisions import Decision, read_decisions, record_decisions
from khaudit.project import load_project
from khaudit.zoning import (
    Gazetteer,
    find_former,
    former_units,
    receiver_counts,
    receiver_lines,
    units_of_province,
)

PROVINCE = "Khánh Hòa"


def official(address: str) -> tuple[str, str]:
    """(2025 unit, code) of an official pre-2025 address: the unit by the converter of
    vietnamadminunits, its code of record from vietnam-provinces' list."""
    from vietnam_provinces import Ward
    from vietnamadminunits import convert_address

    unit = convert_address(address)
    (ward,) = [w for w in Ward.iter_by_province(56) if w.name == unit.ward]
    return unit.ward, f"{int(ward.code):05d}"


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer(former_units(PROVINCE), units_of_province(PROVINCE), "huyen dien khanh")


# --- the official lists ----------------------------------------------------------------------


def test_khanh_hoa_has_its_65_units_with_their_official_codes():
    units = {u.name: u.code for u in units_of_province("Tỉnh Khánh Hòa")}
    assert len(units) == 65
    assert units["Phường Nha Trang"] == "22366" and units["Xã Diên Lạc"] == "22678"
    assert units["Xã Cam Lâm"] == "22453" and units["Đặc khu Trường Sa"] == "22736"
    assert units_of_province("56") == units_of_province("khanh hoa")
    assert units_of_province("Nowhere") == []


def test_the_mapping_agrees_with_vietnam_provinces_codes_and_names():
    from vietnamadminunits.database import query

    theirs = {
        r["ward"]: str(r["wardCode"])
        for r in query("SELECT ward, wardCode FROM admin_units WHERE provinceKey = 'tinhkhanhhoa'")
    }
    ours = {u.name: u.code for u in units_of_province(PROVINCE)}
    assert set(theirs) == set(ours)  # both packages list the same 65 units by name
    # Most codes agree; where they do not, the codes of record are vietnam-provinces'.
    differ = {name for name in ours if ours[name] != theirs[name]}
    assert len(differ) <= 10, differ
    former = former_units(PROVINCE)
    assert len([f for f in former if f.name]) > 150  # Khánh Hòa and Ninh Thuận's communes
    for unit in former:
        assert unit.successors, unit
        assert set(unit.successors) <= set(ours.values()), unit  # each a 2025 unit's code


def test_the_mapping_is_the_official_converters():
    sample = [f for f in former_units(PROVINCE) if f.name and f.district_code in ("574", "570")]
    assert len(sample) > 25
    for unit in sample:
        _, code = official(f"{unit.name}, {unit.district}, {unit.province}")
        assert unit.successors[0] == code, unit
    assert official("Xã Diên Phú, Huyện Diên Khánh, Tỉnh Khánh Hòa")[1] == "22657"


# --- place names in text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, former",
    [
        ("Hồ sơ cấp GCN QSDĐ hộ ông Nguyễn Văn An, thửa 12, xã Diên Phú", "Xã Diên Phú"),
        ("Ho so cap GCN QSDD ho ba Tran Thi B, X.Dien Phu", "Xã Diên Phú"),
        ("HỒ SƠ GIAO ĐẤT TẠI XÃ DIÊN AN, HUYỆN DIÊN KHÁNH", "Xã Diên An"),
        ("Hồ sơ xây dựng nhà ở, x. diên toàn", "Xã Diên Toàn"),
        ("GPXD hộ ông C (TT.Diên Khánh)", "Thị trấn Diên Khánh"),
        ("Đăng ký kết hôn, thi tran Dien Khanh", "Thị trấn Diên Khánh"),
        ("Hồ sơ đền bù giải phóng mặt bằng X. SUỐI TIÊN", "Xã Suối Tiên"),
        ("Hồ sơ cấp GCN, xã Xuân Đồng", "Xã Xuân Đồng"),
        ("hs thu hoi dat xa binh loc nam 2019", "Xã Bình Lộc"),
    ],
)
def test_former_communes_are_found_as_offices_write_them(gazetteer, text, former):
    (place,) = gazetteer.find(text)
    assert place.entry is not None and place.entry.name == former
    expected = official(f"{former}, Huyện Diên Khánh, Tỉnh Khánh Hòa")[1]
    assert place.entry.receivers[0] == expected


def test_a_ward_of_another_former_district_resolves_too(gazetteer):
    (place,) = gazetteer.find("Hồ sơ cấp phép, P. Vĩnh Hòa")
    assert place.entry is not None
    assert (
        place.entry.receivers[0]
        == official("Phường Vĩnh Hòa, Thành phố Nha Trang, Tỉnh Khánh Hòa")[1]
    )


@pytest.mark.parametrize(
    "text",
    [
        "Báo cáo kinh tế - xã hội năm 2019 của UBND huyện Diên Khánh",
        "Kế hoạch phát triển thị xã Ninh Hòa",
        "Quyết định khen thưởng tập thể, cá nhân",
        "Báo cáo tình hình xã hội hóa giáo dục",
    ],
)
def test_districts_towns_and_plain_words_are_no_commune(gazetteer, text):
    assert gazetteer.find(text) == []


def test_bare_names_count_only_in_an_address(gazetteer):
    assert gazetteer.find("Hồ sơ Diên Phú") == []
    (place,) = gazetteer.find("thôn Phú Ân Nam, Diên An, Diên Khánh, Khánh Hòa", bare=True)
    assert place.entry is not None and place.entry.name == "Xã Diên An"


# --- the project file ----------------------------------------------------------------------------


def project_file(tmp_path: Path, localities: str, zoning: str = "") -> Path:
    (tmp_path / "inv").mkdir(exist_ok=True)
    (tmp_path / "inv" / "a.csv").write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    (tmp_path / "scans").mkdir(exist_ok=True)
    path = tmp_path / "project.toml"
    path.write_text(f'title = "T"\nprovince = "{PROVINCE}"\n{zoning}{localities}', encoding="utf-8")
    return path


def locality(name: str, extra: str = "") -> str:
    return (
        f'[[locality]]\nname = "{name}"\ninventories = ["inv/a.csv"]\nscan_roots = ["scans"]\n'
        + extra
    )


def test_a_name_alone_gets_its_official_code(tmp_path: Path):
    project = load_project(project_file(tmp_path, locality("Xã Diên Điền")))
    assert project.localities[0].code == "22657" and not project.warnings


def test_a_fonds_named_after_its_body_is_its_unit(tmp_path: Path):
    project = load_project(project_file(tmp_path, locality("UBND xã Diên Lạc", "code = 22678\n")))
    assert project.localities[0].zone.unit is not None and not project.warnings
    project = load_project(project_file(tmp_path, locality("UBND X. DIEN LAC")))
    assert project.localities[0].code == "22678"


def test_a_wrong_code_is_refused_in_one_line_naming_both(tmp_path: Path):
    with pytest.raises(ProjectError) as err:
        load_project(project_file(tmp_path, locality("Xã Diên Điền", 'code = "22678"\n')))
    message = str(err.value)
    assert "22678" in message and "Xã Diên Lạc" in message and "Xã Diên Điền" in message
    assert len(message.strip().splitlines()) == 1


def test_an_unknown_code_is_refused(tmp_path: Path):
    with pytest.raises(ProjectError, match="99999"):
        load_project(project_file(tmp_path, locality("Xã Diên Điền", 'code = "99999"\n')))


def test_a_name_that_is_no_current_unit_warns_and_suggests_former(tmp_path: Path):
    project = load_project(project_file(tmp_path, locality("UBND huyện Diên Khánh")))
    (warning,) = project.warnings
    assert 'former = "Huyện Diên Khánh, Tỉnh Khánh Hòa"' in warning


def test_former_is_checked_against_the_province(tmp_path: Path):
    with pytest.raises(ProjectError, match="Huyện Không Có"):
        load_project(
            project_file(
                tmp_path, locality("Phông X", 'former = "Huyện Không Có, Tỉnh Khánh Hòa"\n')
            )
        )
    found = find_former("H. Dien Khanh, Khanh Hoa", PROVINCE)
    assert found is not None and found.district == "Huyện Diên Khánh" and not found.name
    commune = find_former("X. Diên Phú, H. Diên Khánh", PROVINCE)
    assert commune is not None and commune.name == "Xã Diên Phú"


# --- a probe: a former district's, a former commune's and a current unit's inventories ---------

DISTRICT_ROWS = [
    # (title, address, expected former commune or None, note)
    (
        "Hồ sơ cấp GCN QSDĐ hộ ông Nguyễn Văn An, thửa 12, TBĐ 3",
        "thôn Phú Ân, Diên Phú",
        "Xã Diên Phú",
    ),
    ("HO SO CAP GCN QSDD HO BA LE THI HOA, X.DIEN AN", "", "Xã Diên An"),
    ("Hồ sơ GPXD nhà ở hộ ông Trần Văn Bình", "TT. Diên Khánh", "Thị trấn Diên Khánh"),
    ("Hồ sơ đăng ký kết hôn, xã Diên Sơn", "", "Xã Diên Sơn"),
    ("Hồ sơ thu hồi đất X. Suối Tiên", "", "Xã Suối Tiên"),
    ("Hồ sơ giao đất tái định cư, xã DIÊN THẠNH", "", "Xã Diên Thạnh"),
    ("Báo cáo kinh tế - xã hội huyện Diên Khánh năm 2019", "", None),
    ("Kế hoạch phòng chống thiên tai năm 2020", "", None),
    ("Hồ sơ điều chỉnh ranh giới xã Diên Phú và xã Diên Lâm", "", "two"),
]


def write_probe(base: Path) -> Path:
    rng = random.Random(7)
    for folder in ("inv", "scans/huyen", "scans/dienphu", "scans/dienlac"):
        (base / folder).mkdir(parents=True, exist_ok=True)
    with open(base / "inv" / "huyen.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Địa chỉ", "Số tờ"])
        for i, (title, address, _) in enumerate(DISTRICT_ROWS, 1):
            out.writerow([i, f"H574.{i:03d}", title, address, 2])
            (base / "scans/huyen" / f"H574.{i:03d}.pdf").write_bytes(sf.pdf_bytes(title, 2, rng))
    with open(base / "inv" / "dienphu.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Số tờ"])
        for i in range(1, 4):
            out.writerow([i, f"DP.{i:03d}", f"Sổ đăng ký khai sinh năm {2015 + i}", 1])
            (base / "scans/dienphu" / f"DP.{i:03d}.pdf").write_bytes(sf.pdf_bytes(str(i), 1, rng))
    with open(base / "inv" / "dienlac.csv", "w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Số tờ"])
        for i in range(1, 3):
            out.writerow([i, f"DL.{i:03d}", f"Báo cáo năm {2020 + i}", 1])
            (base / "scans/dienlac" / f"DL.{i:03d}.pdf").write_bytes(sf.pdf_bytes(str(i), 1, rng))
    path = base / "project.toml"
    path.write_text(
        f'title = "T"\nprovince = "{PROVINCE}"\n'
        '[zoning]\ndefault_receiver = "Lưu trữ lịch sử tỉnh Khánh Hòa"\n'
        + locality("UBND huyện Diên Khánh", 'former = "Huyện Diên Khánh, Tỉnh Khánh Hòa"\n')
        .replace("inv/a.csv", "inv/huyen.csv")
        .replace('"scans"', '"scans/huyen"')
        + locality("UBND xã Diên Phú", 'former = "X. Diên Phú, H. Diên Khánh, Khánh Hòa"\n')
        .replace("inv/a.csv", "inv/dienphu.csv")
        .replace('"scans"', '"scans/dienphu"')
        + locality("Xã Diên Lạc", 'code = "22678"\n')
        .replace("inv/a.csv", "inv/dienlac.csv")
        .replace('"scans"', '"scans/dienlac"'),
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory):
    from khaudit.audit import audit

    base = tmp_path_factory.mktemp("probe")
    path = write_probe(base)
    return base, audit(path, base / "run")


def test_every_record_of_the_probe_goes_where_the_official_mapping_says(probe):
    _, run = probe
    records = run.records.set_index("record_code")
    for i, (_, _, former) in enumerate(DISTRICT_ROWS, 1):
        row = records.loc[f"H574.{i:03d}"]
        if former is None:
            assert (row.receiver, row.receiver_code, row.zoning_basis) == (
                "Lưu trữ lịch sử tỉnh Khánh Hòa",
                "",
                "default",
            )
        elif former == "two":
            assert (row.receiver, row.receiver_code, row.zoning_basis) == ("", "", "unresolved")
        else:
            name, code = official(f"{former}, Huyện Diên Khánh, Tỉnh Khánh Hòa")
            assert (row.receiver, row.receiver_code, row.zoning_basis) == (name, code, "place")
    for code in ("DP.001", "DP.002", "DP.003"):
        row = records.loc[code]
        assert (row.receiver, row.receiver_code, row.zoning_basis) == (
            "Xã Diên Điền",
            "22657",
            "successor",
        )
    for code in ("DL.001", "DL.002"):
        row = records.loc[code]
        assert (row.receiver, row.receiver_code, row.zoning_basis) == (
            "Xã Diên Lạc",
            "22678",
            "unit",
        )
    assert run.records["zoning_note"].astype(bool).all()


def test_the_zoning_columns_are_in_records_csv(probe):
    _, run = probe
    with open(run.path / "records.csv", encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh))
    for column in ("receiver", "receiver_code", "zoning_basis", "zoning_note", "address"):
        assert column in header
    assert header[:16][0] == "locality"  # the contract's first columns stay where they were


def test_per_receiver_counts(probe):
    _, run = probe
    counts = receiver_counts(run.records).set_index("receiver")
    assert counts.loc["Xã Diên Điền", "records"] == 3 + 2  # the former commune + Diên Phú, Diên Sơn
    assert counts.loc["Xã Diên Điền", "digitized"] == counts.loc["Xã Diên Điền", "records"]
    lines = receiver_lines(run.records, "vi")
    assert "bàn giao cho Xã Diên Điền (22657): 5 hồ sơ, 5 đã số hóa" in lines
    assert lines[-1].startswith("chưa xác định nơi nhận: 1 hồ sơ")


def test_the_receiver_bag_verifies_and_holds_only_its_records(probe, tmp_path: Path):
    _, run = probe
    bag = tmp_path / "dien-dien"
    result = package_receiver(run.path, "xa dien dien", bag)
    assert result.files > 0
    assert verify_bag(bag, workers=1).valid
    assert bagit.Bag(str(bag)).is_valid()
    records = pd.read_csv(bag / "data/run/records.csv", dtype=str, keep_default_na=False)
    assert set(records["receiver"]) == {"Xã Diên Điền"} and len(records) == 5
    assert set(records["locality"]) == {"UBND huyện Diên Khánh", "UBND xã Diên Phú"}
    scans = sorted(p.name for p in (bag / "data/scans").rglob("*.pdf"))
    assert scans == ["DP.001.pdf", "DP.002.pdf", "DP.003.pdf", "H574.001.pdf", "H574.004.pdf"]
    info = (bag / "bag-info.txt").read_text(encoding="utf-8")
    assert "KHAudit-Receiver: Xã Diên Điền" in info and "KHAudit-Receiver-Code: 22657" in info
    giving = json.loads(info.split("KHAudit-Giving-Units: ")[1].splitlines()[0])
    assert [g["name"] for g in giving] == ["UBND huyện Diên Khánh", "UBND xã Diên Phú"]
    assert {g["code"] for g in giving} == {"574", "22669"}  # their pre-2025 official codes
    minutes = sorted(p.name for p in (bag / "data/report").glob("*.pdf"))
    assert minutes == ["bien-ban-ubnd-huyen-dien-khanh.pdf", "bien-ban-ubnd-xa-dien-phu.pdf"]


def test_package_receiver_from_the_command_line(probe, tmp_path: Path):
    _, run = probe
    runner = CliRunner()
    done = runner.invoke(
        cli, ["package", str(run.path), "--receiver", "22651", "--out", str(tmp_path / "b")]
    )
    assert done.exit_code == 0, done.output
    records = pd.read_csv(tmp_path / "b/data/run/records.csv", dtype=str, keep_default_na=False)
    assert set(records["receiver_code"]) == {"22651"} and len(records) == 2  # Diên An, TT
    both = runner.invoke(
        cli,
        [
            "package",
            str(run.path),
            "--receiver",
            "x",
            "--locality",
            "y",
            "--out",
            str(tmp_path / "c"),
        ],
    )
    assert both.exit_code != 0 and not (tmp_path / "c").exists()
    with pytest.raises(KhauditError, match="Xã Diên Điền"):
        package_receiver(run.path, "Xã Không Có", tmp_path / "d")


def test_a_zoning_decision_settles_an_unresolved_record(probe, tmp_path: Path):
    from khaudit.audit import audit

    base, run = probe
    row = run.records[run.records["zoning_basis"] == "unresolved"].iloc[0]
    project = load_project(base / "project.toml")
    decision = Decision(
        locality=row["locality"],
        content="",
        source_file=row["source_file"],
        source_sheet=row["source_sheet"] or "",
        source_row=int(row["source_row"]),
        verdict="zone",
        receiver="Xã Diên Lâm",
    )
    log = tmp_path / "decisions.jsonl"
    assert record_decisions(log, [decision], by="Cán bộ A") == 1
    index = read_decisions(log)
    assert index.receivers(row["locality"]) == {
        (row["source_file"], row["source_sheet"] or "", int(row["source_row"])): (
            "Xã Diên Lâm",
            "Cán bộ A",
        )
    }
    project.decisions.parent.mkdir(parents=True, exist_ok=True)
    project.decisions.write_text(log.read_text(encoding="utf-8"), encoding="utf-8")
    try:
        again = audit(base / "project.toml", tmp_path / "run2")
    finally:
        project.decisions.unlink()
    decided = again.records.set_index("record_code").loc[row["record_code"]]
    assert (decided.receiver, decided.receiver_code, decided.zoning_basis) == (
        "Xã Diên Lâm",
        "22660",
        "decision",
    )
    assert again.meta["fingerprint"] != run.meta["fingerprint"]


# --- the demo's former district ----------------------------------------------------------------


def test_the_demo_district_goes_to_three_communes_and_the_default(demo_run, demo_dir: Path):
    truth = pd.read_csv(demo_dir / "ground_truth/zoning.csv", dtype=str, keep_default_na=False)
    records = demo_run.records.astype({"source_row": str})
    merged = truth.merge(records, on=["locality", "source_file", "source_sheet", "source_row"])
    assert len(merged) == len(truth) > 0
    assert (merged["receiver"] == merged["expected_receiver"]).all()
    assert (merged["receiver_code"] == merged["expected_receiver_code"]).all()
    assert (merged["zoning_basis"] == merged["expected_zoning_basis"]).all()
    communes = set(merged.loc[merged["zoning_basis"] == "place", "receiver_code"])
    assert len(communes) >= 3 and (merged["zoning_basis"] == "default").any()


def test_zoning_goes_through_the_review_workbook(probe, tmp_path: Path):
    import openpyxl

    from khaudit.i18n import t
    from khaudit.review import export_review, import_review

    _, run = probe
    book_path = tmp_path / "xem-xet.xlsx"
    export_review(run.path, book_path, lang="vi")
    book = openpyxl.load_workbook(book_path)
    ws = book[t("report.zoning_sheet", "vi")]
    header = [c.value for c in ws[1]]
    basis = header.index(t("col.zoning_basis", "vi")) + 1
    pick = header.index(t("col.zoning_decision", "vi")) + 1
    # What waits for a person comes first, its basis in words, never the code "unresolved";
    # its inventory row a number.
    assert ws.cell(2, basis).value == t("zoning.basis.unresolved", "vi") != "unresolved"
    assert isinstance(ws.cell(2, header.index(t("col.source_row", "vi")) + 1).value, int)
    ws.cell(2, pick).value = "Xã Diên Thọ"
    ws.cell(3, pick).value = "Xã Không Có"  # not a unit of the province: refused
    book.save(book_path)
    log = tmp_path / "decisions.jsonl"
    recorded, problems = import_review(book_path, log, by="Cán bộ B")
    assert recorded == 1 and len(problems) == 1 and "Xã Không Có" in problems[0]
    (line,) = log.read_text(encoding="utf-8").splitlines()
    saved = json.loads(line)
    assert saved["verdict"] == "zone" and saved["receiver"] == "Xã Diên Thọ"
    assert saved["by"] == "Cán bộ B" and saved["content"] == ""
    assert len(read_decisions(log).receivers(saved["locality"])) == 1


def test_the_locality_report_lists_its_receivers(demo_run):
    from khaudit.report.locality import LocalityReport

    report = LocalityReport(demo_run, "UBND huyện Diên Khánh", "vi")
    section = report.zoning()
    assert "Phân vùng bàn giao" in section
    assert "bàn giao cho Lưu trữ lịch sử tỉnh Khánh Hòa:" in section
    assert "chưa xác định nơi nhận" in section
    assert section in report.sections()
    own = LocalityReport(demo_run, "Xã Diên Lạc", "en").zoning()
    assert "handed over to Xã Diên Lạc (22678)" in own
