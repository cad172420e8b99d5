from __future__ import annotations

import re

import pytest

from khaudit.match.evidence import normalize_code, path_evidence


@pytest.mark.parametrize(
    "a, b",
    [
        ("H56.17.03.2019.0001", "h56_17_03_2019_0001"),
        ("H56.17.03.2019.0001", "H56-17-03-2O19-001"),
        ("01/2019/HS-UBND", "01-2019-HS-UBND"),
        ("2019.VP.012", "2019 vp 12"),
        ("H56.17.l1", "H56.17.11"),
    ],
)
def test_codes_equal_despite_case_separators_confusions_and_padding(a, b):
    assert normalize_code(a) == normalize_code(b)


def test_different_codes_stay_different():
    assert normalize_code("H56.17.03.2019.0001") != normalize_code("H56.17.03.2019.0010")


def keys(ev):
    return [k for k, _, _ in ev.code_keys]


def test_code_in_name_first_word_and_folder():
    ev = path_evidence("2019/H56.22366.2019.0001 - Bao cao.pdf")
    assert normalize_code("H56.22366.2019.0001") in keys(ev)
    ev = path_evidence("2019/H56.22366.2019.0005/VB01.pdf")
    assert ev.code_keys[1] == (
        normalize_code("H56.22366.2019.0005"),
        "H56.22366.2019.0005",
        "folder",
    )  # after the name, the nearest folder first


@pytest.mark.parametrize(
    "path, box, file_no",
    [
        ("Hop 12/HS 045.pdf", 12, 45),
        ("Hộp 12/Hồ sơ 45.pdf", 12, 45),
        ("H012_045.pdf", 12, 45),
        ("hop-12/045 - Ho so cap GCN QSDD.pdf", 12, 45),
        ("Hop 03/HS 014", 3, 14),
        ("HS 045.pdf", None, 45),
    ],
)
def test_box_and_file_from_paths(path, box, file_no):
    ev = path_evidence(path, is_folder_item=not path.endswith(".pdf"))
    assert (ev.box, ev.file_no) == (box, file_no)


def test_number_and_title_without_marks():
    ev = path_evidence("045 - Ho so cap GCN QSDD ho ong Nguyen Van An.pdf")
    assert ev.file_no == 45 and ev.title == "Ho so cap GCN QSDD ho ong Nguyen Van An"


def test_title_only_and_scanner_counters():
    ev = path_evidence("Bao cao tinh hinh KT-XH nam 2019.pdf")
    assert ev.title == "Bao cao tinh hinh KT-XH nam 2019" and ev.file_no is None
    for name in ("IMG_000123.pdf", "SCAN0001.tif", "DSC_0042.jpg"):
        ev = path_evidence(name)
        assert ev.counter and not ev.title


def test_project_naming_pattern_comes_first():
    pattern = re.compile(r"(?P<box>\d+)-(?P<file_no>\d+)-(?P<record_code>[A-Z]+\d+)")
    ev = path_evidence("scan/7-88-AB12.pdf", pattern=pattern)
    assert (ev.box, ev.file_no) == (7, 88)
    assert keys(ev)[0] == normalize_code("AB12")


@pytest.mark.parametrize(
    "name",
    [
        "DOC-2025-0057.tif",
        "IMG_000123.pdf",
        "Scan 2025-03-12 0007.pdf",
        "Document 12.pdf",
        "20250312_143501.pdf",  # a document scanner's date-time stamp
        "20250312143501.pdf",
        "CCF000123.pdf",
    ],
)
def test_names_a_station_or_camera_counts_with_are_counters(name):
    assert path_evidence(name).counter


@pytest.mark.parametrize("name", ["HS 2019 012.pdf", "2019_012.pdf", "045.pdf", "Hop 3/HS 12.pdf"])
def test_numbers_an_office_names_records_with_are_not_counters(name):
    assert not path_evidence(name).counter


@pytest.mark.parametrize(
    "path, title, year",
    [
        # CamelCase without spaces, a station's date before it
        (
            "Dot 01/20161012-KHPhatTrienKT-XHNam2016CuaUBNDXaVanNinh.pdf",
            "KH Phat Trien KT-XH Nam 2016 Cua UBND Xa Van Ninh",
            2016,
        ),
        (
            "HồSơCấpGiấyPhépXâyDựngChoBàChâuHồngYến.pdf",
            "Hồ Sơ Cấp Giấy Phép Xây Dựng Cho Bà Châu Hồng Yến",
            None,
        ),
        # a date in any common form is the document's date, not a file number
        ("2016-10-12_Ke hoach phat trien kinh te.pdf", "Ke hoach phat trien kinh te", 2016),
        ("12.10.2016 Ke hoach phat trien kinh te.pdf", "Ke hoach phat trien kinh te", 2016),
    ],
)
def test_camel_case_names_and_leading_dates(path, title, year):
    ev = path_evidence(path)
    assert (ev.title, ev.year, ev.file_no) == (title, year, None)


@pytest.mark.parametrize("name", ["DOC0001.pdf", "IMG_20250611_1432.pdf", "H56.01.2019.0001.pdf"])
def test_counters_and_codes_are_no_camel_case(name):
    ev = path_evidence(name)
    assert not ev.title


@pytest.mark.parametrize(
    ("path", "file_no", "title"),
    [
        ("2020/so 22 Báo.cáo.tình.hình.năm.2020.pdf", 22, "Báo.cáo.tình.hình.năm.2020"),
        ("2015/01/so 002 Tap_QD_cua_CT_UBND_xa.pdf", 2, "Tap_QD_cua_CT_UBND_xa"),
        ("Số 12. Báo cáo năm 2019.pdf", 12, "Báo cáo năm 2019"),
        ("No.7_Ho so cap GCN cho ong An.pdf", 7, "Ho so cap GCN cho ong An"),
    ],
)
def test_a_number_written_with_so_or_no_before_a_title(path, file_no, title):
    ev = path_evidence(path)
    assert (ev.file_no, ev.title) == (file_no, title)


def test_a_title_beginning_with_so_is_no_number():
    for name in ("sổ đăng ký kết hôn 2019.pdf", "so do thua dat 12.pdf"):
        ev = path_evidence(name)
        assert ev.file_no is None and ev.title


def test_camel_case_with_initialisms_reads_as_a_title():
    ev = path_evidence("20170630-SoDKKHNam2017QuyenS.03.pdf")
    assert ev.year == 2017 and ev.title == "So DKKH Nam 2017 Quyen S.03"


@pytest.mark.parametrize("name", ["86-QD-UBND.pdf", "86_QĐ-UBND_24102014.pdf", "05 - NQ-HĐND.pdf"])
def test_a_decision_symbol_is_no_file_number_and_title(name):
    ev = path_evidence(f"2010/{name}")
    assert ev.file_no is None


@pytest.mark.parametrize(
    "path, title, file_no, year",
    [
        # A name of letters only is an owner's name or a title, however short or run together;
        # a year folder gives the year.
        ("2016/dangthanhson.pdf", "dangthanhson", None, 2016),
        ("2015/Lê Văn Hùng.pdf", "Lê Văn Hùng", None, 2015),
        # A document's number and symbol is what a title cites.
        ("Quyet dinh/2011/QĐ 124.pdf", "QĐ 124", None, 2011),
        ("Quyet dinh/2016/106.QĐ-UBND.pdf", "106.QĐ-UBND", None, 2016),
        ("NĂM 2016/QD018.pdf", "QD018", None, 2016),
        # Numbers behind short labels: the birth register of 2015, volume 1.
        ("Hop 001/KS_2015_Q01.pdf", "KS_2015_Q01", None, None),
        ("L001/L001-00045.pdf", "", None, None),
        (
            "2016/HS 487 Hs.chuyen.nhuong.QSDD.cua.b..Bui.Bich.Ha.pdf",
            "Hs.chuyen.nhuong.QSDD.cua.b..Bui.Bich.Ha",
            487,
            2016,
        ),
        # A record scanned again keeps its own number and title.
        ("Nam 2020/307_new.pdf", "", 307, 2020),
        ("Ket hon 2016 - Quyen 1 - quét lại.pdf", "Ket hon 2016 - Quyen 1", None, None),
        ("Hồ sơ xây dựng nông thôn mới.pdf", "Hồ sơ xây dựng nông thôn mới", None, None),
        # A date of six digits before a title is no file number; its year is not told.
        ("020411 Ho_so_cap_giay_chung_nhan_lan2.pdf", "Ho_so_cap_giay_chung_nhan", None, None),
        ("2018.01.01 Bao cao quy I.pdf", "Bao cao quy I", None, 2018),
        # The second file of an owner's name and year: the year still ends the title.
        ("Nam 2014/Lan quet 1/CHÂU BÍCH HOA. 2014_2.pdf", "CHÂU BÍCH HOA", None, 2014),
        # The owner written before the title that names them again: once, in its place.
        (
            "Nam 2019/châu_công_thắng-hồ_sơ_cấp_gpxd_của_hộ_ông_châu_công_thắng_thửa_60.pdf",
            "hồ_sơ_cấp_gpxd_của_hộ_ông_châu_công_thắng_thửa_60",
            None,
            2019,
        ),
    ],
)
def test_names_offices_give_read_as_their_title_and_numbers(path, title, file_no, year):
    ev = path_evidence(path)
    assert (ev.title, ev.file_no, ev.year) == (title, file_no, year)


@pytest.mark.parametrize(
    ("relpath", "box", "file_no"),
    [
        ("2016/Hop1-HS1.pdf", 1, 1),
        ("H1/Ho so 12.pdf", 1, 12),
        ("Hop21_HS210.pdf", 21, 210),
        ("Hop 3 - HS 12.pdf", 3, 12),
    ],
)
def test_a_box_and_file_by_their_labels_are_no_title(relpath, box, file_no):
    # "Ho so" would otherwise fit every "Hồ sơ …" title at 100%.
    ev = path_evidence(relpath)
    assert (ev.box, ev.file_no, ev.title) == (box, file_no, "")


def test_the_year_a_record_code_carries():
    from khaudit.match.evidence import code_year

    assert code_year("2020/HS/0274") == 2020 and code_year("H56.22.2019.0012") == 2019
    assert code_year("000.00.24.H56-130105-0001") is None
    assert code_year("56.5.2014.2015") is None  # two segments read as years: neither


def test_a_year_folder_gives_its_scans_year():
    assert path_evidence("2011/9.QĐ-UBND.pdf").year == 2011
    assert path_evidence("NĂM 2016/Quyet dinh/12.QĐ-UBND.pdf").year == 2016
    assert path_evidence("May 2/2025-05-20/DOC0030.pdf").year is None  # a day, not a year


def test_a_number_behind_its_label_after_a_title_is_no_titles():
    ev = path_evidence("Báo cáo/Bao_cao_cong_tac_phong_chong_tham_nhung_quy_1_nam_2015-STT 4.pdf")
    assert (ev.title, ev.file_no) == ("Bao_cao_cong_tac_phong_chong_tham_nhung_quy_1_nam_2015", 4)
    assert path_evidence("Ket hon 2016 - Quyen 1.pdf").file_no is None


def test_a_folder_named_by_a_records_title_names_a_record():
    from khaudit.match.evidence import names_a_record

    assert names_a_record("HS-CẤP-GCN QSDĐ-CỦA-ÔNG-CHÂU-HỮU-MINH-TẠI-THÔN-PHÚ-ÂN-THỬA-501-TBĐ-24")
    for category in ("Báo cáo", "01. Đất đai", "Hop 01", "Nam 2016", "Ho tich - Ket hon"):
        assert not names_a_record(category)


@pytest.mark.parametrize(
    "path, title, year",
    [
        ("Nam 2012/CHAUDUCCUONG. 2012.pdf", "CHAUDUCCUONG", 2012),
        ("x/bùi-thanh-hạnh-12.07.2008.pdf", "bùi-thanh-hạnh", 2008),
        ("x/bien-ban-hop-thang-12-nam-2008-25.12.2008.pdf", "bien-ban-hop-thang-12-nam-2008", 2008),
        ("x/Ke hoach phat trien nam 2020.pdf", "Ke hoach phat trien nam 2020", None),
        ("x/HS cap GCN thua 646 TBD 15 2013.pdf", "HS cap GCN thua 646 TBD 15", 2013),
    ],
)
def test_a_date_typed_after_a_title_is_its_year_not_its_words(path, title, year):
    # The date conflicted with every record's title as its numbers; after "năm" a year is
    # the title's own.
    ev = path_evidence(path)
    assert (ev.title, ev.year) == (title, year)
    assert path_evidence("IMG_20190312.jpg").counter  # a camera's stamp stays a counter


@pytest.mark.parametrize(
    "name, number, title",
    [
        (
            "HS_0001 HS_chuyen_muc_dich_su_dung_dat_cua_ong_Minh.pdf",
            1,
            "HS_chuyen_muc_dich_su_dung_dat_cua_ong_Minh",
        ),
        ("STT 100_BAO CAO KET QUA THUC HIEN.tif", 100, "BAO CAO KET QUA THUC HIEN"),
    ],
)
def test_a_label_and_number_before_a_title_is_the_records_number(name, number, title):
    ev = path_evidence(f"2017/{name}")
    assert (ev.file_no, ev.title) == (number, title)


@pytest.mark.parametrize(
    ("relpath", "box", "file_no", "title"),
    [
        (
            "Nam 2010/Hop1-HS1_HS CAP GCN QSDD CUA ONG CHAU HUU MINH.pdf",
            1,
            1,
            "HS CAP GCN QSDD CUA ONG CHAU HUU MINH",
        ),
        ("Hop 3/H3 HS 12 - Ho so xin phep xay dung.pdf", 3, 12, "Ho so xin phep xay dung"),
        ("Hộp 2, HS 5: Báo cáo tình hình.pdf", 2, 5, "Báo cáo tình hình"),
    ],
)
def test_a_box_and_file_by_their_labels_before_a_title_are_the_records_place(
    relpath, box, file_no, title
):
    # "Hop1-HS1" read as the title's words costs two numbers no record title has.
    ev = path_evidence(relpath)
    assert (ev.box, ev.file_no, ev.title) == (box, file_no, title)


@pytest.mark.parametrize(
    ("path", "title", "file_no"),
    [
        # A list's number after a dash: padded, after a year, after a word.
        ("Bien ban hop Thuong truc HDND thang 11 nam 2008-089.pdf", None, 89),
        ("Bien ban hop Ban Chi dao thang 2 nam 2011-339.pdf", None, 339),
        ("HS DKKH giua anh Dang Ngoc Dung va chi Truong Ngoc Hoa-464.pdf", None, 464),
        ("Bien ban hop nam 2008_089.pdf", "Bien ban hop nam 2008", 89),
        # Words joined by dashes: a year and a dash still set the number apart...
        ("Binbản-họp-Ủy-ban-nhân-dân-tháng-9-năm-2018-192.pdf", None, 192),
        # ...a word and a dash do not: "số-150" is the title's own number.
        ("tập-quyết-định-năm-2018-từ-số-101-đến-số-150.pdf", "", None),
        # A register's volume, a map sheet and parcel, a span of years are the title's.
        ("So khai sinh 2015-01.pdf", "", None),
        ("Thua dat to 10-434.pdf", "", None),
        ("bien_ban_hop_nam_2008_089.pdf", "", None),
        # Padded after a word, though the words are joined by the same underscore.
        ("HS_DKKH_GIUA_ANH_VINH_VA_CHI_NGA_006.pdf", None, 6),
        # After "số", "thửa đất", "quyển": the title's own number.
        ("So_DKKS_quyen_so_001.pdf", "", None),
        ("Ho so cap GCN thua dat-434.pdf", "", None),
    ],
)
def test_a_number_after_a_title_and_a_dash_is_the_lists_not_the_titles(path, title, file_no):
    ev = path_evidence(path)
    stem = path.removesuffix(".pdf")
    cut = max(stem.rfind("-"), stem.rfind("_"))
    expected = stem[:cut] if title is None else (title or stem)
    assert (ev.title, ev.file_no) == (expected, file_no)


@pytest.mark.parametrize(
    ("path", "box", "file_no", "title"),
    [
        # A copier's own stem, then the file's number: no title, file 1 of box 1.
        ("Lo 03/2016/H001/SKM_C2582503250735140-HS 1.pdf", 1, 1, ""),
        ("Scan_20230515_143022 - HS 12.pdf", None, 12, ""),
        # A procedure's portal code before the owner's name is none of the title's numbers.
        ("Cam Phuoc Tay (cu)/1.001193_Trần_Văn_Kiên.pdf", None, None, "Trần_Văn_Kiên"),
    ],
)
def test_what_devices_and_portals_put_in_a_name_is_no_title(path, box, file_no, title):
    ev = path_evidence(path)
    assert (ev.box, ev.file_no, ev.title) == (box, file_no, title)


@pytest.mark.parametrize(
    ("path", "title", "file_no", "row"),
    [
        ("2015/HPSCAN_20250415083735 0560612078873 Nguyen Minh Hai", "Nguyen Minh Hai", None, None),
        ("Lo 1/20250324112147-2014.03.14-le-thi-ngoc.pdf", "le-thi-ngoc", None, None),
        (
            "New Doc 2025-05-19 10.24_xac nhan hn_duong_thu_loan.pdf",
            "xac nhan hn_duong_thu_loan",
            None,
            None,
        ),
        (
            "Doc1_ChungThucHopDongChuyenNhuongQuyenSuDungDat.pdf",
            "Chung Thuc Hop Dong Chuyen Nhuong Quyen Su Dung Dat",
            None,
            None,
        ),
        ("H026/img0241 - HS 560", "", 560, None),
        ("Bien dong/img0025-STT 110", "", None, 110),
        ("Bien dong/STT 087.pdf", "", None, 87),
    ],
)
def test_a_devices_name_before_what_the_operator_typed_is_left_out(path, title, file_no, row):
    ev = path_evidence(path, is_folder_item=not path.endswith(".pdf"))
    assert (ev.title, ev.file_no, ev.row) == (title, file_no, row)
    assert not ev.counter


def test_a_receipt_after_a_copiers_name_is_read_as_a_code():
    ev = path_evidence("2016/SKM_C2582502220923520-160718-0001", is_folder_item=True)
    assert ("160718.1", "160718-0001", "name") in ev.code_keys


@pytest.mark.parametrize("name", ["Doc5 (3)-1.pdf", "IMG_0001.pdf", "DSC_0012.pdf"])
def test_a_devices_name_alone_stays_a_counter(name):
    assert path_evidence(name).counter


def test_keys_typed_with_the_input_method_off_are_read_back():
    ev = path_evidence("H001/0560861487396_PhamjQuoocsTaam_0966413829.pdf")
    assert ev.title == "pham quoc tam"
    ev = path_evidence("HOOF_SOW_DDAWNG_KYS_KEETS_HOON_GIUWAX_CHIJ_VOX_THIJ_DUNG.pdf")
    assert ev.title == "ho so dang ky ket hon giua chi vo thi dung"


def test_names_spoilt_on_the_way_are_read_as_typed():
    typed = "Hồ sơ cấp GCN cho ông Nguyễn Văn Ấn"
    as_cp1252 = "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in typed.encode("utf-8")
    )
    assert path_evidence(f"Lo 2/{as_cp1252}.pdf").title == typed
    assert path_evidence("L« 2/Hå s¬ cÊp GCN cho «ng NguyÔn V¨n An.pdf").title == (
        "Hồ sơ cấp GCN cho ông Nguyễn Văn An"
    )
    assert path_evidence(f"Lo 2/{typed}.pdf").title == typed


def test_a_birth_date_after_a_name_typed_together_is_no_title_number():
    ev = path_evidence("LO 1/TRANDUCTRANG_21021972.pdf")
    assert (ev.title, ev.year) == ("TRANDUCTRANG", 1972)
