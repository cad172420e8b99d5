"""From links and inspection to the statuses of the run contract, with a reason for each.

Records: duplicate_entry (the row repeats an earlier one), damaged_scan (a linked file is
corrupt or empty), page_mismatch (pages outside [min, max] × sheets, see MatchSettings, and
no one of its scans alone within them), digitized, needs_review (only review candidates),
missing (nothing).
Files: empty, corrupt (whatever links they have), matched, duplicate (byte-identical to
another scan, the original linked or not), needs_review, orphan.
Quality (quality.py) is judged beside the status, never instead of it: a file's shortfalls
against the project's standard, and a record's from the scans that make it up.

Vectorised over whole tables: a locality of 100,000 rows reconciles in seconds.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .classify import is_tthc
from .contract import FileStatus, RecordStatus, provenance_column
from .i18n import t
from .match.content import with_content
from .match.evidence import is_copy_name
from .match.link import MatchResult
from .match.settings import MatchSettings
from .quality import QualitySettings, combine, file_quality
from .run import CANDIDATE_COLUMNS
from .scan.inspect import SCAN_FORMATS
from .textnorm import fold


def _with_items(files: pd.DataFrame, match: MatchResult) -> pd.DataFrame:
    """Each file's item (``item_id``, -1 for none) and, for a page series, its folder."""
    item_of = np.full(len(files), -1, dtype=np.int64)
    series_path = np.full(len(files), "", dtype=object)
    position = {label: i for i, label in enumerate(files.index)}
    for item in match.items:
        for label in item.files:
            item_of[position[label]] = item.item_id
            if item.series:
                series_path[position[label]] = item.relpath
    files["item_id"] = item_of
    files["item"] = series_path
    return files


def _best(links: pd.DataFrame, decision: str, by: str, order: str | None) -> pd.DataFrame:
    """The first link of ``decision`` per ``by``, indexed by ``by``: in matching's order, or
    the best ``order`` first (the lowest rank, the highest score)."""
    chosen = links[links["decision"] == decision]
    if order is not None:
        chosen = chosen.sort_values(order, ascending=order == "rank")
    return chosen.drop_duplicates(by).set_index(by)


def _mark_linked(files: pd.DataFrame, linked: pd.DataFrame) -> pd.Series:
    """Matched or orphan, with the link's record, method, score and explanation."""
    is_linked = files["item_id"].isin(linked.index)
    files["status"] = np.where(is_linked, FileStatus.MATCHED, FileStatus.ORPHAN)
    files["record"] = files["item_id"].map(linked["record"]).astype("Int64")
    method = dict(zip(linked.index, linked["method"]))
    explanation = dict(zip(linked.index, linked["explanation"]))
    files["match_method"] = [method.get(i, "") for i in files["item_id"]]
    files["match_score"] = files["item_id"].map(linked["score"]).astype(float)
    files["note"] = [explanation.get(i, "") for i in files["item_id"]]
    files["duplicate_of"] = ""
    return is_linked


#: Folders an operator keeps a record scanned again in ("Scan lai/", "Quét lại/", "Lần 2/"):
#: a byte-identical file there is the copy, the one in the tree the original.
_RESCAN_FOLDER = re.compile(r"^(scan|quet|chup) ?lai( \d+)?$|^lan ?\d+$|^rescans?$")


def _copy_mark(path: str) -> bool:
    """Whether ``path`` is named or filed as a copy: a copy's name or folder (is_copy_name;
    a folder's "_" or "-" around the word do not hide it) or a rescan folder."""
    *folders, name = path.split("/")
    plain = [fold(f).replace("_", " ").strip(" -.") for f in folders]
    return is_copy_name("/".join([*plain, name])) or any(_RESCAN_FOLDER.match(f) for f in plain)


def _content_units(files: pd.DataFrame) -> pd.DataFrame:
    """Each usable scan as one unit of content, per file: ``unit`` (the file, or the folder of
    a page series) and ``content`` (its hash, or the set of its pages' hashes). Damaged files
    (their status is their damage) and files that are no scan (a ``desktop.ini`` in every
    folder) are left out."""
    usable = files[
        (files["xxh3_128"] != "")
        & (files["integrity"] == "ok")
        & files["format"].isin(SCAN_FORMATS)
    ]
    series = usable["item"] != ""
    pages = usable[series].groupby("item")["xxh3_128"].agg(lambda h: "|".join(sorted(set(h))))
    return pd.DataFrame(
        {
            "unit": usable["path"].where(~series, usable["item"]),
            "content": usable["xxh3_128"].where(~series, usable["item"].map(pages)),
            "matched": usable["status"] == FileStatus.MATCHED,
        },
        index=usable.index,
    )


def _mark_copies(files: pd.DataFrame, lang: str) -> None:
    """Of scans with the same content (byte-identical files, page series whose pages are),
    one is the original and every other is its ``duplicate``, whatever became of the
    original: a copy of a scan no record claims is still a copy (DOMAIN: a byte-identical
    copy is a duplicate), and the original alone stays orphan or in review.

    The original is the one not named or filed as a copy ("X.pdf" before "X (1).pdf", "X -
    Copy.pdf", "Bản sao/X.pdf", "Scan lai/X.pdf"), then a linked one, then the one in the
    fewest folders (a lot delivered again inside "Giao bổ sung/" is the copy), then the first
    path. When
    matching linked a copy and left its original, the original takes the link. A duplicate
    keeps the record it was linked to, or takes its original's; never a record in review."""
    units = _content_units(files)
    if units.empty:
        return
    ranked = (
        units.groupby("unit", sort=False)
        .agg(content=("content", "first"), matched=("matched", "any"))
        .reset_index()
    )
    # Only contents held by two scans or more are ranked (a name is read for those alone).
    ranked = ranked[ranked["content"].duplicated(keep=False)]
    if ranked.empty:
        return
    ranked["copy"] = ranked["unit"].map(_copy_mark)
    ranked["depth"] = ranked["unit"].str.count("/")
    ranked = ranked.sort_values(
        ["copy", "matched", "depth", "unit"], ascending=[True, False, True, True]
    )
    original = ranked.drop_duplicates("content").set_index("content")["unit"]
    linked = ranked[ranked["matched"]].drop_duplicates("content").set_index("content")["unit"]
    _take_links(files, units, original, linked)
    units = units[units["content"].isin(original.index)]
    is_original = units["unit"] == units["content"].map(original)
    copies = units.index[~is_original]
    first_path = _original_paths(files, units[is_original])
    now_linked = files.loc[units.index, "status"] == FileStatus.MATCHED  # links taken too
    linked_originals = units.index[is_original & now_linked]
    record = files.loc[linked_originals, "record"].groupby(units["content"]).first()
    own = files.loc[copies, "status"] == FileStatus.MATCHED
    files.loc[copies, "record"] = files.loc[copies, "record"].where(
        own, units.loc[copies, "content"].map(record)
    )
    files.loc[copies, "status"] = FileStatus.DUPLICATE
    keys = list(zip(units.loc[copies, "content"], files.loc[copies, "xxh3_128"]))
    files.loc[copies, "duplicate_of"] = [first_path.get(k, "") for k in keys]
    files.loc[copies, "note"] = [
        t("why.duplicate_of", lang, path=p) for p in files.loc[copies, "duplicate_of"]
    ]


def _take_links(
    files: pd.DataFrame, units: pd.DataFrame, original: pd.Series, linked: pd.Series
) -> None:
    """An unlinked original takes the link of its linked copy (record, method, score, why)."""
    linked = linked.reindex(original.index)
    moved = original[linked.notna() & (original != linked)]
    if moved.empty:
        return
    a_file = pd.Series(units.index, index=units["unit"].to_numpy())
    a_file = a_file[~a_file.index.duplicated()]
    source = dict(zip(moved, a_file.reindex(linked[moved.index]).to_numpy()))
    targets = units.index[units["unit"].isin(source)]
    sources = units.loc[targets, "unit"].map(source).to_numpy()
    for column in ["status", "record", "match_method", "match_score", "note"]:
        files.loc[targets, column] = files.loc[sources, column].to_numpy()


def _original_paths(files: pd.DataFrame, originals: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(content, file hash) -> the original's file with that hash: what a copy is a copy of
    (a page of a series names the same page of the original series)."""
    return dict(
        zip(
            zip(originals["content"], files.loc[originals.index, "xxh3_128"]),
            files.loc[originals.index, "path"],
        )
    )


def _mark_review(files: pd.DataFrame, review: pd.DataFrame, is_linked: pd.Series) -> None:
    in_review = ~is_linked & files["item_id"].isin(review.index)
    files.loc[in_review, "status"] = FileStatus.NEEDS_REVIEW
    items = files.loc[in_review, "item_id"]
    files.loc[in_review, "match_method"] = items.map(review["method"])
    files.loc[in_review, "match_score"] = items.map(review["score"])
    files.loc[in_review, "note"] = items.map(review["explanation"])
    files.loc[in_review, "record"] = items.map(review["record"])


def _note_orphans(files: pd.DataFrame, match: MatchResult, lang: str) -> None:
    """Why an orphan is one: not a scan format, or what matching found lacking."""
    orphan = files["status"] == FileStatus.ORPHAN
    not_scan = (
        orphan & ~files["format"].isin([*SCAN_FORMATS, "empty"]) & (files["integrity"] == "ok")
    )
    files.loc[not_scan, "note"] = [
        t("why.not_scan_format", lang, format=f) for f in files.loc[not_scan, "format"]
    ]
    reasons = files["item_id"].map(match.reasons).fillna(t("why.no_evidence", lang))
    silent = orphan & ~not_scan & (files["note"] == "")
    files.loc[silent, "note"] = reasons[silent]


def _mark_damaged(files: pd.DataFrame, lang: str) -> None:
    """Empty or corrupt, whatever links the file has."""
    bad = files["integrity"] != "ok"
    empty = files.loc[bad, "integrity"] == "empty"
    files.loc[bad, "status"] = np.where(empty, FileStatus.EMPTY, FileStatus.CORRUPT)
    # The integrity code in the reader's language; the technical detail stays in integrity_note.
    files.loc[bad, "note"] = [
        (f"{note}; " if note else "") + t("why.damaged", lang, what=t(f"integrity.{code}", lang))
        for note, code in zip(files.loc[bad, "note"], files.loc[bad, "integrity"])
    ]


def _files(
    scans: pd.DataFrame, match: MatchResult, lang: str, quality: QualitySettings
) -> pd.DataFrame:
    files = scans.copy()
    if "pdfa" not in files:
        files["pdfa"] = ""
    files["quality"] = file_quality(files, quality)
    files = with_content(_with_items(files, match), match.content)
    is_linked = _mark_linked(files, _best(match.links, "link", "item_id", None))
    _mark_review(files, _best(match.links, "review", "item_id", "rank"), is_linked)
    _mark_copies(files, lang)
    _note_orphans(files, match, lang)
    # What makes up each record's scan: the linked files, damaged ones too, copies not.
    files["linked"] = files["status"] == FileStatus.MATCHED
    _mark_damaged(files, lang)
    return files


def _new_records(records: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Every record missing until shown otherwise; a repeated row is a duplicate entry."""
    out = records.copy()
    out["status"] = RecordStatus.MISSING
    out["file_path"] = ""
    out["match_method"] = ""
    out["match_score"] = np.nan
    out["note"] = t("why.no_scan", lang)
    out["pages"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["tthc"] = out["title"].map(is_tthc)
    out["quality"] = ""
    repeat = out["duplicate_of"] != ""
    out.loc[repeat, "status"] = RecordStatus.DUPLICATE_ENTRY
    out.loc[repeat, "note"] = [
        t("why.duplicate_entry", lang, source=s) for s in out.loc[repeat, "duplicate_of"]
    ]
    return out


def _note_nearest(out: pd.DataFrame, match: MatchResult, items: dict, lang: str) -> None:
    """A missing record names the nearest scans matching found for it (the hints)."""
    links = match.links
    hints = links[links["decision"] == "hint"].sort_values(["record", "rank"])
    if not len(hints):
        return
    nearest = hints.groupby("record").apply(
        lambda g: ", ".join(
            f"{items[i]} ({round(100 * sc)}%)" for i, sc in zip(g["item_id"], g["score"])
        ),
        include_groups=False,
    )
    lonely = out.index.isin(nearest.index) & (out["status"] == RecordStatus.MISSING)
    out.loc[lonely, "note"] = [
        f"{t('why.no_scan', lang)}; {t('why.nearest', lang, paths=p)}"
        for p in nearest.reindex(out.index[lonely])
    ]


def _mark_records_in_review(out: pd.DataFrame, match: MatchResult, items: dict) -> None:
    review = _best(match.links, "review", "record", "score")
    waiting = out.index.isin(review.index) & (out["status"] == RecordStatus.MISSING)
    if not waiting.any():
        return
    rows = review.reindex(out.index[waiting])
    out.loc[waiting, "status"] = RecordStatus.NEEDS_REVIEW
    out.loc[waiting, "match_method"] = rows["method"].to_numpy()
    out.loc[waiting, "match_score"] = rows["score"].to_numpy(dtype=float)
    out.loc[waiting, "note"] = [
        f"{items[i]}: {e}" for i, e in zip(rows["item_id"], rows["explanation"])
    ]


@dataclass
class _Scanned:
    """What a record's linked files add up to (duplicates left out), per record."""

    pages: pd.Series
    paths: pd.Series
    shortfalls: pd.Series
    damage: pd.Series
    #: Pages of each scan (a file, or a page series) apart, indexed by (record, scan).
    apart: pd.Series


def _scanned(out: pd.DataFrame, files: pd.DataFrame, lang: str) -> _Scanned:
    kept = files[files["linked"] & files["record"].notna()]
    by_record = kept.groupby("record")
    damaged = kept[kept["integrity"] != "ok"]
    labels = damaged["integrity"].map(lambda code: t(f"integrity.{code}", lang))
    return _Scanned(
        pages=by_record["pages"].sum(min_count=0).reindex(out.index).fillna(0).astype(int),
        paths=_per_record(kept["record"], kept["path"], "|".join, out.index),
        shortfalls=_per_record(kept["record"], kept["quality"], combine, out.index),
        damage=(damaged["path"] + ": " + labels)
        .groupby(damaged["record"])
        .agg("; ".join)
        .reindex(out.index)
        .fillna(""),
        apart=kept.groupby(["record", kept["item"].where(kept["item"] != "", kept["path"])])[
            "pages"
        ].sum(min_count=1),
    )


def _whole_scan(out: pd.DataFrame, apart: pd.Series, settings: MatchSettings) -> np.ndarray:
    """Per record, whether one of its scans alone has the pages its sheets ask for: a record
    scanned again and both scans kept (fondsgen's, officegen's rescans), or a second copy under
    another name, has a complete scan, though the pages added up are too many."""
    if apart.empty:
        return np.zeros(len(out), dtype=bool)
    records = apart.index.get_level_values(0)
    sheets = out["sheets"].astype("Float64").reindex(records).to_numpy(dtype=float, na_value=np.nan)
    pages = apart.to_numpy(dtype=float, na_value=np.nan)
    fits = (pages >= sheets * settings.min_pages_per_sheet) & (
        pages <= sheets * settings.max_pages_per_sheet
    )
    whole = pd.Series(fits, index=records).groupby(level=0).any()
    return whole.reindex(out.index, fill_value=False).to_numpy(dtype=bool)


def _per_record(
    records: pd.Series, values: pd.Series, join: Callable[[list[Any]], str], index: pd.Index
) -> pd.Series:
    """Per record of ``index``, ``join`` of its files' values in the table's order ("" for a
    record with none). One pass in Python: a groupby's agg with a Python function builds a
    Series for each of a locality's tens of thousands of records."""
    groups: dict[Any, list[Any]] = defaultdict(list)
    for record, value in zip(records, values):
        groups[record].append(value)
    joined = [join(groups[r]) if r in groups else "" for r in index]
    return pd.Series(joined, index=index, dtype=object)


def _page_note(pages: int, sheets: int, settings: MatchSettings, lang: str) -> str:
    if pages < sheets * settings.min_pages_per_sheet:
        return t("why.pages_short", lang, pages=pages, sheets=sheets)
    maximum = int(sheets * settings.max_pages_per_sheet)
    return t("why.pages_over", lang, pages=pages, sheets=sheets, max=maximum)


def _mark_linked_records(
    out: pd.DataFrame,
    has: np.ndarray,
    best: pd.DataFrame,
    scanned: _Scanned,
    settings: MatchSettings,
    lang: str,
) -> None:
    """Digitized, page_mismatch or damaged_scan for each record with a linked scan."""
    rows = best.reindex(out.index[has])
    pages = scanned.pages
    out.loc[has, "file_path"] = scanned.paths[has]
    out.loc[has, "match_method"] = rows["method"].to_numpy()
    out.loc[has, "match_score"] = rows["score"].to_numpy(dtype=float)
    out.loc[has, "pages"] = pages[has].to_numpy()
    out.loc[has, "quality"] = scanned.shortfalls[has].to_numpy()
    sheets = out["sheets"].astype("Float64")
    known = has & sheets.notna().to_numpy()
    short = known & (pages < sheets * settings.min_pages_per_sheet).fillna(False).to_numpy()
    over = known & (pages > sheets * settings.max_pages_per_sheet).fillna(False).to_numpy()
    over &= ~_whole_scan(out, scanned.apart, settings)
    is_damaged = has & (scanned.damage != "").to_numpy()
    status = np.select(
        [is_damaged, short | over],
        [RecordStatus.DAMAGED_SCAN, RecordStatus.PAGE_MISMATCH],
        RecordStatus.DIGITIZED,
    )
    out.loc[has, "status"] = status[has]
    notes = []
    for record, explanation, state in zip(out.index[has], rows["explanation"], status[has]):
        detail = ""
        if state == RecordStatus.DAMAGED_SCAN:
            detail = t("why.damaged", lang, what=scanned.damage[record])
        elif state == RecordStatus.PAGE_MISMATCH:
            n_sheets = int(out.at[record, "sheets"])
            detail = _page_note(int(pages[record]), n_sheets, settings, lang)
        notes.append(f"{explanation}; {detail}" if detail else explanation)
    out.loc[has, "note"] = notes


def reconcile(
    records: pd.DataFrame,
    scans: pd.DataFrame,
    match: MatchResult,
    settings: MatchSettings,
    lang: str = "vi",
    quality: QualitySettings | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (records, files) with status, links, notes and quality for one locality."""
    files = _files(scans, match, lang, quality or QualitySettings())
    out = _new_records(records, lang)
    items = {item.item_id: item.relpath for item in match.items}
    _note_nearest(out, match, items, lang)
    _mark_records_in_review(out, match, items)
    best = _best(match.links, "link", "record", "score")
    has = out.index.isin(best.index)
    scanned = _scanned(out, files, lang)
    if has.any():
        _mark_linked_records(out, has, best, scanned, settings, lang)
    return out, _link_files(files, out)


def _link_files(files: pd.DataFrame, out: pd.DataFrame) -> pd.DataFrame:
    """Files point back at their record by code and provenance."""
    has_record = files["record"].notna()
    rec = out.loc[files.loc[has_record, "record"].astype(int)]
    files["record_code"] = ""
    files["source_file"] = ""
    files["source_sheet"] = ""
    files["source_row"] = pd.array([pd.NA] * len(files), dtype="Int64")
    files.loc[has_record, "record_code"] = rec["record_code"].to_numpy()
    files.loc[has_record, "source_file"] = rec["source_file"].to_numpy()
    files.loc[has_record, "source_sheet"] = rec["source_sheet"].to_numpy()
    files.loc[has_record, "source_row"] = rec["source_row"].to_numpy()
    return files.drop(columns=["record", "item_id", "linked"])


def candidate_table(records: pd.DataFrame, match: MatchResult) -> pd.DataFrame:
    """Review candidates side by side: the scan, the record, the score and why."""
    review = match.links[match.links["decision"].isin(["review", "hint"])]
    if review.empty:
        return pd.DataFrame(columns=CANDIDATE_COLUMNS)
    items = {item.item_id: item for item in match.items}
    rec = records.loc[review["record"]].reset_index(drop=True)
    table = pd.DataFrame(
        {
            "locality": rec["locality"],
            "path": [items[i].relpath for i in review["item_id"]],
            "xxh3_128": ["|".join(sorted(items[i].hashes)) for i in review["item_id"]],
            "candidate_rank": review["rank"].to_numpy(),
            "source_file": rec["source_file"],
            "source_sheet": rec["source_sheet"],
            "source_row": rec["source_row"],
            "record_code": rec["record_code"],
            "title": rec["title"],
            "match_method": review["method"].to_numpy(),
            "candidate_score": review["score"].to_numpy(),
            "explanation": review["explanation"].to_numpy(),
            "provenance": provenance_column(rec),
            "candidate_kind": review["decision"].to_numpy(),
        }
    )
    return table[CANDIDATE_COLUMNS]
