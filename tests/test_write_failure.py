"""A write the system refuses, met by the command line as a user meets it: the largest file a
process may write capped (RLIMIT_FSIZE, what a full disk or a quota does to a writer), then
``khaudit audit`` and ``khaudit package`` run in a fresh process. Each ends with one sentence
naming the fault and exit code 1, never a traceback; the earlier run in the same folder is
unchanged, byte for byte, and no half-written bag is left."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from khaudit.write_failure import write_failure

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")


def _project(base: Path, rows: int = 3000) -> Path:
    (base / "inv").mkdir(parents=True)
    lines = ["STT,Số và ký hiệu hồ sơ,Tiêu đề hồ sơ,Số tờ"]
    lines += [
        f"{i},HS.{i:05d},Hồ sơ cấp giấy phép xây dựng số {i},{i % 40 + 1}" for i in range(rows)
    ]
    (base / "inv" / "muc-luc.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (base / "scans").mkdir()
    for i in range(5):
        (base / "scans" / f"HS.{i:05d}.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n" + bytes([i]) * 50)
    project = base / "project.toml"
    project.write_text(
        'title = "T"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã Diên Lạc"\n'
        'inventories = ["inv/*.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return project


def _khaudit(args: list[str], cwd: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    def capped() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the cap fails with EFBIG
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "KHAUDIT_LANG": "en"}
    return subprocess.run(
        [sys.executable, "-m", "khaudit", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=capped if limit else None,
    )


def _digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_refused_write_in_audit_and_package_is_one_sentence(tmp_path: Path):
    project = _project(tmp_path / "p")
    run = tmp_path / "run"
    done = _khaudit(["audit", str(project), "--out", str(run), "--no-report"], tmp_path)
    assert done.returncode == 0, done.stderr
    before = _digests(run)
    (tmp_path / "p" / "inv" / "muc-luc.csv").open("a", encoding="utf-8").write(
        "3001,HS.03001,Hồ sơ thêm,3\n"
    )

    failed = _khaudit(
        ["audit", str(project), "--out", str(run), "--no-report"], tmp_path, 64 * 1024
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("khaudit: cannot write")
    assert _digests(run) == before

    bag = tmp_path / "bag"
    refused = _khaudit(
        ["package", str(run), "--locality", "Xã Diên Lạc", "--out", str(bag)], tmp_path, 64 * 1024
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
    assert "cannot write" in refused.stderr
    assert not bag.exists()


def test_only_refused_writes_become_a_sentence():
    full = OSError(errno.ENOSPC, "No space left on device", "/data/run/records.csv")
    assert "records.csv" in (write_failure(full) or "")
    assert "No space left" in (write_failure(full) or "")
    closed = write_failure(OSError(errno.EROFS, "Read-only file system", "/mnt/cd/run"))
    assert closed and "Read-only" in closed
    assert write_failure(sqlite3.OperationalError("database or disk is full"))
    assert write_failure(OSError(errno.ENOENT, "No such file or directory", "x")) is None
    assert write_failure(ValueError("a bug keeps its traceback")) is None
    assert write_failure(sqlite3.OperationalError("no such table: files")) is None


@pytest.mark.parametrize("lang, said", [("en", "cannot write"), ("vi", "không ghi được")])
def test_a_refused_write_speaks_the_language_of_lang_on_the_command_line(tmp_path, lang, said):
    # the sentence was written after the command gave back the language it was started in:
    # Vietnamese under `--lang en` (unless KHAUDIT_LANG said en too)
    project = _project(tmp_path / "p", rows=3)
    (tmp_path / "p" / ".khaudit").mkdir()
    os.mkfifo(tmp_path / "p" / ".khaudit" / "catalogue.sqlite")  # SQLite: "disk I/O error"
    other = "vi" if lang == "en" else "en"
    done = subprocess.run(
        [sys.executable, "-m", "khaudit", "--lang", lang, "audit", str(project)]
        + ["--out", str(tmp_path / "run"), "--no-report"],
        env={**os.environ, "KHAUDIT_LANG": other},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"khaudit: {said}"), done.stderr
