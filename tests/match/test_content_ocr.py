"""Content evidence from image-only scans read by a real Tesseract: the probe of
test_content.py (right names, pairs swapped at the station, counters without a sidecar)
scanned without a text layer, as PDF, TIFF and JPEG, one page lying on its side."""

from __future__ import annotations

import pytest
from scanned_pages import has_vietnamese_tesseract, page_image, saved
from test_content import RECORDS, project

from khaudit.audit import audit
from khaudit.scan import ocr

pytestmark = pytest.mark.skipif(
    not has_vietnamese_tesseract(), reason="needs tesseract with its Vietnamese model"
)
FORMATS = {"pdf": "pdf", "tif": "tiff", "jpg": "jpeg"}
RIGHT = (3, 5, 6, 7, 8, 9, 10)
SWAPPED = ((1, 2, False), (11, 12, True))


def scan(n: int, extension: str, code: bool, angle: int = 0) -> bytes:
    code_n, title, _ = RECORDS[n - 1]
    image = page_image(title, code_n if code else None)
    return saved(image.rotate(angle, expand=True) if angle else image, FORMATS[extension])


def image_probe() -> dict[str, bytes]:
    scans = {}
    for k, n in enumerate(RIGHT):
        extension = list(FORMATS)[k % 3]
        angle = 90 if n == 6 else 0
        scans[f"{RECORDS[n - 1][0]}.{extension}"] = scan(n, extension, bool(n % 2), angle)
    for a, b, with_code in SWAPPED:
        scans[f"{RECORDS[a - 1][0]}.pdf"] = scan(b, "pdf", with_code)
        scans[f"{RECORDS[b - 1][0]}.pdf"] = scan(a, "pdf", with_code)
    for counter, n, extension in ((17, 4, "pdf"), (18, 13, "tif"), (19, 14, "jpg")):
        scans[f"IMG_{counter:04d}.{extension}"] = scan(n, extension, n == 13)
    return scans


@pytest.fixture(scope="module")
def ocr_run(tmp_path_factory: pytest.TempPathFactory):
    base = tmp_path_factory.mktemp("ocr")
    ocr.engine.cache_clear()
    return audit(project(base, image_probe(), "[content]\nocr = true\n"), base / "run", lang="en")


def test_every_image_only_scan_is_read_by_ocr(ocr_run):
    files = ocr_run.files
    assert (files["text_source"] == "ocr").all()
    assert ocr_run.meta["parameters"]["content"]["ocr_engine"].startswith("tesseract ")


def test_swapped_image_scans_are_kept_from_matched(ocr_run):
    files = ocr_run.files.set_index("path")
    for a, b, _ in SWAPPED:
        for n in (a, b):
            assert files.loc[f"{RECORDS[n - 1][0]}.pdf", "status"] == "needs_review"


def test_right_image_scans_match_with_high_content_match(ocr_run):
    files = ocr_run.files.assign(stem=lambda f: f["path"].str.rsplit(".", n=1).str[0])
    right = files[files["stem"].isin([RECORDS[n - 1][0] for n in RIGHT])]
    assert len(right) == len(RIGHT)
    assert (right["status"] == "matched").all()
    assert (right["content_match"] >= 0.8).all()


def test_counter_named_image_scans_are_linked_by_content(ocr_run):
    files = ocr_run.files.set_index("path")
    for counter, n in ((17, 4), (18, 13), (19, 14)):
        path = next(p for p in files.index if p.startswith(f"IMG_{counter:04d}."))
        assert files.loc[path, "status"] == "matched"
        assert files.loc[path, "record_code"] == RECORDS[n - 1][0]
