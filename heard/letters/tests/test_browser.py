"""The letters pages in Debian's Chromium: axe-clean (WCAG 2.2 AA), and they work without JavaScript."""

from datetime import date

import pytest
from django.conf import settings
from django.test import Client

from heard.letters import services as ls
from heard.letters.tests import states
from heard.testing.browser import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_letters_pages_are_accessible_and_a_draft_is_written_without_javascript(
    no_js_page, live_server, people, social_care
):
    page = no_js_page
    fb = states.stage1_responded(people, social_care, preferred="letter")
    sign_in(page, live_server, people["alice"])
    page.goto(f"{live_server.url}/staff/letters/{fb.reference}/")
    assert_accessible(page)
    screenshot(page, "letters-case")
    page.get_by_label("Stage 1 response").check()
    page.get_by_role("button", name="Write the draft").click()
    assert "Thursday 9 April 2026" in page.locator("textarea").input_value()
    assert_accessible(page)
    screenshot(page, "letters-draft")
    # Bad input: an error summary and a message next to the field, nothing saved.
    page.locator("textarea").fill("")
    page.get_by_role("button", name="Save and send for approval").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    screenshot(page, "letters-draft-error")


def test_approval_and_template_pages_are_accessible(page, live_server, people, social_care):
    fb = states.stage1_responded(people, social_care, preferred="letter")
    letter = ls.submit_letter(
        actor=people["alice"],
        letter=ls.draft_letter(actor=people["alice"], feedback=fb, kind="stage1_response", today=date(2026, 3, 10)),
    )
    sign_in(page, live_server, people["mo"])
    page.goto(f"{live_server.url}/staff/letters/for-approval/")
    assert_accessible(page)
    page.get_by_role("link", name="Stage 1 response").click()
    assert_accessible(page)
    screenshot(page, "letters-approve")
    page.get_by_role("button", name="Approve the letter").click()
    assert page.get_by_role("link", name="Download the letter as PDF (Stage 1 response)").is_visible()
    assert_accessible(page)
    screenshot(page, "letters-approved")
    page.goto(f"{live_server.url}/staff/letters/templates/")
    assert_accessible(page)
    page.get_by_role("link", name="Stage 1 response").click()
    page.locator("textarea").fill("Dear {recipient_name}, reply by {stage2_request_by}. {nickname}")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_text("These placeholders do not exist: {nickname}").first.is_visible()
    assert_accessible(page)
    screenshot(page, "letters-template-preview")
    assert letter.pk


def test_the_directors_read_only_letters_pages_are_accessible(page, live_server, people, social_care):
    fb = states.stage1_responded(people, social_care, preferred="letter")
    ls.submit_letter(
        actor=people["alice"],
        letter=ls.draft_letter(actor=people["alice"], feedback=fb, kind="stage1_response", today=date(2026, 3, 10)),
    )
    sign_in(page, live_server, people["dina"])
    page.goto(f"{live_server.url}/staff/cases/{fb.reference}/")
    page.get_by_role("link", name=f"Letters for {fb.reference}").click()
    assert page.get_by_role("link", name="Letters to approve").count() == 2  # the navigation and the page
    assert page.get_by_role("button", name="Write the draft").count() == 0
    assert_accessible(page)
    page.get_by_role("link", name="Stage 1 response", exact=True).click()
    assert page.locator("textarea").count() == 0
    assert page.get_by_role("link", name="Review and approve").is_visible()
    assert_accessible(page)
    screenshot(page, "letters-director-read-only")
