"""The province roll-up: every locality side by side, ranked against the deadline.

The synthesis report Home Affairs sends to the People's Committee; same escaping and catalogue
rules as the locality report.
"""

from __future__ import annotations

import html

import pandas as pd

from ..i18n import t
from ..reconcile import RECORD_STATUSES
from . import charts
from . import figures as F
from .locality import Sections, figure_html, table_html


class ProvinceReport(Sections):
    """Every locality of one run side by side."""

    def header(self) -> str:
        subject = (
            f"<b>{self._t('report.province')}:</b> {html.escape(self.run.meta.get('province', ''))}"
        )
        return self._header(
            "report.province_title",
            subject,
            [
                ("report.generated", self.run.meta.get("as_of", "")[:10]),
                ("report.deadline", F.deadline(self.run)),
            ],
        )

    def table(self) -> pd.DataFrame:
        """Every locality: completion, administrative-procedure completion, statuses, forecast,
        how many of its scan files changed, moved or vanished since the previous audit, and
        the share of its scanned pages at the project's quality standard."""
        records, files = self.run.records, self.run.files
        forecast = self.run.table("forecast")
        changes = self.run.table("scan_changes")["locality"].value_counts()
        by_name = {row["locality"]: row for _, row in forecast.iterrows()} if len(forecast) else {}
        rows = []
        for loc in self.run.meta.get("localities", []):
            name = loc["name"]
            mine = records[records["locality"] == name]
            h = F.headline(mine, files[files["locality"] == name])
            f = by_name.get(name, {})
            row = {
                "locality": name,
                "completion": h.completion,
                t("report.completion", self.lang): f"{h.completion:.1%}",
                t("report.tthc_completion", self.lang): f"{h.tthc_completion:.1%}",
            }
            counts = mine["status"].value_counts()
            row.update(
                {t(f"status.{s}", self.lang): int(counts.get(s, 0)) for s in RECORD_STATUSES}
            )
            days = F._number(f.get("days_vs_deadline")) if len(f) else None
            row[t("report.forecast_date", self.lang)] = (
                str(f.get("forecast") or "") if len(f) else ""
            )
            row[t("report.days_vs_deadline", self.lang)] = (
                f"{days:+.0f}" if days is not None else ""
            )
            row[t("report.pages_to_scan", self.lang)] = (
                int(f.get("pages_to_scan", 0) or 0) if len(f) else 0
            )
            row[t("report.changes_count", self.lang)] = int(changes.get(name, 0))
            row[t("report.quality_share", self.lang)] = F.quality_share_text(
                F.quality_figures(files[files["locality"] == name])
            )
            miss = (
                str(f.get("will_miss_deadline", "")).lower() in ("true", "1") if len(f) else False
            )
            row[t("col.note", self.lang)] = (
                t("report.will_miss" if miss else "report.on_track", self.lang)
                if len(f) and f.get("forecast") or miss
                else t("report.no_forecast", self.lang)
            )
            row["_order"] = days if days is not None else -(10**6)
            rows.append(row)
        table = pd.DataFrame(rows)
        if table.empty:
            return table
        return (
            table.sort_values(["_order", "completion"])
            .drop(columns="_order")
            .reset_index(drop=True)
        )

    def ranking(self) -> str:
        table = self.table()
        chart = (
            figure_html(
                charts.completion_chart(
                    table.sort_values("completion", ascending=False),
                    t("report.by_locality", self.lang),
                )
            )
            if len(table)
            else ""
        )
        shown = table.drop(columns=["completion"]).rename(
            columns={"locality": t("col.locality", self.lang)}
        )
        return (
            f"<div class='kh'><h2>{self._t('report.ranking')}</h2>"
            f"{table_html(shown, self.lang)}{chart}</div>"
        )

    def sections(self) -> list[str]:
        return [self.header(), self.ranking(), self.fingerprint()]
