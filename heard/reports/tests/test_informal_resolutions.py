"""Concerns resolved informally within 24 hours are counted in the annual report (a headline, a table by
service), never in a complaint figure, and their internal note is never published (ADR 0010)."""

import json
from datetime import date

import pytest
from django.urls import reverse

from heard.reports import render
from heard.reports.periods import Period
from heard.reports.report import build_report
from heard.reports.tables import INFORMAL_HEADLINE
from heard.reports.tests import builders as b

pytestmark = pytest.mark.django_db
Y = Period.financial_year(2018)
NOTE = "Jo Bloggs rang about Billy's missed visit; Wendy Worker rebooked it"


@pytest.fixture
def year(people, services, themes):
    csc, eh = services["Children's Social Care"], services["Early Help"]
    b.complaint(csc, date(2018, 5, 1), outcome="upheld", theme=themes["Staff Conduct"])
    b.complaint(eh, date(2018, 6, 1), outcome="not_upheld")
    b.complaint(csc, date(2017, 6, 1), outcome="withdrawn")
    b.other("compliment", csc, date(2018, 7, 1), source="external")
    return csc, eh


def informal(people, csc, eh):
    alice = people["alice"]
    b.informal(csc, date(2018, 4, 1), recorded_by=alice, summary=NOTE)
    b.informal(csc, date(2019, 3, 31), recorded_by=alice, next_day=True)  # put right 1 April: still 2018/19
    b.informal(eh, date(2018, 9, 3), recorded_by=alice)
    b.informal(csc, date(2017, 10, 2), recorded_by=alice)
    b.informal(csc, date(2019, 4, 1), recorded_by=alice)  # the next year: not in this report


def test_they_are_counted_by_year_of_first_contact_in_the_headlines_and_by_service(people, year):
    informal(people, *year)
    report = build_report(Y)
    headlines = {r[0]: r[1:] for r in report.table("headlines")["rows"]}
    assert headlines[INFORMAL_HEADLINE] == [3, 1]
    table = report.table("informal_resolutions")
    assert table["columns"] == ["Concerns resolved informally by Service", "2018/19", "2017/18", "2016/17"]
    rows = {r[0]: r[1:] for r in table["rows"]}
    assert rows["Children's Social Care"] == [2, 1, 0] and rows["Early Help"] == [1, 0, 0]
    assert rows["SEN, Education and Psychology"] == [0, 0, 0]  # every active service has its row
    assert table["rows"][-1] == ["Total", 3, 1, 0]


def test_they_never_enter_a_complaint_figure_nor_the_items_of_feedback_logged(people, year):
    before = build_report(Y).tables
    informal(people, *year)
    after = build_report(Y).tables
    assert [t["id"] for t in after] == [t["id"] for t in before]
    for old, new in zip(before, after, strict=True):
        if old["id"] == "informal_resolutions":
            continue
        if old["id"] == "headlines":
            # Only their own row changes.
            changed = [(o[0], o[1:], n[1:]) for o, n in zip(old["rows"], new["rows"], strict=True) if o != n]
            assert changed == [(INFORMAL_HEADLINE, [0, 0], [3, 1])]
            continue
        assert new == old, old["id"]
    headlines = {r[0]: r[1:] for r in after[0]["rows"]}
    assert headlines["Stage 1 complaints received"] == [2, 1]
    assert headlines["Items of feedback logged"] == [3, 1]  # two complaints and a compliment; the year before, one


def test_their_note_is_never_published_in_any_output_and_small_counts_are_suppressed(people, year):
    informal(people, *year)
    report = build_report(Y)
    outputs = [
        render.render_html(report),
        render.render_json(report),
        *(d.decode() for d in render.csv_files(report).values()),
    ]
    for text in outputs:
        for secret in ("Bloggs", "Billy", "Wendy", "rebooked"):
            assert secret not in text
    assert 'id="table-informal_resolutions"' in outputs[0]
    data = json.loads(render.render_json(build_report(Y, suppress_below=5)))
    table = next(t for t in data["tables"] if t["id"] == "informal_resolutions")
    assert table["rows"][-1] == ["Total", "<5", "<5", 0]


def test_the_dashboard_shows_this_year_so_far_against_the_same_days_last_year(client, people, year):
    import time_machine

    csc, _ = year
    b.informal(csc, date(2026, 4, 10), recorded_by=people["alice"])
    b.informal(csc, date(2026, 4, 11), recorded_by=people["alice"])
    b.informal(csc, date(2025, 4, 10), recorded_by=people["alice"])
    b.informal(csc, date(2025, 6, 10), recorded_by=people["alice"])  # after today's date last year
    client.force_login(people["mo"])
    with time_machine.travel(date(2026, 5, 1), tick=False):
        html = client.get(reverse("reports:dashboard")).content.decode()
    card = html.split("Concerns resolved informally within 24 hours</span>")[1][:300]
    assert '<span class="heard-card__value">2</span>' in card and "Same days last year: 1<" in card
