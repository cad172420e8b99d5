"""The run's notes (why each record and file has its status, why a pair waits, why a folder
was not entered) are read in the report's language, whichever language the audit ran in."""

from __future__ import annotations

import re

import openpyxl
import pytest

from khaudit.i18n import catalogue, t
from khaudit.report import figures as F
from khaudit.report.locality import LocalityReport
from khaudit.report.notes import in_language
from khaudit.report.xlsx import write_locality_workbook


def _note(lang: str) -> list[str]:
    """Notes as reconcile and matching compose them, in ``lang``."""
    damaged = t("why.damaged", lang, what=f"IMG_0531.pdf: {t('integrity.truncated', lang)}")
    agree = t(
        "why.agree_suffix",
        lang,
        parts=f"{t('why.agree_year', lang, year=2018)} {t('why.and', lang)} "
        f"{t('why.agree_pages', lang, pages=9)}",
    )
    reading = t(
        "why.reading",
        lang,
        reading=t("reading.name.first", lang),
        value=12,
        field=t("field.file_no", lang),
    )
    return [
        t("why.no_scan", lang),
        f"{t('why.code', lang, code='H56.22366.2019.0115')}; "
        f"{t('why.pages_short', lang, pages=5, sheets=7)}",
        f"2018/H56.0083.pdf: {t('why.title', lang, title=100)}, {agree}; "
        f"{t('why.ambiguous', lang, n=2)}",
        f"{t('why.sidecar_code', lang, code='224/2023/HS-UBND', source='metadata.csv row 9')}; "
        f"{damaged}",
        f"{reading}; {t('why.title', lang, title=54)}",
        t("why.title_unknown", lang, title="Bien ban va ban giao, tai san; 2010"),
        t("walk.long_path", lang, length=301, limit=260),
        t("why.decision", lang, by="Nguyễn Văn Kiểm", at="2025-06-20"),
    ]


@pytest.mark.parametrize(("source", "lang"), [("vi", "en"), ("en", "vi")])
def test_a_note_is_written_again_in_the_reports_language(source, lang):
    for written, expected in zip(_note(source), _note(lang), strict=True):
        assert in_language(written, lang, source) == expected
        assert in_language(written, lang) == expected  # the run's language not known
        assert in_language(written, source, source) == written


def test_what_no_template_wrote_is_kept_as_it_is():
    for text in ("Nguyễn Văn An, và Trần B: ghi chú tay", "2019/IMG_0001.pdf", "", None):
        assert in_language(text, "en", "vi") == text
    # A title a template holds keeps its own words ("và", commas), never translated.
    note = t("why.title_unknown", "vi", title="Hồ sơ A và B, năm 2019")
    assert '"Hồ sơ A và B, năm 2019"' in in_language(note, "en", "vi")


def _fragments(lang: str) -> list[str]:
    """Runs of words the note templates of ``lang`` write (12 characters or more)."""
    fragments = set()
    for key, text in catalogue(lang).items():
        if key.startswith(("why.", "integrity.", "walk.", "reading.", "field.")):
            fragments |= {p.strip() for p in re.split(r"\{[^}]*\}", text) if len(p.strip()) >= 12}
    return sorted(fragments - {p for p in catalogue("en").values() if p in catalogue("vi")})


def test_an_audits_notes_read_in_the_other_language_in_the_page_and_workbook(demo_run, tmp_path):
    """The demo run's report in the language it was not audited in shows its notes in the
    report's language, on the page, in the workbook and in the review table."""
    source = demo_run.meta["parameters"]["lang"]
    lang = "en" if source == "vi" else "vi"
    locality = "Xã Diên Lạc"
    records, files = F.locality_tables(demo_run, locality, lang)
    assert t("why.no_scan", lang) in set(records["note"])
    assert t("why.no_scan", source) not in set(records["note"])
    foreign = _fragments(source)
    page = "".join(LocalityReport(demo_run, locality, lang).sections())
    assert not [f for f in foreign if f in page]
    target = tmp_path / "report.xlsx"
    write_locality_workbook(demo_run, locality, target, lang=lang)
    cells = [
        str(v)
        for ws in openpyxl.load_workbook(target, read_only=True).worksheets
        for row in ws.iter_rows(values_only=True)
        for v in row
        if isinstance(v, str)
    ]
    assert not [f for f in foreign if any(f in c for c in cells)]
    review = F.review_table(demo_run, locality, lang)
    assert not [f for f in foreign if review["explanation"].str.contains(f, regex=False).any()]
    # In the run's own language the notes are shown as the run wrote them.
    records_own, _ = F.locality_tables(demo_run, locality, source)
    assert list(records_own["note"]) == list(demo_run.locality_table("records", locality)["note"])
