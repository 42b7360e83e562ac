"""The annual report's lessons learnt: only wording approved for publication, in every output format, with
how many lessons were recorded and how many are shown; and suppression that hides the percentages worked
out from the counts it hides."""

import csv
import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest

from heard.feedback import services as s
from heard.feedback.models import LessonLearnt
from heard.feedback.services import PersonDetails
from heard.reports import render
from heard.reports.periods import Period
from heard.reports.report import build_report
from heard.reports.tables import Pct, pct, signed_pct, suppress

pytestmark = pytest.mark.django_db
Y = Period.financial_year(2018)
SECRET = "Billy Bloggs to get an apology from his social worker"
OTHER_SECRET = "Tell Jo Bloggs about the new contact rota at 12 Acacia Avenue"
WORDING = "Families are now told the same day when a contact visit has to be cancelled."


@pytest.fixture
def lessons(people, social_care, time_machine):
    time_machine.move_to("2018-11-01 10:00:00+00:00", tick=False)
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2018, 6, 4),
        service=social_care,
        summary="Visits cancelled",
        complainant=PersonDetails("Jo Bloggs"),
        complainant_role="parent_or_carer",
        child=PersonDetails("Billy Bloggs", is_child=True),
        points=["Visits cancelled"],
        today=date(2018, 6, 4),
    )

    def record(action, on):
        return s.record_lesson(
            actor=people["sam"], feedback=fb, action=action, owner=people["sam"], due_on=date(2018, 12, 1), on=on
        )

    approved = record("Sam to ring Jo Bloggs every week about Billy's visits", date(2018, 7, 2))
    s.approve_lesson_for_report(actor=people["mo"], lesson=approved, text=WORDING)
    record(SECRET, date(2018, 7, 3))  # never approved
    withdrawn = record(OTHER_SECRET, date(2018, 7, 4))
    s.approve_lesson_for_report(actor=people["alice"], lesson=withdrawn, text="Contact rotas are shared with families.")
    s.withdraw_lesson_from_report(actor=people["mo"], lesson=withdrawn)
    record("A lesson from the year before", date(2018, 3, 30))  # 2017/18: not counted in 2018/19
    return approved


def pdf_text(report) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("reading PDF text needs poppler-utils: apt-get install poppler-utils")
    out = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=render.render_pdf(report), capture_output=True, check=True
    )
    return " ".join(out.stdout.decode().split())


def xlsx_text(report) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render.render_xlsx(report)))
    return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None)


def csv_text(report) -> str:
    with zipfile.ZipFile(io.BytesIO(render.render_csv_zip(report))) as archive:
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


def test_the_lessons_table_shows_only_approved_wording_and_how_many_were_recorded_and_shown(lessons):
    report = build_report(Y)
    assert report.table("lessons_learnt")["rows"] == [
        [WORDING, "Children's Social Care", "Service manager", "1 December 2018", "Not yet"]
    ]
    assert report.table("lessons_learnt_counts")["rows"] == [
        ["Lessons learnt recorded", 3],
        ["Shown in this report (wording approved for publication)", 1],
        ["Not shown (wording not yet approved)", 2],
    ]


def test_unapproved_and_withdrawn_lessons_appear_in_no_output_format(lessons):
    report = build_report(Y)
    outputs = {
        "html": render.render_html(report),
        "json": render.render_json(report),
        "csv": csv_text(report),
        "xlsx": xlsx_text(report),
        "pdf": pdf_text(report),
    }
    for fmt, text in outputs.items():
        # The PDF wraps a long cell over lines, beside the other cells of its row: look for its start.
        assert (WORDING[:21] if fmt == "pdf" else WORDING) in text, fmt
        for secret in (
            SECRET,
            OTHER_SECRET,
            "Contact rotas are shared",
            "Billy",
            "Bloggs",
            "Acacia",
            "ring Jo",
            lessons.action,
        ):
            assert secret not in text, (fmt, secret)
    with zipfile.ZipFile(io.BytesIO(render.render_csv_zip(report))) as archive:
        counts = list(
            csv.reader(io.StringIO(archive.read("annual-report-2018-19/lessons_learnt_counts.csv").decode("utf-8-sig")))
        )
    assert counts[1:] == [
        ["Lessons learnt recorded", "3"],
        ["Shown in this report (wording approved for publication)", "1"],
        ["Not shown (wording not yet approved)", "2"],
    ]


def test_a_year_with_no_approved_wording_says_so_and_still_counts_its_lessons(lessons, people):
    s.withdraw_lesson_from_report(actor=people["alice"], lesson=lessons)
    report = build_report(Y)
    assert report.table("lessons_learnt")["rows"] == []
    assert report.table("lessons_learnt_counts")["rows"][0] == ["Lessons learnt recorded", 3]
    html = render.render_html(report)
    assert "No lesson learnt in this period has wording approved for publication." in html
    assert WORDING not in html


def test_the_lesson_counts_are_suppressed_like_every_count(lessons):
    rows = build_report(Y, suppress_below=5).table("lessons_learnt_counts")["rows"]
    assert [r[1] for r in rows] == ["<5", "<5", "<5"]


def test_the_report_never_reads_a_lessons_own_wording(lessons):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        build_report(Y)
    lesson_queries = [q["sql"] for q in ctx.captured_queries if LessonLearnt._meta.db_table in q["sql"]]
    assert lesson_queries and not any('."action"' in sql for sql in lesson_queries)


# ------------------------------------------------------------------------------------------ suppression


def table(*rows):
    return [{"id": "t", "title": "T", "columns": ["Row", "A", "B", "C"], "rows": [list(r) for r in rows]}]


def test_a_percentage_beside_a_hidden_count_is_hidden_with_it():
    # 3 received, all 3 upheld: "<5" beside "100%" would say every one was upheld.
    [t] = suppress(table(["SEN", 3, pct(3, 3), pct(3, 161)]), 5)
    assert t["rows"] == [["SEN", "<5", "[c]", "[c]"]]


def test_a_percentage_of_a_hidden_count_is_hidden_even_when_its_numerator_is_zero():
    # "0%" of fewer than 5 says none of them were: hidden; "0%" of 0 says nothing and stays.
    [t] = suppress(table(["A", 2, pct(0, 2), pct(0, 0)]), 5)
    assert t["rows"] == [["A", "<5", "[c]", "0%"]]


def test_percentages_of_counts_that_are_shown_stay_and_so_do_nil_and_zero():
    [t] = suppress(table(["B", 40, pct(30, 40), pct(0, 0, empty="Nil")], ["C", 0, pct(5, 10), signed_pct(12, 0)]), 5)
    assert t["rows"] == [["B", 40, "75%", "Nil"], ["C", 0, "50%", "Nil"]]


def test_a_change_on_the_year_before_from_a_hidden_count_is_hidden():
    [t] = suppress(table(["Change", signed_pct(6, 3), signed_pct(3, 6), signed_pct(60, 30)]), 5)
    assert t["rows"] == [["Change", "[c]", "[c]", "+100%"]]


def test_without_suppression_percentages_are_plain_strings_in_every_renderer():
    p = pct(3, 4)
    assert isinstance(p, Pct) and p == "75%" and (p.n, p.d) == (3, 4)
    assert suppress(table(["A", 3, p, p]), None)[0]["rows"] == [["A", 3, "75%", "75%"]]


def test_no_percentage_in_the_suppressed_report_gives_a_hidden_count_away(blackpool):
    """Every percentage left in the published report was worked out from counts that are shown."""
    report = build_report(Y)
    published = build_report(Y, suppress_below=5)
    for before, after in zip(report.tables, published.tables, strict=True):
        for row_before, row_after in zip(before["rows"], after["rows"], strict=True):
            for cell, shown in zip(row_before, row_after, strict=True):
                if isinstance(cell, Pct):
                    hidden = 0 < cell.n < 5 or 0 < cell.d < 5
                    assert shown == ("[c]" if hidden else cell), (before["id"], row_before[0], cell)
