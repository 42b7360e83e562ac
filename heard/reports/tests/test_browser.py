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
    save_narrative(actor=people["mo"], year=2018, section="overview",
                   text="Children's Services welcomes all feedback.\n\nThis report covers April 2018 to March 2019.")
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
