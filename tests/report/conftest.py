"""Fixtures of the report tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def own_run(demo_run, tmp_path: Path) -> Path:
    """A copy of the session's demo run, for a test that renders into it.

    Rendering writes the reports beside the run's tables, and the demo run is shared by every
    test of the session: a locality's handover bag packs the reports it finds there, so a
    minutes PDF rendered here would be one more PDF in a later test's bag.
    """
    copy = tmp_path / "run"
    shutil.copytree(demo_run.path, copy)
    return copy
