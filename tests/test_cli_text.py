"""The command line's language: help looked up when shown, --lang anywhere, click's own words
translated, `khaudit history` in the reader's language."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from click.testing import CliRunner

from khaudit import i18n
from khaudit.cli import cli
from khaudit.cli_text import hoist_lang
from khaudit.history_view import forecast_text, number, percent


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "en", "audit", "--help"],
        ["audit", "--help", "--lang", "en"],
        ["audit", "--lang=en", "--help"],
        ["review", "export", "--help", "--lang", "en"],
    ],
)
def test_help_in_the_language_given_anywhere(args):
    i18n.set_language("vi")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage:")
    assert "Options:" in result.output and "Show this message and exit." in result.output
    assert "Tùy chọn" not in result.output


def test_help_in_vietnamese_by_default(monkeypatch):
    monkeypatch.delenv("KHAUDIT_LANG")
    i18n.set_language("vi")
    result = CliRunner().invoke(cli, ["audit", "--help"])
    assert result.output.startswith("Cách dùng:")
    assert "Tùy chọn:" in result.output and "[bắt buộc]" in result.output
    listing = CliRunner().invoke(cli, ["--help"]).output
    assert "Lệnh:" in listing and "compare" in listing


def test_help_names_the_kind_of_each_value_and_writes_numbers_the_readers_way(monkeypatch):
    monkeypatch.delenv("KHAUDIT_LANG")
    i18n.set_language("vi")
    vi = CliRunner().invoke(cli, ["demo", "--help"]).output
    assert "--seed SỐ_NGUYÊN" in vi and "--hold-back SỐ" in vi and "0<=x<=0,9" in vi
    assert "mặc định: 0,0" in vi
    for english in ("INTEGER", "FLOAT", "0.9", "0.0"):
        assert english not in vi, english
    package = CliRunner().invoke(cli, ["package", "--help"]).output
    assert "--locality CHUỖI" in package and "TEXT" not in package and "PATH" not in package
    en = CliRunner().invoke(cli, ["demo", "--help", "--lang", "en"]).output
    assert "--seed INTEGER" in en and "0<=x<=0.9" in en and "default: 0.0" in en


def test_click_errors_translated(monkeypatch):
    monkeypatch.delenv("KHAUDIT_LANG")
    i18n.set_language("vi")
    result = CliRunner().invoke(cli, ["audit"])
    assert result.exit_code == 2
    assert "Lỗi: Thiếu đối số 'PROJECT'." in result.output
    assert "để xem hướng dẫn" in result.output
    english = CliRunner().invoke(cli, ["audit", "--lang", "en"])
    assert "Error: Missing argument 'PROJECT'." in english.output
    assert "Try '" in english.output


def test_lang_after_a_command_without_that_option():
    i18n.set_language("vi")
    result = CliRunner().invoke(cli, ["demo", "--rows", "abc", "x", "--lang", "en"])
    assert "is not a valid integer" in result.output
    wrong = CliRunner().invoke(cli, ["demo", "x", "--lang", "fr"])
    assert wrong.exit_code == 2 and "'fr'" in wrong.output


def test_hoist_lang_keeps_everything_else_in_order():
    assert hoist_lang(["a", "--lang", "en", "b", "--lang=vi", "c"]) == [
        "--lang",
        "vi",
        "a",
        "b",
        "c",
    ]
    assert hoist_lang(["a", "--", "--lang", "en"]) == ["a", "--", "--lang", "en"]
    assert hoist_lang(["a"]) == ["a"]


def test_numbers_in_vietnamese_and_english():
    assert number(190500, lang="vi") == "190.500" and number(190500, lang="en") == "190,500"
    assert percent(0.923, lang="vi") == "92,3%" and percent(0.923, lang="en") == "92.3%"


def test_forecast_table_has_translated_headings_and_no_blank_markers():
    table = pd.DataFrame(
        [
            {
                "locality": "Xã A",
                "completion": 0.5,
                "pace": None,
                "forecast": None,
                "earliest": None,
                "latest": float("nan"),
                "days_vs_deadline": None,
                "pages_to_scan": 1200,
                "working_days": None,
                "budget": 1800000.0,
                "note": "too_few_runs",
            },
            {
                "locality": "Xã B",
                "completion": 0.923,
                "pace": 2.5,
                "forecast": dt.date(2025, 6, 29),
                "earliest": dt.date(2025, 6, 28),
                "latest": dt.date(2025, 7, 2),
                "days_vs_deadline": 1,
                "pages_to_scan": 58,
                "working_days": 1.04,
                "budget": 87000.0,
                "note": "",
            },
        ]
    )
    i18n.set_language("vi")
    text = forecast_text(table)
    assert "Tỷ lệ hoàn thành" in text and "92,3%" in text and "1.800.000" in text
    assert "29/06/2025" in text and "sớm 1 ngày" in text and "+1" not in text
    for marker in ("None", "nan", "NaT", "NaN", "<NA>"):
        assert marker not in text
    i18n.set_language("en")
    english = forecast_text(table)
    assert "Completion" in english and "2025-06-29" in english and "1 day early" in english


def test_history_says_days_against_the_deadline_in_words():
    table = pd.DataFrame(
        [
            {"locality": "Xã A", "completion": 0.9, "days_vs_deadline": 0, "note": ""},
            {"locality": "Xã B", "completion": 0.8, "days_vs_deadline": -3, "note": ""},
            {"locality": "Xã C", "completion": 0.7, "days_vs_deadline": 12, "note": ""},
        ]
    )
    i18n.set_language("vi")
    text = forecast_text(table)
    assert "đúng hạn" in text and "trễ 3 ngày" in text and "sớm 12 ngày" in text
    assert "So với hạn chót" in text and "-3" not in text and "+12" not in text


def test_version_in_the_language_given_anywhere(monkeypatch):
    monkeypatch.delenv("KHAUDIT_LANG")
    i18n.set_language("vi")
    assert CliRunner().invoke(cli, ["--version"]).output == "khaudit, phiên bản 0.1.0\n"
    for args in (["--version", "--lang", "en"], ["--lang=en", "--version"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and result.output == "khaudit, version 0.1.0\n", args
