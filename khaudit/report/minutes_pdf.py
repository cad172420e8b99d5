"""The printable handover minutes (biên bản giao nhận) of one locality: an A4 PDF.

Set in DejaVu Sans, the font matplotlib ships, which carries every Vietnamese letter, embedded
as Unicode so the text renders and extracts with its diacritics. The run fingerprint is printed
on it so anyone can check with ``khaudit verify-report`` that it matches its data.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import matplotlib
from fpdf import FPDF

from ..atomic import atomic_path
from ..i18n import t
from ..run import Run
from . import figures as F

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def write_minutes_pdf(
    run: Run, locality: str, target: Path, lang: str = "vi", today: dt.date | None = None
) -> Path:
    records, files = F.locality_tables(run, locality)
    h = F.headline(records, files)
    today = today or dt.date.today()
    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 15, 20)
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(f"{t('minutes.title', lang)} - {locality}")
    pdf.set_creator("khaudit")
    pdf.add_page()
    width = pdf.epw

    def line(text: str, size: float = 11, style: str = "", align: str = "L", gap: float = 1.5):
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    line(t("minutes.republic", lang), 11, "B", "C", 0)
    line(t("minutes.motto", lang), 11, "B", "C", 6)
    line(
        t(
            "minutes.place_date",
            lang,
            day=f"{today.day:02d}",
            month=f"{today.month:02d}",
            year=today.year,
        ),
        10,
        "",
        "R",
        6,
    )
    line(t("minutes.title", lang), 15, "B", "C", 1)
    line(t("minutes.subject", lang, locality=locality), 11, "", "C", 6)
    line(t("report.minutes_intro", lang, date=today.strftime("%d/%m/%Y"), locality=locality))
    line(
        t(
            "report.minutes_body",
            lang,
            records=h.unique_records,
            digitized=h.digitized,
            completion=f"{h.completion:.1%}",
            missing=h.missing,
            problems=h.problems,
            files=h.files,
        ),
        gap=4,
    )

    line(t("minutes.figures", lang), 12, "B")
    pdf.set_font("DejaVu", "", 10)
    rows = F.headline_table(h, lang).values.tolist()
    counts = F.record_status_counts(records, lang)
    rows += [[label, str(n)] for label, n in zip(counts.iloc[:, 1], counts.iloc[:, 2])]
    with pdf.table(
        col_widths=(3, 1), text_align=("LEFT", "RIGHT"), line_height=6, first_row_as_headings=False
    ) as table:
        for label, value in rows:
            row = table.row()
            row.cell(str(label))
            row.cell(str(value))
    pdf.ln(4)
    verdict = "report.minutes_verdict_ok" if h.ready_for_handover else "report.minutes_verdict_no"
    line(t(verdict, lang), 11, "B", gap=5)

    line(t("report.fingerprint", lang), 11, "B", gap=0.5)
    meta = run.meta
    for label, value in (
        (t("report.tool_version", lang), meta.get("version", "")),
        (t("report.run_id", lang), meta.get("run_id", "")),
        ("Fingerprint", meta.get("fingerprint", "")),
    ):
        line(f"{label}: {value}", 8, gap=0.3)
    line(t("minutes.verify", lang, file=os.path.basename(target)), 8, gap=8)

    half = width / 2
    for text, size, style in (
        (t("report.handing", lang), 11, "B"),
        (t("report.sign", lang), 9, ""),
    ):
        pdf.set_font("DejaVu", style, size)
        y = pdf.get_y()
        for column in (0, 1):  # the handing party left, the receiving party right
            pdf.set_xy(pdf.l_margin + column * half, y)
            label = text if column == 0 or style == "" else t("report.receiving", lang)
            pdf.multi_cell(half, 6, label, align="C", new_x="RIGHT", new_y="NEXT")
        pdf.set_y(y + 7)
    with atomic_path(target) as tmp:
        pdf.output(str(tmp))
    return target
