"""The project's own files agree with each other."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"python-xxhash": "xxhash"}  # conda-forge name -> PyPI name


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].strip().lower()


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(d): d for d in pyproject["project"]["dependencies"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    # A package conda-forge lacks is listed under pip: with its PyPI name.
    pip = [d for dep in env["dependencies"] if isinstance(dep, dict) for d in dep.get("pip", [])]
    for dep in [*env["dependencies"], *pip]:
        if isinstance(dep, str) and _name(dep) not in ("python", "pip") and not dep.startswith("-"):
            name = _name(dep)
            conda[CONDA_NAMES.get(name, name)] = dep
    assert set(conda) == set(wanted)
    for name, spec in wanted.items():  # the same lower bounds too
        assert spec.split(">=")[-1] == conda[name].split(">=")[-1], name


def test_notebooks_are_stored_without_outputs():
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


def test_locality_notebook_has_papermill_parameters():
    nb = json.loads((ROOT / "notebooks" / "locality_audit.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    assert len(tagged) == 1
    source = "".join(tagged[0]["source"])
    assert all(name in source for name in ("run_dir", "locality", "lang"))


def test_catalogues_have_the_same_keys_and_placeholders():
    vi = json.loads((ROOT / "khaudit/locales/vi.json").read_text(encoding="utf-8"))
    en = json.loads((ROOT / "khaudit/locales/en.json").read_text(encoding="utf-8"))
    assert set(vi) == set(en)
    for key in vi:
        assert set(re.findall(r"{(\w+)}", vi[key])) == set(re.findall(r"{(\w+)}", en[key])), key


def test_every_catalogue_key_used_in_code_exists():
    vi = json.loads((ROOT / "khaudit/locales/vi.json").read_text(encoding="utf-8"))
    used = set()
    for path in (ROOT / "khaudit").rglob("*.py"):
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+\.[a-z_]+)["']""", path.read_text()))
    assert used and used <= set(vi), used - set(vi)


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = "\n".join(readme.splitlines()[:10])
    assert "make demo" in head and "make test" in head
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_is_user_documentation_of_at_most_200_lines():
    """Design lives in docs/, measurements in bench/README.md: the README stays a user's page."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200
    assert not re.search(r"#\d+\b|\bissue \d+", readme)
    assert (ROOT / "docs" / "design.md").is_file()
