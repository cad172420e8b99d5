"""Benchmark: time and peak memory of each audit stage on demo provinces of growing size, and
``khaudit audit`` itself on one locality at province scale.

Usage: .venv/bin/python bench/audit_stages.py [--rows 300 1000 3000] [--localities 4]
       .venv/bin/python bench/audit_stages.py --scale 50000 [--dir DIR] [--rescans 1]

For each size it generates a demo province (outside the timing), then times each stage of
an audit for every locality, in this process: inventory loading, scanning (hash + inspection),
matching and reconciliation. It prints one table with seconds, rows/s and the cost per inventory
row, so the growth of each stage with size can be read off (it should be about linear).

``--scale N`` writes one labelled ``matchgen`` locality of N records to disk once (kept in
``--dir``, outside the timing): its inventory as a CSV, every scan as a small file of its
format (PDFs of their page count, ``bench/pdfgen.py``'s; JPEG pages; truncated and empty files
as the generator has them; copies byte-identical) and the scanner's metadata export. Then
``khaudit audit PROJECT --out RUN`` runs, each time in a fresh process, exactly as a user
types it (reports included): the first scan (empty catalogue), then ``--rescans`` rescans of
the unchanged tree, which is what a daily audit is. Each prints its wall time, the CPU seconds of
the whole process tree and of the run's own process, the peak resident size of the run's
process and of its largest worker, and each stage's wall and CPU seconds and how far it raised
the run's peak resident size (the matching's own stages as ``bench/match.py --stages`` names
them), each exclusive of the stages inside it.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from match import StageClock, cpu_time, peak_mb, workers_peak_mb  # noqa: E402
from matchgen import generate as generate_case  # noqa: E402
from pdfgen import make_pdf  # noqa: E402

from khaudit.demo import generate_demo  # noqa: E402
from khaudit.inventory.loader import load_locality  # noqa: E402
from khaudit.match.link import match_locality  # noqa: E402
from khaudit.match.sidecar import SidecarIndex, read_sidecar  # noqa: E402
from khaudit.project import load_project  # noqa: E402
from khaudit.reconcile import reconcile  # noqa: E402
from khaudit.scan.catalogue import scan_roots  # noqa: E402


def run(rows: int, localities: int, workdir: Path) -> list[dict[str, object]]:
    base = workdir / f"demo-{rows}"
    generate_demo(base, rows=rows, localities=localities, force=True)
    project = load_project(base / "project.toml")
    timings = {"load": 0.0, "scan": 0.0, "match": 0.0, "reconcile": 0.0}
    n_rows = n_files = 0
    for loc in project.localities:
        t = time.perf_counter()
        records, _ = load_locality(list(loc.inventories), loc.name, loc.columns)
        timings["load"] += time.perf_counter() - t
        t = time.perf_counter()
        scanned = scan_roots(loc.name, list(loc.scan_roots), sha256=project.scan.sha256)
        timings["scan"] += time.perf_counter() - t
        scans = scanned.files[scanned.files["role"] == "scan"].reset_index(drop=True)
        entries = [
            e
            for _, r in scanned.files[scanned.files["role"] == "sidecar"].iterrows()
            for e in read_sidecar(Path(r["root"]) / r["path"])
        ]
        t = time.perf_counter()
        match = match_locality(records, scans, SidecarIndex(entries), project.matching)
        timings["match"] += time.perf_counter() - t
        t = time.perf_counter()
        reconcile(records, scans, match, project.matching)
        timings["reconcile"] += time.perf_counter() - t
        n_rows += len(records)
        n_files += len(scans)
    return [
        {
            "rows": n_rows,
            "files": n_files,
            "stage": stage,
            "seconds": round(sec, 3),
            "rows_per_s": round(n_rows / sec) if sec else None,
            "us_per_row": round(1e6 * sec / n_rows, 1),
            "peak_mb": round(peak_mb()),
        }
        for stage, sec in timings.items()
    ]


# -- one locality at province scale, written to disk, audited by the CLI (--scale) -------------
#: The inventory's columns: matchgen's field -> the heading an office writes.
HEADINGS = {
    "stt": "STT",
    "record_code": "Mã hồ sơ",
    "box": "Hộp số",
    "file_no": "Hồ sơ số",
    "title": "Tiêu đề hồ sơ",
    "dates_raw": "Thời gian tài liệu",
    "sheets": "Số tờ",
    "retention": "Thời hạn bảo quản",
    "notes": "Ghi chú",
}
#: The scanner's metadata export: SidecarEntry's field -> its heading.
SIDECAR_HEADINGS = {"file": "Tên tệp", "record_code": "Mã hồ sơ", "title": "Tiêu đề", "year": "Năm"}


def jpeg_bytes(token: str) -> bytes:
    """A small 300 dpi JPEG page whose comment segment holds ``token``."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (8, 8), 255).save(buffer, "JPEG", dpi=(300, 300))
    data, comment = buffer.getvalue(), token.encode()
    return data[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + data[2:]


def scan_bytes(row: Any) -> bytes:
    """One scan's bytes as the generator describes it; rows with one hash get one content."""
    token = str(row.xxh3_128)
    if row.format == "empty":
        return b""
    if row.format == "jpeg":
        return jpeg_bytes(token)
    pages = 1 if pd.isna(row.pages) else int(row.pages)
    data = make_pdf(pages, 0, random.Random(token))  # the smallest it makes
    return data[: len(data) // 2] if row.integrity == "truncated" else data


def write_scale_project(records: int, folder: Path) -> Path:
    """The locality of ``records`` records on disk under ``folder`` (once: kept and reused)."""
    project = folder / "project.toml"
    if project.exists():
        return project
    case = generate_case(records, 1)
    inventory, scans = folder / "inventories", folder / "scans"
    inventory.mkdir(parents=True, exist_ok=True)
    table = case.records[list(HEADINGS)].rename(columns=HEADINGS)
    table.to_csv(inventory / "muc_luc_ho_so.csv", index=False, encoding="utf-8")
    for row in case.scans.itertuples(index=False):
        path = scans / row.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(scan_bytes(row))
    for name in {e.source.split(" row ")[0] for e in case.sidecar_entries}:
        rows = [
            {heading: getattr(e, field) or "" for field, heading in SIDECAR_HEADINGS.items()}
            for e in case.sidecar_entries
            if e.source.startswith(name + " row ")
        ]
        pd.DataFrame(rows).to_csv(scans / name, index=False, encoding="utf-8")
    project.write_text(
        'title = "bench"\nprovince = "Khánh Hòa"\n\n[[locality]]\n'
        f'name = "{case.records["locality"].iloc[0]}"\n'
        'inventories = ["inventories/*.csv"]\nscan_roots = ["scans"]\n'
        '\n[scan]\ncatalogue = "catalogue.sqlite"\n',
        encoding="utf-8",
    )
    return project


#: The audit's stages outside matching: (module, attribute) wrapped where audit.py calls them.
AUDIT_STAGES: dict[str, list[tuple[str, ...]]] = {
    "inventory": [("khaudit.audit", "load_locality")],
    "scan": [("khaudit.audit", "_scan")],
    "sidecars and content": [
        ("khaudit.audit", "_sidecars"),
        ("khaudit.audit", "_project_sidecar"),
        ("khaudit.audit", "_with_content"),
        ("khaudit.audit", "ocr_digest"),
    ],
    "matching, the rest": [("khaudit.audit", "match_locality")],
    "reconcile": [("khaudit.audit", "reconcile")],
    "candidates and zoning": [
        ("khaudit.audit", "candidate_table"),
        ("khaudit.audit", "zone_records"),
    ],
    "reports": [("khaudit.report.render", "render_reports")],
}


def audit_once(project: Path, out: Path) -> dict[str, Any]:
    """``khaudit audit PROJECT --out OUT`` in this process, stage by stage."""
    from khaudit.cli import cli

    clock = StageClock()
    clock.install()
    clock.install(AUDIT_STAGES)
    start, cpu, own, peak = time.perf_counter(), cpu_time(), time.process_time(), peak_mb()
    cli.main(["audit", str(project), "--out", str(out)], standalone_mode=False)
    seconds = time.perf_counter() - start
    stages = dict(clock.spent)
    stages["the rest (writing the run)"] = [
        seconds - sum(spent[0] for spent in stages.values()),
        cpu_time() - cpu - sum(spent[1] for spent in stages.values()),
        peak_mb() - peak - sum(spent[2] for spent in stages.values()),
    ]
    return {
        "seconds": seconds,
        "cpu_seconds": cpu_time() - cpu,
        "own_cpu_seconds": time.process_time() - own,
        "peak_mb": peak_mb(),
        "workers_peak_mb": workers_peak_mb(),
        "stages": stages,
    }


def scale(records: int, folder: Path, rescans: int = 1) -> None:
    """Write the locality once, then audit it in fresh processes: the first scan, then
    ``rescans`` rescans."""
    project = write_scale_project(records, folder)
    print(f"one locality of {records} records, written in {folder}; load {os.getloadavg()[0]:.1f}")
    for label in ["first scan"] + ["rescan"] * rescans:
        if label == "first scan":
            for stale in folder.glob("catalogue.sqlite*"):
                stale.unlink()
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, __file__, "--one-audit", str(project), str(Path(tmp) / "run")],
                capture_output=True,
                text=True,
            )
            wall = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        result = json.loads(done.stdout.strip().splitlines()[-1])
        print(
            f"\n{label}: {wall:.1f} s wall with the interpreter's start ({result['seconds']:.1f} s"
            f" in the audit), {result['cpu_seconds']:.1f} CPU s ({result['own_cpu_seconds']:.1f}"
            f" in the run's process); peak {result['peak_mb']:.0f} MB, a worker"
            f" {result['workers_peak_mb']:.0f} MB; load {os.getloadavg()[0]:.1f}"
        )
        print(f"  {'stage':<28} {'wall s':>7} {'CPU s':>7} {'peak +MB':>9}")
        for stage, (seconds, cpu, rise) in result["stages"].items():
            print(f"  {stage:<28} {seconds:7.1f} {cpu:7.1f} {rise:9.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[300, 1000, 3000])
    parser.add_argument("--localities", type=int, default=4)
    parser.add_argument("--scale", type=int, default=0, help="records of the one-locality audit")
    parser.add_argument("--dir", type=Path, default=None, help="where --scale's locality is kept")
    parser.add_argument("--rescans", type=int, default=1, help="--scale's audits after the first")
    parser.add_argument("--one-audit", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one_audit:
        print(json.dumps(audit_once(*args.one_audit)))
        return
    if args.scale:
        folder = args.dir or Path(tempfile.gettempdir()) / f"khaudit-bench-audit-{args.scale}"
        scale(args.scale, folder, args.rescans)
        return
    with tempfile.TemporaryDirectory() as tmp:
        results = [r for rows in args.rows for r in run(rows, args.localities, Path(tmp))]
    table = pd.DataFrame(results)
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
