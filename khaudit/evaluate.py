"""Score a run against a ground truth (the demo's, or a hand-labelled sample).

Link precision and recall count (file -> record) pairs; statuses are compared row by row, so
every injected problem is either found or named as missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .i18n import t
from .run import load_run

_KEY = ["locality", "source_file", "source_sheet", "source_row"]


@dataclass
class Score:
    link_precision: float
    link_recall: float
    links_found: int
    links_true: int
    records: pd.DataFrame  # expected_status x status counts
    files: pd.DataFrame
    injected: pd.DataFrame  # injected problem -> found / total
    record_mismatches: pd.DataFrame
    file_mismatches: pd.DataFrame

    @property
    def link_f1(self) -> float:
        p, r = self.link_precision, self.link_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def all_injected_found(self) -> bool:
        return bool((self.injected["found"] == self.injected["total"]).all())


def _str(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    for c in columns:
        frame[c] = frame[c].astype(str).replace({"<NA>": "", "nan": ""})
    return frame


def _links(frame: pd.DataFrame) -> set[tuple[str, ...]]:
    rows = frame[frame["source_row"] != ""]
    return set(
        rows[["locality", "path", "source_file", "source_sheet", "source_row"]].itertuples(
            index=False, name=None
        )
    )


def score_run(run_dir: str | Path, truth_dir: str | Path) -> Score:
    run = load_run(run_dir)
    truth = Path(truth_dir)
    cols = [*_KEY, "path"]
    t_rec = _str(pd.read_csv(truth / "records.csv", dtype=str, keep_default_na=False), _KEY)
    t_files = _str(pd.read_csv(truth / "files.csv", dtype=str, keep_default_na=False), cols)
    r_rec = _str(run.table("records"), _KEY)
    r_files = _str(run.table("files"), cols)

    rec = t_rec.merge(r_rec[[*_KEY, "status", "note"]], on=_KEY, how="left")
    rec["status"] = rec["status"].fillna("(not loaded)")
    files = t_files.merge(
        r_files[
            ["locality", "path", "status", "source_file", "source_sheet", "source_row", "note"]
        ],
        on=["locality", "path"],
        how="left",
        suffixes=("", "_found"),
    )
    files["status"] = files["status"].fillna("(not scanned)")

    true_links = _links(t_files[~t_files["expected_status"].isin(["needs_review", "orphan"])])
    found = r_files[~r_files["status"].isin(["needs_review", "orphan"])]
    found_links = _links(found)
    hits = len(true_links & found_links)
    injected_rows = []
    for frame, label in ((rec, "records"), (files, "files")):
        for problem, group in frame[frame["injected"] != ""].groupby("injected"):
            injected_rows.append(
                {
                    "table": label,
                    "injected": problem,
                    "total": len(group),
                    "found": int((group["status"] == group["expected_status"]).sum()),
                }
            )
    return Score(
        link_precision=hits / len(found_links) if found_links else 1.0,
        link_recall=hits / len(true_links) if true_links else 1.0,
        links_found=len(found_links),
        links_true=len(true_links),
        records=pd.crosstab(rec["expected_status"], rec["status"]),
        files=pd.crosstab(files["expected_status"], files["status"]),
        injected=pd.DataFrame(injected_rows),
        record_mismatches=rec[rec["status"] != rec["expected_status"]],
        file_mismatches=files[files["status"] != files["expected_status"]],
    )


def format_score(score: Score) -> str:
    lines = [
        t(
            "score.links",
            precision=score.link_precision,
            recall=score.link_recall,
            f1=score.link_f1,
            found=score.links_found,
            true=score.links_true,
        ),
        "",
        t("score.records"),
        score.records.to_string(),
        "",
        t("score.files"),
        score.files.to_string(),
        "",
        t("score.injected"),
        score.injected.to_string(index=False),
    ]
    if len(score.record_mismatches):
        lines += [
            "",
            t("score.records_off"),
            score.record_mismatches[[*_KEY, "expected_status", "status", "note"]].to_string(
                index=False
            ),
        ]
    if len(score.file_mismatches):
        lines += [
            "",
            t("score.files_off"),
            score.file_mismatches[
                ["locality", "path", "expected_status", "status", "note"]
            ].to_string(index=False),
        ]
    verdict = t("score.all_found") if score.all_injected_found else t("score.missed")
    lines += ["", verdict]
    return "\n".join(lines)
