"""One audit against another: which records changed status and which scan files were added,
removed, changed or moved between two runs.

A :class:`Comparison` is computed once from the two runs' tables, then asked for views (the
transitions between statuses, the rows behind them, one table for a CSV), as datacompy's
comparison objects are. Records are the same record when they are the same inventory row
(locality, file, sheet, row): the inventory is the fixed side of an audit. Files are the same
file when they have the same path under the same root; a file whose path is gone while its
content (xxh3-128) appears at a path that is new is a move, not a removal and an addition.
A locality renamed between the runs (its name typed anew in the project file, its code, scan
roots or inventory files kept) is the same locality: run A's rows are read under its new name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from .run import Run

RECORD_KEY = ["locality", "source_file", "source_sheet", "source_row"]
FILE_KEY = ["locality", "root", "path"]
FILE_KINDS = ("added", "removed", "changed", "moved")
#: The one table of a comparison (``khaudit compare --out``): a row per record that changed
#: status (kind "status") and per file that changed (the kinds above).
COLUMNS = [
    "kind",
    "locality",
    "source_file",
    "source_sheet",
    "source_row",
    "record_code",
    "title",
    "status_a",
    "status_b",
    "root",
    "path",
    "other_path",
]


def _keyed(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """``frame`` with its key columns as text (runs written by CSV and by Parquet agree), held
    as Python strings: pandas cannot join two empty Arrow-backed columns (a run without a
    scan has them)."""
    out = frame.copy()
    for column in key:
        out[column] = out[column].astype("string[python]").fillna("")
    return out


def record_moves(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Inventory rows whose status differs between the runs (a row in one run only counts
    as moving from or to the empty status)."""
    keep = [*RECORD_KEY, "record_code", "title", "status"]
    left = _keyed(a[keep], RECORD_KEY)
    right = _keyed(b[keep], RECORD_KEY)
    both = left.merge(right, on=RECORD_KEY, how="outer", suffixes=("_a", "_b"))
    for column in ("status_a", "status_b", "record_code_a", "record_code_b", "title_a", "title_b"):
        both[column] = both[column].astype("string").fillna("")
    moved = both[both["status_a"] != both["status_b"]].copy()
    moved["record_code"] = moved["record_code_b"].where(
        moved["record_code_b"] != "", moved["record_code_a"]
    )
    moved["title"] = moved["title_b"].where(moved["title_b"] != "", moved["title_a"])
    columns = [*RECORD_KEY, "record_code", "title", "status_a", "status_b"]
    return moved[columns].sort_values(RECORD_KEY).reset_index(drop=True)


def file_changes(a: pd.DataFrame, b: pd.DataFrame) -> pd.DataFrame:
    """Scan files added, removed, changed (same path, other content) or moved (same content,
    a path that is new) between the runs; one row each, ``other_path`` the new path of a move."""
    import pandas as pd

    # the hash is a key of the move join below
    left = _keyed(a[[*FILE_KEY, "xxh3_128"]], [*FILE_KEY, "xxh3_128"])
    right = _keyed(b[[*FILE_KEY, "xxh3_128"]], [*FILE_KEY, "xxh3_128"])
    both = left.merge(right, on=FILE_KEY, how="outer", suffixes=("_a", "_b"), indicator=True)
    changed = both[(both["_merge"] == "both") & (both["xxh3_128_a"] != both["xxh3_128_b"])]
    gone = both[both["_merge"] == "left_only"]
    new = both[both["_merge"] == "right_only"]
    # A move: gone content that reappears at a new path of the same locality and root.
    pairs = gone.merge(
        new, left_on=["locality", "root", "xxh3_128_a"], right_on=["locality", "root", "xxh3_128_b"]
    ).drop_duplicates("path_x")
    pairs = pairs.drop_duplicates("path_y")
    moved_from, moved_to = set(pairs["path_x"]), set(pairs["path_y"])
    rows = [
        changed.assign(kind="changed", other_path=""),
        gone[~gone["path"].isin(moved_from)].assign(kind="removed", other_path=""),
        new[~new["path"].isin(moved_to)].assign(kind="added", other_path=""),
        pairs.rename(columns={"path_x": "path", "path_y": "other_path"}).assign(kind="moved"),
    ]
    table = pd.concat([r[["kind", *FILE_KEY, "other_path"]] for r in rows], ignore_index=True)
    return table.sort_values([*FILE_KEY, "kind"]).reset_index(drop=True)


@dataclass
class Comparison:
    """Run A (the earlier) against run B (the later)."""

    run_a: str
    run_b: str
    records: pd.DataFrame = field(repr=False)
    files: pd.DataFrame = field(repr=False)
    #: Localities renamed between the runs: name in run A -> name in run B.
    renamed: dict[str, str] = field(default_factory=dict)

    def transitions(self) -> pd.DataFrame:
        """How many records went from each status to each other, most first."""
        if self.records.empty:
            import pandas as pd

            return pd.DataFrame(columns=["status_a", "status_b", "records"])
        counts = self.records.groupby(["status_a", "status_b"]).size().rename("records")
        return counts.reset_index().sort_values("records", ascending=False, kind="stable")

    def file_counts(self) -> dict[str, int]:
        found = self.files["kind"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in FILE_KINDS}

    def table(self) -> pd.DataFrame:
        """Every change as one table (:data:`COLUMNS`), records first, then files."""
        import pandas as pd

        records = self.records.assign(kind="status")
        files = self.files.assign(status_a="", status_b="")
        table = pd.concat([records, files], ignore_index=True)
        for column in COLUMNS:
            if column not in table.columns:
                table[column] = ""
        return table[COLUMNS].fillna("").astype(str)


def compare(a: Run | str | Path, b: Run | str | Path) -> Comparison:
    """Compare run ``a`` (earlier) with run ``b`` (later)."""
    from .run import Run, load_run

    run_a = a if isinstance(a, Run) else load_run(a)
    run_b = b if isinstance(b, Run) else load_run(b)
    renamed = renamed_localities(run_a.meta, run_b.meta)
    _check_comparable(run_a, run_b, renamed)

    def tables(name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        frame_a, frame_b = _tables(run_a, run_b, name)
        if renamed:
            frame_a = frame_a.assign(locality=frame_a["locality"].replace(renamed))
        return frame_a, frame_b

    return Comparison(
        run_a=str(run_a.meta.get("run_id", run_a.path)),
        run_b=str(run_b.meta.get("run_id", run_b.path)),
        records=record_moves(*tables("records")),
        files=file_changes(*tables("files")),
        renamed=renamed,
    )


def _signatures(meta: dict[str, Any]) -> dict[str, set[tuple[str, str]]]:
    """What identifies each locality of a run besides its name: its code, each scan root and
    each inventory file it read (paths as the project file gives them)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for loc in meta.get("localities") or []:
        if isinstance(loc, dict):
            code = str(loc.get("code") or "")
            found[str(loc.get("name"))] = {("code", code)} if code else set()
    for name, roots in (meta.get("schemes") or {}).items():
        if name in found and isinstance(roots, dict):
            found[name] |= {("root", str(root)) for root in roots}
    for entry in meta.get("inputs") or []:
        if not isinstance(entry, dict) or entry.get("kind") != "inventory":
            continue
        if (name := str(entry.get("locality"))) in found:
            found[name].add(("inventory", str(entry.get("path", ""))))
    return found


def renamed_localities(meta_a: dict[str, Any], meta_b: dict[str, Any]) -> dict[str, str]:
    """Localities of run A absent from run B (by name) that are one locality of B absent from
    A: the same code, scan root or inventory file, and no other candidate on either side
    (a merge or a split of localities is not a rename). Name in A -> name in B."""
    sig_a, sig_b = _signatures(meta_a), _signatures(meta_b)
    only_a = {n: s for n, s in sig_a.items() if n not in sig_b and s}
    only_b = {n: s for n, s in sig_b.items() if n not in sig_a and s}
    pairs = {a: [b for b, s in only_b.items() if s & only_a[a]] for a in only_a}
    renamed = {}
    for a, found in pairs.items():
        if len(found) == 1 and [x for x, f in pairs.items() if found[0] in f] == [a]:
            renamed[a] = found[0]
    return renamed


def _check_comparable(run_a: Run, run_b: Run, renamed: dict[str, str]) -> None:
    """Refuse a run whose tables differ from the digests its run.json recorded (a damaged or
    edited run would be compared as if it were the audit's), and two runs of different
    provinces or without a locality in common, renamed ones counted (another project's:
    every row would show as added and removed)."""
    from .errors import KhauditError
    from .i18n import t

    for run in (run_a, run_b):
        stale = run.verify_tables()
        if stale:
            raise KhauditError(t("err.compare.damaged", run=run.path, tables=", ".join(stale)))
    names = [{str(loc.get("name")) for loc in r.meta.get("localities", [])} for r in (run_a, run_b)]
    provinces = [str(r.meta.get("province", "")) for r in (run_a, run_b)]
    if provinces[0] != provinces[1] or not ({renamed.get(n, n) for n in names[0]} & names[1]):
        raise KhauditError(
            t(
                "err.compare.other_project",
                run_a=run_a.path,
                run_b=run_b.path,
                province_a=provinces[0],
                province_b=provinces[1],
                localities_a=", ".join(sorted(names[0])),
                localities_b=", ".join(sorted(names[1])),
            )
        )


def _tables(run_a: Run, run_b: Run, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Table ``name`` of both runs; a table that cannot be read is a named KhauditError."""
    from .errors import KhauditError
    from .i18n import t

    frames = []
    for run in (run_a, run_b):
        try:
            frames.append(run.table(name))
        except Exception as exc:  # pyarrow and pandas raise many kinds on damaged files
            raise KhauditError(
                t("err.compare.unreadable", run=run.path, table=name, error=exc)
            ) from None
    return frames[0], frames[1]
