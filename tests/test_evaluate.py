"""The scorer that every figure in bench/README is computed by (khaudit.evaluate)."""

from __future__ import annotations

import pandas as pd

from khaudit.evaluate import _links, _str

KEY = ["source_file", "source_sheet", "source_row"]


def test_a_file_with_no_record_is_no_link_whatever_the_column_dtype():
    # A corrupt scan or a copy of an unlinked one has no record: its source row is missing.
    # Under pandas 3, astype(str) keeps a missing value missing (not "<NA>"), which the scorer
    # once counted as a link to ("", "", nan).
    files = pd.DataFrame(
        {
            "locality": ["Xã A", "Xã A"],
            "path": ["a.pdf", "b.pdf"],
            "source_file": ["muc_luc.xlsx", None],
            "source_sheet": ["Sheet1", None],
            "source_row": pd.array([7, None], dtype="Int64"),
        }
    )
    links = _links(_str(files, KEY))
    assert links == {("Xã A", "a.pdf", "muc_luc.xlsx", "Sheet1", "7")}
