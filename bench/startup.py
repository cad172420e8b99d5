"""How long ``khaudit --help`` and ``khaudit --version`` take to answer.

Each command runs in a fresh interpreter (``python -m khaudit``), ``--rounds`` times, interleaved
with a bare ``python -c pass`` so the table also shows what the interpreter alone costs on the
same machine at the same moment. The target is a median of at most 0.15 s of wall time; the CPU
time (user + system of the child) is printed too, as it depends less on how busy a shared
machine is, and so is the load average when the rounds began.

The children may write bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped from their
environment) and each command runs once before the rounds: an installed khaudit starts from
its ``.pyc`` files, and compiling every module from source on each start (about 20 ms of CPU
here) would measure the environment's setting, not the command.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "khaudit --help": [sys.executable, "-m", "khaudit", "--help"],
    "khaudit --version": [sys.executable, "-m", "khaudit", "--version"],
}


_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _once(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    cpu, start = _cpu(), time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_ENV)
    return time.perf_counter() - start, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in COMMANDS}
    for argv in COMMANDS.values():
        _once(argv)  # bytecode written, files in the page cache
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs, {args.rounds} rounds")
    for _ in range(args.rounds):
        for name, argv in COMMANDS.items():
            times[name].append(_once(argv))
    print(f"{'command':<20} {'median s':>9} {'min s':>7} {'max s':>7} {'median CPU s':>13}")
    for name, runs in times.items():
        wall = [w for w, _ in runs]
        cpu = statistics.median(c for _, c in runs)
        print(
            f"{name:<20} {statistics.median(wall):>9.3f} {min(wall):>7.3f} {max(wall):>7.3f}"
            f" {cpu:>13.3f}"
        )


if __name__ == "__main__":
    main()
