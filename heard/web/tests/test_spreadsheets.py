import csv
import io
import zipfile
from datetime import date

from openpyxl import Workbook, load_workbook

from heard.web.spreadsheets import append_row, clean_text, write_csv

HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "@SUM(A1)", "-1+cmd|' /C calc'!A0", "\tx", "\rx"]


def test_csv_cells_that_start_a_formula_are_written_as_text():
    data = write_csv([HOSTILE]).decode("utf-8-sig")
    cells = next(csv.reader(io.StringIO(data)))
    assert all(c.startswith("'") for c in cells), cells


def test_csv_keeps_numbers_dates_and_plain_text():
    data = write_csv([["Children’s Social Care", 12, date(2026, 3, 31), -2]]).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(data))) == ["Children’s Social Care", "12", "2026-03-31", "-2"]


def test_control_characters_are_removed():
    assert clean_text("a\x0bb\x00c\td\ne") == "abc\td\ne"


def _round_trip(rows):
    book = Workbook()
    sheet = book.active
    for row in rows:
        append_row(sheet, row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    return load_workbook(io.BytesIO(buffer.getvalue())).active, xml


def test_xlsx_never_stores_a_formula():
    sheet, xml = _round_trip([HOSTILE])
    assert "<f>" not in xml
    assert [c.value for c in sheet[1]] == [clean_text(v) for v in HOSTILE]
    assert all(c.data_type == "s" for c in sheet[1])


def test_xlsx_with_a_control_character_still_saves():
    sheet, _ = _round_trip([["Thank you\x0b so much", 3]])
    assert [c.value for c in sheet[1]] == ["Thank you so much", 3]
