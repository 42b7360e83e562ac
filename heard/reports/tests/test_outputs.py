"""Every output format of the same report, the command line, the staff pages and who may use them."""

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Event
from heard.feedback.services import PersonDetails, RuleViolation
from heard.reports import render
from heard.reports.models import ReportNarrative
from heard.reports.periods import Period
from heard.reports.report import build_report
from heard.reports.services import save_narrative
from heard.reports.tests import builders as b
from heard.reports.tests.test_blackpool import CSC

pytestmark = pytest.mark.django_db
Y = Period.financial_year(2018)
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "reports"
REQUIRED_IDS = {
    "complaints_by_service",
    "outcomes_by_service",
    "complaints_by_service_previous_years",
    "timescales_by_service",
    "complaints_by_theme",
    "compliments_by_service",
    "mp_enquiries_by_service",
    "councillor_enquiries_by_service",
    "headlines",
}


@pytest.fixture
def personal(people, social_care):
    """A complaint and a compliment carrying personal data that must never reach the report."""
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2018, 6, 4),
        service=social_care,
        summary="Jo Bloggs says her son Sam's visits are cancelled",
        complainant=PersonDetails("Jo Bloggs", email="jo.bloggs@example.com", phone="07700900123"),
        child=PersonDetails("Billy Bloggs", is_child=True),
        complainant_role="parent_or_carer",
        points=["Visits cancelled"],
        today=date(2018, 6, 4),
    )
    b.other(
        "compliment",
        social_care,
        date(2018, 7, 1),
        source="external",
        selected=True,
        summary="The team went above and beyond for our family.",
    )
    b.other(
        "compliment",
        social_care,
        date(2018, 7, 2),
        source="external",
        summary="Thank you to Wendy Worker at 12 Acacia Avenue",
    )  # not chosen: never shown
    return fb


def _all_outputs(report) -> dict[str, bytes]:
    return {fmt: render.render(report, fmt) for fmt in render.FORMATS}


def test_no_personal_data_in_any_output_and_only_chosen_compliments_are_quoted(personal):
    report = build_report(Y)
    html = render.render_html(report)
    assert "The team went above and beyond for our family." in html
    texts = [html, render.render_json(report), *(d.decode() for d in render.csv_files(report).values())]
    for text in texts:
        for secret in (
            "Jo Bloggs",
            "jo.bloggs@example.com",
            "07700900123",
            "Billy",
            "Sam's",
            "Wendy",
            "Acacia",
            personal.reference,
        ):
            assert secret not in text


def test_json_has_the_year_and_every_required_table_with_rows_keyed_by_their_first_cell(blackpool):
    data = json.loads(render.render_json(build_report(Y)))
    assert data["year"] == "2018/19"
    ids = [t["id"] for t in data["tables"]]
    assert set(ids) >= REQUIRED_IDS and len(ids) == len(set(ids))
    by_service = next(t for t in data["tables"] if t["id"] == "complaints_by_service")
    assert by_service["rows"][0] == [CSC, 140, "87%", 95, 11, 30, 41, "43%"]
    assert by_service["rows"][-1] == ["Total", 161, "100%", 113, 12, 40, 52, "46%"]
    for t in data["tables"]:
        assert set(t) >= {"id", "title", "columns", "rows"}
        assert all(len(r) == len(t["columns"]) for r in t["rows"]), t["id"]
        firsts = [r[0] for r in t["rows"]]
        assert "Total" not in firsts[:-1], t["id"]


def test_csv_is_one_file_per_table_in_a_zip_and_xlsx_one_sheet_per_table(blackpool):
    report = build_report(Y)
    with zipfile.ZipFile(io.BytesIO(render.render_csv_zip(report))) as archive:
        names = archive.namelist()
        assert len(names) == len(report.tables)
        rows = list(
            csv.reader(io.StringIO(archive.read("annual-report-2018-19/complaints_by_theme.csv").decode("utf-8-sig")))
        )
    assert rows[0][0] == "Complaints by Theme" and rows[-1] == [
        "Total",
        "161",
        "100%",
        "7%",
        "25%",
        "32%",
        "38%",
        "30%",
        "158",
        "111",
    ]
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(render.render_xlsx(report)))
    assert len(book.sheetnames) == len(report.tables)
    sheet = book["complaints_by_service"]
    assert [c.value for c in sheet[sheet.max_row - 2]] == ["Total", 161, "100%", 113, 12, 40, 52, "46%"]


def test_pdf_is_the_whole_report_paginated_with_its_charts(blackpool):
    report = build_report(Y)
    document = render.pdf_document(report)
    assert len(document.pages) >= 8
    pdf = document.write_pdf()
    assert pdf.startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "annual-2018-19.pdf").write_bytes(pdf)
    (ARTIFACTS / "annual-2018-19.html").write_text(render.render_html(report))


def test_charts_are_svg_images_with_a_text_alternative_and_a_table_beside_them(blackpool):
    html = render.render_html(build_report(Y))
    assert html.count('role="img"') == 7
    assert 'aria-labelledby="chart-complaints-by-service-title chart-complaints-by-service-desc"' in html
    assert "Stage 1 complaints received by service, 2018/19. Children&#x27;s Social Care: 140; Early Help: 8" in html
    assert html.count('<table class="govuk-table') == len(build_report(Y).tables) - 1  # the selection is quoted


def test_suppression_replaces_small_counts_but_not_zero_in_every_output(blackpool):
    report = build_report(Y, suppress_below=5)
    rows = report.table("complaints_by_service")["rows"]
    assert rows[1] == ["Early Help", 8, "5%", 7, "<5", 5, 6, "86%"]
    # Percentages worked out from a hidden count are hidden with it: "2%" of 161 would say there were 3 SEN
    # complaints, and "50%" upheld of fewer than 5 fully considered says 1 of 2 or 2 of 4.
    assert rows[2] == ["SEN, Education and Psychology", "<5", "[c]", "<5", 0, "<5", "<5", "[c]"]
    outputs = _all_outputs(report)
    assert '"<5"' in outputs["json"].decode() and '"[c]"' in outputs["json"].decode()
    assert "&lt;5" in outputs["html"].decode() and "shown as [c]" in outputs["html"].decode()


def test_the_figures_take_the_same_number_of_queries_whatever_the_number_of_records(social_care, themes, people):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            build_report(Y)
        return len(ctx.captured_queries)

    b.complaint(social_care, date(2018, 5, 1), outcome="upheld", theme=themes["Staff Conduct"])
    small = count()
    for i in range(60):
        fb = b.complaint(
            social_care, date(2018, 5, 1 + i % 28), outcome="partially_upheld", theme=list(themes.values())[i % 5]
        )
        b.other("compliment", social_care, date(2017, 5, 1), source="internal", selected=i % 2 == 0, summary="Thanks")
        b.other("mp_enquiry", social_care, date(2018, 6, 1), responded_on=date(2018, 6, 3))
        case = b.ombudsman(fb, date(2018, 9, 1), decision="not_upheld", decided_on=date(2018, 12, 1))
        b.ombudsman_enquiry(case, "initial", date(2018, 9, 2), date(2018, 9, 30), date(2018, 9, 20))
        b.informal(social_care, date(2018, 7, 1 + i % 28), recorded_by=people["alice"])
    # 15: lessons learnt shown, and how many were recorded (one COUNT); concerns resolved informally (one more)
    assert count() == small <= 15


# ------------------------------------------------------------------------------------------ the command


def test_the_command_writes_every_format(blackpool, tmp_path, capsys):
    for fmt in ("html", "pdf", "xlsx", "csv", "json"):
        call_command("report", "annual", "--year", "2018", "--format", fmt, "--output", str(tmp_path / f"r.{fmt}"))
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert zipfile.is_zipfile(tmp_path / "r.csv")
    assert json.loads((tmp_path / "r.json").read_text())["year"] == "2018/19"
    out = tmp_path / "tables"
    out.mkdir()
    call_command("report", "annual", "--year", "2018", "--format", "csv", "--output", str(out))
    assert (out / "mp_enquiries_by_service.csv").exists()
    call_command(
        "report", "annual", "--from", "2018-04-01", "--to", "2018-06-30", "--format", "json", "--suppress-below", "5"
    )
    data = json.loads(capsys.readouterr().out)
    assert data["year"] == "1 April 2018 to 30 June 2018" and data["suppressed_below"] == 5


@pytest.mark.parametrize(
    "args, message",
    [
        (["--from", "2018-06-30", "--to", "2018-04-01"], "--to must be the same as or after --from"),
        (["--from", "2018-04-01"], "Give both --from and --to"),
        ([], "Give --year"),
        (["--year", "2018", "--format", "pdf"], "give --output"),
        (["--from", "1 April", "--to", "2018-06-30"], "is not a date"),
    ],
)
def test_the_command_refuses_bad_input_with_a_clear_message(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", "annual", *args)


# ------------------------------------------------------------------------------------- the staff pages


def _client(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "who, status", [("mo", 200), ("dina", 200), ("alice", 403), ("sam", 403), ("charlie", 403), ("pat", 403)]
)
def test_only_the_complaints_manager_and_the_director_see_the_reports(client, people, who, status):
    c = _client(client, people[who])
    for url in (
        reverse("reports:index"),
        reverse("reports:annual", args=[2018]),
        reverse("reports:dashboard"),
        reverse("reports:annual_download", args=[2018, "json"]),
    ):
        assert c.get(url).status_code == status, url


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get(reverse("reports:annual", args=[2018]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("staff:login"))


def test_every_format_downloads_from_the_staff_page(client, people, blackpool):
    c = _client(client, people["mo"])
    page = c.get(reverse("reports:annual", args=[2018]))
    assert page.status_code == 200
    for fmt, kind in render.CONTENT_TYPES.items():
        response = c.get(reverse("reports:annual_download", args=[2018, fmt]))
        assert response.status_code == 200 and response["Content-Type"] == kind
        assert f"annual-report-2018-19.{render.EXTENSIONS[fmt]}" in response["Content-Disposition"]
        assert reverse("reports:annual_download", args=[2018, fmt]) in page.content.decode()


def test_the_complaints_manager_writes_the_words_and_the_director_cannot(client, people, db):
    c = _client(client, people["mo"])
    url = reverse("reports:narrative", args=[2018, "overview"])
    response = c.post(url, {"text": "Children's Services welcomes all feedback."})
    assert response.status_code == 302
    saved = ReportNarrative.objects.get(year=2018, section="overview")
    assert saved.text == "Children's Services welcomes all feedback."
    assert "welcomes all feedback" in c.get(reverse("reports:annual", args=[2018])).content.decode()
    assert Event.objects.filter(action="report_narrative_saved").count() == 1
    client.logout()
    d = _client(client, people["dina"])
    assert d.post(url, {"text": "Changed"}).status_code == 403
    assert ReportNarrative.objects.get(year=2018, section="overview").text.startswith("Children's")
    with pytest.raises(RuleViolation):
        save_narrative(actor=people["dina"], year=2018, section="overview", text="x")


def test_too_long_words_are_refused_next_to_the_field_and_nothing_is_saved(client, people, db):
    c = _client(client, people["mo"])
    response = c.post(reverse("reports:narrative", args=[2018, "overview"]), {"text": "x" * 20_001})
    assert response.status_code == 200
    assert "must be 20000 characters or less" in response.content.decode()
    assert not ReportNarrative.objects.exists()


def test_a_bad_suppression_threshold_gets_a_message_and_the_full_report(client, people, blackpool):
    c = _client(client, people["mo"])
    html = c.get(reverse("reports:annual", args=[2018]) + "?suppress_below=1").content.decode()
    assert "Hide counts below must be 2 or more" in html and "&lt;" not in html.split("contents-heading")[1][:20000]


def test_any_period_with_an_end_before_its_start_is_refused(client, people, db):
    c = _client(client, people["mo"])
    query = "start_day=30&start_month=6&start_year=2018&end_day=1&end_month=4&end_year=2018"
    html = c.get(reverse("reports:period") + "?" + query).content.decode()
    assert "End date must be the same as or after the start date" in html
    good = "start_day=1&start_month=4&start_year=2018&end_day=30&end_month=6&end_year=2018"
    html = c.get(reverse("reports:period") + "?" + good).content.decode()
    assert "Figures for 1 April 2018 to 30 June 2018" in html
    assert c.get(reverse("reports:period_download", args=["json"]) + "?" + good).status_code == 200


def test_the_dashboard_compares_this_year_so_far_with_the_same_days_last_year(client, people, social_care):
    import time_machine

    b.complaint(social_care, date(2026, 4, 10), outcome="upheld")
    b.complaint(social_care, date(2025, 4, 10), outcome="upheld")
    b.complaint(social_care, date(2025, 6, 10), outcome="upheld")  # after today's date last year: not counted
    with time_machine.travel(date(2026, 5, 1), tick=False):
        html = _client(client, people["mo"]).get(reverse("reports:dashboard")).content.decode()
    assert "1 April 2026 to 1 May 2026" in html and "1 April 2025 to 1 May 2025" in html
    assert "Same days last year: 1<" in html
