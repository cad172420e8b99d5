"""The office corpus of bench/inventory_corpus.py, read whole: every inventory, as each tool
writes it, gives its 36 records with exact titles and fields, and nothing else."""

from __future__ import annotations

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_inventory_of_the_office_corpus_is_read_exactly(tmp_path: Path):
    sys.path.insert(0, str(BENCH))
    try:
        import inventory_corpus
    finally:
        sys.path.remove(str(BENCH))
    rows = inventory_corpus.run(tmp_path)
    assert len(rows) >= 29
    wrong = [(case.name, result) for case, result in rows if not result.exact]
    assert wrong == []
    kinds = {case.kind for case, _ in rows}
    assert {"xlsx", "xls", "ods", "docx", "csv", "fallback"} <= kinds
