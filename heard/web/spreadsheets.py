"""CSV and XLSX cells that a spreadsheet will show as text, never run.

Anything a person typed (a compliment from the public form, an imported theme name) can reach an export.
A spreadsheet program treats a cell that starts with `=`, `+`, `-`, `@` (and, in some, a tab or a carriage
return) as a formula, so `=HYPERLINK(…)` would become a live link in a council officer's Excel: CSV or
formula injection (OWASP, "CSV Injection"). Every export Heard writes goes through here:

- CSV through defusedcsv, a drop-in `csv` that prefixes such cells with an apostrophe;
- XLSX cells written by `xlsx_value`, which keeps numbers as numbers and forces text to be stored as
  text, so openpyxl never writes a formula, with the control characters XML 1.0 forbids removed (one
  U+000B in a cell would otherwise make the whole workbook fail to save).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from defusedcsv import csv as defused_csv
from openpyxl.cell.cell import Cell

# XML 1.0 allows tab, newline and carriage return below U+0020, and nothing else (openpyxl refuses the rest).
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Value = str | int | float | Decimal | date | None


def clean_text(value: str) -> str:
    """The text without the control characters no spreadsheet or XML file may hold."""
    return _ILLEGAL.sub("", value)


def text_cell(value: Any) -> Value:
    """A value fit for any cell: numbers and dates kept, everything else as clean text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else ("Yes" if value else "No")
    if isinstance(value, int | float | Decimal | date) and not isinstance(value, datetime):
        return value
    return clean_text(str(value))


def write_csv(rows: Iterable[Sequence[Any]], *, bom: bool = True) -> bytes:
    """Rows as UTF-8 CSV (with a byte-order mark, so Excel reads it as UTF-8), formula-leading cells
    neutralised."""
    buffer = io.StringIO()
    writer = defused_csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_text(v) for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def _csv_text(value: Any) -> Value:
    cell = text_cell(value)
    # defusedcsv leaves text that looks numeric ("-2") alone; a tab or carriage return at the start of a
    # cell is also read as a formula lead by some programs.
    if isinstance(cell, str) and cell.startswith(("\t", "\r")):
        return "'" + cell
    return cell


def set_cell(cell: Cell, value: Any) -> Cell:
    """Write `value` to an openpyxl cell: text is always stored as text, never as a formula."""
    v = text_cell(value)
    cell.value = v
    if isinstance(v, str):
        cell.data_type = "s"  # openpyxl infers "f" (formula) from a leading "="; a typed value is never one
    return cell


def append_row(sheet: Any, row: Sequence[Any]) -> None:
    """sheet.append(row), each cell written by set_cell."""
    sheet.append([None] * len(row) if row else [])
    r = sheet.max_row
    for i, value in enumerate(row, start=1):
        set_cell(sheet.cell(row=r, column=i), value)
