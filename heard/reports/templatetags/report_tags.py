"""{% load report_tags %}: a report table's chart as inline SVG, and cell helpers."""

from django import template
from django.utils.safestring import mark_safe

from heard.reports.charts import bar_chart

register = template.Library()


@register.simple_tag
def report_chart(table):
    # bar_chart escapes every piece of text it writes.
    return mark_safe(bar_chart(table)) if table.get("chart") else ""


@register.filter
def is_number(cell) -> bool:
    """Counts and percentages are right-aligned, as GOV.UK numeric cells."""
    return isinstance(cell, int) or (
        isinstance(cell, str) and (cell.endswith("%") or cell in ("Nil", "[c]") or cell.startswith("<"))
    )


@register.filter
def headed_columns(t) -> list[tuple[str, bool]]:
    """Each column's heading and whether the column holds figures (every cell a number): a heading is
    right-aligned over figures, and over words (a lesson, a service) it stays on the left."""
    rows = t.get("rows") or []
    return [
        (column, i > 0 and bool(rows) and all(is_number(row[i]) for row in rows if i < len(row)))
        for i, column in enumerate(t.get("columns") or [])
    ]


@register.filter
def table(report, ident):
    return report.table(ident)


@register.filter
def narrative(report, section):
    return report.narrative(section)
