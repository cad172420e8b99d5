"""The run contract's vocabulary: public values that reports and other systems filter on."""

from __future__ import annotations

import pandas as pd

from khaudit.contract import (
    FILE_STATUSES,
    RECORD_STATUSES,
    FileStatus,
    RecordStatus,
    find_locality,
    is_true,
    provenance,
    provenance_column,
    true_column,
)


def test_status_values_are_the_published_ones():
    assert RECORD_STATUSES == (
        "digitized",
        "page_mismatch",
        "missing",
        "duplicate_entry",
        "damaged_scan",
        "needs_review",
    )
    assert FILE_STATUSES == ("matched", "orphan", "duplicate", "corrupt", "empty", "needs_review")
    assert RecordStatus.MISSING == "missing" and f"{FileStatus.MATCHED}" == "matched"


def test_provenance_has_one_spelling_for_a_row_and_a_column():
    assert provenance("mlhs.xlsx", "Phông 1", 12) == "mlhs.xlsx!Phông 1:12"
    assert provenance("mlhs.csv", "", 3) == "mlhs.csv:3"
    frame = pd.DataFrame(
        {
            "source_file": ["mlhs.xlsx", "mlhs.csv", "b.ods"],
            "source_sheet": ["Phông 1", "", None],
            "source_row": pd.array([12, 3, 7], dtype="Int64"),
        }
    )
    assert provenance_column(frame).tolist() == [
        provenance(f, s, r) for f, s, r in frame.itertuples(index=False)
    ]


def test_booleans_read_back_from_csv_text_and_parquet():
    assert [is_true(v) for v in ("True", "true", " 1 ", 1, True)] == [True] * 5
    assert [is_true(v) for v in ("False", "0", "", None, float("nan"), "yes")] == [False] * 6
    assert true_column(pd.Series(["True", "False", ""])).tolist() == [True, False, False]
    native = pd.Series([True, False])
    assert true_column(native).dtype == bool and true_column(native).tolist() == [True, False]


def test_a_locality_answers_to_its_name_slug_and_code():
    rows = [{"name": "Xã Tân Phú", "slug": "xa-tan-phu", "code": "26734"}]
    keys = lambda loc: (loc["name"], loc["slug"], loc["code"])  # noqa: E731
    for name in ("Xã Tân Phú", "xa-tan-phu", "26734"):
        assert find_locality(rows, name, keys) is rows[0]
    assert find_locality(rows, "Tân Phú", keys) is None
