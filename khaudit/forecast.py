"""Pace and forecast per locality, from the run history: when will it reach its target at the
pace of its recent runs, how far ahead of or behind the deadline, and what is left to scan and
to pay for.

The pace is the least-squares slope of digitized records over the last ``window`` runs (records
per calendar day). With three runs or more the forecast carries a range from the slope's
standard error; with two it is a point; with one there is no forecast, and the note says so.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class ProgressSettings:
    deadline: dt.date | None = None
    target: float = 1.0  # share of records (repeated rows excluded) to digitize
    pages_per_day: float | None = None  # per scanning station and working day
    stations: int = 1
    cost_per_page: float | None = None  # in the project's currency (VND)
    window: int = 5  # runs the pace is measured over


@dataclass(frozen=True)
class Forecast:
    locality: str
    as_of: dt.date | None
    runs: int
    records: int
    digitized: int
    completion: float
    remaining: int  # records still to digitize to reach the target
    pace: float | None  # records per day
    forecast: dt.date | None
    earliest: dt.date | None
    latest: dt.date | None
    days_vs_deadline: int | None  # > 0: ahead of the deadline; < 0: behind
    pages_to_scan: int
    working_days: float | None
    budget: float | None
    note: str = ""
    tthc_completion: float | None = None  # administrative-procedure records, reported first
    tthc_remaining: int = 0  # a code, worded by the catalogues as "forecast.<code>"

    @property
    def will_miss_deadline(self) -> bool:
        behind = self.days_vs_deadline is not None and self.days_vs_deadline < 0
        stalled = self.remaining > 0 and self.forecast is None and self.runs >= 2
        return behind or stalled


def _slope(days: list[float], values: list[float]) -> tuple[float, float | None]:
    n = len(days)
    mean_x, mean_y = sum(days) / n, sum(values) / n
    sxx = sum((x - mean_x) ** 2 for x in days)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(days, values)) / sxx
    if n < 3:
        return slope, None
    residuals = sum((y - (mean_y + slope * (x - mean_x))) ** 2 for x, y in zip(days, values))
    return slope, math.sqrt(residuals / (n - 2) / sxx)


def _after(start: dt.date, remaining: int, pace: float) -> dt.date:
    return start + dt.timedelta(days=math.ceil(remaining / pace))


def forecast_locality(series: pd.DataFrame, settings: ProgressSettings) -> Forecast:
    """Forecast one locality from its rows of history_table (any order, excluded runs out)."""
    last = series.sort_values("as_of").iloc[-1]
    base = _standing(last, len(series), settings)
    as_of = last["as_of"]
    if base["remaining"] == 0:
        return Forecast(
            **base,
            pace=None,
            forecast=as_of,
            earliest=as_of,
            latest=as_of,
            days_vs_deadline=(settings.deadline - as_of).days if settings.deadline else None,
            note="target_reached",
        )
    rows = series.sort_values("as_of").tail(max(2, settings.window))
    dates = list(rows["as_of"])
    if len(set(dates)) < 2:
        return Forecast(**base, **_NO_DATE, pace=None, note="too_few_runs")
    slope, error = _slope(
        [(d - dates[0]).days for d in dates], [float(v) for v in rows["digitized"]]
    )
    if slope <= 0:
        return Forecast(**base, **_NO_DATE, pace=slope, note="no_progress")
    return Forecast(**base, **_dates(as_of, base["remaining"], slope, error, settings))


#: A forecast that names no date.
_NO_DATE: dict[str, Any] = dict(forecast=None, earliest=None, latest=None, days_vs_deadline=None)


def _standing(last: pd.Series, runs: int, settings: ProgressSettings) -> dict[str, Any]:
    """Where the locality stands at its last run: counts, what remains, the work and cost of
    the pages still to scan."""
    records, digitized = int(last["records"]), int(last["digitized"])
    pages = int(last["pages_to_scan"])
    per_day = (settings.pages_per_day or 0) * settings.stations
    tthc = int(last.get("tthc_records", 0) or 0)
    tthc_done = int(last.get("tthc_digitized", 0) or 0)
    return dict(
        locality=str(last["locality"]),
        as_of=last["as_of"],
        runs=runs,
        records=records,
        digitized=digitized,
        completion=digitized / records if records else 0.0,
        remaining=max(0, math.ceil(settings.target * records) - digitized),
        pages_to_scan=pages,
        working_days=round(pages / per_day, 1) if per_day else None,
        budget=pages * settings.cost_per_page if settings.cost_per_page is not None else None,
        tthc_completion=tthc_done / tthc if tthc else None,
        tthc_remaining=max(0, math.ceil(settings.target * tthc) - tthc_done),
    )


def _dates(
    as_of: dt.date, remaining: int, slope: float, error: float | None, settings: ProgressSettings
) -> dict[str, Any]:
    """The forecast date at the fitted pace and its range at the pace plus or minus its
    standard error (no range from two runs; no latest date when the slow pace is none)."""
    when = _after(as_of, remaining, slope)
    earliest = _after(as_of, remaining, slope + error) if error is not None else None
    latest = (
        _after(as_of, remaining, slope - error) if error is not None and slope - error > 0 else None
    )
    return dict(
        pace=slope,
        forecast=when,
        earliest=earliest,
        latest=latest,
        days_vs_deadline=(settings.deadline - when).days if settings.deadline else None,
        note="two_runs" if error is None else "" if latest is not None else "open_range",
    )


def forecast_all(history: pd.DataFrame, settings: ProgressSettings) -> list[Forecast]:
    """One forecast per locality, from a history_table (excluded runs already left out)."""
    if history.empty:
        return []
    return [forecast_locality(group, settings) for _, group in history.groupby("locality")]


def forecast_table(forecasts: list[Forecast]) -> pd.DataFrame:
    """Localities ranked by days against the deadline (those that will miss it first)."""
    rows = [f.__dict__ | {"will_miss_deadline": f.will_miss_deadline} for f in forecasts]
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    order = table["days_vs_deadline"].fillna(-(10**6)).astype(float)
    return (
        table.assign(_order=order)
        .sort_values(["_order", "completion"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )
