"""``khaudit --help`` stays fast: the command's module loads no data stack at start-up.

The time itself is measured by ``bench/startup.py``; these tests pin the cause (which modules an
import pulls in), which does not depend on how loaded the machine is.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HEAVY = ("pandas", "numpy", "pyarrow", "scipy", "papermill", "pikepdf", "pydantic", "openpyxl")


def _modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport sys\nsys.stderr.write('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return {name.split(".")[0] for name in out.stderr.split()}


def test_importing_the_command_loads_no_heavy_module():
    loaded = _modules_after("import khaudit.cli")
    assert "click" in loaded
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_and_version_load_no_heavy_module():
    for flag in ("--help", "--version"):
        code = (
            "import sys\nfrom khaudit.cli import main\nsys.argv = ['khaudit', '" + flag + "']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass"
        )
        loaded = _modules_after(code)
        assert not loaded & set(HEAVY), (flag, sorted(loaded & set(HEAVY)))


def test_public_api_resolves_on_first_use():
    import khaudit

    assert callable(khaudit.audit) and callable(khaudit.load_run)
    import khaudit.audit  # binds the submodule, which must not shadow the function

    assert callable(khaudit.audit) and khaudit.audit.__module__ == "khaudit.audit"
    assert khaudit.Project.__name__ == "Project"


def test_rendering_imports_no_matcher():
    """A render worker (spawned on Windows and macOS) imports the report code and the run
    contract; the matcher, the reconciler and scipy are an audit's, not a report's."""
    probe = "import sys\nimport khaudit.report.render\nsys.stderr.write('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    loaded = set(out.stderr.split())
    assert not loaded & {"scipy", "khaudit.reconcile", "khaudit.match.link", "rapidfuzz"}


def _modules_of_installed(code: str) -> set[str]:
    """The modules loaded after ``code`` as an installed khaudit runs it: without the site hooks
    (an editable install's finder imports pathlib and more into every interpreter), khaudit and
    click found on the paths they are in here."""
    import click

    import khaudit

    paths = [str(Path(khaudit.__file__).parents[1]), str(Path(click.__file__).parents[1])]
    probe = f"import sys\nsys.path[:0] = {paths!r}\n{code}\n"
    probe += "sys.stderr.write('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-S", "-c", probe], capture_output=True, text=True, check=True
    )
    return set(out.stderr.split())


def test_help_imports_neither_pathlib_nor_shutil():
    """pathlib (with urllib.parse, ipaddress, fnmatch) is imported when a command runs; click's
    help layout imports shutil (and bz2, lzma) to ask the terminal's width, khaudit's asks the
    terminal itself."""
    for flag in ("--help", "--version"):
        code = (
            "from khaudit.cli import main\nsys.argv = ['khaudit', '" + flag + "']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass"
        )
        loaded = _modules_of_installed(code)
        assert "click" in loaded and "khaudit.cli" in loaded
        assert not loaded & {"pathlib", "shutil", "bz2", "lzma"}, (flag, sorted(loaded))
