"""``khaudit package --receiver``: one bag of everything zoned to one receiving unit.

Under two-level local government a receiving commune takes records from several giving units
(its own former communes, the former district). The bag gathers, across every locality of the
run, the records whose ``receiver`` is that unit: their scans (``data/scans/<root>/…``), their
rows of the run's tables (``data/run``: a run of its own holding only those records, their
files, inventory problems and review candidates) and the handover minutes of each giving unit
(``data/report/bien-ban-<giving unit>.pdf``, drawn by the locality minutes renderer from that
run). The inventories themselves are left out: they list other receivers' records too.
bag-info.txt names the giving units and the receiver with their official codes.

The bag is built like a locality's (``package.py``): SHA-256 taken from the run or the scan
catalogue where the file is unchanged, copies (reflinks) by default, built beside ``out`` and
renamed into place.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import unicodedata
from pathlib import Path

import pandas as pd

from .._version import __version__
from ..contract import FILE_STATUSES, RECORD_STATUSES
from ..errors import KhauditError
from ..i18n import t
from ..project import load_project
from ..run import TABLE_COLUMNS, TABLES, Run, load_run, status_counts, write_run
from ..textnorm import fold, slugify
from .package import (
    MODES,
    PackageResult,
    PayloadFile,
    _Collected,
    _from_catalogue,
    _hash_unknown,
    _labels,
    _place_payload,
    _scans,
    _sha256,
    _write_tags,
    check_bag_out,
    check_payload_names,
    inventory_patterns,
)
from .staging import staging_for

_KEY = ["locality", "source_file", "source_sheet", "source_row"]


def resolve_receiver(records: pd.DataFrame, receiver: str) -> tuple[str, str]:
    """(name, code) of the receiver named ``receiver`` (its name as written in the run, its
    code, or its name without marks or case); KhauditError listing the receivers otherwise."""
    pairs = (
        records.loc[records["receiver"].fillna("") != "", ["receiver", "receiver_code"]]
        .fillna("")
        .astype(str)
        .drop_duplicates()
    )
    wanted = receiver.strip()
    for name, code in pairs.itertuples(index=False):
        if wanted in (name, code) or fold(wanted) == fold(name):
            return name, code
    known = "; ".join(sorted(set(pairs["receiver"]))) or "-"
    raise KhauditError(t("err.package.no_receiver", receiver=receiver, known=known))


def _keys(frame: pd.DataFrame) -> pd.Series:
    """A record's provenance as one text key (row numbers read back as text or numbers)."""
    parts = [frame[c].fillna("").astype(str) for c in _KEY[:-1]]
    row = pd.to_numeric(frame["source_row"], errors="coerce").astype("Int64").astype(str)
    return parts[0] + "\x1f" + parts[1] + "\x1f" + parts[2] + "\x1f" + row


def _receiver_tables(run: Run, name: str) -> dict[str, pd.DataFrame]:
    """The run's tables cut to the receiver's records and what belongs to them."""
    records = run.table("records")
    mine = records[records["receiver"].fillna("") == name].reset_index(drop=True)
    keys = set(_keys(mine))
    tables = {table: pd.DataFrame(columns=TABLE_COLUMNS[table]) for table in TABLES}
    tables["records"] = mine
    for table in ("files", "inventory_issues", "candidates"):
        frame = run.table(table)
        if len(frame):
            tables[table] = frame[_keys(frame).isin(keys)].reset_index(drop=True)
    return tables


def _giving(run: Run, records: pd.DataFrame) -> list[dict[str, str]]:
    """The giving units (localities with records for the receiver), in the run's order."""
    present = set(records["locality"])
    return [
        {"name": loc["name"], "code": str(loc.get("code", "")), "former": loc.get("former", "")}
        for loc in run.meta.get("localities", [])
        if loc["name"] in present
    ]


def _collect_scans(
    run: Run, run_dir: Path, files: pd.DataFrame, rehash: bool, project_file: Path | None
) -> _Collected:
    """The scans of the receiver's records, SHA-256 reused where the file is unchanged."""
    location = project_file or Path(run.meta.get("project", {}).get("location", ""))
    if not location or not Path(location).exists():
        raise KhauditError(t("err.package.project", run_dir=run_dir, location=location))
    project = load_project(location)
    roots = sorted(set(files["root"]))
    labels = _labels(roots)
    prefix = {root: os.path.join(str(project.base), root) for root in roots}
    collected = _Collected(run, "", [], [], 0, labels, list(prefix.values()))
    collected.inventory_patterns = inventory_patterns(project)
    typed = files.assign(
        size=pd.to_numeric(files["size"]),
        mtime=pd.to_numeric(files["mtime"]),
        inode=pd.to_numeric(files["inode"]),
        sha256=files["sha256"].fillna(""),
    )
    _scans(typed, prefix, labels, rehash, collected)
    lacking = [p for p in collected.payload if p.expected_xxh3 and not p.sha256]
    catalogue = project.scan.catalogue
    if lacking and not rehash and catalogue and Path(catalogue).exists():
        collected.from_catalogue += _from_catalogue(catalogue, lacking, prefix)
    return collected


def _write_receiver_run(
    run: Run, tables: dict[str, pd.DataFrame], receiver: tuple[str, str], folder: Path
) -> list[PayloadFile]:
    """``data/run``: the receiver's rows as a run of their own (fingerprint and id kept)."""
    records, files = tables["records"], tables["files"]
    meta = {k: v for k, v in run.meta.items() if k != "tables"}
    giving = {g["name"] for g in _giving(run, records)}
    meta["localities"] = [loc for loc in meta.get("localities", []) if loc["name"] in giving]
    meta["counts"] = {
        name: {
            "records": status_counts(records[records["locality"] == name], RECORD_STATUSES),
            "files": status_counts(files[files["locality"] == name], FILE_STATUSES),
        }
        for name in giving
    }
    meta["inputs"] = []
    meta["source_tables"] = run.meta.get("tables", {})
    meta["bag_receiver"] = {"name": receiver[0], "code": receiver[1]}
    written = write_run(folder, tables, meta)
    return [
        PayloadFile(str(folder / f), f"data/run/{f}", (folder / f).stat().st_size, sha256=d)
        for f, d in written["tables"].items()
    ] + [
        PayloadFile(
            str(folder / "run.json"),
            "data/run/run.json",
            (folder / "run.json").stat().st_size,
            sha256=_sha256(str(folder / "run.json"))[0],
        )
    ]


def _minutes(run_folder: Path, report: Path, lang: str) -> list[PayloadFile]:
    """The handover minutes of each giving unit, drawn from the receiver's own run."""
    from ..report.minutes_pdf import write_minutes_pdf

    bag_run = load_run(run_folder)
    report.mkdir(parents=True, exist_ok=True)
    made = []
    for loc in bag_run.meta.get("localities", []):
        target = report / f"bien-ban-{slugify(loc['name'])}.pdf"
        write_minutes_pdf(bag_run, loc["name"], target, lang=lang)
        made.append(
            PayloadFile(
                str(target),
                f"data/report/{target.name}",
                target.stat().st_size,
                sha256=_sha256(str(target))[0],
            )
        )
    return made


def package_receiver(
    run_dir: str | Path,
    receiver: str,
    out: str | Path,
    mode: str = "copy",
    rehash: bool = False,
    project: str | Path | None = None,
    workers: int = 0,
    lang: str = "vi",
) -> PackageResult:
    """Write the bag of everything a run zoned to ``receiver`` (name or official code) to
    ``out`` (new, not inside a scan root). ``mode`` as for :func:`package_locality`."""
    if mode not in MODES:
        raise KhauditError(t("err.package.mode", mode=mode, modes=", ".join(MODES)))
    run_dir, out = Path(run_dir), Path(out)
    if out.exists():
        raise KhauditError(t("err.package.exists", out=out))
    run = load_run(run_dir)
    stale = run.verify_tables()
    if stale:
        raise KhauditError(t("err.package.stale", run_dir=run_dir, tables=", ".join(stale)))
    if "receiver" not in run.table("records").columns:
        raise KhauditError(t("err.package.no_zoning", run_dir=run_dir))
    name, code = resolve_receiver(run.table("records"), receiver)
    tables = _receiver_tables(run, name)
    collected = _collect_scans(
        run, run_dir, tables["files"], rehash, Path(project) if project else None
    )
    check_bag_out(out, collected)
    long_paths = check_payload_names(out, collected)
    payload = collected.payload
    result = PackageResult(out, 0, 0, _hash_unknown(payload, workers), 0, 0, 0, 0)
    result.from_catalogue = collected.from_catalogue
    result.notes += long_paths
    if mode == "link":
        result.notes.append(t("package.link_warning"))
    with staging_for(out, result.notes) as staging:
        folder = staging / "data" / "run"
        payload += _write_receiver_run(run, tables, (name, code), folder)
        payload += _minutes(folder, staging / "data" / "report", lang)
        result.files, result.bytes = len(payload), sum(p.size for p in payload)
        fetch_lines = _place_payload(staging, payload, mode, result)
        roots = {v: k for k, v in collected.labels.items()}
        info = _bag_info(run, tables["records"], (name, code), roots, payload)
        _write_tags(staging, payload, fetch_lines, info)
    return result


def _bag_info(
    run: Run,
    records: pd.DataFrame,
    receiver: tuple[str, str],
    roots: dict[str, str],
    payload: list[PayloadFile],
) -> list[tuple[str, str]]:
    """bag-info.txt: the giving units and the receiver with their codes, and the counts."""
    meta = run.meta
    giving = _giving(run, records)
    counts = status_counts(records, RECORD_STATUSES)
    named = "; ".join(f"{g['name']} ({g['code']})" if g["code"] else g["name"] for g in giving)
    items = [
        ("Source-Organization", named),
        ("External-Description", meta.get("title", "")),
        ("Bagging-Date", dt.date.today().isoformat()),
        ("Payload-Oxum", f"{sum(p.size for p in payload)}.{len(payload)}"),
        ("Bag-Software-Agent", f"khaudit {__version__}"),
        ("KHAudit-Receiver", receiver[0]),
        ("KHAudit-Receiver-Code", receiver[1]),
        ("KHAudit-Giving-Units", json.dumps(giving, ensure_ascii=False)),
        ("KHAudit-Province", meta.get("province", "")),
        ("KHAudit-Run-Fingerprint", meta.get("fingerprint", "")),
        ("KHAudit-Run-Id", meta.get("run_id", "")),
        ("KHAudit-Tool-Version", meta.get("version", "")),
        ("KHAudit-Scan-Roots", json.dumps(roots, ensure_ascii=False)),
    ]
    items += [(f"KHAudit-Records-{s}", str(counts.get(s, 0))) for s in RECORD_STATUSES]
    return [(k, unicodedata.normalize("NFC", str(v)).replace("\n", " ")) for k, v in items]


__all__ = ["package_receiver", "resolve_receiver"]
