"""Recording a concern resolved informally from the Log feedback page, and the year's list (ADR 0010)."""

from datetime import UTC, date, datetime
from html import unescape

import pytest
import time_machine
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, InformalResolution
from heard.staff import views_informal

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


def answers(service, **extra):
    data = {
        "received_on_day": "9",
        "received_on_month": "3",
        "received_on_year": "2026",
        "resolved_on_day": "10",
        "resolved_on_month": "3",
        "resolved_on_year": "2026",
        "service": service.pk,
        "channel": "phone",
        "summary": "Contact visit moved without notice: the social worker rang back and rebooked it.",
    }
    data.update(extra)
    return data


def make(people, service, received_on, summary="Rang back the same day."):
    return s.record_informal_resolution(
        actor=people["alice"],
        received_on=received_on,
        resolved_on=received_on,
        service=service,
        channel="email",
        summary=summary,
        today=TODAY,
    )


def page(response) -> str:
    return unescape(response.content.decode())


def test_the_log_page_offers_it_and_the_form_records_one_then_lists_it(client, people, social_care, duty_team, themes):
    client.force_login(people["alice"])
    log = page(client.get(reverse("staff:log")))
    assert f'href="{reverse("staff:log_informal")}">Record a concern resolved informally (within 24 hours)' in log
    assert client.get(reverse("staff:log_informal")).status_code == 200
    response = client.post(
        reverse("staff:log_informal"),
        answers(social_care, team=duty_team.pk, theme=themes["Lack of Communication"].pk, idempotency_key="b" * 32),
        follow=True,
    )
    resolution = InformalResolution.objects.get()
    assert response.redirect_chain == [(reverse("staff:informal_resolutions") + "?year=2025", 302)]
    assert (resolution.received_on, resolution.resolved_on, resolution.team, resolution.channel) == (
        date(2026, 3, 9),
        date(2026, 3, 10),
        duty_team,
        "phone",
    )
    html = page(response)
    assert "Recorded: a concern resolved informally (Children's Social Care, first contact 9 March 2026)" in html
    assert "Contact visit moved without notice" in html and "Next day" in html and "Duty and Assessment" in html
    assert not Feedback.objects.exists()
    # The same form sent again (the button pressed twice) is still one record.
    client.post(reverse("staff:log_informal"), answers(social_care, idempotency_key="b" * 32))
    assert InformalResolution.objects.count() == 1 and Event.objects.count() == 1


def test_put_right_too_late_is_refused_next_to_the_date_with_the_rule_and_nothing_is_saved(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(reverse("staff:log_informal"), answers(social_care, received_on_day="6"))
    html = page(response)
    assert response.status_code == 400 and html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert 'href="#id_resolved_on_day"' in html  # the error summary links to the date
    assert "Log it as a complaint instead" in html and 'id="rule-refused"' in html and "within 24 hours" in html
    assert not InformalResolution.objects.exists() and not Event.objects.exists()


def test_missing_answers_are_shown_next_to_their_fields(client, people, social_care):
    client.force_login(people["alice"])
    response = client.post(reverse("staff:log_informal"), {"summary": "x" * 501})
    html = page(response)
    for message in (
        "Enter the date of first contact",
        "Enter the date it was put right",
        "Select the service it was about",
        "Select how it reached us",
        "What was put right must be 500 characters or less",
    ):
        assert message in html, message
    assert not InformalResolution.objects.exists()


def test_the_list_is_this_years_newest_first_in_pages(client, people, social_care, monkeypatch):
    monkeypatch.setattr(views_informal, "PAGE_SIZE", 2)
    make(people, social_care, date(2025, 3, 31), "Last year's")
    for day in (3, 1, 2):
        make(people, social_care, date(2026, 3, day), f"Note of day {day}")
    client.force_login(people["mo"])
    first = page(client.get(reverse("staff:informal_resolutions")))
    assert "2025/26" in first and "3 recorded" in first and "Last year's" not in first
    assert first.index("Note of day 3") < first.index("Note of day 2") and "Note of day 1" not in first
    assert "Page 1 of 2" in first and 'href="?year=2025&page=2"' in first
    assert "Note of day 1" in page(client.get(reverse("staff:informal_resolutions") + "?year=2025&page=2"))
    earlier = page(client.get(reverse("staff:informal_resolutions") + "?year=2024"))
    assert "Last year's" in earlier and "1 recorded" in earlier
    for bad in ("2026", "1999", "soon"):  # next year has not begun; nor are there records before 2000
        assert client.get(reverse("staff:informal_resolutions") + f"?year={bad}").status_code == 404


def test_the_director_reads_the_list_from_the_work_queue_but_does_not_record(client, people, social_care):
    make(people, social_care, date(2026, 3, 2))
    client.force_login(people["dina"])
    queue = page(client.get(reverse("staff:home")))
    assert f'href="{reverse("staff:informal_resolutions")}"' in queue
    listing = page(client.get(reverse("staff:informal_resolutions")))
    assert "Rang back the same day." in listing and reverse("staff:log_informal") not in listing
    assert client.get(reverse("staff:log_informal")).status_code == 403
    assert client.post(reverse("staff:log_informal"), answers(social_care)).status_code == 403
    assert InformalResolution.objects.count() == 1


@pytest.mark.parametrize("name", ["sam", "ian", "pat", "ada", "charlie"])
def test_other_roles_neither_record_nor_list_them(client, people, social_care, name):
    client.force_login(people[name])
    assert client.get(reverse("staff:informal_resolutions")).status_code == 403
    assert client.post(reverse("staff:log_informal"), answers(social_care)).status_code == 403
    assert reverse("staff:informal_resolutions") not in client.get(reverse("staff:home")).content.decode()
    assert not InformalResolution.objects.exists()
