"""The content check in a locality report: how many scans were checked by what their first
page says, how many agreed with the record their name gives, and which contradicted it.

Read from the run's files table alone (``text_source``, ``content_match``,
``content_verdict``, ``status``, ``match_method``): a scan with a ``content_match`` was
checked; one whose verdict is "contradicts" was linked by its name and sent to review by its
page (match/content.py), not one in review for another reason.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd

from ..contract import FileStatus
from ..i18n import t

#: A page agreeing at least this much (0-1) with its record agrees (match/content.py's
#: DECISIVE_SCORE, as a share).
AGREES = 0.8
CONTRADICTED_VIEW = ["path", "record_code", "content_match", "note"]
_BY_CONTENT = ("content", "content_code")


@dataclass(frozen=True)
class ContentFigures:
    with_text: int  # scans whose first page has a text layer
    checked: int  # of those, compared with a record
    agreed: int  # linked by name, and the page agrees
    contradicted: int
    linked_by_content: int  # scans whose name said nothing, linked by their page


def content_figures(files: pd.DataFrame) -> ContentFigures:
    if "content_match" not in files or files.empty:
        return ContentFigures(0, 0, 0, 0, 0)
    score = pd.to_numeric(files["content_match"], errors="coerce")
    checked = score.notna()
    review = files["status"] == FileStatus.NEEDS_REVIEW
    by_content = files["match_method"].isin(_BY_CONTENT) & (files["status"] == FileStatus.MATCHED)
    return ContentFigures(
        with_text=int((files["text_source"].fillna("") != "").sum()),
        checked=int(checked.sum()),
        agreed=int((checked & ~review & ~by_content & (score >= AGREES)).sum()),
        contradicted=int(_contradicted(files).sum()),
        linked_by_content=int(by_content.sum()),
    )


def contradicted_table(files: pd.DataFrame) -> pd.DataFrame:
    """The scans whose first page contradicts their name, with why."""
    if "content_match" not in files or files.empty:
        return pd.DataFrame(columns=CONTRADICTED_VIEW)
    mine = files[_contradicted(files)]
    return mine[CONTRADICTED_VIEW].sort_values("path").reset_index(drop=True)


def _contradicted(files: pd.DataFrame) -> pd.Series:
    """Scans whose page contradicts their name: ``content_verdict`` says so. A run made before
    that column has only its stand-in, a scan in review with a page score (which also counts
    one in review for another reason, a tie of two records)."""
    if "content_verdict" in files:
        return files["content_verdict"].fillna("") == "contradicts"
    score = pd.to_numeric(files["content_match"], errors="coerce")
    return score.notna() & (files["status"] == FileStatus.NEEDS_REVIEW)


def content_intro(meta: dict, lang: str) -> str:
    """What the check does, the sample drawn and the OCR engine that read image-only pages:
    what made the figures that follow."""
    content = meta.get("parameters", {}).get("content", {})
    text = t("report.content_intro", lang)
    sample = float(content.get("sample", 1.0))
    if sample < 1:
        text += " " + t("report.content_sample", lang, share=f"{sample:.0%}")
    if content.get("ocr_engine"):
        text += " " + t("report.content_ocr", lang, engine=content["ocr_engine"])
    return text


def content_section(files: pd.DataFrame, meta: dict, lang: str, table_html) -> str:
    """The report's section (HTML, every untrusted string escaped by ``table_html``)."""
    from .figures import localized

    f = content_figures(files)
    intro = content_intro(meta, lang)
    counts = pd.DataFrame(
        {
            t("col.count", lang): [
                f.with_text,
                f.checked,
                f.agreed,
                f.contradicted,
                f.linked_by_content,
            ]
        },
        index=[
            t(f"report.content_{k}", lang)
            for k in ("with_text", "checked", "agreed", "contradicted", "linked")
        ],
    ).reset_index(names=t("report.content", lang))
    contradicted = contradicted_table(files)
    return (
        f"<div class='kh'><h2>{html.escape(t('report.content', lang))}</h2>"
        f"<p class='muted'>{html.escape(intro)}</p>{table_html(counts, lang)}"
        f"<h3>{html.escape(t('report.content_contradicted', lang))} ({len(contradicted)})</h3>"
        f"{table_html(localized(contradicted, lang), lang)}</div>"
    )


__all__ = [
    "ContentFigures",
    "content_figures",
    "content_intro",
    "content_section",
    "contradicted_table",
]
