"""The README's two steps for any platform: ``python -m khaudit.devtasks demo`` and ``test``.

``make demo`` and ``make test`` call these, so a Windows laptop without ``make`` (PowerShell)
runs exactly the same commands. Each step is a ``khaudit`` command line run in a fresh
process through this interpreter (``python -m khaudit ...``), as a user would type it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Sequence

from .i18n import t


def demo_steps(demo_dir: str = "demo", run_dir: str = "reports/demo") -> list[list[str]]:
    """The demo's khaudit command lines.

    It audits twice: on 10 June with a quarter of the good scans not yet delivered, then on
    24 June after the delivery, so its reports show a real trend against the 30 June deadline.
    """
    project = f"{demo_dir}/project.toml"
    return [
        ["demo", demo_dir, "--force", "--hold-back", "0.25"],
        ["audit", project, "--out", f"{run_dir}-2025-06-10", "--as-of", "2025-06-10"]
        + ["--no-report"],
        ["demo", demo_dir, "--deliver"],
        ["audit", project, "--out", run_dir, "--as-of", "2025-06-24"],
        ["history", project],
        ["score", run_dir, f"{demo_dir}/ground_truth"],
    ]


def _run(command: list[str]) -> int:
    print("$ " + " ".join(command), flush=True)
    return subprocess.call(command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m khaudit.devtasks", description=__doc__)
    tasks = parser.add_subparsers(dest="task", required=True)
    demo = tasks.add_parser("demo", help=t("devtasks.demo"))
    demo.add_argument("--demo-dir", default="demo")
    demo.add_argument("--run-dir", default="reports/demo")
    test = tasks.add_parser("test", help=t("devtasks.test"))
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["test"]:  # everything after it is pytest's, options included
        return _run([sys.executable, "-m", "pytest", "-q", *argv[1:]])
    args = parser.parse_args(argv)
    for step in demo_steps(args.demo_dir, args.run_dir):
        code = _run([sys.executable, "-m", "khaudit", *step])
        if code:
            return code
    print(t("devtasks.reports", run=args.run_dir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
