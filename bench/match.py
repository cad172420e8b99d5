"""Benchmark: matching quality and speed against Splink (DuckDB) and the Record Linkage Toolkit.

Usage:
    .venv/bin/pip install -e '.[bench]'     # the peers are benchmark dependencies only
    # (recordlinkage 0.16 pins pandas < 3, so this environment runs pandas 2; khaudit's
    # results are the same under pandas 2 and 3)
    .venv/bin/python bench/match.py [--records 5000] [--seeds 1 2 3] [--scale 50000]

Every tool sees the same labelled localities from ``matchgen.py`` (hard cases included) and its
links go through the same reconciliation, so the statuses and scores differ only by the linker.
The peers get every advantage khaudit can give them: its scan items (page series grouped), its
evidence from paths and sidecars (normalised code, box, file number, year, pages) and its
Vietnamese title normalisation (marks folded, abbreviations expanded). What they bring is their
own blocking, comparison and unsupervised model (Fellegi-Sunter: EM in Splink, ECM in
recordlinkage) and their own decision rule: a pair at match probability 0.5 or more is a match
(recordlinkage's ``predict``, Splink's usual threshold), then greedy one-to-one assignment,
most probable first. They have no review band: a band of 0.5-0.95 sent a quarter of Splink's
records to review in a trial, which no inspector would accept.

Each tool runs in its own process (``--one``), so its peak memory is its own. The table gives
link precision, recall and F1, record-status macro F1, the review rate, seconds from scan table
to statuses, records per second, pairs per second (records x files: the comparison space
covered) and peak memory; then per-status F1. ``--scale`` runs khaudit
alone on one locality of that many records (the 60 s / 4 GB bar).
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from matchgen import MatchCase, generate  # noqa: E402
from matchscore import score  # noqa: E402

from khaudit.match.evidence import normalize_code  # noqa: E402
from khaudit.match.items import Item, build_items  # noqa: E402
from khaudit.match.link import LINK_COLUMNS, MatchResult, match_locality  # noqa: E402
from khaudit.match.settings import MatchSettings  # noqa: E402
from khaudit.reconcile import reconcile  # noqa: E402
from khaudit.textnorm import match_form  # noqa: E402

MATCH_PROBABILITY = 0.5
#: Title words this common (share of records) are left out of the peers' token blocking,
#: as any user of either tool would, or every pair of land certificates is a candidate.
STOPWORD_SHARE = 0.02


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workers_peak_mb() -> float:
    """The largest resident size of a worker the matching forked (khaudit/match/blockpool.py),
    pages it shares with this process counted in full: 0 when none ran."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def cpu_time() -> float:
    """CPU seconds of this process and of the workers it forked that have ended (the block
    pool's are ended before matching goes on), so a run on two cores counts both."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


# -- the peers' input: khaudit's own evidence, as two flat tables ------------------------------
def record_table(case: MatchCase) -> pd.DataFrame:
    rec = case.records[case.records["duplicate_of"] == ""]
    return pd.DataFrame(
        {
            "unique_id": rec.index.astype(np.int64),
            "code": [normalize_code(c) if c else None for c in rec["record_code"]],
            "box": rec["box"].astype("float"),
            "file_no": rec["file_no"].astype("float"),
            "title": [match_form(t) for t in rec["title"]],
            "year": rec["year_start"].astype("float"),
            "pages": rec["sheets"].astype("float"),
        }
    )


def item_table(items: list[Item]) -> pd.DataFrame:
    rows = []
    for item in items:
        ev, side = item.evidence, item.sidecar
        code = (
            normalize_code(side.record_code)
            if side and side.record_code
            else (ev.code_keys[0][0] if ev.code_keys else None)
        )
        title = side.title if side and side.title else ev.title
        year = side.year if side and side.year else ev.year
        rows.append(
            {
                "unique_id": item.item_id,
                "code": code,
                "box": ev.box,
                "file_no": ev.file_no,
                "title": match_form(title) if title else None,
                "year": year,
                "pages": item.pages,
            }
        )
    table = pd.DataFrame(rows)
    for col in ("box", "file_no", "year", "pages"):
        table[col] = table[col].astype("float")
    return table


def rare_tokens(records: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Title words minus the most common ones, as lists (for token blocking)."""
    counts = records["title"].str.split().explode().value_counts()
    # (at least a few records: in a small locality 2% is less than one record, and every
    # word of every title was left out)
    common = set(counts[counts > max(STOPWORD_SHARE * len(records), 5)].index)

    def tokens(title: object) -> list[str]:
        return sorted({w for w in str(title).split() if w not in common}) if title else []

    return records["title"].map(tokens), items["title"].map(tokens)


def one_to_one(pairs: pd.DataFrame) -> pd.DataFrame:
    """Greedy one-to-one assignment, most probable pair first; the same for both peers."""
    pairs = pairs.sort_values("p", ascending=False)
    used_items: set[int] = set()
    used_records: set[int] = set()
    keep = []
    for item, record, p in zip(pairs["item"], pairs["record"], pairs["p"]):
        if p < MATCH_PROBABILITY or item in used_items or record in used_records:
            continue
        used_items.add(item)
        used_records.add(record)
        keep.append((item, record, p))
    return pd.DataFrame(keep, columns=["item", "record", "p"])


def as_match(items: list[Item], chosen: pd.DataFrame, method: str) -> MatchResult:
    links = pd.DataFrame(
        {
            "item_id": chosen["item"].astype(int),
            "record": chosen["record"].astype(int),
            "method": method,
            "score": chosen["p"].astype(float).round(4),  # (object dtype when none)
            "decision": "link",
            "rank": 1,
            "explanation": [f"{method} p={p:.3f}" for p in chosen["p"]],
        },
        columns=LINK_COLUMNS,
    )
    return MatchResult(items=items, links=links)


# -- the three linkers ----------------------------------------------------------------------
def run_khaudit(case: MatchCase, settings: MatchSettings) -> MatchResult:
    return match_locality(case.records, case.scans, case.sidecars, settings)


def run_splink(case: MatchCase, settings: MatchSettings) -> MatchResult:
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    items = build_items(case.scans, case.sidecars)
    left, right = record_table(case), item_table(items)
    left["tokens"], right["tokens"] = rare_tokens(left, right)
    left["word"], right["word"] = rarest_word(left["tokens"], right["tokens"])
    rules = [
        block_on("code"),
        block_on("box", "file_no"),
        block_on("file_no"),
        block_on("tokens", arrays_to_explode=["tokens"]),
    ]
    spec = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.ExactMatch("code"),
            cl.ExactMatch("file_no"),
            cl.ExactMatch("box"),
            cl.JaroWinklerAtThresholds("title", [0.99, 0.95, 0.9, 0.8]),
            cl.ArrayIntersectAtSizes("tokens", [4, 2, 1]),
            cl.ExactMatch("year"),
        ],
        blocking_rules_to_generate_predictions=rules,
        retain_intermediate_calculation_columns=False,
    )
    db = DuckDBAPI()
    linker = Linker(
        [
            db.register(left, dataset_display_name="records"),
            db.register(right, dataset_display_name="scans"),
        ],
        spec,
        log_level="ERROR",
    )
    train_splink(linker, block_on, left, right)
    predicted = linker.inference.predict(threshold_match_probability=MATCH_PROBABILITY)
    frame = predicted.as_pandas_dataframe()
    left_is_record = (frame["source_dataset_l"] == "records").to_numpy()
    pairs = pd.DataFrame(
        {
            "record": np.where(left_is_record, frame["unique_id_l"], frame["unique_id_r"]),
            "item": np.where(left_is_record, frame["unique_id_r"], frame["unique_id_l"]),
            "p": frame["match_probability"],
        }
    )
    return as_match(items, one_to_one(pairs), "splink")


def rarest_word(left: pd.Series, right: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each title's rarest word among the records (a single value, None for no word): a
    blocking column Splink's training accepts, where the token lists must be exploded and its
    expectation maximisation refuses exploding rules."""
    counts = left.explode().value_counts()

    def rarest(tokens: list[str]) -> str | None:
        known = [w for w in tokens if w in counts.index]  # a typo is no block
        return min(known, key=lambda w: (counts[w], w)) if known else None

    return left.map(rarest), right.map(rarest)


def train_splink(linker: object, block_on: object, left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Train Splink on whatever evidence the locality has. A locality with one naming habit
    has no codes (or no file numbers, or no titles) on its scan side, and a training step
    blocked on an empty column raises: each step is tried on the columns both sides fill
    (code, file number, a title's rarest word, year), as a user would, and the prior falls
    back to one scan per record. A step that cannot run is said on stderr."""
    filled = [
        c
        for c in ("code", "file_no", "word", "year")
        if left[c].notna().any() and right[c].notna().any()
    ]
    rules = [block_on(c) for c in filled]
    # A deterministic rule that finds more pairs than the cross product holds matches, or
    # none, estimates a prior of 1 or 0, whose match weight is log(0): prediction then raises
    # "math domain error". Such an estimate says nothing: the next evidence is tried, and
    # when none gives one, one scan per record is the prior.
    settings = linker._settings_obj  # type: ignore[attr-defined]
    usable = False
    for rule, column in zip(rules, filled):
        if _try(
            lambda r=rule: linker.training.estimate_probability_two_random_records_match(  # type: ignore[attr-defined]
                [r], recall=0.5
            ),
            f"prior on {column}",
        ):
            prior = settings._probability_two_random_records_match
            usable = 0.0 < prior < 1.0
            if usable:
                break
            print(f"splink: prior on {column} was {prior}, not usable", file=sys.stderr)
    if not usable:
        print(
            f"splink: one scan per record is the prior, 1/{max(2, len(left))} "
            f"(columns both sides fill: {filled or 'none'})",
            file=sys.stderr,
        )
        settings._probability_two_random_records_match = 1.0 / max(2, len(left))
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)  # type: ignore[attr-defined]
    learned = [
        column
        for rule, column in zip(rules, filled)
        if _try(
            lambda r=rule: linker.training.estimate_parameters_using_expectation_maximisation(r),  # type: ignore[attr-defined]
            f"EM blocked on {column}",
        )
    ]
    if not learned:
        # Splink still predicts, from its default m probabilities and the u it estimated:
        # the locality is linked, not dropped, and the log says how.
        print("splink: no EM step could run; default m probabilities", file=sys.stderr)


def _try(step: object, name: str) -> bool:
    """Run one training step; a step with nothing to learn from is said on stderr (the run's
    log), not hidden, and training goes on with the next evidence."""
    try:
        step()  # type: ignore[operator]
    except Exception as exc:  # noqa: BLE001 - any library failure of one step
        print(f"splink: {name} skipped: {type(exc).__name__}: {exc}"[:300], file=sys.stderr)
        return False
    return True


def run_recordlinkage(case: MatchCase, settings: MatchSettings) -> MatchResult:
    import recordlinkage as rl

    items = build_items(case.scans, case.sidecars)
    left, right = record_table(case), item_table(items)
    left_tokens, right_tokens = rare_tokens(left, right)
    left, right = left.set_index("unique_id"), right.set_index("unique_id")
    # Candidates: equal code, equal file number, or a rare title word in common.
    index = rl.Index()
    index.block("code")
    index.block("file_no")
    candidates = index.index(left, right)
    exploded_l = left_tokens.set_axis(left.index).explode().dropna()
    exploded_r = right_tokens.set_axis(right.index).explode().dropna()
    joined = pd.merge(
        exploded_l.rename("t").reset_index(),
        exploded_r.rename("t").reset_index(),
        on="t",
        suffixes=("_l", "_r"),
    )
    by_words = pd.MultiIndex.from_frame(
        joined[["unique_id_l", "unique_id_r"]], names=candidates.names
    )
    candidates = candidates.union(by_words).unique()
    # One job: in khaudit's pipeline the linker runs in a forked matching worker, where
    # joblib's process pool sat idle for minutes (347 s for 80 records, 20 s of CPU).
    compare = rl.Compare(n_jobs=1)
    compare.exact("code", "code", label="code")
    compare.exact("file_no", "file_no", label="file_no")
    compare.exact("box", "box", label="box")
    compare.string("title", "title", method="jarowinkler", threshold=0.85, label="title")
    compare.exact("year", "year", label="year")
    compare.numeric("pages", "pages", method="step", offset=20, label="pages")
    features = compare.compute(candidates, left, right)
    if features.empty:  # no pair shares a code, a number or a rare word: nothing to learn
        return as_match(items, pd.DataFrame(columns=["item", "record", "p"]), "recordlinkage")
    model = rl.ECMClassifier(binarize=0.5)
    model.fit(features)
    p = model.prob(features)
    pairs = pd.DataFrame(
        {
            "record": features.index.get_level_values(0),
            "item": features.index.get_level_values(1),
            "p": p.to_numpy(),
        }
    )
    return as_match(items, one_to_one(pairs), "recordlinkage")


TOOLS = {"khaudit": run_khaudit, "splink": run_splink, "recordlinkage": run_recordlinkage}


# -- khaudit's matching stage by stage (--stages) ----------------------------------------------
#: Stage -> where it is called from: (module, attribute) or (module, class, method). Timed by
#: wrapping those callables, each stage exclusive of the stages it calls (a title ranking
#: inside the number readings counts as candidates and scoring), so the stages add up; the
#: wrapper costs a few microseconds a call (``exact`` is called once per item).
STAGES: dict[str, list[tuple[str, ...]]] = {
    "items and evidence": [("khaudit.match.link", "build_items")],
    "exact codes": [("khaudit.match.link", "_Linker", "exact")],
    "title index": [("khaudit.match.link", "_Linker", "__init__")],
    "conventions": [
        ("khaudit.match.readings", "ConventionIndex", "__init__"),
        ("khaudit.match.readings", "ConventionIndex", "learn"),
        ("khaudit.match.link", "_Linker", "anchors"),
    ],
    "candidates and scoring": [("khaudit.match.link", "_Linker", "rank_titles")],
    "links by readings": [("khaudit.match.link", "_Linker", "by_readings")],
    "assignment": [
        ("khaudit.match.link", "_Linker", "fuzzy"),
        ("khaudit.match.link", "_Linker", "by_order"),
    ],
    "page content": [
        ("khaudit.match.link", "PageScores"),
        ("khaudit.match.link", "item_texts"),
        ("khaudit.match.link", "link_unnamed"),
        ("khaudit.match.link", "check_links"),
    ],
    "hints and reasons": [
        ("khaudit.match.link", "_Linker", "record_hints"),
        ("khaudit.match.link", "_name_schemes"),
    ],
}


class StageClock:
    """Wall and CPU seconds per stage, each exclusive of the stages called inside it, and how
    far each stage raised this process's peak resident size (MB): the rises add up to the
    peak, so the stage that set it can be read off."""

    def __init__(self) -> None:
        self.spent: dict[str, list[float]] = {}  # stage -> [wall, cpu, peak rise]
        #: [stage, wall start, cpu start, peak at start, child wall, child cpu, child rise]
        self._stack: list[list[Any]] = []

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._stack.append([stage, time.perf_counter(), cpu_time(), peak_mb(), 0.0, 0.0, 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                _, wall0, cpu0, peak0, *inside = self._stack.pop()
                took = [time.perf_counter() - wall0, cpu_time() - cpu0, peak_mb() - peak0]
                spent = self.spent.setdefault(stage, [0.0, 0.0, 0.0])
                for i, (total, inner) in enumerate(zip(took, inside)):
                    spent[i] += total - inner
                    if self._stack:
                        self._stack[-1][4 + i] += total

        return functools.wraps(fn)(timed)

    def install(self, stages: dict[str, list[tuple[str, ...]]] = STAGES) -> None:
        """Wrap every stage's callables where they are called (matching's by default)."""
        for stage, places in stages.items():
            for module_name, *path in places:
                owner: Any = importlib.import_module(module_name)
                for name in path[:-1]:
                    owner = getattr(owner, name)
                setattr(owner, path[-1], self.wrap(stage, getattr(owner, path[-1])))


def measure(tool: str, records: int, seed: int, stages: bool = False) -> dict[str, object]:
    case = generate(records, seed)
    settings = MatchSettings()
    clock = StageClock()
    if stages:
        clock.install()
    start, cpu, own = time.perf_counter(), cpu_time(), time.process_time()
    match = TOOLS[tool](case, settings)
    matched = time.perf_counter()
    rec, files = reconcile(case.records, case.scans, match, settings)
    seconds = time.perf_counter() - start
    cpu, own = cpu_time() - cpu, time.process_time() - own
    result: dict[str, object] = {
        "tool": tool,
        "seed": seed,
        "records": len(case.records),
        "files": len(case.scans),
        "seconds": seconds,
        "cpu_seconds": cpu,
        # The workers' share ran beside this process's waiting: on an idle box of n cores the
        # run takes about own + (cpu - own) / n seconds.
        "own_cpu_seconds": own,
        "peak_mb": peak_mb(),
        "workers_peak_mb": workers_peak_mb(),
    }
    if stages:
        timed = {stage: spent[0] for stage, spent in clock.spent.items()}
        # the numbers read from each path (item_readings), decisions and the link table
        timed["readings and the rest"] = matched - start - sum(timed.values())
        timed["reconcile"] = seconds - (matched - start)
        result["stages"] = timed
        result["stages_cpu"] = {stage: spent[1] for stage, spent in clock.spent.items()}
    result.update(score(rec, files, case.records, case.scans))
    return result


def child(tool: str, records: int, seed: int, stages: bool = False) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--one", tool, "--records", str(records), "--seeds", str(seed)]
        + (["--stages"] if stages else []),
        capture_output=True,
        text=True,
    )
    if out.returncode != 0:
        return {"tool": tool, "seed": seed, "error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--tools", nargs="+", default=list(TOOLS))
    parser.add_argument(
        "--scale",
        type=int,
        default=50000,
        help="records in the one-locality scale run of khaudit (0: skip)",
    )
    parser.add_argument(
        "--stages",
        action="store_true",
        help="time the scale run's matching stage by stage (wall seconds, each stage "
        "without the stages it calls)",
    )
    parser.add_argument("--one", choices=list(TOOLS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = measure(args.one, args.records, args.seeds[0], args.stages)
        print(json.dumps(result, default=float))
        return
    rows = [child(tool, args.records, seed) for seed in args.seeds for tool in args.tools]
    table = pd.DataFrame(rows)
    if "error" in table:
        for row in table[table["error"].notna()].itertuples():
            print(f"{row.tool} seed {row.seed} failed: {row.error}")
        table = table[table["error"].isna()].drop(columns="error")
    summary = table.groupby("tool", sort=False).agg(
        records=("records", "mean"),
        files=("files", "mean"),
        link_precision=("link_precision", "mean"),
        link_recall=("link_recall", "mean"),
        link_f1=("link_f1", "mean"),
        status_macro_f1=("status_macro_f1", "mean"),
        review_rate=("review_rate", "mean"),
        seconds=("seconds", "mean"),
        peak_mb=("peak_mb", "max"),
    )
    summary["records_per_s"] = summary["records"] / summary["seconds"]
    # The comparison space covered per second (records x files), the usual throughput figure
    # of record linkage: what a tool without blocking would have to score.
    summary["pairs_per_s"] = summary["records"] * summary["files"] / summary["seconds"]
    pd.set_option("display.width", 200)
    print(
        f"{len(args.seeds)} localities of {args.records} records (seeds {args.seeds}), "
        "mean per locality; 2 cores\n"
    )
    print(
        summary.round(
            {
                "link_precision": 4,
                "link_recall": 4,
                "link_f1": 4,
                "status_macro_f1": 4,
                "review_rate": 4,
                "seconds": 1,
                "records_per_s": 0,
                "pairs_per_s": -6,
                "peak_mb": 0,
                "records": 0,
                "files": 0,
            }
        ).to_string()
    )
    per_status = (
        table.groupby("tool", sort=False)[[c for c in table.columns if c.startswith("f1_")]]
        .mean()
        .round(4)
    )
    print("\nrecord-status F1 by status\n")
    print(per_status.to_string())
    if "khaudit" in summary.index:
        for peer in summary.index.drop("khaudit"):
            print(
                f"link F1 khaudit {summary.at['khaudit', 'link_f1']:.4f} vs {peer} "
                f"{summary.at[peer, 'link_f1']:.4f}; time ratio "
                f"{summary.at[peer, 'seconds'] / summary.at['khaudit', 'seconds']:.1f}x"
            )
    if args.scale:
        big = child("khaudit", args.scale, args.seeds[0], args.stages)
        print(
            f"\nscale: one locality of {big['records']} records and {big['files']} files: "
            f"{big['seconds']:.1f} s ({big['cpu_seconds']:.1f} CPU s"
            + (
                f", {big['own_cpu_seconds']:.1f} of them in this process"
                if big.get("own_cpu_seconds", big["cpu_seconds"]) < big["cpu_seconds"] - 0.05
                else ""
            )
            + "), "
            f"peak {big['peak_mb']:.0f} MB"
            + (f" (a worker {big['workers_peak_mb']:.0f} MB)" if big.get("workers_peak_mb") else "")
            + ", "
            f"link F1 {big['link_f1']:.4f}, status macro F1 {big['status_macro_f1']:.4f}, "
            f"review rate {big['review_rate']:.4f}"
        )
        for stage, wall in big.get("stages", {}).items():
            cpu = big["stages_cpu"].get(stage)
            print(f"  {stage:<24} {wall:6.1f} s" + (f"  ({cpu:.1f} CPU s)" if cpu else ""))


if __name__ == "__main__":
    main()
