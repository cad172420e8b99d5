"""Progress bars: drawn on a terminal, silent when piped or in CI."""

from __future__ import annotations

import io
import sys

from khaudit import progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_bars_only_on_a_terminal_and_not_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv(progress.FORCE_ENV, raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not progress.enabled()  # piped
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert progress.enabled()
    with progress.bar(total=3, desc="x") as bar:
        bar.update(3)
    assert "3/3" in terminal.getvalue()
    monkeypatch.setenv("CI", "true")
    assert not progress.enabled()
    monkeypatch.setenv(progress.FORCE_ENV, "1")
    assert progress.enabled()


def test_silent_bar_writes_nothing(monkeypatch):
    monkeypatch.setenv("CI", "1")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    stages = progress.StageProgress(2)
    with stages.stage("Xã A", "scan"):
        pass
    stages.started("Xã A", "match")
    stages.done("Xã A", "match")
    stages.close()
    assert terminal.getvalue() == ""
