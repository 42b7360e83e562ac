"""Each public journey in Debian's Chromium: by keyboard alone with axe-core on every page, and with
JavaScript turned off; screenshots on desktop and phone (test-artifacts/screenshots/public-*)."""

import re
from datetime import date

import pytest

from heard.feedback import services as fs
from heard.feedback.models import Feedback
from heard.feedback.services import FindingInput, PersonDetails
from heard.organisation.models import Service, Team
from heard.outbox.models import Email
from heard.testing.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def council(db):
    care = Service.objects.create(name="Children's Social Care")
    Service.objects.create(name="Early Help")
    Team.objects.create(service=care, name="Duty and Assessment")
    return care


def _check(page, name, shots):
    assert_accessible(page)
    if shots:
        screenshot(page, f"public-{name}")


def _tab_to(page, selector, text=None):
    """Press Tab until the element is focused: keyboard only, no clicks."""
    for _ in range(80):
        if page.evaluate(
            "([s, t]) => { const e = document.activeElement; return !!e && e.matches(s) && "
            "(t === null || e.textContent.trim().startsWith(t)); }",
            [selector, text],
        ):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {selector} by keyboard")


def _choose(page, value):
    """Tab into the radio group, then arrow keys to the answer, as a keyboard user does."""
    _tab_to(page, 'input[type="radio"]')
    for _ in range(20):
        if page.evaluate("v => document.activeElement.value === v", value):
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not reach the answer {value} by keyboard")


def _type(page, selector, text):
    _tab_to(page, selector)
    page.keyboard.type(text)


def _continue(page, label="Continue"):
    _tab_to(page, "button, a.govuk-button", label)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def _adult_complaint(page, base, shots, name):
    page.goto(base + "/")
    _check(page, f"{name}-start", shots)
    _tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _continue(page)  # nothing chosen: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    _check(page, f"{name}-service-error", shots)
    steps = [
        ("service", lambda: _choose(page, str(Service.objects.get(name="Children's Social Care").pk))),
        ("team", lambda: _choose(page, str(Team.objects.get().pk))),
        ("what-happened", lambda: _type(page, "textarea", "Visits with my son's dad keep being cancelled.")),
        (
            "when",
            lambda: (
                _type(page, "#id_matter_date_day", "10"),
                _type(page, "#id_matter_date_month", "2"),
                _type(page, "#id_matter_date_year", "2026"),
            ),
        ),
        ("outcome", lambda: _type(page, "textarea", "Visits as agreed")),
        ("who", lambda: _choose(page, "parent_or_carer")),
        ("someone-else", lambda: _choose(page, "no")),
        ("contact", lambda: _choose(page, "email")),
        ("your-details", lambda: (_type(page, "#id_name", "Jo Bloggs"), _type(page, "#id_email", "jo@example.com"))),
        ("advocate", lambda: _choose(page, "yes")),
        ("adjustments", lambda: None),
    ]
    for slug, answer in steps:
        assert page.url.endswith(f"/complaint/{slug}"), (page.url, slug)
        _check(page, f"{name}-{slug}", shots)
        answer()
        _continue(page)
    assert page.url.endswith("/complaint/documents")
    _check(page, f"{name}-documents", shots)
    _continue(page)
    assert page.url.endswith("/complaint/check-your-answers")
    _check(page, f"{name}-check", shots)
    _continue(page, "Send")
    assert page.url.endswith("/complaint/sent")
    _check(page, f"{name}-sent", shots)
    ref = Feedback.objects.get().reference
    assert ref in page.content() and "We will reply by" in page.content()


def test_adult_complaint_by_keyboard_alone_with_no_accessibility_violations(page, live_server, council):
    _adult_complaint(page, live_server.url, True, "complaint")


def test_adult_complaint_on_a_phone(phone_page, live_server, council):
    _adult_complaint(phone_page, live_server.url, True, "phone-complaint")


def test_adult_complaint_without_javascript(no_js_page, live_server, council):
    _adult_complaint(no_js_page, live_server.url, False, "nojs-complaint")


def _young(page, base, shots, name):
    page.goto(base + "/young-people/")
    _check(page, f"{name}-start", shots)
    assert page.locator(".govuk-exit-this-page a, a.govuk-exit-this-page__button").count() >= 1
    _tab_to(page, "a.govuk-button--start")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    steps = [
        ("what", lambda: _choose(page, "complaint")),
        ("story", lambda: _type(page, "textarea", "My worker never calls me back.")),
        ("better", lambda: _type(page, "textarea", "Someone who calls back")),
        ("advocate", lambda: _choose(page, "yes")),
        ("name", lambda: _type(page, "#id_name", "Kai")),
        ("reply", lambda: _choose(page, "phone")),
        ("details", lambda: _type(page, "#id_detail", "07700 900982")),
    ]
    for slug, answer in steps:
        assert page.url.endswith(f"/young-people/{slug}"), (page.url, slug)
        _check(page, f"{name}-{slug}", shots)
        answer()
        _continue(page)
    _check(page, f"{name}-check", shots)
    _continue(page, "Send")
    assert page.url.endswith("/young-people/sent")
    _check(page, f"{name}-sent", shots)
    fb = Feedback.objects.get()
    assert fb.complainant_role == "child_or_young_person" and fb.advocacy_wanted is True


def test_child_complaint_by_keyboard_alone(page, live_server, council):
    _young(page, live_server.url, True, "young")


def test_child_complaint_on_a_phone(phone_page, live_server, council):
    _young(phone_page, live_server.url, True, "phone-young")


def test_child_complaint_without_javascript(no_js_page, live_server, council):
    _young(no_js_page, live_server.url, False, "nojs-young")


def _short(page, base, kind, shots, name, text_answer):
    page.goto(base + f"/{kind}/service")
    steps = [("service", lambda: _choose(page, "not_sure"))]
    if kind == "compliment":
        steps.append(("about", lambda: _type(page, "#id_about", "Our social worker")))
    steps += [
        ("message", lambda: _type(page, "textarea", text_answer)),
        ("reply", lambda: _choose(page, "yes")),
        ("your-details", lambda: _type(page, "#id_email", "jo@example.com")),
    ]
    for slug, answer in steps:
        assert page.url.endswith(f"/{kind}/{slug}"), (page.url, slug)
        _check(page, f"{name}-{slug}", shots)
        answer()
        _continue(page)
    _check(page, f"{name}-check", shots)
    _continue(page, "Send")
    _check(page, f"{name}-sent", shots)
    assert Feedback.objects.get().kind == kind


@pytest.mark.parametrize("kind", ["compliment", "comment"])
def test_compliment_and_comment_by_keyboard_alone(page, live_server, council, kind):
    _short(page, live_server.url, kind, True, kind, "Thank you for listening.")


@pytest.mark.parametrize("kind", ["compliment", "comment"])
def test_compliment_and_comment_without_javascript(no_js_page, live_server, council, kind):
    _short(no_js_page, live_server.url, kind, False, f"nojs-{kind}", "Thank you.")


def _follow_up(page, base, shots, name, council):
    alice = None
    from heard.accounts.models import User

    alice = User.objects.create_user(username="alice", password="x" * 20, role=User.Role.CUSTOMER_RELATIONS)
    fb = fs.log_feedback(
        actor=alice,
        kind="complaint",
        channel="online",
        received_on=date(2026, 3, 2),
        service=council,
        summary="Visits",
        points=["Visits were cancelled"],
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        complainant_role="parent_or_carer",
        today=date(2026, 3, 2),
    )
    from django.utils import timezone

    today = timezone.localdate()
    fs.acknowledge(actor=alice, feedback=fb, on=today, today=today)
    fs.respond(actor=alice, feedback=fb, on=today, findings={1: FindingInput("not_upheld")}, today=today)
    page.goto(base + "/follow-up")
    _check(page, f"{name}-ask", shots)
    _type(page, "#id_reference", fb.reference)
    _type(page, "#id_email", "jo@example.com")
    _continue(page, "Email me a link")
    _check(page, f"{name}-check-email", shots)
    token = re.search(r"/follow-up/link/(\S+)", Email.objects.get(template="follow_up_link").body).group(1)
    page.goto(base + f"/follow-up/link/{token}")
    _check(page, f"{name}-link", shots)
    _continue(page)
    assert page.url.endswith("/follow-up/your-case")
    _check(page, f"{name}-your-case", shots)
    _continue(page, "Ask for the next stage")
    _check(page, f"{name}-next-stage", shots)
    _type(page, "textarea", "The visits are still being cancelled.")
    _continue(page, "Send my request")
    assert "We have your request" in page.content()
    _check(page, f"{name}-asked", shots)
    fb.refresh_from_db()
    assert fb.stage == 2


def test_follow_up_and_stage_2_request_by_keyboard_alone(page, live_server, council):
    _follow_up(page, live_server.url, True, "follow-up", council)


def test_follow_up_and_stage_2_request_without_javascript(no_js_page, live_server, council):
    _follow_up(no_js_page, live_server.url, False, "nojs-follow-up", council)
