"""Helpers to walk the public journeys with Django's test client, as a person would: page by page."""

from datetime import date

import pytest
import time_machine

from heard.organisation.models import Team

TODAY = date(2026, 3, 2)  # Monday 2 March 2026: no bank holidays in the next fortnight


@pytest.fixture(autouse=True)
def _frozen_time():
    # Time is frozen: "today" in every public page is Monday 2 March 2026, midday in London.
    with time_machine.travel("2026-03-02 12:00:00+00:00", tick=False):
        yield


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def council(services, duty_team):
    Team.objects.create(service=services["Children's Social Care"], name="Fostering")
    return services


def adult_complaint_answers(council, **overrides):
    """The answers of each page of the adult complaint journey, in order."""
    social_care = council["Children's Social Care"]
    team = Team.objects.get(name="Duty and Assessment")
    pages = {
        "service": {"service": str(social_care.pk)},
        "team": {"team": str(team.pk)},
        "what-happened": {"summary_text": "My son's visits with his dad keep being cancelled."},
        "when": {"matter_date_day": "10", "matter_date_month": "2", "matter_date_year": "2026"},
        "outcome": {"desired_outcome": "Visits as agreed, and an apology."},
        "who": {"complainant_role": "parent_or_carer"},
        "someone-else": {"for_someone_else": "yes"},
        "their-name": {"child_name": "Sam Child"},
        "agreement": {"child_consent": "given"},
        "contact": {"preferred_contact": "email"},
        "your-details": {"name": "Jo Bloggs", "email": "jo@example.com"},
        "advocate": {"advocacy": "yes"},
        "adjustments": {"adjustments": "Large print letters, please"},
    }
    pages.update(overrides)
    return pages


def walk(client, journey, pages, *, start_slug=None, files=None):
    """Answer each page it is sent to until "Check your answers"; returns the check page response."""
    url = f"/{journey}/{start_slug or next(iter(pages))}"
    for _ in range(30):
        if url.endswith("check-your-answers"):
            return client.get(url)
        slug = url.rstrip("/").rsplit("/", 1)[-1].split("?")[0]
        page = client.get(url)
        assert page.status_code == 200, (url, page.status_code)
        if slug == "documents":
            for f in files or []:
                r = client.post(url, {"document": f, "action": "upload"})
                assert r.status_code == 302, r.content.decode()[:2000]
            r = client.post(url, {"action": "continue"})
        else:
            assert slug in pages, f"unexpected page {slug}"
            r = client.post(url, pages[slug])
        assert r.status_code == 302, (url, r.content.decode()[:3000])
        url = r["Location"]
    raise AssertionError("the journey did not reach Check your answers")


def send(client, journey):
    page = client.get(f"/{journey}/check-your-answers")
    key = page.context["key"]
    return client.post(f"/{journey}/check-your-answers", {"key": key}), key
