"""How khaudit's matching holds on provinces it was not tuned on (bench/provgen).

For each seed and size: generate a province with ``bench.provgen`` (five localities, each with
habits drawn axis by axis), run ``khaudit audit PROJECT --out RUN --no-report`` (the CLI, default
settings) and score the run against the province's truth with ``khaudit.evaluate``:

- link precision, recall and F1 (file -> record pairs, as ``khaudit score``);
- record-status and file-status macro F1: the mean over the statuses present in the truth of
  each status's F1;
- review rate: the share of inventory rows khaudit left ``needs_review``;
- seconds: the audit's wall time.

An audit that fails (exit code above 1, or no run written) is reported as such, its province
kept under ``--out``; the means are over the runs that completed.

Seeds 1-5 are the tune seeds (look at them while changing the matcher); seeds 100-109 are the
report seeds (the figures to publish; never tune on them). ``--by-keying`` adds, per naming
convention, the truth's links and statuses that the run got wrong, so the weak conventions show
without reading the generator.

    python bench/generalize.py --seeds 100-109 --records 600 1500

``--generator stationgen`` measures on ``bench/stationgen`` instead, a second generator
written apart from provgen (stations' and clerks' habits, its own labelling rule for ties);
``--generator officegen`` on ``bench/officegen``, a third, written from offices' habits alone
(one-stop-shop receipts, decision symbols, parcels, owners, register books, contractors' lots,
page-image folders; its labelling rule in ``bench/officegen/labels.py``); ``--generator
fondsgen`` on ``bench/fondsgen``, a fourth, written blind (without reading the matcher or the
other generators): each office's keeping, coding, inventory, encoding and naming drawn axis by
axis from building blocks, its labelling rule in ``bench/fondsgen/labels.py``; ``--generator
wardgen`` on ``bench/wardgen``, a fifth, written blind from habits the others do not describe
(one-stop-shop receipts and portal codes, owners first, capture devices' stems named by a Ghi
chú column or a day's scanning log, Telex and VNI keystrokes, merged communes with restarting
STT and renumbered boxes, an abolished district's tree, names cut at 64 characters, scans in
two parts or of several records), its labelling rule in ``bench/wardgen/labels.py``.

``--tools khaudit splink recordlinkage`` audits each generated province with each linker, each
in its own process: khaudit's command line, and khaudit's whole pipeline with only
``match_locality`` swapped for a peer's linker from ``bench/match.py`` (``bench/peers.py``;
needs the ``bench`` extra). The tables, and the ``--by-keying`` tables, are given per tool.
``--diagnose`` then lists, grouped by kind, the scans a peer linked to their true record and
khaudit did not (left unlinked, or linked elsewhere): the truth's convention, the name's
shape, khaudit's status and its note's wording; every such scan goes to ``OUT/peer-wins.csv``.

    python bench/generalize.py --generator stationgen --seeds 205-209 --records 600 \
        --tools khaudit splink recordlinkage --by-keying --diagnose
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import deliverygen, fondsgen, officegen, peers, provgen, stationgen, wardgen  # noqa: E402
from khaudit.evaluate import score_run  # noqa: E402
from khaudit.run import load_run  # noqa: E402


def _seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            out += list(range(int(a), int(b) + 1))
        elif part:
            out.append(int(part))
    return out


def _macro_f1(crosstab: pd.DataFrame) -> tuple[float, dict[str, float]]:
    """Mean F1 over the expected statuses (rows) of an expected x found crosstab."""
    per: dict[str, float] = {}
    for status in crosstab.index:
        tp = float(crosstab.at[status, status]) if status in crosstab.columns else 0.0
        found = float(crosstab[status].sum()) if status in crosstab.columns else 0.0
        true = float(crosstab.loc[status].sum())
        precision = tp / found if found else 0.0
        recall = tp / true if true else 0.0
        per[status] = 2 * precision * recall / (precision + recall) if tp else 0.0
    return (sum(per.values()) / len(per) if per else 1.0), per


def _by_keying(score, truth: Path) -> list[dict[str, object]]:
    """Per naming convention: true links, links found right, records and files off."""
    files = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    records = pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False)
    rows = []
    rec_off = score.record_mismatches
    file_off = score.file_mismatches
    for keying in sorted(set(records["keying"]) | set(files["keying"])):
        rk = records[records["keying"] == keying]
        fk = files[files["keying"] == keying]
        r_off = rec_off[rec_off["keying"] == keying]
        f_off = file_off[file_off["keying"] == keying]
        kinds = (r_off["expected_status"] + "->" + r_off["status"]).value_counts()
        fkinds = (f_off["expected_status"] + "->" + f_off["status"]).value_counts()
        rows.append(
            {
                "keying": keying,
                "records": len(rk),
                "records_off": len(r_off),
                "files": len(fk),
                "files_off": len(f_off),
                "record_errors": {str(k): int(v) for k, v in kinds.items()},
                "file_errors": {str(k): int(v) for k, v in fkinds.items()},
            }
        )
    return rows


def _ambiguous_linked(run_dir: Path, truth: Path) -> tuple[int, int]:
    """Scans the truth labels ``needs_review`` (its labelling rule cannot single their dossier
    out) that the run linked: how many to the dossier they were made from, how many to
    another. The truth lists every scan's source row, so a decision the labelling rule did
    not expect is still checked."""
    key = ["source_file", "source_sheet", "source_row"]
    expected = pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False)
    found = load_run(run_dir).table("files")[["locality", "path", "status", *key]].astype(str)
    both = expected[expected["expected_status"] == "needs_review"].merge(
        found, on=["locality", "path"], suffixes=("", "_found")
    )
    linked = both[both["status"] == "matched"]
    same = (linked[key].to_numpy() == linked[[f"{k}_found" for k in key]].to_numpy()).all(axis=1)
    return int(same.sum()), int((~same).sum())


GENERATORS = {
    "provgen": provgen.generate,
    "stationgen": stationgen.generate,
    "officegen": officegen.generate,
    "fondsgen": fondsgen.generate,
    "wardgen": wardgen.generate,
    "deliverygen": deliverygen.generate,
}


def score_dir(run_dir: Path, truth: Path, by_keying: bool = False) -> dict[str, object]:
    """A run's figures against the province's truth (the measures this script publishes)."""
    score = score_run(run_dir, truth)
    rec_f1, rec_per = _macro_f1(score.records)
    file_f1, file_per = _macro_f1(score.files)
    run_records = load_run(run_dir).table("records")
    review = float((run_records["status"] == "needs_review").mean()) if len(run_records) else 0.0
    result: dict[str, object] = {
        "link_precision": score.link_precision,
        "link_recall": score.link_recall,
        "link_f1": score.link_f1,
        "record_status_f1": rec_f1,
        "file_status_f1": file_f1,
        "review_rate": review,
        "record_status_per": rec_per,
        "file_status_per": file_per,
    }
    result["ambiguous_linked"] = _ambiguous_linked(run_dir, truth)
    if by_keying:
        result["by_keying"] = _by_keying(score, truth)
    return result


def run_seed(
    seed: int,
    records: int,
    out: Path,
    localities: int,
    by_keying: bool,
    keep: bool,
    generator: str = "provgen",
    tools: tuple[str, ...] = ("khaudit",),
    diagnose: bool = False,
    reuse: bool = False,
) -> list[dict[str, object]]:
    """Generate one province and audit it with each tool, each in its own process (khaudit's
    command line at default settings; a peer is khaudit's pipeline with only the linker
    swapped, ``peers.py``); one result per tool. ``diagnose`` adds, under ``diagnosis``
    in khaudit's result, the links a peer made rightly that khaudit did not. ``reuse`` takes
    the province already generated under ``out`` for this seed and size, and scores a tool's
    run found there as it is (its seconds unknown)."""
    province = out / f"seed{seed}-n{records}"
    project = province / "project.toml"
    if not (reuse and project.exists()):
        project = GENERATORS[generator](province, seed, records, localities)
    truth = province / "ground_truth"
    results: list[dict[str, object]] = []
    runs: dict[str, Path] = {}
    for tool in tools:
        run_dir = province / ("run" if tool == "khaudit" else f"run-{tool}")
        if reuse and (run_dir / "run.json").exists():
            seconds, error = float("nan"), ""
        else:
            shutil.rmtree(run_dir, ignore_errors=True)
            seconds, error = peers.run_tool(tool, project, run_dir)
        head: dict[str, object] = {"tool": tool, "seed": seed, "records": records}
        if error:
            # A failed audit is a result, not the end of the benchmark: its province is kept
            # so it can be reproduced, and the table says so.
            results.append({**head, "error": error, "seconds": seconds, "province": str(province)})
            keep = True
            continue
        runs[tool] = run_dir
        results.append({**head, **score_dir(run_dir, truth, by_keying), "seconds": seconds})
    if diagnose and "khaudit" in runs:
        frames = [
            peers.peer_wins(runs["khaudit"], runs[tool], truth, tool)
            for tool in runs
            if tool != "khaudit"
        ]
        if frames:
            found = pd.concat(frames, ignore_index=True)
            found.insert(0, "seed", seed)
            results[list(tools).index("khaudit")]["diagnosis"] = found.to_dict("records")
    if not keep:
        shutil.rmtree(province, ignore_errors=True)
    return results


def run_one(
    seed: int,
    records: int,
    out: Path,
    localities: int,
    by_keying: bool,
    keep: bool,
    generator: str = "provgen",
) -> dict[str, object]:
    """khaudit alone on one generated province (``run_seed`` with its default tool)."""
    result = run_seed(seed, records, out, localities, by_keying, keep, generator)[0]
    del result["tool"]
    return result


_COLUMNS = (
    "link_precision",
    "link_recall",
    "link_f1",
    "record_status_f1",
    "file_status_f1",
    "review_rate",
    "seconds",
)


def _table(results: list[dict[str, object]]) -> str:
    head = "| seed | records | " + " | ".join(_COLUMNS) + " |"
    lines = [head, "|" + "---:|" * (len(_COLUMNS) + 2)]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['seed']} | {r['records']} | audit failed: {r['error']} |")
            continue
        cells = [f"{r[c]:.1f}" if c == "seconds" else f"{r[c]:.4f}" for c in _COLUMNS]
        lines.append(f"| {r['seed']} | {r['records']} | " + " | ".join(cells) + " |")
    for size in sorted({int(r["records"]) for r in results}):  # type: ignore[call-overload]
        group = [r for r in results if r["records"] == size and "error" not in r]
        if not group:
            continue
        means = [sum(float(r[c]) for r in group) / len(group) for c in _COLUMNS]  # type: ignore[arg-type]
        cells = [f"{m:.1f}" if c == "seconds" else f"**{m:.4f}**" for c, m in zip(_COLUMNS, means)]
        lines.append(f"| mean of {len(group)} | {size} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ambiguous_line(results: list[dict[str, Any]]) -> str:
    right = sum(r["ambiguous_linked"][0] for r in results if "ambiguous_linked" in r)
    wrong = sum(r["ambiguous_linked"][1] for r in results if "ambiguous_linked" in r)
    return (
        "Scans the truth labels needs_review that the runs linked: "
        f"{right} to the dossier they were made from, {wrong} to another."
    )


def _kinds(counts: dict[str, int], top: int = 4) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1])[:top])


def _keying_table(results: list[dict[str, Any]]) -> str:
    """Per naming convention over all runs: rows and files the run got wrong, and how."""
    total: dict[str, dict[str, Any]] = {}
    for result in results:
        for row in result.get("by_keying", []):
            acc = total.setdefault(
                row["keying"],
                {
                    "records": 0,
                    "records_off": 0,
                    "files": 0,
                    "files_off": 0,
                    "record_errors": {},
                    "file_errors": {},
                    "localities": 0,
                },
            )
            for key in ("records", "records_off", "files", "files_off"):
                acc[key] += row[key]
            acc["localities"] += 1
            for key in ("record_errors", "file_errors"):
                for kind, n in row[key].items():
                    acc[key][kind] = acc[key].get(kind, 0) + n
    lines = [
        "| convention | localities | records | records off | files | files off | "
        "record errors (expected->found) | file errors |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for keying, acc in sorted(
        total.items(), key=lambda kv: -kv[1]["records_off"] / max(1, kv[1]["records"])
    ):
        share = acc["records_off"] / max(1, acc["records"])
        lines.append(
            f"| {keying} | {acc['localities']} | {acc['records']} | {acc['records_off']} "
            f"({share:.0%}) | {acc['files']} | {acc['files_off']} | "
            f"{_kinds(acc['record_errors'])} | {_kinds(acc['file_errors'])} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate provinces with bench/provgen, audit them with the khaudit CLI "
        "(default settings) and score the runs against their truth. Seeds 1-5 are "
        "the tune seeds; seeds 100-109 are the report seeds (publish these, never "
        "tune on them)."
    )
    parser.add_argument(
        "--seeds",
        default="100-109",
        help="seeds, e.g. 100-109 or 1,2,5 (default: the report seeds 100-109)",
    )
    parser.add_argument(
        "--records",
        type=int,
        nargs="+",
        default=[600, 1500],
        help="records per locality (default: 600 1500)",
    )
    parser.add_argument("--localities", type=int, default=5)
    parser.add_argument(
        "--generator",
        choices=sorted(GENERATORS),
        default="provgen",
        help="the labelled province generator (default: provgen)",
    )
    parser.add_argument("--out", type=Path, default=Path("bench/out/generalize"))
    parser.add_argument("--json", action="store_true", help="print JSON lines, not a table")
    parser.add_argument(
        "--by-keying",
        action="store_true",
        help="also show, per naming convention, what the run got wrong",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep each generated province and its run under --out"
    )
    parser.add_argument(
        "--tools",
        nargs="+",
        choices=peers.TOOLS,
        default=["khaudit"],
        help="the linkers to audit each province with, each in its own process: khaudit's "
        "command line, or khaudit's pipeline with only the linker swapped for Splink or "
        "recordlinkage (needs the bench extra; default: khaudit)",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="with a peer in --tools: group by kind the scans a peer linked to their true "
        "record and khaudit did not, and write them all to OUT/peer-wins.csv",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="use the provinces already generated under --out (kept by --keep) and score the "
        "runs found in them as they are; only the missing runs are made",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    tools = tuple(dict.fromkeys(args.tools))
    results: list[dict[str, Any]] = []
    for records in args.records:
        for seed in _seeds(args.seeds):
            for result in run_seed(
                seed,
                records,
                args.out,
                args.localities,
                args.by_keying,
                args.keep,
                args.generator,
                tools,
                args.diagnose,
                args.reuse,
            ):
                results.append(result)
                _progress(result, args.json)
    if not args.json:
        for tool in tools:
            mine = [r for r in results if r["tool"] == tool]
            if len(tools) > 1:
                print(f"\n### {tool}\n")
            print(_table(mine))
            print()
            print(_ambiguous_line(mine))
            if args.by_keying:
                print()
                print(_keying_table(mine))
    if args.diagnose:
        _print_wins(results, args.out)
    return 0


def _progress(result: dict[str, Any], as_json: bool) -> None:
    tool, seed, records = result["tool"], result["seed"], result["records"]
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str), flush=True)
    elif "error" in result:
        print(
            f"{tool}, seed {seed}, {records} records: audit failed: {result['error']} "
            f"(province kept in {result['province']})",
            file=sys.stderr,
            flush=True,
        )
    else:
        print(
            f"{tool}, seed {seed}, {records} records: link F1 {result['link_f1']:.4f}, "
            f"record F1 {result['record_status_f1']:.4f}, "
            f"file F1 {result['file_status_f1']:.4f}, "
            f"review {result['review_rate']:.3f}, {result['seconds']:.0f} s",
            file=sys.stderr,
            flush=True,
        )


def _print_wins(results: list[dict[str, Any]], out: Path) -> None:
    """The scans a peer linked rightly and khaudit did not, by kind; all of them to a CSV."""
    rows = [row for r in results for row in r.get("diagnosis", [])]
    # with its header even when no peer won a scan: a CSV of one empty line is unreadable
    wins = pd.DataFrame(rows, columns=["seed", *peers.WIN_COLUMNS])
    wins.to_csv(out / "peer-wins.csv", index=False)
    print(f"\nScans a peer linked to their true record and khaudit did not: {len(wins)}")
    if wins.empty:
        return
    print(wins.groupby(["peer", "case", "khaudit_status"]).size().to_string())
    kinds = peers.win_kinds(wins)
    pd.set_option("display.width", 250)
    pd.set_option("display.max_colwidth", 90)
    print(kinds.head(40).to_string())
    print(f"(every scan in {out / 'peer-wins.csv'})")


if __name__ == "__main__":
    raise SystemExit(main())
