"""The locality report's SVG charts: well-formed, untrusted text shown as typed, every bar and
point drawn; and the workbook's column conversion agreeing with the per-cell one."""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd

from khaudit.report import svg
from khaudit.report.present import COLUMN_AT_ONCE, stored, stored_column

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & $x_1$ \"'"


def _texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{NS}text")]


def test_status_bars_escape_labels_and_write_counts_the_readers_way():
    doc = svg.status_bars([HOSTILE, "Đã số hóa"], [3, 190500], ["#c62828", "#2e7d32"], "T", "vi")
    root = ET.fromstring(doc)
    assert not list(root.iter(f"{NS}script")) and not list(root.iter("script"))
    texts = _texts(root)
    assert HOSTILE in texts and "Đã số hóa" in texts and "190.500" in texts
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") != "100%"]
    widths = [float(r.get("width", 0)) for r in bars]
    assert len(bars) == 2 and widths[1] > widths[0] > 0


def test_an_img_carries_the_svg_and_an_escaped_alt():
    doc = svg.status_bars(["a"], [1], ["#000"], "t", "en")
    img = svg.as_img(doc, HOSTILE)
    assert "<script>" not in img
    data = re.search(r"base64,([A-Za-z0-9+/=]+)'", img)
    assert data and base64.b64decode(data.group(1)).decode("utf-8") == doc


def test_completion_columns_draw_every_box_and_thin_out_their_labels():
    keys = [str(k) for k in range(1, 171)]
    shares = [(k % 10) / 10 for k in range(170)]
    root = ET.fromstring(svg.completion_columns(keys, shares, "Hộp", "Tiến độ theo hộp"))
    bars = [r for r in root.iter(f"{NS}rect") if r.get("height") != "100%"]
    assert len(bars) == 170
    labels = [t for t in _texts(root) if t in keys]
    assert 10 < len(labels) < 170 and labels[0] == "1"
    assert "100%" in _texts(root) and "Hộp" in _texts(root)
    few = ET.fromstring(svg.completion_columns(["2019", ""], [1.0, 0.5], "Năm", "t"))
    assert "2019" in _texts(few)


def test_burndown_marks_every_audit_the_forecast_and_the_deadline():
    dates = [dt.date(2025, 6, 10), dt.date(2025, 6, 24)]
    root = ET.fromstring(
        svg.burndown(
            dates,
            [92, 23],
            dt.date(2025, 6, 29),
            dt.date(2025, 6, 30),
            "Còn lại",
            {"remaining": "Còn lại", "forecast": "Dự báo", "deadline": "Hạn chót"},
            "vi",
        )
    )
    assert len(list(root.iter(f"{NS}circle"))) == 2
    texts = _texts(root)
    assert {"10/06/2025", "24/06/2025", "30/06/2025", "Dự báo", "Hạn chót"} <= set(texts)
    dashed = [el for el in root.iter(f"{NS}line") if el.get("stroke-dasharray") == "6,4"]
    assert dashed  # the forecast


def test_nice_steps_are_round():
    assert [svg.nice_step(v) for v in (0, 7, 92, 190500)] == [1.0, 2, 20, 50000]


def test_a_column_is_stored_as_each_of_its_cells_would_be():
    values = [None, math.nan, pd.NA, "", " ", "nan", "<NA>", "302", " 302 ", "0.923", 0.923]
    values += [5, 5.0, np.int64(7), np.float64(2.5), True, np.bool_(False), "abc", "inf"]
    values += [math.inf, "=HYPERLINK(1)", "Xã Diên Lạc", 12345678901, "-3"]
    column = (values * (COLUMN_AT_ONCE // len(values) + 1))[: COLUMN_AT_ONCE + 5]
    for kind in ("text", "count", "percent", "plain", "decimal", "days", "date", "bool"):
        for series in (pd.Series(column, dtype=object), pd.Series(column[:3] * 40)):
            expected = [stored(v, kind) for v in series.tolist()]
            got = stored_column(series, kind)
            assert [(type(v), v) for v in got] == [(type(v), v) for v in expected], kind


def test_deadline_rows_colour_each_units_forecast_against_the_deadline():
    deadline = dt.date(2025, 6, 30)
    audits = [dt.date(2025, 6, 10), dt.date(2025, 6, 24)]
    ways = [
        svg.Way(HOSTILE, audits, "còn 4", dt.date(2025, 7, 9), True, "09/07/2025"),
        svg.Way("Xã Diên Lạc", audits, "còn 23", dt.date(2025, 6, 29), False, "29/06/2025"),
        svg.Way("Xã Cam Lâm", audits[:1], "còn 40", None, False, "Chưa đủ dữ liệu để dự báo"),
        svg.Way("Phường Bắc Nha Trang", [], "", None, False, ""),
    ]
    root = ET.fromstring(svg.deadline_rows(ways, deadline, "Tiến độ", "vi"))
    texts = _texts(root)
    assert HOSTILE in texts and "Chưa đủ dữ liệu để dự báo" in texts and "30/06/2025" in texts
    diamonds = [p.get("fill") for p in root.iter(f"{NS}path")]
    assert diamonds == [svg.TARGET, "#2e7d32"]  # late in red, on time in green
    assert len(list(root.iter(f"{NS}circle"))) == 5
