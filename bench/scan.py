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

Scanning stations' PDFs (``--mix`` files, default 4,000, in ``mix``): 1-40 pages, 50-500 KB,
half of them saved again by qpdf with compressed object streams and a tenth of those
linearized; timed as above (xxhsum -H2, hash only, full inspection), with the bar: the full
scan at most 2.0x the hash-only scan. Then one folder per producer kind (``--per-kind`` files
each, bench/pdfgen.py KINDS: Pillow, img2pdf, pikepdf, pypdf, fpdf2, reportlab, classic and
compressed cross-references, linearized, incremental updates, PDF/A-1b and -2b claims, JPEG,
CCITT and JBIG2 images, images placed smaller and turned, pages of mixed resolution): the same
timings per kind, whether each file's pages, resolution (within 2 dpi; the lowest page's),
colour and PDF/A claim are what its writer put in, and how many files the bytes reader
(khaudit/scan/pdfpages.py) read without pikepdf. ``--only mix`` skips the hashing
trees;
``--only text`` times the first-page text readers alone on the searchable kind.
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
from pdfgen import DPI_FACTOR, KINDS, SEARCHABLE, make_kind, make_objstm, make_pdf

from khaudit.scan.catalogue import Catalogue
from khaudit.scan.pagetext import first_page_text, layer_text


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
            make_pdf(rng.randint(1, 40), rng.randint(50_000, 500_000), rng)
        )
    for i in range(large):
        (base / "large" / f"big {i:02d}.pdf").write_bytes(make_pdf(40, large_mb * 1_000_000, rng))
    marker.touch()


def generate_mix(base: Path, count: int, per_kind: int) -> None:
    """The stations' tree and one folder per producer kind, with each file's expected facts."""
    tree = base / f".done-mix-{count}-{per_kind}"  # the tree's marker since its first runs
    marker = base / f".done-kinds-{per_kind}-{len(KINDS)}"
    rng = random.Random(16)
    if not tree.exists():
        for i in range(count):
            folder = base / "mix" / f"Hop {i // 100:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            data = make_pdf(rng.randint(1, 40), rng.randint(50_000, 500_000), rng)
            if i % 2:  # half with object streams, a tenth of those linearized
                data = make_objstm(data, linearize=i % 20 == 1)
            (folder / f"HS {i:06d}.pdf").write_bytes(data)
        tree.touch()
    if marker.exists():
        return
    shutil.rmtree(base / "kinds", ignore_errors=True)
    expected = []
    for k, kind in enumerate(KINDS):
        folder = base / "kinds" / f"{k:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_kind):
            dpi, pages = rng.choice([150, 200, 240, 300, 400]), rng.randint(1, 12)
            name = f"{kind[:20]} {i:03d}.pdf".replace("/", "-").replace(",", "")
            (folder / name).write_bytes(make_kind(kind, dpi, pages, rng))
            expected.append(
                {
                    "kind": kind,
                    "path": f"{k:02d}/{name}",
                    "pages": pages,
                    "dpi": round(dpi * DPI_FACTOR.get(kind, 1)),
                    "color_mode": KINDS[kind][3],
                    "pdfa": KINDS[kind][4],
                }
            )
    pd.DataFrame(expected).to_csv(base / "kinds" / "expected.csv", index=False)
    marker.touch()


def generate_kind(base: Path, kind: str, count: int) -> Path:
    """``count`` files of one producer kind in their own folder (kept for later runs)."""
    folder = base / f"{kind}-{count}".replace(" ", "").replace(",", "")
    if not (folder / ".done").exists():
        folder.mkdir(parents=True, exist_ok=True)
        rng = random.Random(17)
        for i in range(count):
            data = make_kind(kind, rng.choice([200, 300]), rng.randint(1, 12), rng)
            (folder / f"{i:05d}.pdf").write_bytes(data)
        (folder / ".done").touch()
    return folder


def cpu_seconds() -> float:
    """CPU time of this process and of its ended children (the scan's worker processes)."""
    import resource

    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure_mix(root: Path) -> dict[str, float]:
    """Best of ROUNDS: xxhsum -H2, khaudit hash only, khaudit full inspection, one tree; and
    the least CPU time (all processes) each khaudit scan took, the work a loaded machine's
    wall time hides."""
    files = files_of(root)
    run_cli(["cat"], files)
    catalogue = Path(tempfile.mkdtemp()) / "cat.sqlite"

    cpu: dict[str, float] = {}

    def fresh(name: str, **options):
        def go():
            catalogue.unlink(missing_ok=True)
            before = cpu_seconds()
            khaudit_scan(root, catalogue, **options)
            used = cpu_seconds() - before
            cpu[name] = min(cpu.get(name, used), used)

        return go

    times = interleaved(
        {
            "xxhsum -H2": lambda: run_cli(["xxhsum", "-H2"], files),
            "khaudit scan: hash only": fresh("hash only", pages=False),
            "khaudit scan: full inspection": fresh("full inspection", pages=True),
        }
    )
    return times | {f"cpu: {name}": seconds for name, seconds in cpu.items()}


def measure_kinds(base: Path) -> pd.DataFrame:
    """Per producer kind: files/s hash only and full, and the facts read against the writer's."""
    expected = pd.read_csv(
        base / "kinds" / "expected.csv", dtype={"pdfa": str}, keep_default_na=False
    )
    rows = []
    for k, kind in enumerate(KINDS):
        root = base / "kinds" / f"{k:02d}"
        times = measure_mix(root)
        with Catalogue(Path(tempfile.mkdtemp()) / "cat.sqlite") as cat:
            cat.scan(root)
            got = cat.files([root]).set_index("path")
            texts = set(cat.first_page_texts([root])["path"])
        want = expected[expected["kind"] == kind]
        paths = [p.split("/", 1)[1] for p in want["path"]]
        seen = got.loc[paths]
        writer, structure = KINDS[kind][0], KINDS[kind][1]
        n = len(want)
        rows.append(
            {
                "kind": kind,
                "writer": writer,
                "structure": structure,
                "files": n,
                "hash_files_per_s": round(n / times["khaudit scan: hash only"]),
                "full_files_per_s": round(n / times["khaudit scan: full inspection"]),
                "full_x_hash": round(
                    times["khaudit scan: full inspection"] / times["khaudit scan: hash only"], 2
                ),
                "pages_ok": int((seen["pages"].to_numpy() == want["pages"].to_numpy()).sum()),
                "dpi_within_2": int(
                    (abs(seen["dpi"].astype(float).to_numpy() - want["dpi"].to_numpy()) <= 2).sum()
                ),
                "colour_ok": int(
                    (seen["color_mode"].to_numpy() == want["color_mode"].to_numpy()).sum()
                ),
                "pdfa_exact": int((seen["pdfa"].to_numpy() == want["pdfa"].to_numpy()).sum()),
                "integrity_ok": int((seen["integrity"] == "ok").sum()),
                "bytes_reader": sum(_read_without_pikepdf(root / p) for p in paths),
                "text_read": sum(p in texts for p in paths),
                "text_expected": n if kind in SEARCHABLE else 0,
            }
        )
        if kind in SEARCHABLE:
            print(f"{kind}:")
            print_text_rate(root)
    return pd.DataFrame(rows)


def _read_without_pikepdf(path: Path) -> bool:
    """Whether the bytes reader (khaudit/scan/pdfpages.py) answers for this file alone."""
    from khaudit.scan.pdf import Malformed
    from khaudit.scan.pdfpages import Unsure, read_pages

    try:
        read_pages(path.read_bytes())
    except (Unsure, Malformed, ValueError, TypeError, KeyError, IndexError):
        return False
    return True


def text_rate(root: Path) -> dict[str, float]:
    """Files a second one core reads the first page's text of (bytes in memory, best of
    ROUNDS), by CPU time (the box is shared: wall time counts other people's work) and by
    wall time: the content-stream reader on the page pikepdf already has open for the
    inspection (what text adds to a scan), the same with pikepdf's open counted, and PDFium
    from the bytes (the reader for layers the content-stream reader leaves to it)."""
    import io

    import pikepdf

    blobs = [Path(f).read_bytes() for f in files_of(root)]
    docs = [pikepdf.open(io.BytesIO(b)) for b in blobs]
    pages = [d.pages[0] for d in docs]

    def opened() -> None:
        for b in blobs:
            with pikepdf.open(io.BytesIO(b)) as pdf:
                layer_text(pdf.pages[0])

    runs = {
        "content stream, page open": lambda: [layer_text(p) for p in pages],
        "content stream + pikepdf open": opened,
        "PDFium from bytes": lambda: [first_page_text(b) for b in blobs],
    }
    out = {}
    for name, fn in runs.items():
        cpu = min(_timed(fn, time.process_time) for _ in range(ROUNDS))
        wall = min(_timed(fn, time.perf_counter) for _ in range(ROUNDS))
        out[f"{name} (cpu)"], out[f"{name} (wall)"] = len(blobs) / cpu, len(blobs) / wall
    same = sum(layer_text(p) == first_page_text(b) for p, b in zip(pages, blobs))
    out["same text as PDFium"] = same / len(blobs)
    for d in docs:
        d.close()
    return out


def print_text_rate(root: Path) -> None:
    rates = text_rate(root)
    for name, value in rates.items():
        if name.startswith("same"):
            print(f"  {name}: {value:.0%}")
        else:
            print(f"  first-page text, {name}: {value:7.0f} files/s/core")
    print("  (want >= 1000 files/s/core: the content-stream reader, cpu)")


def _timed(fn, clock=time.perf_counter) -> float:
    start = clock()
    fn()
    return clock() - start


def files_of(root: Path) -> list[str]:
    return sorted(str(p) for p in root.rglob("*.pdf"))


def run_cli(command: list[str], files: list[str]) -> None:
    # stderr too: xxhsum draws a progress line there for large files (a failure still raises)
    subprocess.run(
        ["xargs", "-0", *command],
        input="\0".join(files).encode(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )


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
    subprocess.run(
        [compiler, "-O2", "-o", str(binary), str(Path(__file__).with_name("statfloor.c"))],
        check=True,
    )
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
        "bagit-python manifest sha256 (all cores)": lambda: bagit_manifest(
            root, os.cpu_count() or 1
        ),
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
    return [
        {
            "tree": label,
            "tool": name,
            "files": len(files),
            "seconds": round(sec, 3),
            "files_per_s": round(len(files) / sec),
            "MB_per_s": round(total / sec / 1e6),
            "x_xxhsum_speed": round(base / sec, 2),
        }
        for name, sec in results.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/khaudit-bench-scan"))
    parser.add_argument("--small", type=int, default=20_000)
    parser.add_argument("--large", type=int, default=10)
    parser.add_argument("--large-mb", type=int, default=200)
    parser.add_argument("--mix", type=int, default=4_000)
    parser.add_argument("--per-kind", type=int, default=40)
    parser.add_argument("--only", choices=["all", "mix", "text"], default="all")
    args = parser.parse_args()
    if args.only == "text":
        for kind in sorted(SEARCHABLE):
            root = generate_kind(args.dir / "text", kind, args.per_kind)
            print(f"{kind} ({len(files_of(root))} files):")
            print_text_rate(root)
        return
    generate_mix(args.dir, args.mix, args.per_kind)
    pd.set_option("display.width", 250)
    mix = measure_mix(args.dir / "mix")
    n = len(files_of(args.dir / "mix"))
    print(f"stations' tree: {n} PDFs, half with object streams, a tenth of those linearized")
    for name, seconds in mix.items():
        print(f"  {name:<34} {seconds:7.3f} s  {n / seconds:9.0f} files/s")
    ratio = mix["khaudit scan: full inspection"] / mix["khaudit scan: hash only"]
    print(f"  full scan / hash-only scan: {ratio:.2f}x (want <= 2.0)")
    cpu = mix["cpu: full inspection"] / mix["cpu: hash only"]
    print(f"  the same in CPU time, all processes: {cpu:.2f}x")
    print(f"  load average: {os.getloadavg()}")
    print(
        f"  hash-only files/s / xxhsum -H2 files/s: "
        f"{mix['xxhsum -H2'] / mix['khaudit scan: hash only']:.2f}x (want >= 1.0)"
    )
    print()
    print(measure_kinds(args.dir).to_string(index=False))
    print()
    if args.only == "mix":
        return
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
        (
            "hashing files/s vs xxhsum (small)",
            small["xxhsum -H2"],
            small["khaudit scan: hash only"],
            ">= 1.0",
        ),
        (
            "hashing MB/s vs xxhsum (large)",
            large["xxhsum -H2"],
            large["khaudit scan: hash only"],
            ">= 0.8",
        ),
        (
            "full inspection time / hashing time (small)",
            small["khaudit scan: full inspection"],
            small["khaudit scan: hash only"],
            "<= 2",
        ),
        (
            "bagit (1 process) manifest time / khaudit scan time (small)",
            small["bagit-python manifest sha256 (default: 1 process)"],
            small["khaudit scan: full inspection"],
            ">= 2.5",
        ),
        (
            "bagit (all cores) manifest time / khaudit scan time (small)",
            small["bagit-python manifest sha256 (all cores)"],
            small["khaudit scan: full inspection"],
            ">= 2.5",
        ),
        (
            "sha256 scan time / bare hashlib time (small)",
            small["khaudit scan: inspection + sha256"],
            small["hashlib.sha256, all cores"],
            "<= 1.15",
        ),
        (
            "sha256 hashing pass (no pages) / bare hashlib time (small)",
            small["khaudit scan: hash only + sha256"],
            small["hashlib.sha256, all cores"],
            "<= 1.15",
        ),
        (
            "sha256 scan time / bare hashlib time (large)",
            large["khaudit scan: inspection + sha256"],
            large["hashlib.sha256, all cores"],
            "<= 1.15",
        ),
        (
            "full scan time / rescan time (small)",
            small["khaudit scan: full inspection"],
            small["khaudit rescan, unchanged"],
            ">= 20",
        ),
        (
            "  at most possible in CPython: full scan / its list + stat",
            small["khaudit scan: full inspection"],
            small["floor: list + stat every file, CPython"],
            ">= 20",
        ),
    ]
    if "floor: list + stat every file, C" in small:
        bars.append(
            (
                "  at most possible in C: full scan / its list + stat",
                small["khaudit scan: full inspection"],
                small["floor: list + stat every file, C"],
                ">= 20",
            )
        )
    for label, a, b, want in bars:
        print(f"  {label:<58} {a / b:6.2f}x  (want {want})")


if __name__ == "__main__":
    main()
