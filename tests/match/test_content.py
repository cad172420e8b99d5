"""Content evidence: searchable PDFs whose first page says which record they are, written by
fpdf2 (not by the demo's generator) the way offices type a file's cover: the fonds, "HỒ SƠ"
and the title in capitals, a code line "Mã hồ sơ: …"."""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path

import fpdf
import matplotlib
import pandas as pd
import pikepdf
import pytest
from PIL import Image

from khaudit.audit import audit
from khaudit.match.content import codes_in, sampled
from khaudit.match.evidence import path_evidence
from khaudit.project import load_project
from khaudit.report.content_check import ContentFigures
from khaudit.scan.pagetext import first_page_text, layer_text

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"

#: (code, title, sheets): near-twins (parcels 123 and 124, the reports of 2018 and 2019) and
#: titles that share most of their words.
RECORDS = [
    (
        "H56.22.01.2019.0001",
        "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An, thửa đất số 123, tờ bản đồ số 4",
        3,
    ),
    (
        "H56.22.01.2019.0002",
        "Hồ sơ cấp GCN QSDĐ cho hộ ông Nguyễn Văn An, thửa đất số 124, tờ bản đồ số 4",
        3,
    ),
    ("H56.22.01.2019.0003", "Báo cáo tình hình kinh tế - xã hội năm 2018", 2),
    ("H56.22.01.2019.0004", "Báo cáo tình hình kinh tế - xã hội năm 2019", 2),
    ("H56.22.01.2019.0005", "Hồ sơ đăng ký kết hôn của ông Trần Minh Khoa và bà Lê Thị Hồng", 2),
    ("H56.22.01.2019.0006", "Hồ sơ cấp giấy phép xây dựng nhà ở riêng lẻ cho bà Phạm Thị Lan", 4),
    ("H56.22.01.2019.0007", "Kế hoạch phòng chống thiên tai và tìm kiếm cứu nạn năm 2019", 2),
    ("H56.22.01.2019.0008", "Hồ sơ đăng ký khai sinh cho cháu Võ Gia Bảo", 1),
    ("H56.22.01.2019.0009", "Quyết định về việc thành lập tổ công tác cải cách hành chính", 2),
    ("H56.22.01.2019.0010", "Hồ sơ giải quyết khiếu nại của ông Đặng Văn Tám về đất đai", 3),
    ("H56.22.01.2019.0011", "Biên bản họp Hội đồng nhân dân xã kỳ họp thứ 8", 2),
    ("H56.22.01.2019.0012", "Hồ sơ cấp bản sao trích lục hộ tịch cho bà Huỳnh Thị Mai", 1),
    (
        "H56.22.01.2019.0013",
        "Hồ sơ chứng thực hợp đồng chuyển nhượng quyền sử dụng đất ông Lý Văn Sáu",
        2,
    ),
    (
        "H56.22.01.2019.0014",
        "Tờ trình đề nghị phê duyệt dự án đường giao thông nông thôn thôn Phú Ân",
        2,
    ),
    ("H56.22.01.2020.0015", "Hồ sơ thẩm định dự toán sửa chữa trụ sở Ủy ban nhân dân xã", 2),
]


def cover(title: str, code: str | None, pages: int = 2, invisible: bool = True) -> bytes:
    """A scanned file's cover with the OCR layer a station writes over the page image."""
    pdf = fpdf.FPDF(unit="mm", format="A4")
    pdf.add_font("DejaVu", "", str(FONT))
    for number in range(pages):
        pdf.add_page()
        pdf.image(Image.new("L", (1240, 1754), 240), x=0, y=0, w=210)
        if invisible:
            pdf.text_mode = fpdf.enums.TextMode.INVISIBLE
        pdf.set_font("DejaVu", size=13)
        lines = ["ỦY BAN NHÂN DÂN XÃ DIÊN LẠC", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
        if number == 0:
            lines += ["HỒ SƠ", title.upper()]
            lines += [f"Mã hồ sơ: {code}"] if code else []
            lines += ["Thời hạn bảo quản: Vĩnh viễn", "Số tờ: 3"]
        else:
            lines += [f"Trang {number + 1}"]
        pdf.set_xy(20, 20)
        for line in lines:
            pdf.multi_cell(170, 8, line)
    return bytes(pdf.output())


def inventory(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["STT", "Mã hồ sơ", "Tiêu đề hồ sơ", "Số tờ"])
        for i, (code, title, sheets) in enumerate(RECORDS, 1):
            writer.writerow([i, code, title, sheets])


def project(base: Path, scans: dict[str, bytes], extra: str = "") -> Path:
    (base / "scans").mkdir()
    for name, data in scans.items():
        (base / "scans" / name).write_bytes(data)
    inventory(base / "inv.csv")
    path = base / "project.toml"
    path.write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n' + extra,
        encoding="utf-8",
    )
    return path


def probe_scans() -> dict[str, bytes]:
    """Named right: records 3, 5-10; swapped at the station: 1 and 2 (near-twins, no code
    line), 11 and 12 (code lines); named by a counter, no sidecar: 4, 13, 14."""
    scans = {}
    for n in (3, 5, 6, 7, 8, 9, 10):
        code, title, _ = RECORDS[n - 1]
        scans[f"{code}.pdf"] = cover(title, code if n % 2 else None)
    for a, b, with_code in ((1, 2, False), (11, 12, True)):
        (code_a, title_a, _), (code_b, title_b, _) = RECORDS[a - 1], RECORDS[b - 1]
        scans[f"{code_a}.pdf"] = cover(title_b, code_b if with_code else None)
        scans[f"{code_b}.pdf"] = cover(title_a, code_a if with_code else None)
    for counter, n in ((17, 4), (18, 13), (19, 14)):
        code, title, _ = RECORDS[n - 1]
        scans[f"IMG_{counter:04d}.pdf"] = cover(title, code if n == 13 else None)
    scans["Scan_20250611_143210.pdf"] = cover(RECORDS[14][1], None)
    return scans


@pytest.fixture(scope="module")
def probe_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("content")
    return audit(project(base, probe_scans()), base / "run", lang="en")


def by_path(run) -> pd.DataFrame:
    return run.files.set_index("path")


def test_swapped_scans_go_to_review_with_both_records(probe_run):
    files = by_path(probe_run)
    swapped = [RECORDS[n - 1][0] + ".pdf" for n in (1, 2, 11, 12)]
    assert list(files.loc[swapped, "status"]) == ["needs_review"] * 4
    assert (files.loc[swapped, "content_match"] < 0.8).all()
    records = probe_run.records.set_index("record_code")
    assert (
        list(records.loc[[RECORDS[n - 1][0] for n in (1, 2, 11, 12)], "status"])
        == ["needs_review"] * 4
    )
    # the review names the record the name gives and the one the page shows
    candidates = probe_run.table("candidates")
    first = candidates[candidates["path"] == RECORDS[0][0] + ".pdf"]
    assert set(first["record_code"]) == {RECORDS[0][0], RECORDS[1][0]}
    assert "first page" in files.loc[RECORDS[10][0] + ".pdf", "note"]


def test_right_scans_match_with_high_content_match(probe_run):
    files = by_path(probe_run)
    right = [RECORDS[n - 1][0] + ".pdf" for n in (3, 5, 6, 7, 8, 9, 10)]
    assert list(files.loc[right, "status"]) == ["matched"] * len(right)
    assert (files.loc[right, "content_match"] >= 0.8).all()
    assert set(files["text_source"]) == {"layer"}


def test_counters_without_sidecar_are_linked_by_content(probe_run):
    files = by_path(probe_run)
    counters = {
        "IMG_0017.pdf": 4,
        "IMG_0018.pdf": 13,
        "IMG_0019.pdf": 14,
        "Scan_20250611_143210.pdf": 15,
    }
    for path, n in counters.items():
        assert files.loc[path, "status"] == "matched", files.loc[path, "note"]
        assert files.loc[path, "record_code"] == RECORDS[n - 1][0]
        assert files.loc[path, "match_method"] in ("content", "content_code")
        assert files.loc[path, "content_match"] >= 0.8


def test_image_only_scans_have_no_content_columns(tmp_path: Path):
    out = io.BytesIO()
    Image.new("L", (400, 560), 200).save(out, "PDF", resolution=200)
    code = RECORDS[2][0]
    run = audit(project(tmp_path, {f"{code}.pdf": out.getvalue()}), tmp_path / "run")
    row = run.files.iloc[0]
    assert (row["status"], row["text_source"]) == ("matched", "")
    assert pd.isna(row["content_match"])


def test_sample_is_drawn_from_content_hashes_reproducibly():
    hashes = pd.Series([hashlib.md5(str(i).encode()).hexdigest() for i in range(4000)])
    drawn = sampled(hashes, 0.05)
    assert 120 < drawn.sum() < 280
    assert (sampled(hashes, 0.05) == drawn).all()
    assert (sampled(hashes[::-1].reset_index(drop=True), 0.05) == drawn[::-1]).all()
    assert sampled(hashes, 1.0).all()


def test_sample_setting_checks_only_drawn_scans(tmp_path: Path):
    scans = probe_scans()
    path = project(tmp_path, scans, "[content]\nsample = 0.05\n")
    assert load_project(path).content.sample == 0.05
    run = audit(path, tmp_path / "run")
    files = run.files.set_index("path")
    drawn = sampled(files["xxh3_128"], 0.05)
    checked = files["content_match"].notna().to_numpy()
    # a counter's page is always read (station counters and date-time stamps alike)
    counters = files.index.map(lambda p: path_evidence(p).counter).to_numpy(dtype=bool)
    assert not (checked & ~drawn & ~counters).any()
    assert (files.loc[counters, "status"] == "matched").all()
    assert run.meta["parameters"]["content"] == {"sample": 0.05, "ocr": False, "ocr_engine": None}
    assert run.meta["ocr_texts_sha256"] == ""


@pytest.mark.parametrize("value", ["0", "1.5", '"half"'])
def test_sample_out_of_range_is_refused_with_its_key(tmp_path: Path, value: str):
    from khaudit.errors import ProjectError

    path = project(tmp_path, {}, f"[content]\nsample = {value}\n")
    with pytest.raises(ProjectError, match="content.sample"):
        load_project(path)


def test_codes_in_text_forgive_separators_and_padding():
    codes = {"H56.22.1.2019.12": {7}}
    assert codes_in("Mã hồ sơ: H56.22.01.2019.0012 Thời hạn", codes) == {7: "H56.22.01.2019.0012"}
    assert codes_in("Ma ho so: h56-22-01-2019-0012", codes) == {7: "h56-22-01-2019-0012"}
    assert codes_in("Mã hồ sơ: H56.22.01.2019.0013", codes) == {}


# -- the text layer read from the content stream, against PDFium's reading -----------------


def tesseract_like(words: list[str]) -> bytes:
    """A page as Tesseract's PDF renderer writes it (one word per TJ, hex strings, a
    bfrange ToUnicode over a Type 0 Identity-H font), written by hand with pikepdf."""
    pdf = pikepdf.new()
    alphabet = sorted({ch for w in words for ch in w})
    code = {ch: i + 1 for i, ch in enumerate(alphabet)}
    ranges = "".join(f"<{code[ch]:04X}> <{code[ch]:04X}> <{ord(ch):04X}>\n" for ch in alphabet)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(alphabet)} beginbfrange\n{ranges}endbfrange\nendcmap end end\n"
    ).encode()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type0,
            BaseFont=pikepdf.Name.GlyphLessFont,
            Encoding=pikepdf.Name("/Identity-H"),
            ToUnicode=pdf.make_stream(cmap),
            DescendantFonts=[
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Font,
                    Subtype=pikepdf.Name.CIDFontType2,
                    BaseFont=pikepdf.Name.GlyphLessFont,
                    CIDToGIDMap=pikepdf.Name.Identity,
                    CIDSystemInfo=pikepdf.Dictionary(
                        Registry=pikepdf.String("Adobe"),
                        Ordering=pikepdf.String("Identity"),
                        Supplement=0,
                    ),
                    FontDescriptor=pikepdf.Dictionary(
                        Type=pikepdf.Name.FontDescriptor,
                        FontName=pikepdf.Name.GlyphLessFont,
                        Flags=5,
                        FontBBox=[0, 0, 500, 1000],
                        ItalicAngle=0,
                        Ascent=1000,
                        Descent=0,
                        CapHeight=1000,
                        StemV=80,
                    ),
                    DW=500,
                )
            ],
        )
    )
    body = ["BT", "3 Tr", "/f-0-0 10 Tf"]
    for i, word in enumerate(words):
        hexed = "".join(f"{code[ch]:04X}" for ch in word)
        body.append(f"1 0 0 1 {50 + 40 * (i % 10)} {700 - 14 * (i // 10)} Tm [ <{hexed}> ] TJ")
    body.append("ET")
    page = pdf.add_blank_page(page_size=(595, 842))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary({"/f-0-0": font}))
    page.obj.Contents = pdf.make_stream("\n".join(body).encode())
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def layer(data: bytes) -> str | None:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return layer_text(pdf.pages[0])


def test_layer_text_reads_as_pdfium_does():
    code, title, _ = RECORDS[4]
    for data in (cover(title, code), cover(title, code, invisible=False)):
        text = layer(data)
        assert text == first_page_text(data)
        assert text is not None and f"Mã hồ sơ: {code}" in text and title.upper() in text
    words = ["HỒ", "SƠ", "ĐĂNG", "KÝ", "KẾT", "HÔN", "của", "ông", "Trần", "Minh", "Khoa"]
    data = tesseract_like(words)
    assert layer(data) == " ".join(words)
    assert set(first_page_text(data).split()) == set(words)


def test_layouts_the_stream_reader_cannot_read_go_to_pdfium(tmp_path: Path):
    # a Type 3 font: glyphs are drawings, only a layout engine reads them
    pdf = pikepdf.new()
    page = pdf.add_blank_page()
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            {"/T3": pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3)}
        )
    )
    page.obj.Contents = pdf.make_stream(b"BT /T3 12 Tf (abc) Tj ET")
    assert layer_text(page) is None
    # letters placed one by one
    page.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            {
                "/F1": pikepdf.Dictionary(
                    Type=pikepdf.Name.Font,
                    Subtype=pikepdf.Name.Type1,
                    BaseFont=pikepdf.Name.Helvetica,
                )
            }
        )
    )
    page.obj.Contents = pdf.make_stream(
        b"BT /F1 12 Tf "
        + b" ".join(b"%d 700 Td (%s) Tj" % (i, c) for i, c in enumerate([b"a", b"b", b"c"]))
        + b" ET"
    )
    assert layer_text(page) is None
    page.obj.Contents = pdf.make_stream(b"BT /F1 12 Tf 72 700 Td (Bao cao nam 2019) Tj ET")
    assert layer_text(page) == "Bao cao nam 2019"


def test_report_counts_checked_agreed_contradicted(probe_run):
    from khaudit.report.content_check import content_figures, content_section
    from khaudit.report.locality import table_html

    files = probe_run.table("files")
    assert content_figures(files) == ContentFigures(
        with_text=15, checked=15, agreed=7, contradicted=4, linked_by_content=4
    )
    section = content_section(files, probe_run.meta, "en", table_html)
    assert "Content contradicts the name (4)" in section
    for n in (1, 2, 11, 12):
        assert RECORDS[n - 1][0] + ".pdf" in section


def fake_tesseract(folder: Path, text: str, version: str = "5.3.0") -> Path:
    """A stand-in for Tesseract with its Vietnamese model: it lists "vie", logs each page it
    is given and "recognises" ``text`` on it."""
    log = folder / "calls.log"
    script = folder / "tesseract"
    script.write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "--list-langs" ]; then\n'
        '  printf "List of available languages (2):\\neng\\nvie\\n"; exit 0\n'
        "fi\n"
        f'if [ "$1" = "--version" ]; then echo "tesseract {version}"; exit 0; fi\n'
        f'cat > /dev/null; echo page >> "{log}"\n'
        f"printf '%s\\n' '{text}'\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return log


def test_ocr_reads_image_only_scans_once_when_tesseract_is_there(tmp_path: Path, monkeypatch):
    from khaudit.scan import ocr

    code, title, _ = RECORDS[6]
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = fake_tesseract(bin_dir, f"UBND XÃ DIÊN LẠC HỒ SƠ {title.upper()}")
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ.get('PATH', '')}")
    ocr.engine.cache_clear()
    out = io.BytesIO()
    Image.new("L", (400, 560), 200).save(out, "PDF", resolution=200)
    right = RECORDS[2][0]
    scans = {"IMG_0031.pdf": out.getvalue(), f"{right}.pdf": cover(RECORDS[2][1], right)}
    path = project(tmp_path, scans, "[content]\nocr = true\n")
    try:
        run = audit(path, tmp_path / "run")
        files = run.files.set_index("path")
        assert files.loc["IMG_0031.pdf", "text_source"] == "ocr"
        assert files.loc["IMG_0031.pdf", "status"] == "matched"
        assert files.loc["IMG_0031.pdf", "record_code"] == code
        assert files.loc[f"{right}.pdf", "text_source"] == "layer"  # a layer needs no OCR
        assert log.read_text().count("page") == 1
        assert run.meta["parameters"]["content"]["ocr_engine"] == "tesseract 5.3.0 vie"
        assert len(run.meta["ocr_texts_sha256"]) == 64
        again = audit(path, tmp_path / "run2")  # the catalogue keeps the text by content hash
        assert log.read_text().count("page") == 1
        assert again.meta["fingerprint"] == run.meta["fingerprint"]
        # another engine reads the page again, and the run says which texts it read
        fake_tesseract(bin_dir, f"HỒ SƠ {title.upper()} NĂM 2019 BẢN SAO", version="5.4.1")
        ocr.engine.cache_clear()
        newer = audit(path, tmp_path / "run3")
        assert log.read_text().count("page") == 2
        assert newer.meta["parameters"]["content"]["ocr_engine"] == "tesseract 5.4.1 vie"
        assert newer.meta["ocr_texts_sha256"] != run.meta["ocr_texts_sha256"]
        assert newer.meta["fingerprint"] != run.meta["fingerprint"]
    finally:
        ocr.engine.cache_clear()


def test_ocr_needs_the_vietnamese_model(tmp_path: Path, monkeypatch):
    from khaudit.scan import ocr

    script = tmp_path / "tesseract"
    script.write_text('#!/bin/sh\nprintf "List of available languages (1):\\neng\\n"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    ocr.engine.cache_clear()
    try:
        assert not ocr.available()
        monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
        ocr.engine.cache_clear()
        assert not ocr.available()
    finally:
        ocr.engine.cache_clear()


def legacy_cover(title: str) -> bytes:
    """A cover typed in a TCVN3 font (.VnTime) and saved as PDF, without a code line: its
    text layer holds the font's one-byte codes, Latin-1 mojibake to any reader."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from khaudit.inventory.encodings import encode_tcvn3

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setFont("Times-Roman", 12)
    lines = ["ủy ban nhân dân xã diên lạc", "hồ sơ", title.lower(), "thời hạn bảo quản: vĩnh viễn"]
    for i, line in enumerate(lines):
        pdf.drawString(60, 780 - 20 * i, encode_tcvn3(line))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_layer_typed_in_a_legacy_font_is_read_as_vietnamese(tmp_path: Path):
    (code_1, title_1, _), (code_2, title_2, _) = RECORDS[0], RECORDS[1]
    right, right_title, _ = RECORDS[2]
    scans = {
        f"{right}.pdf": legacy_cover(right_title),
        f"{code_1}.pdf": legacy_cover(title_2),  # swapped at the station
        f"{code_2}.pdf": legacy_cover(title_1),
    }
    files = by_path(audit(project(tmp_path, scans), tmp_path / "run"))
    assert files.loc[f"{right}.pdf", "status"] == "matched"
    assert files.loc[f"{right}.pdf", "content_match"] >= 0.8
    for code in (code_1, code_2):
        assert files.loc[f"{code}.pdf", "status"] == "needs_review"
