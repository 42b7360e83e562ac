"""The layout and the form adapter, through the pattern library (/patterns/).

The first half renders pages with Django's test client; the second drives Chromium (marked
``browser``, skipped where /usr/bin/chromium or the built assets are missing).
"""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django import forms
from django.conf import settings

from heard.forms import GovukDateField, GovukFormMixin, anchor_id, error_summary_items
from heard.testing.browser import assert_accessible, screenshot

pytestmark = pytest.mark.urls("heard.tests_frontend.urls")

ROOT = Path(settings.BASE_DIR)
VALID = {
    "full_name": "Sam Smith",
    "email": "sam@example.com",
    "child_age": "9",
    "date_received_day": "1",
    "date_received_month": "4",
    "date_received_year": "2025",
    "contact_method": "email",
    "service": "early-help",
    "topics": ["delay", "decision"],
    "details": "Nobody called us back.",
    "password": "not a real one",
    "confirm": "true",
}


class Page(HTMLParser):
    """The parts of a page these tests look at: the title, every id, the error summary's links,
    and the classes of each element by id."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.classes: dict[str, str] = {}
        self.summary_links: list[tuple[str, str]] = []
        self._in_title = False
        self._in_summary = 0
        self._link: str | None = None
        self.title = ""
        self.feed(html)
        self.title = re.sub(r"\s+", " ", self.title).strip()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
            self.classes[attrs["id"]] = attrs.get("class") or ""
        if tag == "title":
            self._in_title = True
        if "govuk-error-summary" in (attrs.get("class") or "").split():
            self._in_summary = 1
        elif self._in_summary and tag == "div":
            self._in_summary += 1
        if self._in_summary and tag == "a":
            self._link = attrs.get("href", "")
            self.summary_links.append((self._link, ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if self._in_summary and tag == "div":
            self._in_summary -= 1
        if tag == "a":
            self._link = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link is not None and self.summary_links:
            href, text = self.summary_links[-1]
            self.summary_links[-1] = (href, (text + data).strip())


# ---------------------------------------------------------------------------------------------
# Rendered with the test client
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_title_names_the_page_the_service_and_the_council(client):
    page = Page(client.get("/patterns/").content.decode())
    assert page.title == f"Pattern library – Heard – {settings.HEARD_COUNCIL_NAME}"


@pytest.mark.django_db
def test_layout_has_no_crown_no_gds_transport_and_the_councils_name(client):
    html = client.get("/patterns/").content.decode()
    assert '<html lang="en-GB" class="govuk-template">' in html
    assert 'href="#main-content"' in html and 'id="main-content"' in html
    assert settings.HEARD_COUNCIL_NAME in html
    for gov_uk_only in (
        "govuk-logo",
        "govuk-header__logotype",
        "govuk-footer__crown",
        "Crown copyright",
        "Open Government Licence",
        "govuk-footer__licence",
        "GOV.UK",
    ):
        assert gov_uk_only not in html
    assert "initAll()" in html and 'type="module"' in html


def test_stylesheet_uses_a_system_font_and_no_gds_transport():
    css_path = ROOT / "heard/static/build/heard.css"
    if not css_path.exists():
        pytest.skip("assets not built: run `make assets`")
    css = css_path.read_text()
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "font-family:arial,sans-serif" in css


@pytest.mark.django_db
def test_a_form_with_errors_prefixes_the_title_and_every_summary_link_reaches_its_field(client):
    page = Page(client.post("/patterns/", {}).content.decode())

    assert page.title.startswith("Error: Pattern library – Heard")
    assert page.summary_links, "no error summary"
    for href, text in page.summary_links:
        assert href.startswith("#") and href[1:] in page.ids, f"{text!r} links to {href}, which isn't on the page"
    links = dict((text, href) for href, text in page.summary_links)
    assert links["Enter your full name"] == "#id_full_name"
    assert links["Enter the date the complaint was received"] == "#id_date_received_day"
    assert links["Select how we should contact you"] == "#id_contact_method"  # the first radio
    assert links["Select what the complaint is about"] == "#id_topics"  # the first checkbox
    assert "govuk-input--error" in page.classes["id_full_name"]


@pytest.mark.django_db
def test_summary_lists_errors_in_the_order_of_the_fields(client):
    page = Page(client.post("/patterns/", {}).content.decode())
    order = [href for href, _ in page.summary_links]
    assert order == [
        "#id_full_name",
        "#id_child_age",
        "#id_date_received_day",
        "#id_contact_method",
        "#id_service",
        "#id_topics",
        "#id_details",
        "#id_password",
        "#id_confirm",
    ]


@pytest.mark.django_db
def test_a_date_missing_its_month_links_to_and_highlights_only_the_month(client):
    page = Page(client.post("/patterns/", {**VALID, "date_received_month": ""}).content.decode())
    assert ("#id_date_received_month", "Date received must include a month") in page.summary_links
    assert "govuk-input--error" in page.classes["id_date_received_month"]
    assert "govuk-input--error" not in page.classes["id_date_received_day"]
    assert "govuk-input--error" not in page.classes["id_date_received_year"]


@pytest.mark.django_db
def test_what_was_typed_is_shown_again_after_an_error(client):
    html = client.post("/patterns/", {**VALID, "date_received_month": "", "full_name": "Sam <b>"}).content.decode()
    assert 'value="Sam &lt;b&gt;"' in html
    assert 'id="id_date_received_day" name="date_received_day" type="text" value="1"' in html
    assert 'value="not a real one"' not in html  # never a password


@pytest.mark.django_db
def test_a_valid_form_redirects_and_says_so_in_a_success_banner(client):
    response = client.post("/patterns/", VALID, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/patterns/", 302)]
    assert "govuk-notification-banner--success" in html
    assert "The form was valid: nothing was saved" in html
    assert not Page(html).title.startswith("Error")


@pytest.mark.django_db
def test_page_has_errors_prefixes_the_title_when_there_is_no_form(rf):
    from django.template.loader import render_to_string

    html = render_to_string("base.html", {"page_has_errors": True, "council_name": "Testshire"})
    assert Page(html).title == "Error: Heard – Testshire"


# ---------------------------------------------------------------------------------------------
# The adapter itself
# ---------------------------------------------------------------------------------------------

TODAY = datetime.date(2026, 3, 27)


class DateForm(GovukFormMixin, forms.Form):
    date_received = GovukDateField(label="Date received", must_be_past=True, today=lambda: TODAY)


def date_errors(day: str, month: str, year: str) -> list[str]:
    form = DateForm({"date_received_day": day, "date_received_month": month, "date_received_year": year})
    assert not form.is_valid()
    return form.errors["date_received"]


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter date received"),
        ("1", "", "2026", "Date received must include a month"),
        ("", "3", "2026", "Date received must include a day"),
        ("1", "3", "", "Date received must include a year"),
        ("1", "", "", "Date received must include a month and year"),
        ("31", "2", "2026", "Date received must be a real date"),
        ("1", "13", "2026", "Date received must be a real date"),
        ("x", "3", "2026", "Date received must be a real date"),
        ("1", "3", "26", "Date received year must include 4 numbers"),
        ("28", "3", "2026", "Date received must be today or in the past"),
    ],
)
def test_date_field_messages_follow_gov_uk(day, month, year, message):
    assert date_errors(day, month, year) == [message]


def test_date_field_answers_absurd_numbers_with_a_message_not_a_crash():
    assert date_errors("1" * 20, "3", "2026") == ["Date received must be a real date"]
    assert date_errors("1", "9" * 5000, "2026") == ["Date received must be a real date"]
    assert date_errors("1", "3", "20265") == ["Date received year must include 4 numbers"]


def test_date_field_with_a_question_for_a_label_names_the_date_in_its_messages():
    class Form(GovukFormMixin, forms.Form):
        when = GovukDateField(label="When did it happen?", error_name="The date it happened")
        other = GovukDateField(label="When did you complain?")

    form = Form({"when_day": "1", "when_year": "2026", "other_day": "1", "other_year": "2026"})
    assert form.errors == {
        "when": ["The date it happened must include a month"],
        "other": ["The date must include a month"],
    }


def test_date_field_accepts_today_and_a_real_past_date():
    for day in ("27", "01"):
        form = DateForm({"date_received_day": day, "date_received_month": "3", "date_received_year": "2026"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["date_received"] == datetime.date(2026, 3, 1)


def test_date_field_must_be_future():
    class FutureForm(forms.Form):
        review_on = GovukDateField(label="Review date", must_be_future=True, today=lambda: TODAY)

    form = FutureForm({"review_on_day": "1", "review_on_month": "1", "review_on_year": "2026"})
    assert form.errors["review_on"] == ["Review date must be today or in the future"]


def test_summary_links_a_real_date_error_on_a_bad_month_to_the_month_box():
    form = DateForm({"date_received_day": "1", "date_received_month": "13", "date_received_year": "2026"})
    form.is_valid()
    assert anchor_id(form["date_received"]) == "id_date_received_month"


def test_mixin_replaces_djangos_messages_unless_the_author_wrote_one():
    class Form(GovukFormMixin, forms.Form):
        reference = forms.CharField(label="Case reference", max_length=12)
        email = forms.EmailField(label="Email address")
        children = forms.IntegerField(label="Number of children", min_value=1)
        team = forms.ChoiceField(label="Team", choices=[("a", "A")])
        reason = forms.CharField(label="Reason", error_messages={"required": "Enter why the case is closed"})

    form = Form({"reference": "x" * 13, "email": "nope", "children": "0", "team": "zzz"})
    assert not form.is_valid()
    assert form.errors == {
        "reference": ["Case reference must be 12 characters or less"],
        "email": ["Enter an email address in the correct format, like name@example.com"],
        "children": ["Number of children must be 1 or more"],
        "team": ["Select team"],
        "reason": ["Enter why the case is closed"],
    }
    # The class's fields are untouched: another form instance starts from the same messages.
    assert "max_length" not in Form.base_fields["reference"].error_messages


def test_non_field_errors_come_first_and_are_not_linked():
    class Form(GovukFormMixin, forms.Form):
        name = forms.CharField(label="Name")

        def clean(self):
            raise forms.ValidationError("This case changed while you were editing it")

    form = Form({})
    form.is_valid()
    assert error_summary_items(form) == [
        {"text": "This case changed while you were editing it"},
        {"text": "Enter name", "href": "#id_name"},
    ]


def test_form_renders_every_field_with_str():
    class Form(GovukFormMixin, forms.Form):
        name = forms.CharField(label="Name")
        token = forms.CharField(widget=forms.HiddenInput)

    html = str(Form())
    assert 'class="govuk-input"' in html and 'type="hidden"' in html


# ---------------------------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------------------------


def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} never got focus after {limit} presses of Tab")


def focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pattern_library_in_a_desktop_browser(live_server, page):
    page.goto(f"{live_server.url}/patterns/")

    # The stylesheet and the JavaScript loaded: the header is the council's teal, the font is
    # the system stack, and initAll() ran (the password input grew its Show button).
    header = page.locator(".govuk-header")
    assert header.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(16, 97, 101)"
    font = page.locator("h1").evaluate("e => getComputedStyle(e).fontFamily")
    assert "GDS Transport" not in font and "arial" in font
    assert page.locator(".govuk-password-input__toggle").is_visible()
    assert page.locator(".govuk-header__logotype, .govuk-logo, svg[aria-label='GOV.UK']").count() == 0
    assert_accessible(page)
    screenshot(page, "patterns-desktop")

    # Submit it empty by keyboard alone: Tab to the button, press Enter.
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Error: Pattern library")
    assert focused(page) == "govuk-error-summary", "the error summary should take focus"
    assert_accessible(page)
    screenshot(page, "patterns-errors-desktop", full_page=False)

    # The summary's links take you to the field: the first to the name, the date to its day box.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert focused(page) == "id_full_name"
    page.locator(".govuk-error-summary a[href='#id_date_received_day']").click()
    assert focused(page) == "id_date_received_day"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pattern_library_on_a_phone(live_server, phone_page):
    phone_page.goto(f"{live_server.url}/patterns/")
    # Nothing wider than the screen (WCAG 1.4.10 reflow).
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(phone_page)
    screenshot(phone_page, "patterns-phone")

    phone_page.goto(f"{live_server.url}/patterns/?errors")
    assert phone_page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert_accessible(phone_page)
    screenshot(phone_page, "patterns-errors-phone", full_page=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_pattern_library_works_without_javascript(live_server, no_js_page):
    page = no_js_page
    page.goto(f"{live_server.url}/patterns/")
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
    page.fill("#id_full_name", VALID["full_name"])
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.title().startswith("Error: ")
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#id_full_name") == "Sam Smith"
    assert_accessible(page)
    screenshot(page, "patterns-errors-no-js", full_page=False)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_valid_submission_shows_a_success_banner(live_server, page):
    page.goto(f"{live_server.url}/patterns/")
    page.fill("#id_full_name", VALID["full_name"])
    page.fill("#id_child_age", VALID["child_age"])
    page.fill("#id_date_received_day", "1")
    page.fill("#id_date_received_month", "4")
    page.fill("#id_date_received_year", "2025")
    page.check("#id_contact_method")
    page.select_option("#id_service", "early-help")
    page.check("#id_topics")
    page.fill("#id_details", VALID["details"])
    page.fill("#id_password", VALID["password"])
    page.check("#id_confirm")
    with page.expect_navigation():
        page.click("button[type=submit]")

    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible()
    assert "The form was valid" in banner.inner_text()
    assert focused(page) == "govuk-notification-banner govuk-notification-banner--success"
    assert_accessible(page)
    screenshot(page, "patterns-success", full_page=False)


@pytest.mark.browser
@pytest.mark.parametrize("fixture", ["page", "no_js_page"])
def test_assert_accessible_fails_listing_each_violation(request, fixture):
    # The bar is only worth something if it can fail: a page with an unlabelled input and an image
    # without alt text must fail, naming both rules and where they are.
    page = request.getfixturevalue(fixture)
    html = (
        '<html lang="en"><head><title>t</title></head><body><main><h1>T</h1>'
        '<input id="nameless"><img src="data:," id="pic"></main></body></html>'
    )
    page.route("http://heard.test/", lambda route: route.fulfill(status=200, content_type="text/html", body=html))
    page.goto("http://heard.test/")
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(page)
    message = str(failure.value)
    assert "label (critical)" in message and "#nameless" in message
    assert "image-alt (critical)" in message and "#pic" in message
