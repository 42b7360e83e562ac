"""The main journey in a real browser, by keyboard only: log → triage → acknowledge → allocate → respond →
escalate → statement agreed → stage 2 (investigating officer, independent person, adjudication) → review
panel (three members, meeting, report) → director's response → Ombudsman referral.

Each person signs in as themselves for their step. Nothing is clicked: focus moves with Tab (and the
arrow keys inside a radio group or a select), text is typed, buttons are pressed with Enter. axe-core
runs on every page visited and must find nothing. Screenshots of the main pages, at desktop and phone
size, go to test-artifacts/screenshots/.

The services refuse future dates and check them against the server's today, so the journey uses dates
in 2026 that are in the past by then.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, OmbudsmanCase
from heard.testing.browser import assert_accessible, screenshot
from heard.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 400


# ------------------------------------------------------------------------------- keyboard helpers


def focused_matches(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def tab_to(page, selector: str) -> None:
    """Press Tab until the element matching `selector` has focus: proves it is reachable by keyboard."""
    if page.locator(selector).count() == 0:
        raise AssertionError(f"No {selector} on {page.url}")
    for _ in range(MAX_TABS):
        if focused_matches(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never took focus by Tab on {page.url}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def type_date(page, field_id: str, day: date) -> None:
    type_into(page, f"#{field_id}_day", str(day.day))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.month))
    page.keyboard.press("Tab")
    page.keyboard.type(str(day.year))


def choose_radio(page, name: str, value: str) -> None:
    """Tab into the radio group, then the arrow keys to the option (they select it as they go)."""
    tab_to(page, f"input[type=radio][name='{name}']")
    target = f"input[type=radio][name='{name}'][value='{value}']"
    for _ in range(40):
        if focused_matches(page, target):
            page.keyboard.press("Space")
            assert page.locator(target).is_checked()
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"Could not reach {target} with the arrow keys")


def choose_option(page, select_id: str, text: str) -> None:
    """A select with the keyboard: focus it, then ArrowDown through the options until the one wanted."""
    tab_to(page, f"#{select_id}")
    for _ in range(60):
        if page.evaluate("id => document.getElementById(id).selectedIndex", select_id) <= 0:
            break
        page.keyboard.press("ArrowUp")
    for _ in range(60):
        current = page.evaluate(
            "id => { const s = document.getElementById(id); return s.options[s.selectedIndex].text }", select_id
        )
        if text in current:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"No option {text!r} in #{select_id}")


def submit(page, label: str | None = None) -> None:
    selector = "main form button.govuk-button" if label is None else f"main form button:has-text('{label}')"
    tab_to(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, href_end: str) -> None:
    """Tab to a link by where it goes, and press Enter."""
    tab_to(page, f"main a[href$='{href_end}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)


def checked(page) -> None:
    """Every page visited: no server error, a title, and zero accessibility violations."""
    assert page.title(), page.url
    assert "Server Error" not in page.content()
    assert_accessible(page)


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/sign-in")
    checked(page)
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    checked(page)


def sign_out(page) -> None:
    tab_to(page, ".heard-signout__button")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def success(page, text: str) -> None:
    banner = page.locator(".govuk-notification-banner--success")
    assert banner.count() == 1, page.locator("main").inner_text()[:2000]
    assert text in banner.inner_text(), banner.inner_text()


def open_case(page, base: str, reference: str) -> None:
    page.goto(f"{base}/staff/cases/{reference}/")
    checked(page)


def action(page, path: str) -> None:
    """From the case page, the action's link in 'What you can do'."""
    follow(page, f"/{path}")


# -------------------------------------------------------------------------------------- the journey


def test_the_main_journey_by_keyboard_with_zero_accessibility_violations(
    page, phone_page, live_server, people, social_care, early_help, themes
):
    base = live_server.url

    # Alice (customer relations) logs a phone complaint.
    sign_in(page, base, "alice")
    page.goto(f"{base}/staff/log")
    checked(page)
    screenshot(page, "journey-01-log")
    choose_radio(page, "kind", "complaint")
    choose_radio(page, "channel", "phone")
    type_date(page, "id_received_on", date(2026, 3, 2))
    choose_option(page, "id_service", "Children's Social Care")
    type_into(page, "#id_summary", "Contact visits with my son keep being cancelled at short notice")
    type_into(page, "#id_complainant_name", "Jo Bloggs")
    type_into(page, "#id_complainant_email", "jo@example.com")
    choose_option(page, "id_complainant_role", "Parent")
    type_into(page, "#id_points", "Visits were cancelled without notice")
    submit(page)
    checked(page)
    reference = re.search(r"CS-\d{4}-\d{5}", page.url).group(0)
    fb = Feedback.objects.get(reference=reference)
    assert fb.channel == "phone" and fb.complainant.name == "Jo Bloggs"

    # Triage: statutory, a parent, not excluded, no safeguarding concern, advocacy offered.
    open_case(page, base, reference)
    action(page, "triage")
    choose_radio(page, "complainant_role", "parent_or_carer")
    choose_radio(page, "procedure", "statutory")
    type_into(page, "#id_procedure_reason", "About the contact arrangements for a looked-after child")
    choose_radio(page, "safeguarding", "no")
    choose_radio(page, "advocacy_offered", "no")
    submit(page)
    checked(page)
    assert hasattr(Feedback.objects.get(pk=fb.pk), "triage")

    # Acknowledge and allocate to Sam.
    open_case(page, base, reference)
    screenshot(page, "journey-02-case-received")
    action(page, "acknowledge")
    type_date(page, "id_on", date(2026, 3, 3))
    submit(page)
    checked(page)
    success(page, "Acknowledgement recorded")
    action(page, "allocate")
    choose_option(page, "id_assignee", "Sam Singh")
    submit(page)
    checked(page)
    success(page, "Allocated to Sam Singh")
    sign_out(page)

    # Sam (service manager) responds at stage 1.
    sign_in(page, base, "sam")
    open_case(page, base, reference)
    action(page, "respond")
    screenshot(page, "journey-03-respond-stage-1")
    choose_radio(page, "finding_1", "not_upheld")
    type_into(page, "#id_response", "The visits were cancelled because the supervising worker was ill.")
    choose_option(page, "id_remedy_kind_1", "Explanation")
    type_date(page, "id_on", date(2026, 3, 10))
    submit(page)
    checked(page)
    success(page, "Stage 1 response recorded: not upheld")
    sign_out(page)

    # Alice: the complainant asks for stage 2; the statement of complaint is agreed.
    sign_in(page, base, "alice")
    open_case(page, base, reference)
    action(page, "escalate")
    type_date(page, "id_requested_on", date(2026, 3, 20))
    type_into(page, "#id_reason", "Nothing has changed: visits are still cancelled")
    submit(page)
    checked(page)
    success(page, "Escalated to stage 2")
    action(page, "statement")
    type_date(page, "id_agreed_on", date(2026, 3, 25))
    type_into(page, "#id_statement", "Ms Bloggs complains that contact visits were cancelled without notice.")
    type_into(page, "#id_points", "Calls to the social worker were not returned")
    submit(page)
    checked(page)
    success(page, "Statement of complaint agreed")

    # Appointing Sam is refused (he manages the service complained about): the message is by the field.
    action(page, "investigating-officer")
    choose_option(page, "id_officer", "Sam Singh")
    submit(page)
    checked(page)
    assert "works in Children's Social Care" in page.locator("#id_officer-error").inner_text()
    assert "Getting the Best from Complaints 3.4" in page.locator("#rule").inner_text()
    screenshot(page, "journey-04-refused-with-rule")
    choose_option(page, "id_officer", "Ian Irwin")
    submit(page)
    checked(page)
    success(page, "Ian Irwin appointed as investigating officer")
    action(page, "independent-person")
    choose_option(page, "id_person", "Pat Patel")
    submit(page)
    checked(page)
    success(page, "Pat Patel appointed as independent person")

    # The adjudicating officer's decision is the stage 2 response.
    action(page, "respond")
    for number in Feedback.objects.get(pk=fb.pk).points.values_list("number", flat=True):
        choose_radio(page, f"finding_{number}", "partially_upheld")
    choose_option(page, "id_adjudicating_officer", "Erin Evans")
    type_date(page, "id_on", date(2026, 4, 28))
    submit(page)
    checked(page)
    success(page, "Stage 2 response recorded: partially upheld")

    # Stage 3: the review panel.
    action(page, "escalate")
    type_date(page, "id_requested_on", date(2026, 5, 5))
    type_into(page, "#id_reason", "I want a review panel")
    submit(page)
    checked(page)
    success(page, "Escalated to stage 3")
    for name, chair in (("Quinn Quayle", "yes"), ("Robin Reid", "no"), ("Tess Turner", "no")):
        action(page, "panel/member")
        choose_option(page, "id_person", name)
        choose_radio(page, "chair", chair)
        type_date(page, "id_on", date(2026, 5, 6))
        submit(page)
        checked(page)
        success(page, f"{name} appointed")
    action(page, "panel/arrange")
    type_date(page, "id_meeting_on", date(2026, 6, 10))
    type_date(page, "id_notified_on", date(2026, 5, 20))
    type_into(page, "#id_venue", "Town Hall, Committee Room 2")
    submit(page)
    checked(page)
    success(page, "Review panel arranged for 10 June 2026")
    action(page, "panel/report")
    type_date(page, "id_received_on", date(2026, 6, 15))
    type_into(page, "#id_recommendations", "Apologise, and review how contact is covered when a worker is ill")
    submit(page)
    checked(page)
    success(page, "Panel report recorded")
    sign_out(page)

    # Dina (the director) responds to the panel.
    sign_in(page, base, "dina")
    open_case(page, base, reference)
    action(page, "director-response")
    choose_radio(page, "agrees", "yes")
    type_into(page, "#id_response", "I accept the panel's recommendations in full.")
    type_date(page, "id_on", date(2026, 7, 1))
    submit(page)
    checked(page)
    success(page, "Director's response recorded")
    sign_out(page)

    # Alice records the Ombudsman's referral.
    sign_in(page, base, "alice")
    open_case(page, base, reference)
    action(page, "ombudsman/refer")
    type_date(page, "id_referred_on", date(2026, 8, 1))
    type_into(page, "#id_their_reference", "26 001 234")
    submit(page)
    checked(page)
    success(page, "Ombudsman referral recorded")
    screenshot(page, "journey-05-case-at-ombudsman")

    assert OmbudsmanCase.objects.get(feedback=fb).their_reference == "26 001 234"
    actions = list(Event.objects.filter(feedback=fb).values_list("action", flat=True))
    for expected in (
        "logged",
        "triaged",
        "acknowledged",
        "allocated",
        "responded",
        "escalated",
        "statement_agreed",
        "investigating_officer_appointed",
        "independent_person_appointed",
        "panel_arranged",
        "panel_report_received",
        "director_responded",
        "ombudsman_referred",
    ):
        assert expected in actions, expected
    actors = dict(
        Event.objects.filter(feedback=fb, action__in=["director_responded", "ombudsman_referred"]).values_list(
            "action", "actor__username"
        )
    )
    assert actors == {"director_responded": "dina", "ombudsman_referred": "alice"}

    # The same pages at phone size.
    sign_in(phone_page, base, "alice")
    for path, name in (("", "case"), ("respond", "respond-form"), ("lessons/add", "lesson-form")):
        phone_page.goto(f"{base}/staff/cases/{reference}/{path}")
        checked(phone_page)
        screenshot(phone_page, f"journey-phone-{name}")
        screenshot(phone_page, f"journey-phone-{name}-first-screen", full_page=False)


def _at_stage_1(people, service) -> Feedback:
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=service,
        summary="Visits cancelled",
        points=["Visits cancelled"],
        complainant=s.PersonDetails("Jo Bloggs"),
        complainant_role="parent_or_carer",
    )
    s.flag_safeguarding(
        actor=people["alice"],
        feedback=fb,
        referred_to="the Multi-Agency Safeguarding Hub",
        referred_on=date(2026, 3, 2),
        reason="The child said they were frightened at home",
    )
    return fb


def test_a_few_steps_work_with_javascript_off(no_js_page, live_server, people, social_care):
    page, base = no_js_page, live_server.url
    fb = _at_stage_1(people, social_care)
    sign_in(page, base, "alice")
    open_case(page, base, fb.reference)
    assert page.locator(".heard-safeguarding-banner").is_visible()
    # The deadline explanation is a <details>: it opens without JavaScript.
    tab_to(page, "main details.heard-explain summary")
    page.keyboard.press("Enter")
    assert "working days" in page.locator("main details.heard-explain[open]").first.inner_text()
    screenshot(page, "nojs-case-safeguarding")
    action(page, "acknowledge")
    type_date(page, "id_on", date(2026, 3, 3))
    submit(page)
    checked(page)
    success(page, "Acknowledgement recorded")
    action(page, "notes/add")
    type_into(page, "#id_text", "Spoke to the social worker: visits resume next week")
    submit(page)
    checked(page)
    success(page, "Note added")
    assert Feedback.objects.get(pk=fb.pk).status == "open"


def test_the_safeguarding_banner_and_a_compliment_at_phone_size(phone_page, live_server, people, social_care):
    page, base = phone_page, live_server.url
    fb = _at_stage_1(people, social_care)
    compliment = s.log_feedback(
        actor=people["alice"],
        kind="compliment",
        channel="email",
        received_on=date(2026, 3, 6),
        service=social_care,
        compliment_source="external",
        summary="Thank you to Kim for the support with the move",
    )
    sign_in(page, base, "alice")
    open_case(page, base, fb.reference)
    screenshot(page, "phone-case-safeguarding")
    open_case(page, base, compliment.reference)
    screenshot(page, "phone-compliment")
    action(page, "annual-report")
    choose_radio(page, "selected", "yes")
    submit(page)
    checked(page)
    success(page, "Included in the annual report's selection")
