"""Configuration in the admin: for the administrator; a new non-working day moves open deadlines; no cases."""

from datetime import date

import pytest
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Deadline, Event
from heard.organisation.models import NonWorkingDay, Service

pytestmark = pytest.mark.django_db


def test_the_administrator_gets_the_admin_and_others_do_not(client, people):
    for name, ok in (("ada", True), ("mo", False), ("alice", False), ("charlie", False), ("dina", False)):
        client.force_login(people[name])
        response = client.get(reverse("admin:index"))
        assert (response.status_code == 200) is ok, name


def test_view_site_in_the_admin_leads_somewhere_the_administrator_may_go(client, people):
    client.force_login(people["ada"])
    html = client.get(reverse("admin:index")).content.decode()
    assert 'href="/"' in html and "View site" in html
    assert client.get("/").status_code == 200


def test_the_administrator_configures_services_teams_themes_settings_and_users(client, people):
    client.force_login(people["ada"])
    for model in (
        "organisation_service",
        "organisation_theme",
        "organisation_proceduresetting",
        "organisation_nonworkingday",
        "accounts_user",
    ):
        assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:{model}_add")).status_code == 200, model
    response = client.post(
        reverse("admin:organisation_service_add"),
        {
            "name": "Youth Justice",
            "active": "on",
            "teams-TOTAL_FORMS": "1",
            "teams-INITIAL_FORMS": "0",
            "teams-0-name": "Court Team",
            "teams-0-active": "on",
        },
    )
    assert response.status_code == 302
    assert Service.objects.get(name="Youth Justice").teams.get().name == "Court Team"


def test_the_administrator_sets_roles_but_cannot_make_a_superuser(client, people, social_care):
    client.force_login(people["ada"])
    user = people["charlie"]
    client.post(
        reverse("admin:accounts_user_change", args=[user.pk]),
        {
            "username": "charlie",
            "first_name": "Charlie",
            "last_name": "Cole",
            "email": "c@example.gov.uk",
            "role": "service_manager",
            "service": social_care.pk,
            "relationship_to_council": "officer",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    user.refresh_from_db()
    assert user.role == "service_manager" and user.service == social_care
    assert not user.is_superuser and not user.is_staff


def test_adding_a_bank_holiday_in_the_admin_moves_the_open_deadlines(client, people, social_care):
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2027, 6, 1),
        service=social_care,
        today=date(2027, 6, 1),
    )
    before = Deadline.objects.get(feedback=fb, step="stage1_response").due_on
    client.force_login(people["ada"])
    response = client.post(
        reverse("admin:organisation_nonworkingday_add"),
        {"date": "2027-06-04", "name": "Jubilee", "kind": "bank_holiday"},
    )
    assert response.status_code == 302
    after = Deadline.objects.get(feedback=fb, step="stage1_response").due_on
    assert (before, after) == (date(2027, 6, 15), date(2027, 6, 16))
    assert Event.objects.filter(action="calendar_changed", actor=people["ada"]).exists()
    assert NonWorkingDay.objects.count() == 1


def test_a_day_that_is_already_not_working_is_refused_with_the_reason(client, people):
    client.force_login(people["ada"])
    html = client.post(
        reverse("admin:organisation_nonworkingday_add"), {"date": "2026-12-25", "name": "Christmas", "kind": "closure"}
    ).content.decode()
    assert "already not a working day" in html and NonWorkingDay.objects.count() == 0


def test_the_administrator_sees_no_case_in_the_admin(client, people, social_care):
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        today=date(2026, 3, 2),
    )
    client.force_login(people["ada"])
    assert client.get(reverse("admin:feedback_feedback_changelist")).status_code == 403
    assert client.get(reverse("admin:feedback_feedback_change", args=[fb.pk])).status_code == 403
