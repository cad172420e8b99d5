"""No input crashes a command: for any project file, inventory, sidecar, decision log or review
workbook, the functions the CLI calls give a result or khaudit's own located error.

Property-based (hypothesis): inputs are generated, and shrunk to a smallest failing one when a
property breaks. Examples are few and the deadline off so the file runs in seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from khaudit.errors import KhauditError, ProjectError
from khaudit.inventory.check import check_inventory
from khaudit.inventory.loader import RECORD_FIELDS, load_locality
from khaudit.match.decisions import read_decisions
from khaudit.match.sidecar import read_sidecar
from khaudit.project import load_project
from khaudit.review import COLUMNS, import_review

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.text(max_size=12),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(),
)
paths = st.one_of(
    st.sampled_from(
        ["inv/*.csv", "inv/a.csv", "inv", "scans", "nowhere", "", "*", "inv/**", "meta.csv"]
    ),
    st.text(alphabet="ab*?[].-_ ", max_size=6),
)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()) + "}"
        )
    return json.dumps(value)


def _toml(data: dict) -> str:
    """A small TOML writer: scalars first, then tables, then arrays of tables."""
    lines = [
        f"{json.dumps(k)} = {_toml_value(v)}"
        for k, v in data.items()
        if not isinstance(v, dict)
        and not (isinstance(v, list) and v and all(isinstance(i, dict) for i in v))
    ]
    for key, value in data.items():
        if isinstance(value, dict):
            lines.append(f"[{json.dumps(key)}]")
            lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in value.items()]
        elif isinstance(value, list) and value and all(isinstance(i, dict) for i in value):
            for item in value:
                lines.append(f"[[{json.dumps(key)}]]")
                lines += [f"{json.dumps(k)} = {_toml_value(v)}" for k, v in item.items()]
    return "\n".join(lines) + "\n"


def _table(keys: list[str], values=scalars) -> st.SearchStrategy[dict]:
    return st.dictionaries(
        st.sampled_from([*keys, "junk", "sha", "titel"]), values, max_size=len(keys) + 1
    )


localities = st.dictionaries(
    st.sampled_from(
        [
            "name",
            "code",
            "inventories",
            "scan_roots",
            "naming_pattern",
            "sidecar",
            "columns",
            "scanroots",
        ]
    ),
    st.one_of(
        scalars,
        paths,
        st.lists(paths, max_size=3),
        st.dictionaries(st.sampled_from(["title", "box", "x"]), scalars, max_size=2),
        st.sampled_from(["(?P<box>\\d+)", "(", "(?P<x>a)"]),
    ),
    max_size=8,
)
projects = st.fixed_dictionaries(
    {},
    optional={
        "title": scalars,
        "province": scalars,
        "scan": st.one_of(scalars, _table(["sha256", "workers", "catalogue", "max_mbps"])),
        "progress": st.one_of(
            scalars,
            _table(
                [
                    "deadline",
                    "target",
                    "pages_per_day",
                    "stations",
                    "cost_per_page",
                    "history",
                    "window",
                ]
            ),
        ),
        "matching": st.one_of(scalars, _table(["accept_score", "review_score", "workers"])),
        "cluster": st.one_of(scalars, _table(["scheduler"])),
        "locality": st.one_of(scalars, st.lists(localities, max_size=3)),
    },
)


@pytest.fixture(scope="module")
def layout(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("props")
    (base / "inv").mkdir()
    (base / "inv" / "a.csv").write_text("STT,Tiêu đề hồ sơ\n1,Báo cáo\n", encoding="utf-8")
    (base / "scans").mkdir()
    (base / "meta.csv").write_text("Tên tệp,Tiêu đề\n", encoding="utf-8")
    return base


@FAST
@given(data=projects)
def test_any_project_file_loads_or_is_a_located_project_error(layout, data):
    path = layout / "project.toml"
    path.write_text(_toml(data), encoding="utf-8")
    try:
        project = load_project(path)
    except ProjectError as exc:
        assert exc.problems and all(str(path) in p for p in exc.problems)
    else:
        assert project.localities and all(loc.inventories for loc in project.localities)


@FAST
@given(text=st.text(max_size=300))
def test_any_text_as_a_project_file_is_a_project_error_at_worst(layout, text):
    path = layout / "project.toml"
    path.write_text(text, encoding="utf-8")
    try:
        project = load_project(path)
    except ProjectError as exc:
        assert exc.problems and all(str(path) in p for p in exc.problems)
    else:
        assert project.localities


cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=dt.date(1900, 3, 1)),
)
grids = st.lists(st.lists(cells, max_size=8), max_size=15)
HEADER = ["STT", "Hộp số", "Hồ sơ số", "Tiêu đề hồ sơ", "Thời gian", "Số tờ", "THBQ"]


def _csv_bytes(rows: list[list[object]], encoding: str, delimiter: str) -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def _check_load(path: Path) -> None:
    frame, issues = load_locality([(path, path.name)], "Xã A")
    assert list(frame.columns) == RECORD_FIELDS
    assert all(i.source_file == path.name for i in issues)
    result = check_inventory(path)
    assert result.records == len(frame) or result.error


@FAST
@given(
    rows=grids,
    header=st.booleans(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_any_csv_inventory_loads_with_located_issues(rows, header, encoding, delimiter):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inv.csv"
        path.write_bytes(_csv_bytes(([HEADER] if header else []) + rows, encoding, delimiter))
        _check_load(path)


@FAST
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".xls", ".ods"]))
def test_any_bytes_as_an_inventory_load_with_located_issues(data, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"inv{suffix}"
        path.write_bytes(data)
        _check_load(path)


def _xlsx(
    path: Path,
    rows: list[list[object]],
    header: bool,
    hide: int | None,
    merge: tuple[int, int] | None,
) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    for row in ([HEADER] if header else []) + rows:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
    if hide:
        ws.row_dimensions[hide].hidden = True
        ws.column_dimensions["B"].hidden = True
    if merge:
        ws.merge_cells(
            start_row=merge[0], start_column=1, end_row=merge[0] + merge[1], end_column=2
        )
    book.save(path)


@FAST
@given(
    rows=grids,
    header=st.booleans(),
    hide=st.none() | st.integers(1, 20),
    merge=st.none() | st.tuples(st.integers(1, 20), st.integers(0, 3)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=3),
)
def test_any_xlsx_inventory_even_damaged_loads_with_located_issues(
    rows, header, hide, merge, flips
):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inv.xlsx"
        _xlsx(path, rows, header, hide, merge)
        data = bytearray(path.read_bytes())
        for where, byte in flips:  # damage: a few bytes changed anywhere in the zip
            data[int(where * len(data))] = byte
        path.write_bytes(bytes(data))
        _check_load(path)


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(["Tên tệp", "file", "Tiêu đề", "pages", "x"]) | st.text(max_size=5),
            inner,
            max_size=4,
        )
    ),
    max_leaves=30,
)


@FAST
@given(
    value=json_values,
    raw=st.binary(max_size=300),
    use_raw=st.booleans(),
    suffix=st.sampled_from([".json", ".xml", ".csv", ".xlsx"]),
)
def test_any_sidecar_gives_entries_or_a_located_problem(value, raw, use_raw, suffix):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"meta{suffix}"
        if use_raw:
            path.write_bytes(raw)
        elif suffix == ".json":
            path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        elif suffix == ".xml":
            path.write_text(
                "<r>"
                + "".join(f"<e><file>{i}</file></e>" for i in json.dumps(value)[:40])
                + "</r>",
                encoding="utf-8",
            )
        else:
            path.write_bytes(b"")
            path.write_text("Ten tep,Tieu de\n" + json.dumps(value)[:200], encoding="utf-8")
        problems: list[str] = []
        entries = read_sidecar(path, problems)
        assert isinstance(entries, list)
        assert all(str(path) in p for p in problems)


@FAST
@given(lines=st.lists(st.one_of(st.text(max_size=40), json_values.map(json.dumps)), max_size=8))
def test_any_decision_log_applies_what_it_can_and_locates_the_rest(lines):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "decisions.jsonl"
        path.write_text("\n".join(lines), encoding="utf-8")
        index = read_decisions(path)
        assert all(f"{path}, line " in p for p in index.problems)


@FAST
@given(
    rows=st.lists(st.lists(cells, min_size=0, max_size=len(COLUMNS) + 2), max_size=6),
    use_candidates=st.booleans(),
    by=st.sampled_from(["", " ", "Người Rà Soát"]),
    verdicts=st.lists(st.sampled_from(["Accept", "Reject", "Đồng ý", "maybe", None]), max_size=6),
)
def test_any_review_workbook_is_recorded_or_refused_with_its_rows(
    demo_run, rows, use_candidates, by, verdicts
):
    from khaudit.i18n import t

    header = [t(f"col.{c}", "en") for c in COLUMNS] + [t("col.decision", "en")]
    candidates = demo_run.table("candidates")
    with tempfile.TemporaryDirectory() as tmp:
        book = openpyxl.Workbook()
        ws = book.active
        ws.append(header)
        body = rows
        if use_candidates and len(candidates):
            body = [
                [*(str(candidates.iloc[i % len(candidates)][c]) for c in COLUMNS), v]
                for i, v in enumerate(verdicts)
            ]
        for row in body:
            ws.append([ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in row])
        path = Path(tmp) / "review.xlsx"
        book.save(path)
        log = Path(tmp) / "decisions.jsonl"
        try:
            recorded, problems = import_review(path, log, by=by, run_dir=demo_run.path)
        except KhauditError:
            assert not log.exists()
            return
        assert by.strip()
        assert recorded == 0 or len(read_decisions(log)) >= 1
        assert all(p.startswith(("row ", "scan ")) for p in problems)
