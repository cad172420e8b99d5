"""Benchmark: packaging and verifying a handover bag, against bagit-python, on one payload.

Usage: .venv/bin/python bench/handover.py [--dir /tmp/khaudit-bench-scan] [--small 20000]
Needs the trees of bench/scan.py (it makes them if absent) and PyPI bagit.

The payload is bench/scan.py's small tree (real PDFs). khaudit audits it once as a one-locality
project with SHA-256 in its scan catalogue (not timed: that is the audit the inspector signed),
then, best of 2:
  - khaudit package (hard links, SHA-256 taken from the catalogue: no byte hashed again)
  - bagit-python make_bag on a hard-linked copy of the tree (SHA-256, all cores)
  - khaudit verify (full) of its bag; bagit-python validate (all cores) of its own bag
  - bare hashlib.sha256 over the same files on all cores (the machine's limit)
and prints files/s, MB/s and the ratios the issue asks for.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))
from scan import generate  # noqa: E402

from khaudit.audit import audit  # noqa: E402
from khaudit.handover.package import package_locality  # noqa: E402
from khaudit.handover.verify import verify_bag  # noqa: E402


def _sha(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def best_of(fn, setup=None, repeat: int = 2) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def link_tree(source: Path, target: Path) -> None:
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, copy_function=os.link)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=Path("/tmp/khaudit-bench-scan"))
    parser.add_argument("--small", type=int, default=20_000)
    args = parser.parse_args()
    generate(args.dir, args.small, 0, 1)
    tree = args.dir / "small"
    files = sorted(str(p) for p in tree.rglob("*.pdf"))
    total = sum(os.path.getsize(f) for f in files)
    work = Path(tempfile.mkdtemp(prefix="khaudit-bench-handover-"))
    (work / "inventory.csv").write_text("STT,Tiêu đề hồ sơ\n1,Hồ sơ mẫu\n", encoding="utf-8")
    (work / "project.toml").write_text(
        'title = "bench"\nprovince = "Khánh Hòa"\n[scan]\nsha256 = true\n'
        f'[[locality]]\nname = "Xã Diên Lạc"\ninventories = ["inventory.csv"]\n'
        f'scan_roots = ["{tree}"]\n',
        encoding="utf-8",
    )
    audit(work / "project.toml", work / "run")
    kbag, bbag = work / "khaudit-bag", work / "bagit-bag"
    import bagit

    results = {
        "khaudit package (fetch.txt, catalogue hashes)": best_of(
            lambda: package_locality(work / "run", "Xã Diên Lạc", kbag, mode="fetch"),
            setup=lambda: shutil.rmtree(kbag, ignore_errors=True),
        ),
        "khaudit package (links, catalogue hashes)": best_of(
            lambda: package_locality(work / "run", "Xã Diên Lạc", kbag, mode="link"),
            setup=lambda: shutil.rmtree(kbag, ignore_errors=True),
        ),
        "khaudit package (copies, catalogue hashes)": best_of(
            lambda: package_locality(work / "run", "Xã Diên Lạc", kbag),
            setup=lambda: shutil.rmtree(kbag, ignore_errors=True),
        ),
        "bagit-python make_bag (sha256, all cores)": best_of(
            lambda: bagit.make_bag(str(bbag), checksums=["sha256"], processes=os.cpu_count() or 1),
            setup=lambda: link_tree(tree, bbag),
        ),
        "khaudit verify (full)": best_of(lambda: verify_bag(kbag)),
        "khaudit verify of the bagit-python bag": best_of(lambda: verify_bag(bbag)),
        "bagit-python validate (all cores)": best_of(
            lambda: bagit.Bag(str(bbag)).validate(processes=os.cpu_count() or 1)
        ),
        "bare hashlib.sha256, all cores": best_of(
            lambda: list(ProcessPoolExecutor(os.cpu_count()).map(_sha, files, chunksize=32))
        ),
    }
    assert verify_bag(kbag).valid
    table = pd.DataFrame(
        [
            {
                "step": name,
                "files": len(files),
                "seconds": round(sec, 3),
                "files_per_s": round(len(files) / sec),
                "MB_per_s": round(total / sec / 1e6),
            }
            for name, sec in results.items()
        ]
    )
    print(table.to_string(index=False))
    r = results
    print()
    print("bars:")
    for mode in ("links", "fetch.txt"):
        ratio = (
            r["bagit-python make_bag (sha256, all cores)"]
            / r[f"khaudit package ({mode}, catalogue hashes)"]
        )
        print(f"  bagit make_bag / khaudit package ({mode})  {ratio:.1f}x  (want >= 10)")
    print(
        f"  bagit validate / khaudit verify         "
        f"{r['bagit-python validate (all cores)'] / r['khaudit verify (full)']:.2f}x  (want > 1)"
    )
    print(
        f"  khaudit verify / bare hashlib            "
        f"{r['khaudit verify (full)'] / r['bare hashlib.sha256, all cores']:.2f}x  (want <= 1.15)"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
