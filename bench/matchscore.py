"""Scores of a reconciled benchmark locality against its labels (see matchgen.py).

Links are (file, record) pairs: a file the truth gives a record (matched, duplicate, corrupt,
empty) against a file the run gives one with a final verdict (anything but needs_review and
orphan). Record statuses are compared row by row; the macro F1 averages the per-status F1 over
the statuses the truth has. The review rate is the share of records or files left to a person,
whichever is larger.
"""

from __future__ import annotations

import pandas as pd

from khaudit.contract import RECORD_STATUSES


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def links(files: pd.DataFrame, record: pd.Series) -> set[tuple[str, int]]:
    """(path, record label) pairs of the files that have one."""
    keep = record.notna() & (record >= 0)
    return set(zip(files.loc[keep, "path"], record[keep].astype(int)))


def score(
    records: pd.DataFrame,
    files: pd.DataFrame,
    truth_records: pd.DataFrame,
    truth_files: pd.DataFrame,
) -> dict[str, float]:
    """``records``/``files`` as reconcile() returns them; the truth as matchgen labels it."""
    label = dict(zip(records["source_row"], records.index))
    record = files["source_row"].map(label).astype("float")
    true = links(truth_files, truth_files["expected_record"])
    final = ~files["status"].isin(["needs_review", "orphan"])
    found = links(files[final], record[final])
    hits = len(true & found)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(true) if true else 1.0
    expected = truth_records["expected_status"]
    got = records["status"].reindex(expected.index)
    per_status = {}
    for status in RECORD_STATUSES:
        if not (expected == status).any():
            continue
        tp = int(((expected == status) & (got == status)).sum())
        p = tp / max(1, int((got == status).sum()))
        r = tp / int((expected == status).sum())
        per_status[status] = _f1(p, r)
    review = max(
        (records["status"] == "needs_review").mean(), (files["status"] == "needs_review").mean()
    )
    return {
        "link_precision": precision,
        "link_recall": recall,
        "link_f1": _f1(precision, recall),
        "status_macro_f1": sum(per_status.values()) / len(per_status),
        "review_rate": float(review),
        **{f"f1_{k}": v for k, v in per_status.items()},
    }
