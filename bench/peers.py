"""Benchmark: khaudit's whole pipeline on a labelled province, with only the linker swapped.

Usage:
    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python bench/peers.py PROJECT.toml TRUTH_DIR [--tools khaudit splink recordlinkage]

Each tool audits the same project: khaudit through its command line at default settings, a peer
through ``khaudit.audit`` (inventories loaded, scans read, sidecars found, statuses reconciled,
run written) with only ``match_locality`` replaced by the peer's linker from ``match.py``
(Splink with DuckDB, the Record Linkage Toolkit). Each run is scored as ``generalize.py`` scores
its runs (link precision, recall and F1, record- and file-status macro F1, review rate).
Each tool runs in its own process, so one cannot warm the other's caches; ``generalize.py
--tools`` runs the same commands on each generated province.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

BENCH = Path(__file__).resolve().parent

#: The linkers a run can be made with; khaudit is its own command line.
TOOLS = ("khaudit", "splink", "recordlinkage")


def swapped(tool: str):  # type: ignore[no-untyped-def]
    """A function with ``match_locality``'s signature that links with ``tool`` instead."""
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    from match import TOOLS as LINKERS  # the peers' linkers, shared with match.py

    linker = LINKERS[tool]

    def match_locality(
        records: pd.DataFrame,
        scans: pd.DataFrame,
        sidecars: object,
        settings: object,
        pattern: str = "",
        lang: str = "vi",
        decisions: object = None,
    ):  # type: ignore[no-untyped-def]
        return linker(SimpleNamespace(records=records, scans=scans, sidecars=sidecars), settings)

    return match_locality


def audit_with(tool: str, project: Path, run_dir: Path) -> None:
    """Write the run of ``project`` to ``run_dir``, linked by ``tool`` (in this process).

    The audit's matching workers are forked from this process, so the swapped linker is the
    one they call."""
    import importlib

    audit_module = importlib.import_module("khaudit.audit")
    if tool != "khaudit":
        audit_module.match_locality = swapped(tool)  # type: ignore[attr-defined]
    audit_module.audit(project, run_dir, lang="en")


def command(tool: str, project: Path, run_dir: Path) -> list[str]:
    """The command that audits ``project`` into ``run_dir`` with ``tool``, in a process of its
    own: khaudit's command line at default settings, or this script for a peer."""
    if tool == "khaudit":
        khaudit = Path(sys.executable).with_name("khaudit")
        return [
            str(khaudit) if khaudit.exists() else "khaudit",
            "audit",
            str(project),
            "--out",
            str(run_dir),
            "--no-report",
        ]
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--audit",
        tool,
        str(project),
        str(run_dir),
    ]


def run_tool(tool: str, project: Path, run_dir: Path) -> tuple[float, str]:
    """Audit with ``tool`` in its own process: the wall seconds, and the last line of its error
    output when it wrote no run (empty when it did). Its error output is kept in
    ``RUN_DIR.log`` beside the run."""
    started = time.perf_counter()
    done = subprocess.run(
        command(tool, project, run_dir),
        capture_output=True,
        text=True,
        env={**os.environ, "KHAUDIT_LANG": "en"},
    )
    seconds = time.perf_counter() - started
    # the tool's own messages (Splink's training steps skipped, warnings) beside its run
    run_dir.parent.mkdir(parents=True, exist_ok=True)
    (run_dir.parent / f"{run_dir.name}.log").write_text(done.stderr, encoding="utf-8")
    if done.returncode not in (0, 1) or not (run_dir / "run.json").exists():
        return seconds, (done.stderr.strip().splitlines() or ["(no message)"])[-1][:300]
    return seconds, ""


# -- where a peer links rightly and khaudit does not -----------------------------------------
_SOURCE = ["source_file", "source_sheet", "source_row"]
_UNLINKED = ("needs_review", "orphan")


def _linked_to(files: pd.DataFrame) -> pd.Series:
    """(locality, path) -> the inventory row a file is linked to ("" when none)."""
    files = files.astype({c: str for c in ["locality", "path", "status", *_SOURCE]})
    source = files[_SOURCE].replace({"<NA>": "", "nan": ""}).agg("|".join, axis=1)
    unlinked = files["status"].isin(_UNLINKED) | (files["source_row"].isin(["", "<NA>", "nan"]))
    return pd.Series(
        source.where(~unlinked, "").to_numpy(),
        index=pd.MultiIndex.from_frame(files[["locality", "path"]]),
    )


def name_shape(path: str) -> str:
    """A scan path's shape: its last folder and name with numbers as N, short all-capital
    words kept (IMG, HS, QD), other words as w and a run of three words or more, or of
    words that are not short capitals, as T (a title)."""
    # composed first: a name saved decomposed keeps its marks as separate characters
    parts = unicodedata.normalize("NFC", str(path)).replace("\\", "/").split("/")[-2:]
    shaped = []
    for part in parts:
        stem, dot, ext = part.rpartition(".") if "." in part else (part, "", "")
        text = re.sub(r"\d+", "#", stem)  # not a letter, so numbers end words
        text = re.sub(r"[^\W\d_]+(?:[\s,.;:()'&/-]+[^\W\d_]+){2,}", "T", text)
        text = re.sub(
            r"[^\W\d_]+",
            lambda m: m.group() if m.group().isupper() and len(m.group()) <= 5 else "w",
            text,
        )
        text = re.sub(r"w(?:[\s,.;:()'&/-]+w)+", "T", text)
        shaped.append(text.replace("#", "N") + (dot + ext.lower() if len(ext) <= 4 else ""))
    return "/".join(shaped)


def note_form(note: str) -> str:
    """A note's wording with its numbers and quoted names blanked, so notes group."""
    text = re.sub(r"[\"'“‘][^\"'”’]*[\"'”’]", "'…'", str(note))
    text = re.sub(r"\d+(?:[.,]\d+)?", "N", text)
    return text[:160]


def _fields(records: pd.DataFrame) -> pd.DataFrame:
    """(locality, source row key) -> which evidence fields the inventory row fills, and the
    row itself in short (code, box/file number, year, pages, title)."""
    names = {
        "record_code": "code",
        "box": "box",
        "file_no": "file_no",
        "title": "title",
        "year_start": "year",
        "sheets": "pages",
    }
    present = [c for c in names if c in records.columns]
    values = records[present].astype(str).replace({"<NA>": "", "nan": "", "None": ""})
    fields = values.apply(lambda row: "+".join(names[c] for c in present if row[c]), axis=1)
    short = values.apply(
        lambda row: " | ".join(f"{names[c]}={row[c][:70]}" for c in present if row[c]), axis=1
    )
    key = records[_SOURCE].astype(str).agg("|".join, axis=1)
    return pd.DataFrame(
        {"fields": fields.to_numpy(), "record": short.to_numpy()},
        index=pd.MultiIndex.from_arrays([records["locality"].astype(str), key]),
    )


def peer_wins(khaudit_run: Path, peer_run: Path, truth: Path, peer: str) -> pd.DataFrame:
    """The scans a peer linked to their true record and khaudit did not (``wins``), read from
    the two runs and the province's truth."""
    from khaudit.run import load_run

    ours = load_run(khaudit_run)
    return wins(
        pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False),
        ours.table("files"),
        load_run(peer_run).table("files"),
        ours.table("records"),
        peer,
    )


def wins(
    truth_files: pd.DataFrame,
    ours: pd.DataFrame,
    theirs: pd.DataFrame,
    records: pd.DataFrame,
    peer: str,
) -> pd.DataFrame:
    """The scans ``theirs`` (a peer's files table) links to the record the truth says and
    ``ours`` (khaudit's) does not: ``case`` says whether khaudit left the scan unlinked
    (``none``) or linked it elsewhere (``wrong``, its record in ``khaudit_record``); with the
    truth's naming convention, the name's shape, the record's fields, khaudit's status and
    note, and the note's wording (numbers and names blanked) to group by."""
    true = truth_files[
        ~truth_files["expected_status"].isin(_UNLINKED) & (truth_files["source_row"] != "")
    ]
    peer_links, our_links = _linked_to(theirs), _linked_to(ours)
    notes = ours.set_index(["locality", "path"])[["status", "note"]].astype(str)
    fields = _fields(records)
    rows = []
    for row in true.itertuples(index=False):
        where = (row.locality, row.path)
        target = "|".join((row.source_file, row.source_sheet, row.source_row))
        mine = our_links.get(where, "")
        if peer_links.get(where, "") != target or mine == target:
            continue
        status, note = notes.loc[where] if where in notes.index else ("(not scanned)", "")
        rows.append(
            {
                "peer": peer,
                "locality": row.locality,
                "path": row.path,
                "keying": getattr(row, "keying", ""),
                "expected_status": row.expected_status,
                "case": "wrong" if mine else "none",
                "khaudit_status": status,
                "khaudit_note": note,
                "note_form": note_form(note),
                "shape": name_shape(row.path),
                "fields": fields["fields"].get((row.locality, target), "(not loaded)"),
                "record": fields["record"].get((row.locality, target), ""),
                "khaudit_record": fields["record"].get((row.locality, mine), "") if mine else "",
            }
        )
    return pd.DataFrame(rows, columns=WIN_COLUMNS)


#: The columns of ``wins`` (and, after the seed, of ``generalize.py``'s ``peer-wins.csv``).
WIN_COLUMNS = [
    "peer",
    "locality",
    "path",
    "keying",
    "expected_status",
    "case",
    "khaudit_status",
    "khaudit_note",
    "note_form",
    "shape",
    "fields",
    "record",
    "khaudit_record",
]


def win_kinds(wins: pd.DataFrame, examples: int = 2) -> pd.DataFrame:
    """The wins grouped by kind: peer, case, convention, khaudit's status, note wording and
    the name's shape; most frequent first, with a few example paths."""
    by = ["peer", "case", "keying", "khaudit_status", "note_form", "shape"]
    if wins.empty:
        return pd.DataFrame(columns=[*by, "scans", "fields", "examples"])
    grouped = wins.groupby(by, sort=False)
    table = grouped.agg(
        scans=("path", "size"),
        fields=("fields", lambda s: ", ".join(s.value_counts().index[:2])),
        examples=("path", lambda s: " ; ".join(s.iloc[:examples])),
    ).reset_index()
    return table.sort_values("scans", ascending=False, kind="stable").reset_index(drop=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("truth", type=Path, help="the truth folder (the run's folder with --audit)")
    parser.add_argument("--tools", nargs="+", choices=TOOLS, default=list(TOOLS))
    parser.add_argument("--audit", choices=TOOLS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.audit:  # the child: PROJECT RUN_DIR
        audit_with(args.audit, args.project, args.truth)
        return 0
    from generalize import score_dir  # scored as generalize.py scores its runs

    rows = []
    for tool in args.tools:
        with tempfile.TemporaryDirectory() as tmp:
            seconds, error = run_tool(tool, args.project, Path(tmp) / "run")
            if error:
                print(f"{tool} failed: {error}")
                continue
            row = score_dir(Path(tmp) / "run", args.truth)
        rows.append({"tool": tool, **{k: v for k, v in row.items() if isinstance(v, float)}})
        rows[-1]["seconds"] = seconds
    table = pd.DataFrame(rows).set_index("tool")
    pd.set_option("display.width", 200)
    print(table.round(4).to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
