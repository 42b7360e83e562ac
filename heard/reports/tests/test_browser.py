"""The report and the dashboard in a real browser: no accessibility violations (axe-core), and screenshots
to look at."""

from datetime import date

import pytest
import time_machine

from heard.reports.services import save_narrative
from heard.testing.browser import assert_accessible, screenshot
from heard.testing.fixtures import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(f"{live_server.url}/staff/sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_annual_report_page_and_the_words_form_are_accessible(page, live_server, people, blackpool):
    save_narrative(
        actor=people["mo"],
        year=2018,
        section="overview",
        text="Children's Services welcomes all feedback.\n\nThis report covers April 2018 to March 2019.",
    )
    _sign_in(page, live_server, "mo")
    page.goto(f"{live_server.url}/staff/reports/2018/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Customer feedback annual report")
    assert page.locator("svg[role=img]").count() == 7
    assert_accessible(page)
    # The top of the page only: a full-page capture of the whole report (~16,000 px) can take longer than the
    # screenshot timeout on a loaded machine; the whole report is checked by axe above.
    screenshot(page, "reports-annual-2018", full_page=False)
    page.locator("#outcomes").scroll_into_view_if_needed()
    screenshot(page, "reports-annual-2018-outcomes", full_page=False)
    page.get_by_role("link", name="Change the words for Overview").click()
    page.get_by_label("Words for this section").fill("x" * 20_001)
    page.get_by_role("button", name="Save the words").click()
    assert "There is a problem" in page.content()
    assert_accessible(page)
    screenshot(page, "reports-narrative-error")


def test_the_dashboard_is_accessible(page, live_server, people, blackpool):
    _sign_in(page, live_server, "dina")
    with time_machine.travel(date(2019, 1, 15), tick=True):
        page.goto(f"{live_server.url}/staff/reports/dashboard/")
        assert page.get_by_role("heading", level=1).inner_text() == "This year so far"
        assert_accessible(page)
        screenshot(page, "reports-dashboard")


def test_approving_lessons_learnt_for_the_report_is_accessible(page, live_server, people, social_care):
    from heard.feedback import services as s
    from heard.feedback.services import PersonDetails

    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2018, 6, 4),
        service=social_care,
        complainant=PersonDetails("Jo Bloggs"),
        points=["Visits cancelled"],
        complainant_role="parent_or_carer",
        today=date(2018, 6, 4),
    )
    lesson = s.record_lesson(
        actor=people["sam"],
        feedback=fb,
        action="Ring Jo Bloggs every week",
        owner=people["sam"],
        due_on=date(2018, 9, 1),
        on=date(2018, 7, 2),
    )
    _sign_in(page, live_server, "mo")
    page.goto(f"{live_server.url}/staff/reports/2018/lessons/")
    assert page.get_by_role("heading", level=1).inner_text() == "Lessons learnt for the annual report"
    assert_accessible(page)
    screenshot(page, "reports-lessons-2018")
    page.get_by_role("link", name=f"Write the wording for the lesson learnt from {fb.reference}").click()
    page.get_by_label("Wording for the annual report").fill("Jo Bloggs now gets a weekly call.")
    page.get_by_role("button", name="Approve this wording").click()
    assert "There is a problem" in page.content() and "a name from this case" in page.content()
    assert_accessible(page)
    screenshot(page, "reports-lesson-error")
    page.get_by_label("Wording for the annual report").fill("Families now get a weekly call while a visit is missed.")
    page.get_by_role("button", name="Approve this wording").click()
    assert "Wording approved for the annual report" in page.content()
    assert_accessible(page)
    page.goto(f"{live_server.url}/staff/cases/{fb.reference}/lessons/annual-report?lesson={lesson.pk}")
    assert page.get_by_role("heading", level=1).inner_text() == "Approve a lesson learnt for the annual report"
    assert_accessible(page)
    screenshot(page, "case-lesson-report")
    page.goto(f"{live_server.url}/staff/cases/{fb.reference}/#lessons")
    assert "In the annual report as: “Families now get a weekly call" in page.content()
    assert_accessible(page)
