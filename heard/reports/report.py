"""The report as one object: its period, its tables (figures from the records), its charts and the words
staff wrote for it. Every output format (HTML, PDF, XLSX, CSV, JSON) renders this one object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from heard.reports import tables as t
from heard.reports.models import ReportNarrative
from heard.reports.periods import Period
from heard.reports.queries import report_figures


@dataclass
class Report:
    period: Period
    comparisons: list[Period]
    tables: list[dict[str, Any]]
    narratives: dict[str, str] = field(default_factory=dict)
    suppressed_below: int | None = None

    def table(self, ident: str) -> dict[str, Any]:
        return next(x for x in self.tables if x["id"] == ident)

    @property
    def is_annual(self) -> bool:
        return self.period.year is not None

    def narrative(self, section: str) -> str:
        return self.narratives.get(section, "")

    @property
    def sections(self) -> list[tuple[str, str]]:
        return list(ReportNarrative.Section.choices)


def build_report(period: Period, *, previous_years: int = 2, suppress_below: int | None = None) -> Report:
    figures = report_figures(period, previous_years=previous_years)
    tables = t.suppress(t.assemble(figures), suppress_below)
    return Report(
        period=period,
        comparisons=figures.periods[1:],
        tables=tables,
        narratives=figures.narratives,
        suppressed_below=suppress_below if suppress_below and suppress_below > 1 else None,
    )
