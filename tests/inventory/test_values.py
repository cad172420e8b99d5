from __future__ import annotations

import datetime as dt

import pytest

from khaudit.inventory.values import parse_count, parse_retention, parse_years


@pytest.mark.parametrize(
    "value, expected",
    [
        ("05/03/2019", (2019, 2019)),
        ("03/2019", (2019, 2019)),
        ("2019", (2019, 2019)),
        (2019, (2019, 2019)),
        (2019.0, (2019, 2019)),
        ("2019-2020", (2019, 2020)),
        ("01/2019 - 12/2020", (2019, 2020)),
        ("Quý I/2019", (2019, 2019)),
        (43466, (2019, 2019)),
        (dt.date(2018, 4, 1), (2018, 2018)),
        (dt.datetime(2017, 1, 1), (2017, 2017)),
        ("", (None, None)),
        ("không rõ", (None, None)),
    ],
)
def test_years(value, expected):
    assert parse_years(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (12, 12),
        (12.0, 12),
        ("12", 12),
        ("12 tờ", 12),
        ("12 trang", 12),
        ("12.0", 12),
        ("mười hai", None),
        (-1, None),
        (3.5, None),
        ("", None),
        (None, None),
    ],
)
def test_counts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Vĩnh viễn", "permanent"),
        ("VĨNH VIỄN", "permanent"),
        ("vinh vien", "permanent"),
        ("10 năm", "10"),
        ("70", "70"),
        ("", None),
        ("?", None),
    ],
)
def test_retention(value, expected):
    assert parse_retention(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        ("05/03/2019", ("2019-03-05", "2019-03-05")),
        ("03/2019", ("2019-03", "2019-03")),
        ("2019-2020", ("2019", "2020")),
        ("01/2019 - 12/2019", ("2019-01", "2019-12")),
        ("Quý I/2019", ("2019-01", "2019-03")),
        ("Quý IV/2019", ("2019-10", "2019-12")),
        ("05.03.2019 - 10.12.2020", ("2019-03-05", "2020-12-10")),
        (43466, ("2019-01-01", "2019-01-01")),
        (2019, ("2019", "2019")),
        (dt.date(2018, 4, 1), ("2018-04-01", "2018-04-01")),
        ("31/02/2019", None),
        ("13/2019", None),
        ("không rõ", None),
        ("", None),
    ],
)
def test_dates_keep_the_precision_typed(value, expected):
    from khaudit.inventory.values import parse_dates

    assert parse_dates(value) == expected
