"""The printable handover minutes (biên bản giao nhận) of one locality: an A4 PDF.

Laid out as Decree 30/2020/NĐ-CP lays out a record (see :mod:`.minutes` for the text): the
issuing unit and the number on the left, the national heading and the place and date on the
right, then title, parties, content, conclusion, copies clause and signatures, the last three
kept on one page. The technical identifiers follow in an annex on a page of their own.

Set in DejaVu Sans, the font matplotlib ships, which carries every Vietnamese letter, embedded
as Unicode so the text renders and extracts with its diacritics (see :mod:`.minutes_fonts` for
the faces a process writing many minutes uses).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from fpdf import FPDF

from ..atomic import atomic_path
from ..i18n import t
from ..run import Run
from .minutes import DOTS, Minutes, build_minutes, issuer_lines
from .minutes_fonts import FULL_FACES, Faces, faces_for_next_document

FONT = "DejaVu"


class _Page:
    """An A4 page being filled from top to bottom, one block of text at a time."""

    def __init__(self, title: str, faces: Faces = FULL_FACES):
        pdf = FPDF(format="A4", unit="mm")
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.set_margins(20, 15, 15)
        for style, path in faces.items():
            pdf.add_font(FONT, style, str(path))
        pdf.set_title(title)
        pdf.set_creator("khaudit")
        pdf.add_page()
        self.pdf = pdf

    def line(
        self,
        text: str,
        size: float = 11,
        style: str = "",
        align: str = "L",
        gap: float = 1.5,
        width: float = 0,
    ) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.multi_cell(
            width or pdf.epw, size * 0.5, text, align=align, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.ln(gap)

    def columns(
        self, left: list[tuple[str, str]], right: list[tuple[str, str]], split: float
    ) -> None:
        """Two columns side by side, each a list of (text, style), the left ``split`` wide."""
        pdf = self.pdf
        top = pdf.get_y()
        bottoms = []
        for x, width, lines in (
            (pdf.l_margin, split, left),
            (pdf.l_margin + split, pdf.epw - split, right),
        ):
            pdf.set_xy(x, top)
            for text, style in lines:
                pdf.set_font(FONT, style, 11 if style == "B" else 10.5)
                pdf.set_x(x)
                pdf.multi_cell(width, 5.5, text, align="C", new_x="LEFT", new_y="NEXT")
            bottoms.append(pdf.get_y())
        pdf.set_xy(pdf.l_margin, max(bottoms) + 4)


def _heading(page: _Page, m: Minutes) -> None:
    split = page.pdf.epw * 0.4
    page.columns(
        [*((line, "B") for line in issuer_lines(m.issuer)), ("———", ""), (m.number, "")],
        [
            (t("minutes.republic", m.lang), "B"),
            (t("minutes.motto", m.lang), "B"),
            ("———", ""),
            (m.place_date, "I"),
        ],
        split,
    )
    page.line(m.title, 14, "B", "C", 1)
    page.line(m.subject, 11, "B", "C", 6)


def _parties(page: _Page, m: Minutes, lang: str) -> None:
    page.line(m.opening, gap=2)
    for heading, party in m.parties:
        page.line(f"{heading}: {party.unit or DOTS}", 11, "B", gap=0.5)
        page.line(
            t("minutes.person", lang, name=party.name or DOTS, position=party.position or DOTS),
            gap=2,
        )


#: Line height of the figures' table, in mm: set close (9.5 pt type), so the figures, the
#: conclusion and the signatures of a usual locality fit on the first page.
FIGURE_LINE = 4.6


def _content(page: _Page, m: Minutes) -> None:
    pdf = page.pdf
    page.line(m.content_title, 11, "B", gap=1)
    page.line(m.body, gap=2)
    pdf.set_font(FONT, "", 9.5)
    with pdf.table(
        col_widths=(3, 1.3),
        text_align=("LEFT", "RIGHT"),
        line_height=FIGURE_LINE,
        first_row_as_headings=False,
    ) as table:
        for label, value in m.figures:
            row = table.row()
            row.cell(label)
            row.cell(value)
    pdf.ln(4)


def _height(pdf: FPDF, text: str, size: float, style: str = "") -> float:
    """How tall ``text`` sets across the page, in mm."""
    pdf.set_font(FONT, style, size)
    lines = pdf.multi_cell(pdf.epw, 5.5, text, dry_run=True, output="LINES")
    return 5.5 * len(lines) if isinstance(lines, list) else 5.5


#: From the top of the signature block to the bottom of the signers' names, in mm.
SIGNATURE_BLOCK = 44


def _conclusion_and_signatures(page: _Page, m: Minutes) -> None:
    """The conclusion, the copies clause and the signature block, on one page together: when
    they do not fit below the content, they start a new page."""
    pdf = page.pdf
    needed = (
        _height(pdf, m.conclusion_title, 11, "B")
        + _height(pdf, m.verdict, 11, "B")
        + _height(pdf, m.copies, 11)
        + 8
        + SIGNATURE_BLOCK
    )
    if pdf.will_page_break(needed):
        pdf.add_page()
    page.line(m.conclusion_title, 11, "B", gap=0)
    page.line(m.verdict, 11, "B", gap=2)
    page.line(m.copies, 11, gap=6)
    half = pdf.epw / 2
    top = pdf.get_y()
    for column, (role, hint, name) in enumerate(m.signatures):
        x = pdf.l_margin + column * half
        pdf.set_xy(x, top)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(half, 5.5, role, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_font(FONT, "I", 9.5)
        pdf.multi_cell(half, 5, hint, align="C", new_x="LEFT", new_y="NEXT")
        pdf.set_xy(x, top + SIGNATURE_BLOCK - 8)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(half, 5.5, name or " ", align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, top + SIGNATURE_BLOCK)


def _annex(page: _Page, m: Minutes, target: Path, lang: str) -> None:
    pdf = page.pdf
    pdf.add_page()
    page.line(m.annex_title, 12, "B", "C", 4)
    for label, value in m.annex:
        page.line(f"{label}: {value}", 9, gap=1)
    page.line(t("minutes.verify", lang, file=os.path.basename(target)), 9, gap=3)
    page.line(m.printed, 9, "I")


def write_minutes_pdf(
    run: Run, locality: str, target: Path, lang: str = "vi", today: dt.date | None = None
) -> Path:
    """Write the minutes of ``locality`` to ``target`` (atomically); ``today`` is the printing
    date the annex states (the minutes themselves are dated by the run)."""
    m = build_minutes(run, locality, lang, printed=today)
    title = f"{t('minutes.title', lang)} - {locality}"
    faces = faces_for_next_document()
    page = _laid_out(m, title, target, faces)
    if faces is not FULL_FACES and _lacks_glyphs(page):
        page = _laid_out(m, title, target, FULL_FACES)  # a letter the cut-down faces lack
    with atomic_path(target) as tmp:
        page.pdf.output(str(tmp))
    return target


def _laid_out(m: Minutes, title: str, target: Path, faces: Faces) -> _Page:
    """The minutes ``m`` set on pages in ``faces``, not yet written out."""
    page = _Page(title, faces)
    _heading(page, m)
    _parties(page, m, m.lang)
    _content(page, m)
    _conclusion_and_signatures(page, m)
    _annex(page, m, target, m.lang)
    return page


def _lacks_glyphs(page: _Page) -> bool:
    """Whether some character was set in a face without a glyph for it (fpdf2 notes each one
    and would print an empty box)."""
    return any(getattr(font, "missing_glyphs", None) for font in page.pdf.fonts.values())
