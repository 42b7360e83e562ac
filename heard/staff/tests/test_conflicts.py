"""Two people editing the same case: the second gets a clear message and nothing is overwritten
(optimistic locking on the version each form was shown with)."""

from datetime import date
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from heard.feedback.models import Event, Feedback, LessonLearnt, OmbudsmanCase
from heard.staff.tests.test_case_page import log_complaint

pytestmark = pytest.mark.django_db
CONFLICT = "changed while you were editing. Nothing was saved"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-11-02 10:00:00+00:00", tick=False)


def d(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def form_version(client, fb, action):
    html = client.get(reverse(f"staff:{action}", args=[fb.reference])).content.decode()
    start = html.index('name="version" value="') + len('name="version" value="')
    return int(html[start : html.index('"', start)])


def test_the_second_of_two_people_allocating_gets_the_conflict_message(people, social_care):
    fb = log_complaint(people, social_care)
    alice, mo = signed_in(people["alice"]), signed_in(people["mo"])
    url = reverse("staff:allocate", args=[fb.reference])
    # Both open the form on the same version of the case.
    alice_version, mo_version = form_version(alice, fb, "allocate"), form_version(mo, fb, "allocate")
    assert alice_version == mo_version == fb.version
    assert alice.post(url, {"version": alice_version, "assignee": people["sam"].pk}).status_code == 302
    events = Event.objects.count()

    response = mo.post(url, {"version": mo_version, "assignee": people["erin"].pk})
    html = unescape(response.content.decode())
    assert response.status_code == 409
    assert f"Case {fb.reference} {CONFLICT}" in html
    assert "See the latest version of" in html
    fb.refresh_from_db()
    assert fb.assignee == people["sam"] and Event.objects.count() == events  # nothing overwritten


def test_a_stale_form_changes_nothing_whatever_the_action(people, social_care):
    fb = log_complaint(people, social_care)
    alice, mo = signed_in(people["alice"]), signed_in(people["mo"])
    stale = form_version(mo, fb, "acknowledge")
    alice.post(reverse("staff:add_point", args=[fb.reference]), {"version": stale, "summary": "Calls not returned"})
    response = mo.post(
        reverse("staff:acknowledge", args=[fb.reference]), {"version": stale, **d("on", date(2026, 3, 3))}
    )
    assert response.status_code == 409 and CONFLICT in unescape(response.content.decode())
    assert Feedback.objects.get(pk=fb.pk).acknowledged_on is None


@pytest.mark.parametrize(
    "action,data,unchanged",
    [
        # Services that take no expected_version are guarded by a locked version check before they run.
        ("ombudsman_refer", {**d("referred_on", date(2026, 8, 1))}, lambda fb: not OmbudsmanCase.objects.exists()),
        (
            "lesson",
            {"action": "Cover rota", **d("due_on", date(2026, 12, 1))},
            lambda fb: not LessonLearnt.objects.exists(),
        ),
        (
            "interim_update",
            {**d("on", date(2026, 3, 9)), "message": "Later"},
            lambda fb: not Event.objects.filter(action="interim_update_sent").exists(),
        ),
    ],
)
def test_actions_whose_service_has_no_version_check_are_guarded_too(people, social_care, action, data, unchanged):
    fb = log_complaint(people, social_care)
    alice, mo = signed_in(people["alice"]), signed_in(people["mo"])
    stale = form_version(mo, fb, action)
    alice.post(reverse("staff:allocate", args=[fb.reference]), {"version": stale, "assignee": people["sam"].pk})
    if action == "lesson":
        data = {**data, "owner": people["sam"].pk}
    response = mo.post(reverse(f"staff:{action}", args=[fb.reference]), {"version": stale, **data})
    assert response.status_code == 409, unescape(response.content.decode())[:2000]
    assert unchanged(fb)


def test_a_fresh_form_after_the_conflict_goes_through(people, social_care):
    fb = log_complaint(people, social_care)
    alice, mo = signed_in(people["alice"]), signed_in(people["mo"])
    stale = form_version(mo, fb, "allocate")
    alice.post(reverse("staff:allocate", args=[fb.reference]), {"version": stale, "assignee": people["sam"].pk})
    fresh = form_version(mo, fb, "allocate")
    assert fresh == stale + 1
    response = mo.post(
        reverse("staff:allocate", args=[fb.reference]), {"version": fresh, "assignee": people["erin"].pk}
    )
    assert response.status_code == 302
    assert Feedback.objects.get(pk=fb.pk).assignee == people["erin"]
