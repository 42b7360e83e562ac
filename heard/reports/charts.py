"""Simple, accessible SVG bar charts, written here rather than taken from a charting library: the charts the
reference report shows are plain bars, the output must work in a browser without JavaScript and in
WeasyPrint's PDF renderer (which draws inline SVG but runs no script), and every chart needs a text
alternative. Each chart has role="img", a <title> and a <desc> (named by aria-labelledby) that reads out
every value, a <title> on each bar, and value labels in text so colour is never the only carrier of
meaning. The same data is always shown in a table beside the chart (heard/reports/templates).
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

# Colours with at least 3:1 contrast on white (WCAG 1.4.11, non-text contrast), in series order.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#6f3b00")
WIDTH = 720
LABEL_WIDTH = 270
VALUE_SPACE = 56
BAR = 14
GAP = 12
FONT = "Helvetica, Arial, sans-serif"
_PERCENT = re.compile(r"^(-?\d+)%$")


def value_of(cell: Any) -> float | None:
    """A count or a percentage as a number; anything else (Nil, a suppressed "<5") draws no bar."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float):
        return float(cell)
    if isinstance(cell, str) and (m := _PERCENT.match(cell)):
        return float(m.group(1))
    return None


def _wrap(text: str, width: int = 40) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines[:3] or [""]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def bar_chart(table: dict[str, Any], *, ident: str | None = None) -> str:
    """A horizontal grouped bar chart of table["chart"]["columns"] for each row except the total."""
    spec = table["chart"]
    ident = ident or f"chart-{_slug(table['id'])}"
    columns: list[int] = spec["columns"]
    percent = spec.get("unit") == "percent"
    names = [table["columns"][c] for c in columns]
    rows = [r for r in table["rows"] if r[0] != "Total"]
    values = [[value_of(r[c]) for c in columns] for r in rows]
    top = 100.0 if percent else max([v for vs in values for v in vs if v is not None] or [0]) or 1.0
    plot = WIDTH - LABEL_WIDTH - VALUE_SPACE
    legend_h = 24 * len(names) if len(names) > 1 else 0
    group_h = BAR * len(columns) + GAP
    height = legend_h + group_h * len(rows) + 28

    def shown(cell: Any) -> str:
        return escape(str(cell))

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="heard-chart" role="img" width="100%" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{FONT}" font-size="13">',
        f'<title id="{ident}-title">{escape(spec["title"])}</title>',
        f'<desc id="{ident}-desc">{escape(describe(table))}</desc>',
    ]
    if len(names) > 1:
        for i, name in enumerate(names):
            y = 4 + i * 24
            out.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="16" height="16" fill="{COLOURS[i % len(COLOURS)]}"/>')
            out.append(f'<text x="{LABEL_WIDTH + 24}" y="{y + 13}" fill="#0b0c0c">{escape(name)}</text>')
    for r, row in enumerate(rows):
        y0 = legend_h + r * group_h + 8
        lines = _wrap(str(row[0]))
        mid = y0 + (BAR * len(columns)) / 2
        first = mid - (len(lines) - 1) * 7.5 + 4
        out.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{first:.1f}" text-anchor="end" fill="#0b0c0c">'
            + "".join(
                f'<tspan x="{LABEL_WIDTH - 8}" dy="{0 if i == 0 else 15}">{escape(line)}</tspan>'
                for i, line in enumerate(lines)
            )
            + "</text>"
        )
        for i, c in enumerate(columns):
            v = values[r][i]
            y = y0 + i * BAR
            w = 0.0 if v is None else max(0.0, v) / top * plot
            colour = COLOURS[i % len(COLOURS)]
            if w > 0:
                out.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w:.1f}" height="{BAR - 2}" fill="{colour}">'
                    f"<title>{escape(str(row[0]))}, {escape(names[i])}: {shown(row[c])}</title></rect>"
                )
            out.append(
                f'<text x="{LABEL_WIDTH + w + 4:.1f}" y="{y + BAR - 3}" fill="#0b0c0c" font-size="11">'
                f"{shown(row[c])}</text>"
            )
    axis_y = legend_h + group_h * len(rows) + 4
    out.append(f'<line x1="{LABEL_WIDTH}" y1="{legend_h}" x2="{LABEL_WIDTH}" y2="{axis_y}" stroke="#505a5f"/>')
    out.append("</svg>")
    return "".join(out)


def describe(table: dict[str, Any]) -> str:
    """The chart's text alternative: every value it draws, in words."""
    spec = table["chart"]
    names = [table["columns"][c] for c in spec["columns"]]
    parts = []
    for row in table["rows"]:
        if row[0] == "Total":
            continue
        if len(names) == 1:
            parts.append(f"{row[0]}: {row[spec['columns'][0]]}")
        else:
            pairs = zip(names, spec["columns"], strict=True)
            parts.append(f"{row[0]}: " + ", ".join(f"{n} {row[c]}" for n, c in pairs))
    return f"{spec['title']}. " + "; ".join(parts) + "."
