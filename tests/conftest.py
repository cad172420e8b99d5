"""Shared fixtures: a small demo province, generated and audited once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from khaudit.audit import audit
from khaudit.demo import generate_demo


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("demo")
    generate_demo(base, seed=7, rows=120)
    return base


@pytest.fixture(scope="session")
def demo_run(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("run")
    return audit(demo_dir / "project.toml", out)
