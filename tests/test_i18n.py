"""One catalogue per language: complete, consistent, Vietnamese by default."""

from __future__ import annotations

import json
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from khaudit import i18n

ROOT = Path(__file__).resolve().parents[1]


def catalogues() -> dict[str, dict[str, str]]:
    return {
        lang: json.loads(
            (ROOT / "khaudit" / "locales" / f"{lang}.json").read_text(encoding="utf-8")
        )
        for lang in i18n.LANGUAGES
    }


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_catalogues_have_the_same_keys_and_placeholders():
    books = catalogues()
    assert books["vi"].keys() == books["en"].keys()
    for key, text in books["vi"].items():
        assert fields(text) == fields(books["en"][key]), key


def test_every_key_the_code_asks_for_exists():
    book = catalogues()["vi"]
    used = set()
    for path in (ROOT / "khaudit").rglob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"([a-z_]+\.[a-z0-9_.]+)"', path.read_text("utf-8")))
    assert used, "no t(...) calls found: the scan of the source is broken"
    assert sorted(used - book.keys()) == []


def test_messages_follow_the_chosen_language():
    i18n.set_language("vi")
    assert i18n.t("err.project.not_found", path="p.toml") == "p.toml: không tìm thấy tệp dự án"
    i18n.set_language("en")
    assert i18n.t("err.project.not_found", path="p.toml") == "p.toml: project file not found"
    with pytest.raises(ValueError):
        i18n.set_language("fr")


def test_the_command_line_speaks_vietnamese_by_default(tmp_path: Path):
    env = {k: v for k, v in __import__("os").environ.items() if k != "KHAUDIT_LANG"}
    missing = tmp_path / "none.toml"
    out = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "scan", str(missing)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 2
    assert out.stderr.strip() == f"khaudit: {missing}: không tìm thấy tệp dự án"
    english = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "--lang", "en", "scan", str(missing)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert english.stderr.strip() == f"khaudit: {missing}: project file not found"


def test_help_speaks_the_language_of_the_environment():
    env = {k: v for k, v in __import__("os").environ.items() if k != "KHAUDIT_LANG"}
    vi = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "audit", "--help"],
        capture_output=True,
        text=True,
        env=env,
    )
    en = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "audit", "--help"],
        capture_output=True,
        text=True,
        env={**env, "KHAUDIT_LANG": "en"},
    )
    assert "Nạp mục lục, quét, ghép, đối chiếu" in vi.stdout
    assert "Load inventories, scan, match, reconcile" in en.stdout
    # click's own frame around the texts too: usage line, headings, --help
    assert vi.stdout.startswith("Cách dùng: ") and "audit [TÙY CHỌN] PROJECT" in vi.stdout
    assert "Tùy chọn:" in vi.stdout and "Hiện trợ giúp này rồi thoát." in vi.stdout
    assert "Usage:" not in vi.stdout and "Options:" not in vi.stdout
    assert en.stdout.startswith("Usage: ") and "audit [OPTIONS] PROJECT" in en.stdout
    group = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "review", "--help"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "LỆNH [THAM SỐ]..." in group.stdout and "\nLệnh:\n" in group.stdout
    assert "[bắt buộc]" in vi.stdout and "[required]" in en.stdout  # click's notes on options
    demo = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "demo", "--help"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert "[mặc định: 2025]" in demo.stdout and "default" not in demo.stdout
