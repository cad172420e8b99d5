"""Shared fixtures: a small demo province, generated and audited once per session."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from hypothesis import settings

from khaudit import i18n
from khaudit.audit import audit
from khaudit.demo import generate_demo

# CI runs the property tests on a fixed sequence of examples, so a red run is reproducible;
# developers' runs explore new examples each time.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C stops the suite and every command it starts, whatever started the suite. A
    shell without job control (a script's ``make test &``, CI runners) starts a background
    job with SIGINT ignored; Python keeps an inherited SIG_IGN, and every command a test
    starts would inherit it in turn (a stopped scan ran to its end and exited 0). Tests of
    Ctrl-C need the disposition a user's terminal gives."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


#: The signals a user stops khaudit with; no command may leave their handling changed.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@pytest.fixture(autouse=True)
def stop_signals_left_as_they_were():
    """A test after which Ctrl-C or SIGTERM is handled otherwise than before fails, naming
    the change: khaudit, or a library it loads in the user's process, changed it and did not
    restore it (the user's Ctrl-C would be lost)."""
    before = [signal.getsignal(s) for s in STOP_SIGNALS]
    yield
    after = [signal.getsignal(s) for s in STOP_SIGNALS]
    if after != before:
        for number, handler in zip(STOP_SIGNALS, before):
            signal.signal(number, handler)
        pytest.fail(f"signal handling changed by this test: {before} -> {after}")


@pytest.fixture(autouse=True)
def messages_in_english(monkeypatch: pytest.MonkeyPatch):
    """Tests read terminal messages and errors in English (the command lines they start too);
    tests/test_i18n.py checks the Vietnamese default and that both catalogues are complete.
    Reports keep the language each test asks for."""
    monkeypatch.setenv("KHAUDIT_LANG", "en")
    # A report cell that hangs (a lost kernel reply) is retried after a minute, not ten.
    monkeypatch.setenv("KHAUDIT_CELL_TIMEOUT", "60")
    before = i18n.language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("demo")
    generate_demo(base, seed=7, rows=120)
    return base


@pytest.fixture(scope="session")
def demo_run(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("run")
    return audit(demo_dir / "project.toml", out)
