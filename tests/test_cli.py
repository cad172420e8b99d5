from __future__ import annotations

from click.testing import CliRunner

from khaudit.cli import cli


def test_bad_project_is_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "p.toml"
    bad.write_text('title = "x"\nprovince = "y"\n[[locality]]\nname = "A"\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["audit", str(bad), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.output.strip().startswith("khaudit: ") and "has no 'inventories'" in result.output


def test_score_prints_precision_recall_and_verdict(demo_dir, demo_run):
    result = CliRunner().invoke(
        cli, ["score", str(demo_run.path), str(demo_dir / "ground_truth"), "--strict"]
    )
    assert result.exit_code == 0, result.output
    assert "link precision 1.0000" in result.output
    assert "every injected problem was found" in result.output


def test_demo_refuses_to_overwrite_other_folders(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = CliRunner().invoke(cli, ["demo", str(tmp_path), "--force"])
    assert result.exit_code == 2 and "refusing" in result.output
    assert (tmp_path / "keep.txt").read_text() == "mine"


def test_audit_prints_detected_schemes(demo_dir, tmp_path):
    result = CliRunner().invoke(
        cli,
        ["audit", str(demo_dir / "project.toml"), "--out", str(tmp_path / "run"), "--no-report"],
    )
    assert result.exit_code == 0, result.output
    assert "naming schemes detected: record code" in result.output
    assert "box and file number" in result.output
    assert "scanner counter with a metadata file" in result.output


def test_inventory_check_shows_detection_and_exits_1_on_errors(tmp_path):
    from khaudit.demo.inventories import SheetPlan, tcvn3, write_xlsx

    path = tmp_path / "tcvn3.xlsx"
    write_xlsx(
        path,
        ["MỤC LỤC HỒ SƠ"],
        ["STT", "Hồ sơ số", "Tiêu đề hồ sơ", "Năm", "Số tờ"],
        [
            SheetPlan(
                "S",
                [
                    [1, 1, "Hồ sơ đăng ký kết hôn", 2019, "3 tờ"],
                    [2, 2, "Báo cáo năm 2020", 2020, "nhiều"],
                ],
                "full",
            )
        ],
        transform=tcvn3,
    )
    result = CliRunner().invoke(cli, ["inventory", "check", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert "sheet 'S': header row 3, 2 data rows" in out
    assert "'Tiêu đề hồ sơ' -> title" in out and "title (tcvn3)" in out
    assert "row 6, column 'Số tờ': sheets_not_number (value 'nhiều'" in out


def test_inventory_check_lists_the_headings_it_saw_when_none_fits(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Số thứ tự,Diễn giải,Năm\n1,Báo cáo,2019\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["inventory", "check", str(path)])
    assert result.exit_code == 1
    assert "no_header (value 'Số thứ tự | Diễn giải | Năm'" in result.output
    mapped = CliRunner().invoke(
        cli, ["inventory", "check", str(path), "--column", "title=Diễn giải"]
    )
    assert mapped.exit_code == 0, mapped.output
    assert "'Diễn giải' -> title" in mapped.output
