"""Benchmark: the scan catalogue against the usual hashing tools, on the same trees, one run.

Usage: .venv/bin/python bench/scan.py [--dir /tmp/khaudit-bench-scan] [--small 20000]
                                      [--large 10] [--large-mb 200]
Needs: Debian packages xxhash (xxhsum) and b3sum; PyPI bagit (a benchmark-only dependency).

Trees (generated once and kept in --dir): ``small`` holds --small real PDFs of 50-500 KB with
1-40 pages; ``large`` holds --large PDFs of --large-mb MB. The cache is warmed first. Timed,
best of 5 interleaved rounds (each tool once a round):
  xxhsum -H2, sha256sum (one process each, as people run them), b3sum (all cores),
  bagit-python building its SHA-256 manifest (with its default of one process, and with all
  cores), bare hashlib.sha256 on all cores,
  khaudit scan: hash only; full inspection (format, pages, integrity); full inspection +
  SHA-256; hash only + SHA-256 (the hashing pass bare hashlib is the limit of); rescan of the
  unchanged tree.
The floors a rescan cannot beat, since it must learn every file's size, mtime and inode: a C
program that lists the tree and stats every file (bench/statfloor.c, when a C compiler is
present) and the same loop in CPython (os.scandir + DirEntry.stat, nothing else).
Prints files/s, MB/s and the ratio to xxhsum for each, then the issue's bars.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd
from pdfgen import make_pdf

from khaudit.scan.catalogue import Catalogue


def generate(base: Path, small: int, large: int, large_mb: int) -> None:
    rng = random.Random(11)
    marker = base / f".done-{small}-{large}-{large_mb}"
    if marker.exists():
        return
    for name in ("small", "large"):
        (base / name).mkdir(parents=True, exist_ok=True)
    for i in range(small):
        folder = base / "small" / f"Hop {i // 100:04d}"
        folder.mkdir(exist_ok=True)
        (folder / f"HS {i:06d}.pdf").write_bytes(
            make_pdf(rng.randint(1, 40), rng.randint(50_000, 500_000), rng))
    for i in range(large):
        (base / "large" / f"big {i:02d}.pdf").write_bytes(
            make_pdf(40, large_mb * 1_000_000, rng))
    marker.touch()


def files_of(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*.pdf"))


def run_cli(command: list[str], files: list[str]) -> None:
    # stderr too: xxhsum draws a progress line there for large files (a failure still raises)
    subprocess.run(["xargs", "-0", *command], input="\0".join(files).encode(),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def _sha256_file(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def bare_sha256(files: list[str]) -> None:
    with ProcessPoolExecutor(os.cpu_count()) as pool:
        list(pool.map(_sha256_file, files, chunksize=32))


def bagit_manifest(root: Path, processes: int) -> None:
    import bagit

    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            bagit.make_manifests(str(root), processes, algorithms=["sha256"])
        finally:
            os.chdir(cwd)


def stat_floor_c(tmp: Path) -> Path | None:
    """bench/statfloor.c compiled into ``tmp``, or None without a C compiler."""
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    binary = tmp / "statfloor"
    subprocess.run([compiler, "-O2", "-o", str(binary), str(Path(__file__).with_name(
        "statfloor.c"))], check=True)
    return binary


def run_stat_floor(binary: Path, root: Path) -> float:
    """The C program's own timing of its walk (without starting a process)."""
    out = subprocess.run([str(binary), str(root)], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[1])


def python_stat_floor(root: Path) -> None:
    """List the tree and stat every file, nothing else: CPython's floor for a rescan."""
    stack = [str(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    entry.stat(follow_symlinks=False)


def khaudit_scan(root: Path, catalogue: Path, **options) -> None:
    with Catalogue(catalogue) as cat:
        cat.scan(root, **options)


ROUNDS = 5  # a shared machine: the more rounds, the likelier each tool meets a quiet one


def interleaved(runs: dict) -> dict[str, float]:
    """Best of ROUNDS rounds, each tool once a round: on a shared machine a slow minute then
    falls on every tool alike instead of on whichever ran during it. A tool that returns a
    number has timed itself (the C floor, without its process start)."""
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(ROUNDS):
        for name, fn in runs.items():
            start = time.perf_counter()
            own = fn()
            elapsed = time.perf_counter() - start
            times[name].append(own if isinstance(own, float) else elapsed)
    return {name: min(seconds) for name, seconds in times.items()}


def measure(root: Path, label: str) -> list[dict[str, object]]:
    files = files_of(root)
    total = sum(os.path.getsize(f) for f in files)
    run_cli(["cat"], files)  # warm the cache
    tmp = Path(tempfile.mkdtemp())
    catalogue = tmp / "cat.sqlite"

    def fresh(**options):
        def go():
            catalogue.unlink(missing_ok=True)
            khaudit_scan(root, catalogue, **options)
        return go

    runs = {
        "xxhsum -H2": lambda: run_cli(["xxhsum", "-H2"], files),
        "xxhsum -H2 (2 processes)": lambda: run_cli(["-P2", "-n", "500", "xxhsum", "-H2"], files),
        "sha256sum": lambda: run_cli(["sha256sum"], files),
        "b3sum (all cores)": lambda: run_cli(["b3sum"], files),
        "bagit-python manifest sha256 (default: 1 process)": lambda: bagit_manifest(root, 1),
        "bagit-python manifest sha256 (all cores)":
            lambda: bagit_manifest(root, os.cpu_count() or 1),
        "hashlib.sha256, all cores": lambda: bare_sha256(files),
        "khaudit scan: hash only": fresh(pages=False),
        "khaudit scan: full inspection": fresh(pages=True),
        "khaudit scan: inspection + sha256": fresh(pages=True, sha256=True),
        "khaudit scan: hash only + sha256": fresh(pages=False, sha256=True),
    }
    results = interleaved(runs)
    khaudit_scan(root, catalogue)
    rescans = {
        "khaudit rescan, unchanged": lambda: khaudit_scan(root, catalogue),
        "floor: list + stat every file, CPython": lambda: python_stat_floor(root),
    }
    binary = stat_floor_c(tmp)
    if binary is not None:
        rescans["floor: list + stat every file, C"] = lambda: run_stat_floor(binary, root)
    results.update(interleaved(rescans))
    base = results["xxhsum -H2"]
    return [{"tree": label, "tool": name, "files": len(files), "seconds": round(sec, 3),
             "files_per_s": round(len(files) / sec), "MB_per_s": round(total / sec / 1e6),
             "x_xxhsum_speed": round(base / sec, 2)} for name, sec in results.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/khaudit-bench-scan"))
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=10)
    parser.add_argument("--large-mb", type=int, default=200)
    args = parser.parse_args()
    generate(args.dir, args.small, args.large, args.large_mb)
    rows = measure(args.dir / "small", "small") + measure(args.dir / "large", "large")
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    t = {(r["tree"], r["tool"]): r["seconds"] for r in rows}
    small = {k[1]: v for k, v in t.items() if k[0] == "small"}
    large = {k[1]: v for k, v in t.items() if k[0] == "large"}
    print()
    print("bars:")
    bars = [
        ("hashing files/s vs xxhsum (small)", small["xxhsum -H2"],
         small["khaudit scan: hash only"], ">= 1.0"),
        ("hashing MB/s vs xxhsum (large)", large["xxhsum -H2"],
         large["khaudit scan: hash only"], ">= 0.8"),
        ("full inspection time / hashing time (small)", small["khaudit scan: full inspection"],
         small["khaudit scan: hash only"], "<= 2"),
        ("bagit (1 process) manifest time / khaudit scan time (small)",
         small["bagit-python manifest sha256 (default: 1 process)"],
         small["khaudit scan: full inspection"], ">= 2.5"),
        ("bagit (all cores) manifest time / khaudit scan time (small)",
         small["bagit-python manifest sha256 (all cores)"],
         small["khaudit scan: full inspection"], ">= 2.5"),
        ("sha256 scan time / bare hashlib time (small)",
         small["khaudit scan: inspection + sha256"], small["hashlib.sha256, all cores"],
         "<= 1.15"),
        ("sha256 hashing pass (no pages) / bare hashlib time (small)",
         small["khaudit scan: hash only + sha256"], small["hashlib.sha256, all cores"],
         "<= 1.15"),
        ("sha256 scan time / bare hashlib time (large)",
         large["khaudit scan: inspection + sha256"], large["hashlib.sha256, all cores"],
         "<= 1.15"),
        ("full scan time / rescan time (small)", small["khaudit scan: full inspection"],
         small["khaudit rescan, unchanged"], ">= 20"),
        ("  at most possible in CPython: full scan / its list + stat",
         small["khaudit scan: full inspection"], small["floor: list + stat every file, CPython"],
         ">= 20"),
    ]
    if "floor: list + stat every file, C" in small:
        bars.append(("  at most possible in C: full scan / its list + stat",
                     small["khaudit scan: full inspection"],
                     small["floor: list + stat every file, C"], ">= 20"))
    for label, a, b, want in bars:
        print(f"  {label:<58} {a / b:6.2f}x  (want {want})")

if __name__ == "__main__":
    main()
