"""A CSV of many rows, each within the width cap, whose cells add up past what a sheet may
hold is refused quickly and located, and the other inventories load; so is an inventory that
is a pipe or a device, named for what it is."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from khaudit.inventory.limits import MAX_CELLS, MAX_COLUMNS
from khaudit.inventory.loader import load_locality


def _good(path: Path) -> Path:
    path.write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n2,Tờ trình\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("quoted", [False, True])
def test_a_csv_of_too_many_cells_in_all_is_refused_and_located(tmp_path: Path, quoted: bool):
    width = MAX_COLUMNS - 100  # every row within the width cap
    rows = MAX_CELLS // width + 50
    first = '1,"Báo cáo, năm 2020"' if quoted else "1,Báo cáo"
    path = tmp_path / "many.csv"
    path.write_text(
        "STT,Tiêu đề hồ sơ\n" + first + "\n" + ("2" + "," * (width - 1) + "\n") * rows,
        encoding="utf-8",
    )
    good = _good(tmp_path / "good.csv")
    started = time.monotonic()
    frame, issues = load_locality([(path, path.name), (good, good.name)], "Xã A")
    took = time.monotonic() - started
    unreadable = [i for i in issues if i.problem == "file_unreadable"]
    assert len(unreadable) == 1 and unreadable[0].source_file == "many.csv"
    assert f"{MAX_CELLS:,}" in unreadable[0].value
    assert unreadable[0].source_row and unreadable[0].source_row > MAX_CELLS // width
    assert list(frame["source_file"]) == ["good.csv", "good.csv"]
    print(f"refused in {took:.1f} s")


def test_a_csv_just_under_the_cell_cap_is_not_refused_for_its_size(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_text(
        "STT,Tiêu đề hồ sơ\n" + "".join(f"{i},Hồ sơ số {i}\n" for i in range(1, 2001)),
        encoding="utf-8",
    )
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert len(frame) == 2000 and not [i for i in issues if i.problem == "file_unreadable"]


def test_a_pipe_or_a_device_named_as_an_inventory_is_said_to_be_no_regular_file(tmp_path: Path):
    import os

    from khaudit.inventory.readers import read_sheets

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    os.mkfifo(tmp_path / "pipe.csv")
    os.symlink(os.devnull, tmp_path / "device.csv")
    good = _good(tmp_path / "good.csv")
    sources = [(tmp_path / n, n) for n in ("pipe.csv", "device.csv")] + [(good, good.name)]
    frame, issues = load_locality(sources, "Xã A")
    unreadable = {i.source_file: i.value for i in issues if i.problem == "file_unreadable"}
    assert set(unreadable) == {"pipe.csv", "device.csv"}
    assert all("regular" in v or "thường" in v for v in unreadable.values()), unreadable
    assert list(frame["source_file"]) == ["good.csv", "good.csv"]
    with pytest.raises(Exception, match="not found|không tìm thấy"):
        read_sheets(tmp_path / "absent.csv")
