"""The outbox under failure, against a real SMTP server on loopback: retries with backoff and no loss,
failures visible on the case, never sent twice (also with two senders at once, on PostgreSQL)."""

from __future__ import annotations

import io
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from heard.feedback import services as fs
from heard.feedback.models import Event
from heard.outbox import sending
from heard.outbox.models import Email
from heard.outbox.services import enqueue_email
from heard.outbox.tests.conftest import free_port

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def queue(n=1, *, feedback=None, to="jo@example.com", now=T0) -> list[Email]:
    with transaction.atomic():
        return [
            enqueue_email(
                to=to,
                subject=f"Your complaint – reference CS-2026-{i:05d}",
                body="Hello",
                idempotency_key=f"test:{i}",
                template="test",
                feedback=feedback,
                now=now,
            )
            for i in range(n)
        ]


@pytest.fixture
def case(db, people, social_care):
    return fs.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        today=date(2026, 3, 2),
    )


@pytest.mark.django_db
def test_a_failing_smtp_server_is_retried_with_backoff_and_the_email_delivered_exactly_once(smtp_server):
    smtp_server.fail_first = 2
    (email,) = queue()
    result = sending.send_due(now=T0)
    assert (result.sent, result.retrying) == (0, 1)
    email.refresh_from_db()
    assert email.status == "pending" and email.attempts == 1 and email.last_error == "SMTPDataError 451"
    assert email.next_attempt_at == T0 + timedelta(seconds=60)
    # Not due yet: nothing is tried before the backoff has passed.
    assert sending.send_due(now=T0 + timedelta(seconds=59)).retrying == 0 and smtp_server.attempts == 1
    sending.send_due(now=T0 + timedelta(seconds=60))
    email.refresh_from_db()
    assert email.attempts == 2 and email.next_attempt_at == T0 + timedelta(seconds=60 + 120)  # doubled
    assert sending.send_due(now=T0 + timedelta(seconds=180)).sent == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.sent_at == T0 + timedelta(seconds=180) and email.last_error == ""
    assert smtp_server.ids() == ["test:0"]
    # Running again sends nothing more.
    assert sending.send_due(now=T0 + timedelta(days=1)).sent == 0 and len(smtp_server.delivered) == 1


@pytest.mark.django_db
def test_after_the_last_attempt_the_failure_is_visible_on_the_case_without_personal_data(smtp_server, case):
    smtp_server.fail_first, smtp_server.fail_reply = 99, "550 5.1.1 <jo@example.com>: no such mailbox"
    (email,) = queue(feedback=case)
    now = T0
    for _ in range(4):
        sending.send_due(now=now)
        now += timedelta(days=1)
    email.refresh_from_db()
    assert email.status == "failed" and email.attempts == 4
    assert email.last_error == "SMTPDataError 550" and "jo@" not in email.last_error
    event = Event.objects.get(feedback=case, action="email_failed")
    assert "after 4 attempts" in event.summary and "jo@" not in event.summary + str(event.data)
    assert smtp_server.delivered == []
    # A person checks the address and sends it again.
    smtp_server.fail_first = 0
    sending.retry_email(actor=None, email=email, now=now)
    assert sending.send_due(now=now).sent == 1 and smtp_server.ids() == ["test:0"]


@pytest.mark.django_db
def test_a_mail_server_that_is_down_loses_nothing(settings):
    settings.HEARD_EMAIL_TRANSPORT, settings.EMAIL_HOST, settings.EMAIL_PORT = "smtp", "127.0.0.1", free_port()
    settings.EMAIL_TIMEOUT = 2
    queue(3)
    result = sending.send_due(now=T0)
    assert result.retrying == 3 and result.errors == ["ConnectionRefusedError"] * 3
    assert set(Email.objects.values_list("status", flat=True)) == {"pending"}


@pytest.mark.django_db
def test_an_email_a_sender_stopped_sending_is_reported_not_sent_again(smtp_server, case, settings):
    # At most once: the server may already have it, and SMTP cannot tell us. A person decides.
    (email,) = queue(feedback=case)
    Email.objects.filter(pk=email.pk).update(status="sending", claimed_at=T0)
    assert sending.send_due(now=T0 + timedelta(seconds=settings.HEARD_OUTBOX_LEASE_SECONDS - 1)).abandoned == 0
    result = sending.send_due(now=T0 + timedelta(seconds=settings.HEARD_OUTBOX_LEASE_SECONDS + 1))
    assert result.abandoned == 1 and result.sent == 0 and smtp_server.delivered == []
    email.refresh_from_db()
    assert email.status == "failed" and email.last_error.startswith("delivery unknown")
    assert Event.objects.filter(feedback=case, action="email_failed").exists()


@pytest.mark.django_db
def test_an_email_queued_in_a_change_that_rolled_back_is_never_sent(smtp_server):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        raise RuntimeError("the change failed")
    assert sending.send_due(now=T0).sent == 0 and not Email.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_enqueueing_outside_the_changes_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        enqueue_email(to="a@example.com", subject="s", body="b", idempotency_key="k")


@pytest.mark.django_db
def test_the_same_cause_queues_one_email():
    queue()
    queue()
    assert Email.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres_only
def test_two_senders_at_once_deliver_each_email_exactly_once(smtp_server):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent transactions: run with DATABASE_URL=postgres://...")
    queue(40)
    barrier = threading.Barrier(2)
    results = []

    def sender():
        try:
            barrier.wait()
            results.append(sending.send_due(now=T0, limit=5))
        finally:
            connections.close_all()  # each thread had its own connection

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = smtp_server.ids()
    assert sorted(ids) == sorted(f"test:{i}" for i in range(40)) and len(ids) == len(set(ids)) == 40
    assert sum(r.sent for r in results) == 40
    assert all(r.sent > 0 for r in results), "both senders took part"
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_claiming_takes_each_email_once_even_when_asked_twice():
    queue(3)
    first = sending.claim(now=T0)
    second = sending.claim(now=T0)
    assert len(first) == 3 and second == []


class FakeNotify:
    def __init__(self, fail=None):
        self.calls, self.fail = [], fail

    def send_email_notification(self, **kwargs):
        if self.fail:
            raise self.fail
        self.calls.append(kwargs)
        return {"id": "x"}


@pytest.mark.django_db
def test_gov_uk_notify_gets_the_template_id_and_the_subject_and_body(settings):
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
    (email,) = queue()
    client = FakeNotify()
    assert sending.send_due(now=T0, transport=sending.NotifyTransport(client)).sent == 1
    assert client.calls == [
        {
            "email_address": "jo@example.com",
            "template_id": settings.NOTIFY_EMAIL_TEMPLATE_ID,
            "personalisation": {"subject": email.subject, "body": "Hello"},
            "reference": "test:0",
        }
    ]


@pytest.mark.django_db
def test_a_notify_error_is_retried_with_its_status_code_only():
    class HTTPError(Exception):
        status_code = 503

    queue()
    result = sending.send_due(now=T0, transport=sending.NotifyTransport(FakeNotify(fail=HTTPError("jo@example.com"))))
    assert result.retrying == 1 and Email.objects.get().last_error == "HTTPError 503"


@pytest.mark.django_db
def test_send_outbox_command_delivers_through_the_console_by_default(settings, capsys):
    settings.HEARD_EMAIL_TRANSPORT = "console"
    queue(2, now=datetime(2020, 1, 1, tzinfo=UTC))
    out = io.StringIO()
    call_command("send_outbox", "--once", stdout=out)
    assert "sent 2" in out.getvalue()
    assert capsys.readouterr().out.count("Subject: Your complaint") == 2
    assert set(Email.objects.values_list("status", flat=True)) == {"sent"}


def test_an_unknown_transport_is_refused(settings):
    with pytest.raises(ValueError, match="console, smtp or notify"):
        sending.make_transport("pigeon")
