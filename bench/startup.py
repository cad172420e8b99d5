"""How long ``khaudit --help`` and ``khaudit --version`` take to answer.

Each command runs in a fresh interpreter, ``--rounds`` times, interleaved with a bare
``python -c pass`` so the table also shows what the interpreter alone costs on the same machine
at the same moment. The target is a median of at most 0.15 s of wall time; the CPU time (user +
system of the child) is printed too, as it depends less on how busy a shared machine is, and so
is the load average when the rounds began.

The commands are the ``khaudit`` script the install put beside the interpreter, as a user runs
it. A development checkout is installed editable (``pip install -e``): a finder that setuptools
hooks into every interpreter's start (a ``.pth`` file) maps the package to the checkout, and
imports pathlib, fnmatch and importlib.util to do so, whether or not khaudit is run. ``--wheel``
also builds a wheel of the checkout, installs it in a temporary virtual environment (with click,
the only package ``--help`` and ``--version`` import: ``tests/test_startup.py`` pins that) and
times the same commands there, interleaved with the editable ones: the installed tool, which the
target is for.

On a shared box the wall and CPU times move with other people's load; ``--instructions`` also
counts the instructions each command executes in user space (valgrind's callgrind, when
installed), a figure that does not: it compares two versions, or the two installs, exactly.

The children may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped from their
environment) and each command runs once before the rounds: an installed khaudit starts from
its ``.pyc`` files, and compiling every module from source on each start (about 20 ms of CPU
here) would measure the environment's setting, not the command.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def commands(bin_dir: Path, label: str) -> dict[str, list[str]]:
    """The timed commands of the environment whose scripts are in ``bin_dir``."""
    python, script = str(bin_dir / "python"), str(bin_dir / "khaudit")
    return {
        f"{label}: python -c pass": [python, "-c", "pass"],
        f"{label}: khaudit --help": [script, "--help"],
        f"{label}: khaudit --version": [script, "--version"],
    }


def wheel_environment(folder: Path) -> Path:
    """A new virtual environment in ``folder`` holding a wheel of this checkout and click;
    the folder of its scripts."""
    quiet = {"check": True, "stdout": subprocess.DEVNULL, "env": _ENV}
    source, wheels = folder / "source", folder / "wheels"  # built apart: no build/ in the checkout
    shutil.copytree(
        ROOT / "khaudit", source / "khaudit", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--wheel-dir",
            str(wheels),
            str(source),
        ],
        **quiet,
    )
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], **quiet)
    click = f"click=={importlib.metadata.version('click')}"
    built = [str(p) for p in wheels.glob("khaudit-*.whl")]
    subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps", click, *built],
        **quiet,
    )
    return venv / "bin"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    return time.perf_counter() - start, _cpu() - cpu


def instructions(argv: list[str]) -> float | None:
    """Millions of instructions one run of ``argv`` executes in user space (callgrind's count;
    the same on an idle and on a loaded machine); None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    out = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *argv],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=_ENV,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    return int(found.group(1)) / 1e6 if found else None


def count_instructions(table: dict[str, list[str]]) -> None:
    """Print the instructions of one run of every command."""
    width = max(len(name) for name in table) + 1
    print(f"{'command':<{width}} {'M instructions':>15}")
    for name, argv in table.items():
        count = instructions(argv)
        print(f"{name:<{width}} {'(no valgrind)' if count is None else f'{count:.1f}':>15}")


def measure(table: dict[str, list[str]], rounds: int) -> None:
    """Time every command ``rounds`` times, interleaved, and print the table."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in table}
    for argv in table.values():
        _once(argv)  # bytecode written, files in the page cache
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, {rounds} rounds")
    for _ in range(rounds):
        for name, argv in table.items():
            times[name].append(_once(argv))
    width = max(len(name) for name in table) + 1
    print(f"{'command':<{width}} {'median s':>9} {'min s':>7} {'max s':>7} {'median CPU s':>13}")
    for name, runs in times.items():
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(
            f"{name:<{width}} {statistics.median(wall):>9.3f} {min(wall):>7.3f}"
            f" {max(wall):>7.3f} {cpu:>13.3f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f} after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--wheel", action="store_true", help="also time a wheel installed in a temporary venv"
    )
    parser.add_argument(
        "--instructions", action="store_true", help="also count instructions (valgrind)"
    )
    args = parser.parse_args()
    table = commands(Path(sys.executable).parent, "editable")
    with tempfile.TemporaryDirectory(prefix="khaudit-startup-") as tmp:
        if args.wheel:
            table |= commands(wheel_environment(Path(tmp)), "wheel")
        measure(table, args.rounds)
        if args.instructions:
            count_instructions(table)


if __name__ == "__main__":
    main()
