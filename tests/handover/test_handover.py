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
    assert result.from_catalogue > 0 and result.linked == 0 and result.copied > 100
    return out


def copy_of(bag: Path, tmp_path: Path) -> Path:
    target = tmp_path / "bag"
    shutil.copytree(bag, target, symlinks=True)
    return target


def kinds(bag: Path, fast: bool = False) -> set[tuple[str, str]]:
    return {(p.kind, p.path) for p in verify_bag(bag, fast=fast, workers=1).problems}


def test_khaudit_bag_validates_with_bagit_python(bag: Path):
    bagit.Bag(str(bag)).validate()
    cli = subprocess.run(
        [sys.executable, "-m", "bagit", "--validate", str(bag)], capture_output=True, text=True
    )
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
        "run.json",
        "records.csv",
        "files.csv",
        "inventory_issues.csv",
    }
    assert any((bag / "data" / "inventories").rglob("*.xlsx"))


def test_bagit_python_bags_verify_with_khaudit_nfc_and_nfd(tmp_path: Path):
    payload = tmp_path / "payload"
    (payload / "Hộp 01").mkdir(parents=True)
    rng = random.Random(5)
    (payload / "Hộp 01" / "Hồ sơ đăng ký kết hôn.pdf").write_bytes(sf.pdf_bytes("a", 2, rng))
    nfd = unicodedata.normalize("NFD", "Biên bản giao nhận.pdf")
    (payload / nfd).write_bytes(sf.pdf_bytes("b", 1, rng))
    (payload / "ghi chú 100%.txt").write_text("xin chào", encoding="utf-8")
    bagit.make_bag(
        str(payload), {"Source-Organization": "UBND xã Diên Lạc"}, checksums=["sha256", "sha512"]
    )
    result = verify_bag(payload, workers=1)
    assert result.valid, result.problems
    assert result.files == 3


@pytest.mark.parametrize(
    "tamper, expected",
    [
        ("flip", {("altered", "{scan}")}),
        ("delete", {("missing", "{scan}"), ("oxum", "bag-info.txt")}),
        ("add", {("unexpected", "data/scans/xa-dien-lac/them.pdf"), ("oxum", "bag-info.txt")}),
        ("rename", {("missing", "{scan}"), ("unexpected", "{renamed}")}),
        ("bag-info", {("tag", "bag-info.txt")}),
        ("escape", {("unsafe", "manifest-sha256.txt"), ("tag", "manifest-sha256.txt")}),
        ("link", {("link", "data/scans/xa-dien-lac/passwd")}),
    ],
)
def test_every_tamper_case_is_detected(bag: Path, tmp_path: Path, tamper: str, expected):
    copy = copy_of(bag, tmp_path)
    target = sorted((copy / "data/scans/xa-dien-lac").rglob("*.pdf"))[0]
    renamed = target.with_name(target.stem + " moi.pdf")
    names = {"scan": str(target.relative_to(copy)), "renamed": str(renamed.relative_to(copy))}
    expected = {(kind, path.format(**names)) for kind, path in expected}
    if tamper in ("flip", "rename", "delete"):
        data = bytearray(target.read_bytes())
        target.unlink()
        if tamper == "flip":
            data[len(data) // 2] ^= 0x01
            target.write_bytes(bytes(data))
        elif tamper == "rename":
            renamed.write_bytes(bytes(data))
    elif tamper == "add":
        (copy / "data/scans/xa-dien-lac/them.pdf").write_bytes(b"%PDF-1.4 slipped in")
    elif tamper == "bag-info":
        text = (copy / "bag-info.txt").read_text(encoding="utf-8")
        (copy / "bag-info.txt").write_text(
            text.replace("KHAudit-Records-missing: ", "KHAudit-Records-missing: 0"),
            encoding="utf-8",
        )
    elif tamper == "escape":
        with open(copy / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
            fh.write("0" * 64 + "  data/../../../etc/passwd\n")
    elif tamper == "link":
        os.symlink("/etc/passwd", copy / "data/scans/xa-dien-lac/passwd")
    found = kinds(copy)
    assert expected <= found, found
    cli = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "verify", str(copy)], capture_output=True, text=True
    )
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
    # verify never fetches: the files left in place are reported until they are in the bag
    lines = (out / "fetch.txt").read_text(encoding="utf-8").splitlines()
    assert {p.kind for p in verify_bag(out, workers=1).problems} == {"not_fetched"}
    assert len(verify_bag(out, workers=1).problems) == result.fetch == len(lines)
    from urllib.parse import unquote, urlparse

    for line in lines:  # what a receiver does: fetch each file into the bag
        url, _, rel = line.split(" ", 2)
        target = out / rel.replace("%25", "%")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(unquote(urlparse(url).path), target)
    assert verify_bag(out, workers=1).valid
    bagit.Bag(str(out)).validate()


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
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
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


# --- hostile bags: each is a bag problem with its exact verdict, never a hang or a traceback


def tiny_bag(tmp_path: Path, files: dict[str, bytes] | None = None) -> Path:
    """A small valid bag made by bagit-python (another tool's bag, not khaudit's)."""
    payload = tmp_path / "tiny"
    payload.mkdir()
    for name, data in (files or {"a.txt": b"xin chao", "hop/b.txt": b"ho so"}).items():
        (payload / name).parent.mkdir(parents=True, exist_ok=True)
        (payload / name).write_bytes(data)
    bagit.make_bag(str(payload), checksums=["sha256"])
    assert verify_bag(payload, workers=1).valid
    return payload


@pytest.fixture
def alarm():
    """Fail a test that hangs (a FIFO read) after 30 s instead of blocking the suite."""
    import signal

    def timeout(*_):
        raise TimeoutError("verify hung")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def problems(bag: Path) -> set[tuple[str, str]]:
    return {(p.kind, p.path) for p in verify_bag(bag, workers=1).problems}


def test_data_as_a_link_to_another_folder_is_not_followed(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    (bag / "data").rename(elsewhere)  # the same files, outside the bag
    os.symlink(elsewhere, bag / "data")
    assert ("link", "data") in problems(bag)
    assert not verify_bag(bag, workers=1).valid


def test_a_tag_manifest_entry_through_a_linked_folder_is_not_read(tmp_path: Path):
    import hashlib

    bag = tiny_bag(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"secret")
    os.symlink(outside, bag / "meta")
    digest = hashlib.sha256(b"secret").hexdigest()
    with open(bag / "tagmanifest-sha256.txt", "a", encoding="utf-8") as fh:
        fh.write(f"{digest}  meta/secret.txt\n")
    assert problems(bag) == {("link", "meta/secret.txt")}


def test_fetch_txt_is_reported_never_fetched_nor_read_in_place(tmp_path: Path):
    import hashlib

    bag = tiny_bag(tmp_path)
    system = Path("/etc/passwd")
    (bag / "tagmanifest-sha256.txt").unlink()  # only the fetch entry is at stake here
    with open(bag / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
        fh.write("0" * 64 + "  data/passwd\n")
    (bag / "fetch.txt").write_text(f"file://{system} - data/passwd\n", encoding="utf-8")
    result = verify_bag(bag, workers=1)
    assert {(p.kind, p.path) for p in result.problems} == {("not_fetched", "data/passwd")}
    shown = "\n".join(str(p) for p in result.problems)
    assert hashlib.sha256(system.read_bytes()).hexdigest() not in shown
    assert str(system.stat().st_size) not in shown.replace(str(system), "")


def test_fifos_are_bag_problems_not_hangs(tmp_path: Path, alarm):
    bag = tiny_bag(tmp_path)
    (bag / "data/a.txt").unlink()
    os.mkfifo(bag / "data/a.txt")
    assert ("special", "data/a.txt") in problems(bag)
    (bag / "manifest-sha256.txt").unlink()
    os.mkfifo(bag / "manifest-sha256.txt")
    assert ("special", "manifest-sha256.txt") in problems(bag)


def test_bag_info_linked_to_dev_zero_or_huge_is_refused(tmp_path: Path, alarm):
    bag = tiny_bag(tmp_path)
    (bag / "bag-info.txt").unlink()
    os.symlink("/dev/zero", bag / "bag-info.txt")
    found = [(p.kind, p.path) for p in verify_bag(bag, workers=1).problems]
    assert found == [("link", "bag-info.txt")]  # once, though listed and read
    (bag / "bag-info.txt").unlink()
    (bag / "bag-info.txt").write_bytes(b"X-Pad: " + b"a" * (2 << 20) + b"\n")
    assert ("size", "bag-info.txt") in problems(bag)


def test_unknown_algorithm_and_bad_encodings_are_bag_problems(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    (bag / "tagmanifest-foo.txt").write_text("abc  bagit.txt\n", encoding="utf-8")
    (bag / "fetch.txt").write_bytes(b"http://example.org/x - data/\xff\xfe.txt\n")
    with open(bag / "manifest-sha256.txt", "ab") as fh:
        fh.write(b"0" * 64 + b"  data/caf\xe9.txt\n")
    found = problems(bag)
    assert {
        ("format", "tagmanifest-foo.txt"),
        ("encoding", "fetch.txt"),
        ("encoding", "manifest-sha256.txt"),
    } <= found


def test_escape_sequences_in_names_never_reach_the_terminal(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    fake = "x\x1b[2K\x1b[32mvalid\x1b[0m\u2028\x85\u202e.txt"  # none of them ends a line
    with open(bag / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
        fh.write("0" * 64 + f"  data/{fake}\n")
    cli = subprocess.run(
        [sys.executable, "-m", "khaudit.cli", "verify", str(bag)], capture_output=True, text=True
    )
    assert cli.returncode == 1
    assert "\x1b" not in cli.stdout + cli.stderr and "\r" not in cli.stdout
    assert "\\x1b[32mvalid\\x1b[0m\\u2028\\x85\\u202e.txt" in cli.stdout
    assert all(
        line.startswith(("missing:", "tag:", str(bag))) for line in cli.stdout.split("\n") if line
    )


def test_hostile_paths_in_a_manifest_are_unsafe_never_followed(tmp_path: Path):
    bag = tiny_bag(tmp_path)
    with open(bag / "manifest-sha256.txt", "a", encoding="utf-8") as fh:
        for path in (
            "/etc/passwd",
            "~/.ssh/id_rsa",
            "data/../../x",
            "data\\..\\..\\x",
            "bagit.txt",
        ):
            fh.write("0" * 64 + f"  {path}\n")
    found = [p for p in verify_bag(bag, workers=1).problems if p.kind == "unsafe"]
    assert [p.path for p in found] == ["manifest-sha256.txt"] * 5
    assert [p.detail.split(":")[0] for p in found] == [f"line {n}" for n in range(3, 8)]


# --- what packaging puts in a bag, and where


def small_project(base: Path, scan_names: list[str]) -> Path:
    (base / "scans").mkdir(parents=True)
    rng = random.Random(3)
    for i, name in enumerate(scan_names):
        (base / "scans" / name).write_bytes(sf.pdf_bytes(str(i), 1, rng))
    (base / "inv.csv").write_text("STT,Mã hồ sơ,Tiêu đề hồ sơ\n1,A.0,Báo cáo\n", encoding="utf-8")
    (base / "project.toml").write_text(
        'title = "t"\nprovince = "Khánh Hòa"\n[[locality]]\nname = "Xã A"\n'
        'inventories = ["inv.csv"]\nscan_roots = ["scans"]\n',
        encoding="utf-8",
    )
    return base / "project.toml"


def test_bag_holds_exactly_its_locality_and_its_signed_minutes(demo_run, tmp_path: Path):
    from khaudit.report.minutes_pdf import write_minutes_pdf
    from khaudit.report.verify_report import verify_report
    from khaudit.run import load_run
    from khaudit.textnorm import slugify

    run_dir = tmp_path / "run"
    shutil.copytree(demo_run.path, run_dir)
    name = "Xã Diên Lạc"
    write_minutes_pdf(load_run(run_dir), name, run_dir / slugify(name) / "bien-ban.pdf")
    out = tmp_path / "bag"
    package_locality(run_dir, name, out)
    bagit.Bag(str(out)).validate()
    assert verify_bag(out, workers=1).valid
    minutes = out / "data/report/bien-ban.pdf"
    assert minutes.is_file()
    assert verify_report(minutes, out / "data/run").matches  # signed minutes match the bag's run
    bag_run = load_run(out / "data/run")
    assert bag_run.meta["fingerprint"] == demo_run.meta["fingerprint"]
    for table in ("records", "files", "inventory_issues", "candidates", "history"):
        assert set(bag_run.table(table)["locality"]) <= {name}, table
    assert len(bag_run.records) == (demo_run.records["locality"] == name).sum() > 0
    assert [loc["name"] for loc in bag_run.meta["localities"]] == [name]
    assert not bag_run.verify_tables()


def test_payload_never_shares_an_inode_with_the_originals_unless_asked(tmp_path: Path):
    from khaudit.audit import audit

    project = small_project(tmp_path / "p", ["A.0.pdf", "A.1.pdf"])
    run = audit(project, tmp_path / "run")
    originals = {p.name: p.stat().st_ino for p in (tmp_path / "p/scans").iterdir()}
    copied = package_locality(run.path, "Xã A", tmp_path / "copy")
    assert copied.linked == 0 and not copied.notes
    from khaudit.run import load_run

    bag_run = load_run(tmp_path / "copy/data/run")  # a one-locality run: its tables as they are
    assert not bag_run.verify_tables() and bag_run.meta["fingerprint"] == run.meta["fingerprint"]
    in_bag = {p.name: p.stat().st_ino for p in (tmp_path / "copy/data/scans").rglob("*.pdf")}
    assert set(in_bag) == set(originals) and not set(in_bag.values()) & set(originals.values())
    (tmp_path / "copy/data/scans/scans/A.0.pdf").write_bytes(b"edited in the bag")
    assert (tmp_path / "p/scans/A.0.pdf").read_bytes().startswith(b"%PDF")  # original intact
    linked = package_locality(run.path, "Xã A", tmp_path / "link", mode="link")
    assert linked.linked == 3 and "hard-linked" in linked.notes[0]
    assert linked.linked == sum(
        os.stat(p).st_nlink > 1 for p in (tmp_path / "link/data").rglob("*") if p.is_file()
    )  # 2 scans, 1 inventory
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "khaudit.cli",
            "package",
            str(run.path),
            "--locality",
            "Xã A",
            "--out",
            str(tmp_path / "link2"),
            "--mode",
            "link",
        ],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0 and "warning: payload files are hard-linked" in cli.stderr


def test_inventories_outside_the_project_stay_inside_the_bag(tmp_path: Path):
    import json

    from khaudit.audit import audit

    project = small_project(tmp_path / "a/b/p", ["A.0.pdf"])
    run = audit(project, tmp_path / "run")
    private = tmp_path / "a/private"
    private.mkdir()
    (private / "inv.csv").write_bytes((tmp_path / "a/b/p/inv.csv").read_bytes())
    meta = json.loads((run.path / "run.json").read_text(encoding="utf-8"))
    meta["inputs"][0]["path"] = "../../private/inv.csv"  # as `inventories = ["../../private/*"]`
    (run.path / "run.json").write_text(json.dumps(meta), encoding="utf-8")
    # where a bag path built from ".." would land, relative to the bag's data/inventories
    trap = tmp_path / "private/inv.csv"
    trap.parent.mkdir()
    trap.write_text("mine", encoding="utf-8")
    before = sorted(str(p) for p in tmp_path.rglob("*") if "bag" not in p.parts)
    package_locality(run.path, "Xã A", tmp_path / "bag")
    assert trap.read_text(encoding="utf-8") == "mine"
    assert sorted(str(p) for p in tmp_path.rglob("*") if "bag" not in p.parts) == before
    assert (tmp_path / "bag/data/inventories/_outside/private/inv.csv").is_file()
    assert verify_bag(tmp_path / "bag", workers=1).valid


def test_names_with_backslash_and_percent_make_bags_khaudit_verifies(tmp_path: Path):
    from khaudit.audit import audit

    names = ["A.0 back\\slash.pdf", "A.1 100% done.pdf", "A.2 %0A.pdf"]
    run = audit(small_project(tmp_path / "p", names), tmp_path / "run")
    for mode in ("copy", "fetch"):
        out = tmp_path / mode
        package_locality(run.path, "Xã A", out, mode=mode)
        result = verify_bag(out, workers=1)
        expected = {"not_fetched"} if mode == "fetch" else set()
        assert {p.kind for p in result.problems} == expected, result.problems
    assert {p.path for p in verify_bag(tmp_path / "fetch", workers=1).problems} == {
        f"data/scans/scans/{n}" for n in names
    }


def test_a_bag_is_refused_inside_a_scan_root(tmp_path: Path):
    from khaudit.audit import audit

    run = audit(small_project(tmp_path / "p", ["A.0.pdf"]), tmp_path / "run")
    with pytest.raises(KhauditError, match="inside the scan root"):
        package_locality(run.path, "Xã A", tmp_path / "p/scans/bag")
    assert not (tmp_path / "p/scans/bag").exists()


@pytest.mark.parametrize(
    ("pattern", "out"),
    [
        ("**/*.csv", "p/bags/xa-a"),  # the bag's copy of the inventory and its tables
        ("muc-luc/**/*.csv", "p/muc-luc/bag"),
        ("muc-luc/*/*.txt", "p/muc-luc/bag"),  # its tag files: .txt is read as an inventory
    ],
)
def test_a_bag_is_refused_where_an_inventory_pattern_reaches_its_files(
    tmp_path: Path, pattern: str, out: str
):
    from khaudit.audit import audit

    project = small_project(tmp_path / "p", ["A.0.pdf"])
    run = audit(project, tmp_path / "run")
    (tmp_path / "p/muc-luc/cu").mkdir(parents=True)
    for name in ("inv2.csv", "ghi-chu.txt"):  # so that each pattern names a file today
        shutil.copy(tmp_path / "p/inv.csv", tmp_path / "p/muc-luc/cu" / name)
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace('["inv.csv"]', f'["inv.csv", "{pattern}"]'), encoding="utf-8")
    with pytest.raises(KhauditError, match="inventory pattern"):
        package_locality(run.path, "Xã A", tmp_path / out)
    assert not (tmp_path / out).exists() and not list((tmp_path / out).parent.glob(".*"))
    package_locality(run.path, "Xã A", tmp_path / "elsewhere")  # a pattern reaching no file
    assert verify_bag(tmp_path / "elsewhere", workers=1).valid


@pytest.mark.parametrize("name", ["100% done.pdf", "a %0A b.pdf", "%25", "x\ny\rz", "%", "%0d"])
def test_manifest_paths_round_trip_and_stay_bagit_python_compatible(name: str):
    from khaudit.handover.bagit_format import decode_path, encode_path

    assert decode_path(encode_path(name)) == name
    assert "\n" not in encode_path(name) and "\r" not in encode_path(name)
    if not any(code in name.lower() for code in ("%0a", "%0d", "%25")):
        assert encode_path(name) == name.replace("\n", "%0A").replace("\r", "%0D")


def test_every_kind_of_problem_and_warning_is_named_in_both_languages():
    from khaudit.handover.verify import PROBLEM_KINDS, WARNING_KINDS
    from khaudit.i18n import catalogue

    for lang in ("vi", "en"):
        assert all(
            f"bag.kind.{kind}" in catalogue(lang) for kind in PROBLEM_KINDS + WARNING_KINDS
        ), lang
