"""The province summary's charts (matplotlib, no display needed): figures in, figures out.

The locality report's charts are SVG written directly (:mod:`.svg`), since they are drawn once
per locality.

Every text a chart shows from the data (locality names, box numbers, titles) goes through
:func:`~khaudit.escape.for_mathtext`: matplotlib reads "$...$" as mathtext, where a name such
as "Xã $\\foo{$ Lạc" is an error and "_" or "^" change the text.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..escape import for_mathtext  # noqa: E402
from ..i18n import t  # noqa: E402


def completion_chart(table: pd.DataFrame, title: str) -> Figure:
    """Completion per locality, ranked, against the 100% target."""
    fig, ax = plt.subplots(figsize=(7, 0.4 * len(table) + 1))
    ax.barh(
        table["locality"].map(for_mathtext),
        100 * table["completion"].astype(float),
        color="#2e7d32",
    )
    ax.axvline(100, color="#c62828", linewidth=1, linestyle="--")
    ax.invert_yaxis()
    ax.set_xlim(0, 105)
    ax.set_xlabel("%")
    ax.set_title(for_mathtext(title))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def _deadline_row(ax, y: int, row: pd.Series, history: pd.DataFrame, limit, lang: str) -> None:
    """One locality of :func:`deadline_chart`: its audits, what is left, its forecast."""
    import datetime as dt

    from . import numbers as N

    mine = history[history["locality"] == row["locality"]] if len(history) else history
    audits = sorted(pd.to_datetime(mine["as_of"]).tolist()) if len(mine) else []
    if not audits:
        return
    last = audits[-1]
    ax.plot(audits, [y] * len(audits), "o", color="#1f4e79", markersize=4)
    left = N.integer(int(row["records"]) - int(row["digitized"]), lang)
    ax.annotate(
        for_mathtext(t("report.left_to_do", lang, n=left)),
        (last, y),
        xytext=(-6, 0),
        textcoords="offset points",
        va="center",
        ha="right",
        fontsize=7,
        color="#1f4e79",
    )
    end = pd.Timestamp(row["forecast"]) if isinstance(row["forecast"], dt.date) else None
    if end is None:
        text, colour, at = t("report.no_forecast", lang), "#666", last
    else:
        colour = "#c62828" if limit is not None and end > limit else "#2e7d32"
        ax.plot([last, end], [y, y], "-", color=colour, linewidth=2)
        ax.plot([end], [y], "D", color=colour, markersize=6)
        text, at = N.date_text(end.date(), lang), end
    ax.annotate(
        for_mathtext(text),
        (at, y),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=7,
        color=colour,
    )


def deadline_chart(
    table: pd.DataFrame, history: pd.DataFrame, deadline, lang: str = "vi"
) -> Figure:
    """Each locality's way to the deadline, one row each in the table's (ranked) order: its
    audits as points (records still to digitize written beside the last one), the forecast
    completion as a line to the forecast date, red when it falls after the deadline; the
    deadline as a vertical line. A locality with too few audits for a forecast says so."""
    import matplotlib.dates as mdates

    names = list(table["locality"])
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(names) + 1.6))
    limit = pd.Timestamp(str(deadline)) if deadline else None
    for y, (_, row) in enumerate(table.iterrows()):
        _deadline_row(ax, y, row, history, limit, lang)
    if limit is not None:
        ax.axvline(limit, color="#c62828", linewidth=1.2, linestyle="--")
        ax.annotate(
            for_mathtext(t("report.deadline", lang)),
            (limit, -0.6),
            ha="center",
            fontsize=8,
            color="#c62828",
        )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d/%m/%Y" if lang == "vi" else "%Y-%m-%d"))
    ax.set_yticks(range(len(names)), [for_mathtext(n) for n in names])
    ax.set_ylim(len(names) - 0.4, -1)
    ax.margins(x=0.25)
    ax.set_title(for_mathtext(t("report.deadline_chart", lang)))
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.autofmt_xdate()
    fig.tight_layout()
    return fig
