"""Search: only cases the user may see; names never in URLs; the search itself audited without values."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.services import PersonDetails
from heard.staff import queries
from heard.staff.models import AccessRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


def log(people, service, name="Jo Bloggs", child=None, received=date(2026, 3, 2), **kw):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=received,
        service=service,
        complainant=PersonDetails(name),
        child=PersonDetails(child, is_child=True) if child else None,
        today=date(2026, 3, 9),
        **kw,
    )


def test_a_name_search_finds_complainants_and_children_and_keeps_the_name_out_of_the_url(client, people, social_care):
    a = log(people, social_care, name="Jo Bloggs")
    b = log(people, social_care, name="Kim Other", child="Lee Bloggs")
    c = log(people, social_care, name="Pat Nobody")
    client.force_login(people["alice"])
    response = client.post(reverse("staff:search"), {"name": "bloggs"})
    assert response.status_code == 302 and "bloggs" not in response.url.lower()
    html = client.get(response.url).content.decode()
    assert a.reference in html and b.reference in html and c.reference not in html
    assert "2 results" in html


def test_results_come_only_from_cases_the_user_may_see(people, social_care, early_help):
    mine = log(people, social_care)
    log(people, early_help)
    found = queries.search(people["sam"], queries.SearchCriteria(name="Bloggs"))
    assert list(found) == [mine]
    assert not queries.search(people["charlie"], queries.SearchCriteria(name="Bloggs")).exists()


def test_an_exact_reference_goes_straight_to_the_case(client, people, social_care):
    fb = log(people, social_care)
    client.force_login(people["alice"])
    response = client.post(reverse("staff:search"), {"reference": fb.reference.lower()})
    assert response.status_code == 302 and response.url == f"/staff/cases/{fb.reference}/"


def test_a_reference_the_user_may_not_see_is_not_found(client, people, early_help):
    fb = log(people, early_help)
    client.force_login(people["sam"])
    response = client.post(reverse("staff:search"), {"reference": fb.reference}, follow=True)
    assert "0 results" in response.content.decode()


def test_dates_service_theme_status_and_kind_filter(people, social_care, early_help, themes):
    a = log(people, social_care, received=date(2026, 1, 5), theme=themes["Staff Conduct"])
    log(people, social_care, received=date(2026, 3, 2))
    log(people, early_help, received=date(2026, 1, 5))
    c = queries.SearchCriteria(
        received_from=date(2026, 1, 1),
        received_to=date(2026, 1, 31),
        service_id=social_care.pk,
        theme_id=themes["Staff Conduct"].pk,
        status="received",
        kind="complaint",
    )
    assert list(queries.search(people["alice"], c)) == [a]


def test_results_are_paginated_by_25(client, people, social_care):
    for _ in range(queries.SEARCH_PAGE_SIZE + 1):
        log(people, social_care)
    client.force_login(people["alice"])
    url = client.post(reverse("staff:search"), {"service": social_care.pk}).url
    assert "Page 1 of 2" in client.get(url).content.decode()
    assert "Page 2 of 2" in client.get(url + "&page=2").content.decode()


def test_a_page_and_its_total_come_from_one_query_and_odd_page_numbers_still_give_a_page(people, social_care):
    cases = [log(people, social_care) for _ in range(queries.SEARCH_PAGE_SIZE + 3)]
    newest_first = sorted(cases, key=lambda fb: (fb.received_on, fb.pk), reverse=True)
    criteria = queries.SearchCriteria(service_id=social_care.pk)
    page = queries.search_page(people["alice"], criteria, "2")
    assert (page.number, page.paginator.count) == (2, len(cases))
    assert list(page.object_list) == newest_first[queries.SEARCH_PAGE_SIZE :]
    for asked, shown in (("9", 2), ("nonsense", 1), ("0", 2), (None, 1)):  # as Paginator.get_page does
        page = queries.search_page(people["alice"], criteria, asked)
        assert page.number == shown and page.paginator.count == len(cases), asked
    with CaptureQueriesContext(connection) as read:
        page = queries.search_page(people["alice"], criteria, "1")
    cases_read = [q["sql"] for q in read.captured_queries if 'FROM "feedback_feedback"' in q["sql"]]
    assert len(cases_read) == 1 and "OVER ()" in cases_read[0]  # no second query to count them
    assert len(page.object_list) == queries.SEARCH_PAGE_SIZE
    assert queries.search_page(people["alice"], queries.SearchCriteria(name="Nobody at all"), "1").paginator.count == 0


def test_the_search_is_audited_with_the_filters_used_but_not_their_values(client, people, social_care):
    log(people, social_care)
    client.force_login(people["alice"])
    client.post(reverse("staff:search"), {"name": "Bloggs", "service": social_care.pk})
    record = AccessRecord.objects.get(action="searched")
    assert record.user == people["alice"] and record.detail == "filters: name, service_id"
    assert "Bloggs" not in record.detail


def test_an_empty_search_asks_for_something(client, people):
    client.force_login(people["alice"])
    html = client.post(reverse("staff:search"), {}).content.decode()
    assert "Enter at least one thing to search for" in html


def test_a_date_range_the_wrong_way_round_is_explained(client, people):
    client.force_login(people["alice"])
    html = client.post(
        reverse("staff:search"),
        {
            "received_from_day": "1",
            "received_from_month": "3",
            "received_from_year": "2026",
            "received_to_day": "1",
            "received_to_month": "2",
            "received_to_year": "2026",
        },
    ).content.decode()
    assert "must be the same as or after" in html


def test_search_costs_the_same_number_of_queries_with_5_or_50_cases(client, people, social_care):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(people["sam"])
    counts = []
    for total in (5, 50):
        while queries.visible_feedback(people["sam"]).count() < total:
            log(people, social_care)
        url = client.post(reverse("staff:search"), {"name": "Bloggs"}).url
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
