"""The report in every format, all from one Report object (heard.reports.report):

- html: a standalone document (templates reports/document.html) with print CSS; the staff page shows the
  same body (reports/_body.html) inside the staff layout;
- pdf: WeasyPrint from that same HTML: paginated, charts included (inline SVG);
- xlsx: one sheet per table (openpyxl), the table's title first, then its header row and rows;
- csv: one file per table, named <table id>.csv. Several files are delivered as one zip archive
  (<stem>.zip, from the web and from `heard report … --output file.zip`), or written straight into a
  directory when `--output` names an existing directory;
- json: {"year", "period", "suppressed_below", "tables": [{"id", "title", "columns", "rows", "notes"?}]}.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from heard.reports.report import Report

FORMATS = ("html", "pdf", "xlsx", "csv", "json")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
}
EXTENSIONS = {"html": "html", "pdf": "pdf", "xlsx": "xlsx", "csv": "zip", "json": "json"}


def filename_stem(report: Report) -> str:
    p = report.period
    if report.is_annual:
        return f"annual-report-{p.label.replace('/', '-')}"
    return f"feedback-report-{p.start:%Y-%m-%d}-to-{p.end:%Y-%m-%d}"


def context(report: Report, **extra: Any) -> dict[str, Any]:
    return {"report": report, "council_name": settings.HEARD_COUNCIL_NAME, **extra}


def render_html(report: Report) -> str:
    return render_to_string("reports/document.html", context(report, for_print=False))


def pdf_document(report: Report) -> Any:
    """The laid-out WeasyPrint document (its .pages can be counted before writing)."""
    from weasyprint import HTML

    html = render_to_string("reports/document.html", context(report, for_print=True))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def render_pdf(report: Report) -> bytes:
    return pdf_document(report).write_pdf()


def as_json(report: Report) -> dict[str, Any]:
    tables = []
    for t in report.tables:
        item = {"id": t["id"], "title": t["title"], "columns": t["columns"], "rows": t["rows"]}
        if t.get("notes"):
            item["notes"] = t["notes"]
        tables.append(item)
    return {
        "year": report.period.label,
        "period": {"from": report.period.start.isoformat(), "to": report.period.end.isoformat()},
        "comparisons": [p.label for p in report.comparisons],
        "suppressed_below": report.suppressed_below,
        "tables": tables,
    }


def render_json(report: Report) -> str:
    return json.dumps(as_json(report), indent=2, ensure_ascii=False)


def csv_files(report: Report) -> dict[str, bytes]:
    files = {}
    for t in report.tables:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(t["columns"])
        writer.writerows(t["rows"])
        # A byte-order mark so Excel opens the file as UTF-8 (names like "Children’s" survive).
        files[f"{t['id']}.csv"] = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return files


def render_csv_zip(report: Report) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in csv_files(report).items():
            archive.writestr(f"{filename_stem(report)}/{name}", data)
    return buffer.getvalue()


def render_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    book.remove(book.active)
    for t in report.tables:
        sheet = book.create_sheet(title=t["id"][:31])
        sheet.append([t["title"]])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([])
        sheet.append(t["columns"])
        for cell in sheet[3]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in t["rows"]:
            sheet.append(row)
        if t["rows"] and t["rows"][-1][0] == "Total":
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        if t.get("notes"):
            sheet.append([])
            sheet.append([t["notes"]])
        sheet.freeze_panes = "B4"
        sheet.column_dimensions["A"].width = 48
        for i in range(2, len(t["columns"]) + 1):
            sheet.column_dimensions[sheet.cell(row=3, column=i).column_letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def render(report: Report, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "csv":
        return render_csv_zip(report)
    if fmt == "json":
        return render_json(report).encode("utf-8")
    raise ValueError(f"Unknown format {fmt!r}: choose one of {', '.join(FORMATS)}.")
