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
#: The status of a ground-truth record the run did not load, of a file it did not scan.
NOT_LOADED, NOT_SCANNED = "(not loaded)", "(not scanned)"


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
        frame[c] = frame[c].astype(str).fillna("").replace({"<NA>": "", "nan": ""})
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
    rec["status"] = rec["status"].fillna(NOT_LOADED)
    files = t_files.merge(
        r_files[
            ["locality", "path", "status", "source_file", "source_sheet", "source_row", "note"]
        ],
        on=["locality", "path"],
        how="left",
        suffixes=("", "_found"),
    )
    files["status"] = files["status"].fillna(NOT_SCANNED)

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


def format_score(score: Score, lang: str | None = None) -> str:
    """The score as a person reads it in ``lang``: numbers written the language's way,
    statuses and injected problems in words (the codes stay in the ground truth's CSVs)."""
    from .report import numbers as N

    lines = [
        t(
            "score.links",
            lang,
            precision=N.decimal(score.link_precision, _lang(lang), 4),
            recall=N.decimal(score.link_recall, _lang(lang), 4),
            f1=N.decimal(score.link_f1, _lang(lang), 4),
            found=N.integer(score.links_found, _lang(lang)),
            true=N.integer(score.links_true, _lang(lang)),
        ),
        "",
        t("score.records", lang),
        *_crosstab_lines(score.records, lang),
        "",
        t("score.files", lang),
        *_crosstab_lines(score.files, lang),
        "",
        t("score.injected", lang),
        _injected_text(score.injected, lang),
    ]
    if len(score.record_mismatches):
        columns = [*_KEY, "expected_status", "status", "note"]
        lines += ["", t("score.records_off", lang)]
        lines.append(_mismatch_text(score.record_mismatches[columns], lang))
    if len(score.file_mismatches):
        columns = ["locality", "path", "expected_status", "status", "note"]
        lines += ["", t("score.files_off", lang)]
        lines.append(_mismatch_text(score.file_mismatches[columns], lang))
    verdict = t("score.all_found", lang) if score.all_injected_found else t("score.missed", lang)
    lines += ["", verdict]
    return "\n".join(lines)


def _lang(lang: str | None) -> str:
    from .i18n import language

    return lang or language()


def _status(code: str, lang: str | None) -> str:
    """A status in words, as is one the run never gave (a record it did not load, a file it
    did not scan); an unknown code as it is."""
    from .i18n import catalogue

    named = {NOT_LOADED: "score.not_loaded", NOT_SCANNED: "score.not_scanned"}
    key = named.get(code, f"status.{code}")
    return t(key, lang) if key in catalogue(_lang(lang)) else code


def _crosstab_lines(table: pd.DataFrame, lang: str | None) -> list[str]:
    """Each true status with how the run found its rows ("Đã số hóa (1.198): Đã số hóa
    1.198"), the rows found otherwise named after those found alike."""
    from .report import numbers as N

    out = []
    for expected, row in table.iterrows():
        found = row[row > 0].sort_values(ascending=False)
        order = [expected] if expected in found.index else []
        parts = [
            f"{_status(str(s), lang)} {N.integer(found[s], _lang(lang))}"
            for s in order + [s for s in found.index if s != expected]
        ]
        total = N.integer(int(row.sum()), _lang(lang))
        out.append(f"  {_status(str(expected), lang)} ({total}): {'; '.join(parts)}")
    return out


def _injected_text(injected: pd.DataFrame, lang: str | None) -> str:
    from .i18n import catalogue
    from .report import numbers as N

    known = catalogue(_lang(lang))
    rows = {
        t("score.col.table", lang): [t(f"score.table.{v}", lang) for v in injected["table"]],
        t("score.col.injected", lang): [
            known.get(f"score.injected_kind.{v}", v) for v in injected["injected"]
        ],
        t("score.col.total", lang): [N.integer(v, _lang(lang)) for v in injected["total"]],
        t("score.col.found", lang): [N.integer(v, _lang(lang)) for v in injected["found"]],
    }
    return pd.DataFrame(rows).to_string(index=False) if len(injected) else ""


def _mismatch_text(frame: pd.DataFrame, lang: str | None) -> str:
    from .report.present import for_people

    shown = frame.copy()
    for column in ("expected_status", "status"):
        shown[column] = [_status(str(v), lang) for v in shown[column]]
    shown = for_people(shown, _lang(lang))
    return shown.rename(columns={c: t(f"score.col.{c}", lang) for c in shown.columns}).to_string(
        index=False
    )
