"""Recording a concern resolved informally in a real browser, by keyboard: from the Log feedback page, a refusal
first (put right too late: log it as a complaint), then right, then the year's list. axe-core on every page."""

from datetime import UTC, datetime

import pytest
import time_machine

from heard.feedback.models import Feedback, InformalResolution
from heard.staff.tests.test_queue_browser import choose, pick, sign_in, submit, tab_to, type_into
from heard.testing.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clock():
    with time_machine.travel(datetime(2026, 3, 10, 9, 0, tzinfo=UTC), tick=True):
        yield


def test_record_a_concern_resolved_informally_with_an_error_then_the_list(
    live_server, page, people, social_care, themes, clock
):
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(f"{base}/staff/log")
    tab_to(page, "#informal-resolution a")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/staff/log/informal")
    assert_accessible(page)

    # First contact on Friday, put right on Monday: more than 24 hours, so refused next to the date.
    for field, value in (("received_on", "6"), ("resolved_on", "9")):
        type_into(page, f"#id_{field}_day", value)
        type_into(page, f"#id_{field}_month", "3")
        type_into(page, f"#id_{field}_year", "2026")
    pick(page, "#id_service", "Children")
    choose(page, "input[name=channel][value=phone]")
    type_into(page, "#id_summary", "Missed call-back about a contact visit: rang the same afternoon and rebooked it.")
    submit(page, "Record it")
    assert page.title().startswith("Error: ")
    assert "Log it as a complaint instead" in page.locator(".govuk-error-summary").inner_text()
    assert "within 24 hours" in page.locator("#rule-refused").inner_text()
    assert not InformalResolution.objects.exists()
    assert_accessible(page)
    screenshot(page, "staff-informal-refused-desktop", full_page=False)

    # Put right on the Saturday: recorded, and the list says so.
    page.locator("#id_resolved_on_day").fill("")
    type_into(page, "#id_resolved_on_day", "7")
    submit(page, "Record it")
    assert "/staff/informal-resolutions/" in page.url
    assert "Recorded: a concern resolved informally" in page.locator(".govuk-notification-banner").inner_text()
    assert "Missed call-back about a contact visit" in page.inner_text("main")
    resolution = InformalResolution.objects.get()
    assert (resolution.received_on.day, resolution.resolved_on.day) == (6, 7) and not Feedback.objects.exists()
    assert_accessible(page)
    screenshot(page, "staff-informal-list-desktop")
