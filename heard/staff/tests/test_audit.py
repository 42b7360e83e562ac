"""Audit: every read and every change of a case, per case and per user, on screen and as CSV."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.urls import reverse

from heard.feedback import services as s
from heard.staff.decorators import record_access
from heard.staff.models import AccessRecord

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 10, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def case(people, social_care):
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 9),
        service=social_care,
        today=date(2026, 3, 9),
    )
    s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 10), today=date(2026, 3, 10))
    record_access(people["sam"], AccessRecord.Action.VIEWED, fb, "case")
    return fb


def test_the_case_audit_merges_reads_and_changes(client, people, case):
    client.force_login(people["mo"])
    html = client.get(reverse("staff:audit_case", args=[case.reference])).content.decode()
    assert "Sam Singh" in html and "Viewed the case" in html
    assert "Stage 1 acknowledged" in html and "Alice Adams" in html


def test_the_case_audit_is_exported_as_csv_and_the_export_is_recorded(client, people, case):
    client.force_login(people["mo"])
    response = client.get(reverse("staff:audit_case_csv", args=[case.reference]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert body.splitlines()[0] == "When,Who,Read or change,What,Case,Detail"
    assert "Stage 1 acknowledged" in body and "Sam Singh" in body
    assert AccessRecord.objects.filter(user=people["mo"], action="exported", feedback=case).exists()


def test_a_users_audit_shows_what_they_read_and_changed(client, people, case):
    client.force_login(people["mo"])
    html = client.get(reverse("staff:audit_user", args=[people["alice"].pk])).content.decode()
    assert "Stage 1 acknowledged" in html and case.reference in html
    body = client.get(reverse("staff:audit_user_csv", args=[people["sam"].pk])).content.decode()
    assert "Viewed the case" in body
    assert AccessRecord.objects.filter(user=people["mo"], action="exported").exists()


def test_the_audit_index_finds_a_case_or_a_user(client, people, case):
    client.force_login(people["mo"])
    response = client.get(reverse("staff:audit"), {"reference": case.reference})
    assert response.url == reverse("staff:audit_case", args=[case.reference])
    response = client.get(reverse("staff:audit"), {"person": people["sam"].pk})
    assert response.url == reverse("staff:audit_user", args=[people["sam"].pk])
    html = client.get(reverse("staff:audit"), {"reference": "CS-1999-99999"}).content.decode()
    assert "There is no case with that reference" in html


def test_the_audit_is_the_complaints_managers_alone(client, people, case):
    for name in ("alice", "sam", "dina", "ada", "charlie"):
        client.force_login(people[name])
        assert client.get(reverse("staff:audit_case", args=[case.reference])).status_code == 403, name
        assert client.get(reverse("staff:audit_case_csv", args=[case.reference])).status_code == 403, name
