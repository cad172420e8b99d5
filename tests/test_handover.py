"""Handover bags: interoperability with bagit-python both ways, and every tamper case caught."""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import bagit
import pytest

from khaudit.demo import scanfiles as sf
from khaudit.errors import KhauditError
from khaudit.handover.package import package_locality
from khaudit.handover.verify import verify_bag


@pytest.fixture(scope="module")
def bag(demo_run, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bags") / "dien-lac"
    result = package_locality(demo_run.path, "Xã Diên Lạc", out)
    assert result.from_catalogue > 0 and result.linked == result.files
    return out


def copy_of(bag: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bag"
    shutil.copytree(bag, target, symlinks=True)
    return target


def kinds(bag: Path, fast: bool = False) -> set[tuple[str, str]]:
    return {(p.kind, p.path) for p in verify_bag(bag, fast=fast, workers=1).problems}


def test_khaudit_bag_validates_with_bagit_python(bag: Path):
    bagit.Bag(str(bag)).validate()
    cli = subprocess.run([sys.executable, "-m", "bagit", "--validate", str(bag)],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    result = verify_bag(bag)
    assert result.valid and result.files > 100


def test_bag_info_carries_fingerprint_and_counts(bag: Path, demo_run):
    info = bagit.Bag(str(bag)).info
    assert info["KHAudit-Run-Fingerprint"] == demo_run.meta["fingerprint"]
    assert info["Source-Organization"] == "Xã Diên Lạc"
    digitized = demo_run.meta["counts"]["Xã Diên Lạc"]["records"]["digitized"]
    assert info["KHAudit-Records-digitized"] == str(digitized)
    assert {p.name for p in (bag / "data" / "run").iterdir()} >= {
        "run.json", "records.csv", "files.csv", "inventory_issues.csv"}
    assert any((bag / "data" / "inventories").rglob("*.xlsx"))


def test_bagit_python_bags_verify_with_khaudit_nfc_and_nfd(tmp_path: Path):
    payload = tmp_path / "payload"
    (payload / "Hộp 01").mkdir(parents=True)
    rng = random.Random(5)
    (payload / "Hộp 01" / "Hồ sơ đăng ký kết hôn.pdf").write_bytes(sf.pdf_bytes("a", 2, rng))
    nfd = unicodedata.normalize("NFD", "Biên bản giao nhận.pdf")
    (payload / nfd).write_bytes(sf.pdf_bytes("b", 1, rng))
    (payload / "ghi chú 100%.txt").write_text("xin chào", encoding="utf-8")
    bagit.make_bag(str(payload), {"Source-Organization": "UBND xã Diên Lạc"},
                   checksums=["sha256", "sha512"])
    result = verify_bag(payload, workers=1)
    assert result.valid, result.problems
    assert result.files == 3


@pytest.mark.parametrize("tamper, expected", [
    ("flip", {("altered", "{scan}")}),
    ("delete", {("missing", "{scan}"), ("oxum", "bag-info.txt")}),
    ("add", {("unexpected", "data/scans/xa-dien-lac/them.pdf"), ("oxum", "bag-info.txt")}),
    ("rename", {("missing", "{scan}"), ("unexpected", "{renamed}")}),
    ("bag-info", {("tag", "bag-info.txt")}),
    ("escape", {("unsafe", "manifest-sha256.txt"), ("tag", "manifest-sha256.txt")}),
    ("link", {("link", "data/scans/xa-dien-lac/passwd")}),
])
def test_every_tamper_case_is_detected(bag: Path, tmp_path: Path, tamper: str, expected):
    copy = copy_of(bag, tmp_path)
    target = sorted((copy / "data/scans/xa-dien-lac").rglob("*.pdf"))[0]
    renamed = target.with_name(target.stem + " moi.pdf")
    names = {"scan": str(target.relative_to(copy)), "renamed": str(renamed.relative_to(copy))}
    expected = {(kind, path.format(**names)) for kind, path in expected}
    if tamper in ("flip", "rename", "delete"):
        data = bytearray(target.read_bytes())
        target.unlink()  # break the hard link: never touch the audited original
        if tamper == "flip":
            data[len(data) // 2] ^= 0x01
            target.write_bytes(bytes(data))
        elif tamper == "rename":
            renamed.write_bytes(bytes(data))
    elif tamper == "add":
        (copy / "data/scans/xa-dien-lac/them.pdf").write_bytes(b"%PDF-1.4 slipped in")
    elif tamper == "bag-info":
        text = (copy / "bag-info.txt").read_text(encoding="utf-8")
        (copy / "bag-info.txt").write_text(text.replace("KHAudit-Records-missing: ",
                                                        "KHAudit-Records-missing: 0"),
                                           encoding="utf-8")
    elif tamper == "escape":
        with open(copy / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
            fh.write("0" * 64 + "  data/../../../etc/passwd\n")
    elif tamper == "link":
        os.symlink("/etc/passwd", copy / "data/scans/xa-dien-lac/passwd")
    found = kinds(copy)
    assert expected <= found, found
    cli = subprocess.run([sys.executable, "-m", "khaudit.cli", "verify", str(copy)],
                         capture_output=True, text=True)
    assert cli.returncode == 1 and "NOT VALID" in cli.stdout


def test_problems_name_the_inventory_record(bag: Path, tmp_path: Path):
    copy = copy_of(bag, tmp_path)
    scan = next((copy / "data/scans/xa-dien-lac").rglob("HS *.pdf"))
    scan.unlink()
    problem = next(p for p in verify_bag(copy, workers=1).problems if p.kind == "missing")
    assert "muc-luc-dien-lac.xlsx!" in problem.record


def test_fast_check_sees_presence_not_content(bag: Path, tmp_path: Path):
    copy = copy_of(bag, tmp_path)
    target = next((copy / "data/scans/xa-dien-lac").rglob("*.pdf"))
    data = bytearray(target.read_bytes())
    target.unlink()
    data[10] ^= 0xFF
    target.write_bytes(bytes(data))
    assert verify_bag(copy, fast=True).valid
    assert not verify_bag(copy, workers=1).valid


def test_holey_bag_points_at_the_files_in_place(demo_run, tmp_path: Path):
    out = tmp_path / "holey"
    result = package_locality(demo_run.path, "xa-cam-lam", out, mode="fetch")
    assert result.fetch > 0 and (out / "fetch.txt").exists()
    assert not any((out / "data").rglob("*.pdf"))
    assert verify_bag(out, workers=1).valid


def test_packaging_refuses_what_it_cannot_vouch_for(demo_run, tmp_path: Path):
    package_locality(demo_run.path, "Đặc khu Trường Sa", tmp_path / "one")
    with pytest.raises(KhauditError, match="exists"):
        package_locality(demo_run.path, "Đặc khu Trường Sa", tmp_path / "one")
    with pytest.raises(KhauditError, match="no locality"):
        package_locality(demo_run.path, "Nowhere", tmp_path / "two")


def test_hashes_come_from_the_catalogue_when_the_run_has_none(tmp_path: Path):
    from khaudit.audit import audit

    base = tmp_path / "p"
    (base / "scans").mkdir(parents=True)
    rng = random.Random(2)
    for i in range(3):
        (base / "scans" / f"A.{i}.pdf").write_bytes(sf.pdf_bytes(str(i), 1, rng))
    (base / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n", encoding="utf-8")
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n', encoding="utf-8")
    run = audit(base / "project.toml", tmp_path / "run")  # no SHA-256 asked: the run has none
    assert (run.files["sha256"] == "").all()
    first = package_locality(run.path, "Xã A", tmp_path / "bag1")
    assert first.from_catalogue == 0 and first.hashed >= 3  # the three scans were read
    from khaudit.scan.catalogue import Catalogue

    with Catalogue(base / ".khaudit" / "catalogue.sqlite") as cat:
        cat.scan(base / "scans", sha256=True, workers=1)  # now the catalogue knows them
    second = package_locality(run.path, "Xã A", tmp_path / "bag2")
    assert second.from_catalogue == 3
    assert verify_bag(tmp_path / "bag2", workers=1).valid
