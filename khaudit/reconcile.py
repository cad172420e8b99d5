"""From links and inspection to the statuses of the run contract, with a reason for each.

Records: duplicate_entry (the row repeats an earlier one), damaged_scan (a linked file is
corrupt or empty), page_mismatch (pages outside [min, max] × sheets, see MatchSettings),
digitized, needs_review (only review candidates), missing (nothing).
Files: empty, corrupt (whatever links they have), matched, duplicate (byte-identical to a
matched file), needs_review, orphan.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from .classify import is_tthc
from .i18n import t
from .match.items import Item
from .match.link import MatchResult
from .match.settings import MatchSettings
from .scan.inspect import SCAN_FORMATS

RECORD_STATUSES = ("digitized", "page_mismatch", "missing", "duplicate_entry", "damaged_scan",
                   "needs_review")
FILE_STATUSES = ("matched", "orphan", "duplicate", "corrupt", "empty", "needs_review")


def _provenance(row: pd.Series) -> str:
    sheet = f"!{row['source_sheet']}" if row["source_sheet"] else ""
    return f"{row['source_file']}{sheet}:{row['source_row']}"


def reconcile(
    records: pd.DataFrame, scans: pd.DataFrame, match: MatchResult, settings: MatchSettings,
    lang: str = "vi",
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (records, files) with status, links and notes for one locality."""
    items: dict[int, Item] = {item.item_id: item for item in match.items}
    links = match.links
    linked = links[links["decision"] == "link"]
    review = links[links["decision"] == "review"]

    # Files: start from inspection, then links.
    files = scans.copy()
    files["status"] = "orphan"
    files["record"] = pd.array([pd.NA] * len(files), dtype="Int64")
    files["match_method"] = ""
    files["match_score"] = float("nan")
    files["note"] = ""
    files["item"] = ""
    files["duplicate_of"] = ""
    for item in items.values():
        if item.series:
            files.loc[item.files, "item"] = item.relpath

    record_items: dict[int, list[Item]] = defaultdict(list)
    for row in linked.itertuples():
        item = items[row.item_id]
        record_items[row.record].append(item)
        files.loc[item.files, ["status", "record", "match_method", "match_score", "note"]] = [
            "matched", row.record, row.method, row.score, row.explanation]
    # A byte-identical second copy: the first (by path) stays matched.
    first_path: dict[str, str] = {}
    record_of_hash: dict[str, int] = {}
    for label in files.index[files["status"] == "matched"]:
        h = files.at[label, "xxh3_128"]
        if not h:
            continue
        if h in first_path and files.at[label, "item"] == "":
            files.at[label, "status"] = "duplicate"
            files.at[label, "duplicate_of"] = first_path[h]
            files.at[label, "note"] = t("why.duplicate_of", lang, path=first_path[h])
        else:
            first_path.setdefault(h, files.at[label, "path"])
            record_of_hash.setdefault(h, int(files.at[label, "record"]))
    for row in review.itertuples():
        item = items[row.item_id]
        if (files.loc[item.files, "status"] == "orphan").all():
            files.loc[item.files, ["status", "match_method", "match_score", "note"]] = [
                "needs_review", row.method, row.score, row.explanation]
            if row.rank == 1:
                files.loc[item.files, "record"] = row.record
    for label in files.index[files["status"].isin(["orphan", "needs_review"])]:
        h = files.at[label, "xxh3_128"]
        if h and h in record_of_hash:
            files.at[label, "status"] = "duplicate"
            files.at[label, "record"] = record_of_hash[h]
            files.at[label, "duplicate_of"] = first_path[h]
            files.at[label, "note"] = t("why.duplicate_of", lang, path=first_path[h])
    for label in files.index[files["status"] == "orphan"]:
        fmt = files.at[label, "format"]
        if fmt not in SCAN_FORMATS and fmt != "empty" and files.at[label, "integrity"] == "ok":
            files.at[label, "note"] = t("why.not_scan_format", lang, format=fmt)
        elif not files.at[label, "note"]:
            files.at[label, "note"] = t("why.no_evidence", lang)
    bad = files["integrity"] != "ok"
    files.loc[bad, "status"] = (files.loc[bad, "integrity"] == "empty").map(
        {True: "empty", False: "corrupt"})
    files.loc[bad, "note"] = [
        (f"{note}; " if note else "") + t("why.damaged", lang, what=what)
        for note, what in zip(files.loc[bad, "note"], files.loc[bad, "integrity_note"])]

    # Records.
    out = records.copy()
    out["status"] = "missing"
    out["file_path"] = ""
    out["match_method"] = ""
    out["match_score"] = float("nan")
    out["note"] = t("why.no_scan", lang)
    out["pages"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["tthc"] = out["title"].map(is_tthc)
    for record in out.index[out["duplicate_of"] != ""]:
        out.at[record, "status"] = "duplicate_entry"
        out.at[record, "note"] = t("why.duplicate_entry", lang, source=out.at[record, "duplicate_of"])
    best_review = review.sort_values(["record", "score"], ascending=[True, False]) \
        .drop_duplicates("record")
    for row in best_review.itertuples():
        if out.at[row.record, "status"] == "missing":
            out.at[row.record, "status"] = "needs_review"
            out.at[row.record, "match_method"] = row.method
            out.at[row.record, "match_score"] = row.score
            out.at[row.record, "note"] = f"{items[row.item_id].relpath}: {row.explanation}"
    best_link = linked.sort_values("score", ascending=False).drop_duplicates("record")
    for row in best_link.itertuples():
        labels = [f for item in record_items[row.record] for f in item.files]
        mine = files.loc[labels]
        kept = mine[mine["status"] != "duplicate"]
        out.at[row.record, "file_path"] = "|".join(kept["path"])
        out.at[row.record, "match_method"] = row.method
        out.at[row.record, "match_score"] = row.score
        pages = int(kept["pages"].fillna(0).sum())
        out.at[row.record, "pages"] = pages
        sheets = out.at[row.record, "sheets"]
        damaged = mine[mine["integrity"] != "ok"]
        if len(damaged):
            status = "damaged_scan"
            note = "; ".join(f"{p}: {n}" for p, n in zip(damaged["path"], damaged["integrity_note"]))
            note = t("why.damaged", lang, what=note)
        elif pd.notna(sheets) and pages < sheets * settings.min_pages_per_sheet:
            status, note = "page_mismatch", t("why.pages_short", lang, pages=pages, sheets=sheets)
        elif pd.notna(sheets) and pages > sheets * settings.max_pages_per_sheet:
            status = "page_mismatch"
            note = t("why.pages_over", lang, pages=pages, sheets=sheets,
                     max=int(sheets * settings.max_pages_per_sheet))
        else:
            status, note = "digitized", ""
        out.at[row.record, "status"] = status
        out.at[row.record, "note"] = f"{row.explanation}; {note}" if note else row.explanation

    # Files point back at their record by code and provenance.
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
    return out, files.drop(columns=["record"])


def candidate_table(records: pd.DataFrame, match: MatchResult) -> pd.DataFrame:
    """Review candidates side by side: the scan, the record, the score and why."""
    review = match.links[match.links["decision"] == "review"]
    items = {item.item_id: item for item in match.items}
    rows = []
    for row in review.itertuples():
        rec = records.loc[row.record]
        item = items[row.item_id]
        rows.append({
            "locality": rec["locality"], "path": item.relpath,
            "xxh3_128": "|".join(sorted(item.hashes)), "candidate_rank": row.rank,
            "source_file": rec["source_file"], "source_sheet": rec["source_sheet"],
            "source_row": rec["source_row"], "record_code": rec["record_code"],
            "title": rec["title"], "match_method": row.method, "candidate_score": row.score,
            "explanation": row.explanation, "provenance": _provenance(rec),
        })
    return pd.DataFrame(rows, columns=CANDIDATE_COLUMNS)


CANDIDATE_COLUMNS = ["locality", "path", "xxh3_128", "candidate_rank", "source_file",
                     "source_sheet", "source_row", "record_code", "title", "match_method",
                     "candidate_score", "explanation", "provenance"]
