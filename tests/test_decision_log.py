"""The decision log (``.khaudit/decisions.jsonl``) as a careless hand or a killed writer can
leave it: a pipe, a link to a device or to a file elsewhere, a huge file, a torn last line.
It is read without hanging or exhausting memory, never followed out of its place, and a
decision appended after a torn line is never lost."""

from __future__ import annotations

import os

import pytest

from khaudit.errors import KhauditError
from khaudit.i18n import t
from khaudit.match import decisions as D
from khaudit.match.decisions import Decision, read_decisions, record_decisions

ONE = Decision("Xã A", "h1", "inv.csv", "S", 2, "accept", by="Lan")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_pipe_as_the_log_is_a_problem_for_the_reader_and_refused_by_the_writer(tmp_path):
    log = tmp_path / "decisions.jsonl"
    os.mkfifo(log)  # read plainly it waits for a writer for good: the audit hung
    index = read_decisions(log)
    assert len(index.problems) == 1 and t("decisions.not_file") in index.problems[0]
    with pytest.raises(KhauditError) as caught:
        record_decisions(log, [ONE])  # appended plainly it waits for a reader
    assert str(log) in str(caught.value)


def test_a_link_as_the_log_is_neither_read_nor_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere.jsonl"
    elsewhere.write_text("", "utf-8")
    log = tmp_path / "decisions.jsonl"
    log.symlink_to(elsewhere)  # review import appended its decisions there
    assert t("decisions.link") in read_decisions(log).problems[0]
    with pytest.raises(KhauditError):
        record_decisions(log, [ONE])
    assert elsewhere.read_text("utf-8") == ""
    (tmp_path / "zero.jsonl").symlink_to("/dev/zero")  # MemoryError with a traceback
    assert read_decisions(tmp_path / "zero.jsonl").problems


def test_a_log_over_its_cap_is_a_problem_not_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "MAX_LOG_BYTES", 1000)
    log = tmp_path / "decisions.jsonl"
    record_decisions(log, [ONE] * 10)
    index = read_decisions(log)
    assert len(index.problems) == 1 and "1,000" in index.problems[0]


def test_a_decision_appended_after_a_torn_line_is_kept(tmp_path):
    log = tmp_path / "decisions.jsonl"
    log.write_text('{"locality": "Xã A", "content": "h0", "sour', "utf-8")  # a killed write
    assert record_decisions(log, [ONE]) == 1
    index = read_decisions(log)
    assert len(index.problems) == 1 and ", line 1" in index.problems[0]  # the torn line named
    assert len(index) == 1 and index.accepted("Xã A", "h1") is not None  # the new one applies
