"""Per-receiver counts for the reports: what each receiving unit gets and how much is scanned."""

from __future__ import annotations

import pandas as pd

from ..contract import RecordStatus
from ..i18n import t

COUNT_COLUMNS = ["receiver", "receiver_code", "records", "digitized"]


def receiver_counts(records: pd.DataFrame) -> pd.DataFrame:
    """One row per receiver (unresolved records under an empty receiver, last): how many
    records it receives and how many of them are digitized. Rows repeating an earlier row
    (``duplicate_entry``) are not records of their own and are left out."""
    if "receiver" not in records.columns or not len(records):
        return pd.DataFrame(columns=COUNT_COLUMNS)
    kept = records[records["status"] != RecordStatus.DUPLICATE_ENTRY]
    frame = pd.DataFrame(
        {
            "receiver": kept["receiver"].fillna("").astype(str),
            "receiver_code": kept["receiver_code"].fillna("").astype(str),
            "digitized": (kept["status"] == RecordStatus.DIGITIZED).astype(int),
        }
    )
    counts = (
        frame.groupby(["receiver", "receiver_code"], sort=False)
        .agg(records=("digitized", "size"), digitized=("digitized", "sum"))
        .reset_index()
    )
    counts["_last"] = counts["receiver"] == ""
    counts = counts.sort_values(["_last", "records", "receiver"], ascending=[True, False, True])
    return counts.drop(columns="_last").reset_index(drop=True)[COUNT_COLUMNS]


def receiver_lines(records: pd.DataFrame, lang: str = "vi") -> list[str]:
    """The counts as sentences: "bàn giao cho Xã Diên Điền (22657): 412 hồ sơ, 398 đã số hóa"."""
    lines = []
    for row in receiver_counts(records).itertuples(index=False):
        who = f"{row.receiver} ({row.receiver_code})" if row.receiver_code else row.receiver
        key = "zoning.count_line" if row.receiver else "zoning.count_unresolved"
        lines.append(
            t(
                key,
                lang,
                receiver=who,
                records=_whole(row.records, lang),
                digitized=_whole(row.digitized, lang),
            )
        )
    return lines


def _whole(n: int, lang: str) -> str:
    """A count with the thousands separator of the language (Vietnamese writes 1.250)."""
    return f"{int(n):,}".replace(",", "." if lang == "vi" else ",")


__all__ = ["COUNT_COLUMNS", "receiver_counts", "receiver_lines"]
