"""The day's first journey in a real browser, by keyboard: sign in, read the queue and how a deadline
was worked out, log a complaint, triage it (a refusal first, then right). axe-core on every page."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from heard.feedback import services as s
from heard.feedback.models import Feedback
from heard.feedback.services import PersonDetails
from heard.testing.browser import assert_accessible, screenshot
from heard.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The clock starts at a fixed moment and ticks from there (the live server runs in this process).
START = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=True):
        yield


@pytest.fixture
def waiting(people, social_care, clock):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        summary="Visits cancelled",
        complainant=PersonDetails("Jo Bloggs"),
        today=date(2026, 3, 2),
    )


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got focus by Tab")


def submit(page, button_text):
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate(
            "t => document.activeElement.matches('button') && document.activeElement.textContent.trim() === t",
            button_text,
        ):
            break
    else:
        raise AssertionError(f"no button {button_text!r} reached by Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def type_into(page, selector, text):
    tab_to(page, selector)
    page.keyboard.type(text)


def choose(page, selector):
    """A radio or checkbox, by keyboard: Tab to its group, arrow to it if needed, Space."""
    tab_to(page, f"input[name='{page.locator(selector).get_attribute('name')}']")
    for _ in range(30):
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.locator(selector).is_checked()


def pick(page, selector, label):
    """A select, by keyboard: focus it and type the start of the option (type-ahead)."""
    tab_to(page, selector)
    page.keyboard.type(label)
    assert label in page.locator(f"{selector} option:checked").inner_text()


def sign_in(page, base, username):
    page.goto(f"{base}/staff/")
    assert "/staff/sign-in" in page.url
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_sign_in_queue_log_and_triage_by_keyboard(live_server, page, people, social_care, themes, waiting):
    base = live_server.url
    page.goto(f"{base}/staff/")
    assert_accessible(page)
    screenshot(page, "staff-sign-in-desktop")
    sign_in(page, base, "alice")

    # The queue: the overdue complaint, its date, and how it was worked out (a Details: no JS needed).
    assert page.url.rstrip("/").endswith("/staff")
    assert_accessible(page)
    screenshot(page, "staff-queue-desktop")
    overdue = page.locator("#overdue")
    assert waiting.reference in overdue.inner_text() and "Thu 5 Mar 2026" in overdue.inner_text()
    tab_to(page, "#overdue summary")
    page.keyboard.press("Enter")
    explanation = overdue.locator(".govuk-details__text").first
    assert explanation.is_visible()
    assert "received Mon 2 Mar 2026; 3 working days → due Thu 5 Mar 2026" in explanation.inner_text()
    assert_accessible(page)
    screenshot(page, "staff-queue-explained-desktop", full_page=False)

    # Log a complaint by keyboard.
    page.goto(f"{base}/staff/log")
    assert_accessible(page)
    choose(page, "input[name=kind][value=complaint]")
    choose(page, "input[name=channel][value=phone]")
    type_into(page, "#id_received_on_day", "9")
    type_into(page, "#id_received_on_month", "3")
    type_into(page, "#id_received_on_year", "2026")
    pick(page, "#id_service", "Children")
    type_into(page, "#id_summary", "Contact visits with my daughter keep being cancelled")
    type_into(page, "#id_complainant_name", "Chris Parent")
    type_into(page, "#id_points", "Visits cancelled at short notice")
    screenshot(page, "staff-log-filled-desktop")
    submit(page, "Log it")
    logged = Feedback.objects.exclude(pk=waiting.pk).get()
    assert f"/staff/cases/{logged.reference}/" in page.url

    # Triage it: a representative without the child's consent is refused, next to the field, with the rule.
    page.goto(f"{base}/staff/cases/{logged.reference}/triage")
    assert_accessible(page)
    screenshot(page, "staff-triage-desktop")
    choose(page, "input[name=complainant_role][value=representative]")
    choose(page, "input[name=child_consent][value=not_asked]")
    choose(page, "input[name=procedure][value=statutory]")
    type_into(page, "#id_procedure_reason", "About contact with a looked-after child")
    choose(page, "input[name=safeguarding][value=no]")
    choose(page, "input[name=advocacy_offered][value=no]")
    submit(page, "Record triage decisions")
    assert page.title().startswith("Error: ")
    assert "Record that the child agrees" in page.locator(".govuk-error-summary").inner_text()
    assert "Rule: a representative acts with the child" in page.locator("#rule-refused").inner_text()
    assert_accessible(page)
    screenshot(page, "staff-triage-refused-desktop", full_page=False)

    # Put it right: the child agrees.
    choose(page, "input[name=child_consent][value=given]")
    submit(page, "Record triage decisions")
    assert f"/staff/cases/{logged.reference}/" in page.url
    logged.refresh_from_db()
    assert logged.complainant_role == "representative" and logged.child_consent == "given"
    assert logged.triage.procedure_reason == "About contact with a looked-after child"

    # Search by name: the name is POSTed, never in the URL.
    page.goto(f"{base}/staff/search")
    assert_accessible(page)
    type_into(page, "#id_name", "Chris")
    submit(page, "Search")
    assert "chris" not in page.url.lower() and logged.reference in page.inner_text("main")
    assert_accessible(page)
    screenshot(page, "staff-search-results-desktop")


def test_the_queue_and_log_page_on_a_phone(live_server, phone_page, people, social_care, waiting):
    page = phone_page
    sign_in(page, live_server.url, "alice")
    screenshot(page, "staff-queue-phone")
    # Nothing wider than the screen (WCAG 1.4.10 reflow); wide tables scroll inside their own region.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/log")
    assert_accessible(page)
    screenshot(page, "staff-log-phone")


def test_the_lockout_page_is_accessible(live_server, page, people, settings, clock):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto(f"{live_server.url}/staff/sign-in")
        page.fill("#id_username", "alice")
        page.fill("#id_password", "wrong password")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    assert "Your account is locked" in page.inner_text("h1")
    assert_accessible(page)
    screenshot(page, "staff-locked-desktop")


def test_the_audit_pages_are_accessible(live_server, page, people, waiting):
    sign_in(page, live_server.url, "mo")
    page.goto(f"{live_server.url}/staff/audit/cases/{waiting.reference}")
    assert_accessible(page)
    screenshot(page, "staff-audit-case-desktop")


def test_triage_follow_up_questions_show_with_and_without_javascript(live_server, page, no_js_page, people, waiting):
    url = f"{live_server.url}/staff/cases/{waiting.reference}/triage"
    for p in (page, no_js_page):
        sign_in(p, live_server.url, "alice")
        p.goto(url)
        assert p.locator("#id_safeguarding_referred_to").is_visible()
        assert p.locator("#id_advocate").is_visible()
        assert_accessible(p)
    screenshot(no_js_page, "staff-triage-no-js")
    no_js_page.locator("#id_safeguarding_referred_to").scroll_into_view_if_needed()
    screenshot(no_js_page, "staff-triage-no-js-safeguarding", full_page=False)
