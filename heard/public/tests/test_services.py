"""Submitting, following and escalating online, and the protections around them."""

import io
import re
import threading
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from heard.feedback import services as fs
from heard.feedback.models import Feedback
from heard.feedback.services import FindingInput, PersonDetails
from heard.organisation.models import ProcedureSetting
from heard.outbox.models import Email
from heard.public import services
from heard.public.models import FollowUpToken, RateLimitCounter
from heard.public.tests.conftest import adult_complaint_answers, send, walk
from heard.public.uploads import MAX_BYTES, UploadRejected, check_and_store

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _submission(service, **kw):
    return services.OnlineSubmission(
        kind="complaint", service=service, summary="Visits cancelled", name="Jo Bloggs", email="jo@example.com", **kw
    )


# --------------------------------------------------------------------------------------- the outbox


class FailingTransport:
    def send(self, email):
        from heard.outbox.sending import TransportError

        raise TransportError("SMTPServerDisconnected")


def test_a_submission_survives_when_sending_its_email_fails(social_care):
    from heard.outbox.sending import send_due

    fb = services.submit_online(submission=_submission(social_care), idempotency_key="k" * 32, today=date(2026, 3, 2))
    result = send_due(now=NOW, transport=FailingTransport())
    assert result.sent == 0
    email = Email.objects.get(feedback=fb)
    assert email.status == Email.Status.PENDING and email.attempts == 1  # kept, to be retried
    assert Feedback.objects.filter(pk=fb.pk, channel="online").exists()


def test_the_acknowledgement_is_delivered_once_to_a_real_smtp_server(social_care, settings):
    from aiosmtpd.controller import Controller

    from heard.outbox.sending import SmtpTransport, send_due

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        fb = services.submit_online(
            submission=_submission(social_care), idempotency_key="s" * 32, today=date(2026, 3, 2)
        )
        assert send_due(now=NOW, transport=SmtpTransport()).sent == 1
        assert send_due(now=NOW + timedelta(hours=1), transport=SmtpTransport()).sent == 0  # never twice
    finally:
        controller.stop()
    assert len(received) == 1 and received[0].rcpt_tos == ["jo@example.com"]
    body = received[0].content.decode()
    assert fb.reference in body and "Monday 16 March 2026" in body


# ---------------------------------------------------------------------------------- idempotency


def test_the_same_key_twice_makes_one_record_and_one_email(social_care):
    a = services.submit_online(submission=_submission(social_care), idempotency_key="a" * 32, today=date(2026, 3, 2))
    b = services.submit_online(submission=_submission(social_care), idempotency_key="a" * 32, today=date(2026, 3, 2))
    assert a.pk == b.pk and Feedback.objects.count() == 1 and Email.objects.count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submissions_with_one_key_make_one_record(social_care):
    if connection.vendor != "postgresql":
        pytest.skip("needs real concurrent transactions (PostgreSQL)")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def go():
        from django.db import connections

        try:
            barrier.wait()
            fb = services.submit_online(
                submission=_submission(social_care), idempotency_key="c" * 32, today=date(2026, 3, 2)
            )
            results.append(fb.pk)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(set(results)) == 1
    assert Feedback.objects.count() == 1 and Email.objects.count() == 1


# ------------------------------------------------------------------------------------ rate limit


def test_submissions_from_one_address_are_limited_per_hour_with_a_govuk_429_page(client, council, settings):
    settings.HEARD_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    walk(client, "complaint", adult_complaint_answers(council))
    first, _ = send(client, "complaint")
    assert first.status_code == 302
    walk(
        client,
        "comment",
        {"service": {"service": "not_sure"}, "message": {"summary_text": "An idea"}, "reply": {"want_reply": "no"}},
    )
    second, _ = send(client, "comment")
    assert second.status_code == 429
    html = second.content.decode()
    assert "Please try again later" in html and "Nothing you typed has been lost" in html
    assert Feedback.objects.count() == 1
    counter = RateLimitCounter.objects.get(action="submit")
    assert "127.0.0.1" not in counter.client and len(counter.client) == 64  # a keyed hash, never the address


def test_the_rate_limit_can_be_turned_off_for_the_bench_only(settings):
    settings.HEARD_PUBLIC_SUBMISSIONS_PER_HOUR = 1
    settings.HEARD_BENCH_NO_RATE_LIMIT = True
    assert all(services.allow(action="submit", ip="10.0.0.1", now=NOW) for _ in range(5))
    assert RateLimitCounter.objects.count() == 0


def test_counters_older_than_a_day_are_forgotten(settings):
    services.allow(action="submit", ip="10.0.0.1", now=NOW - timedelta(days=2))
    services.allow(action="submit", ip="10.0.0.1", now=NOW)
    assert RateLimitCounter.objects.count() == 1


# ---------------------------------------------------------------------------------------- uploads


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "stored_as"),
    [
        ("a.pdf", b"%PDF-1.7\n...", "application/pdf", "a.pdf"),
        # The same rule as staff uploads (heard.feedback.documents): the name's extension is the content's.
        ("photo.jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 20, "image/jpeg", "photo.jpg"),
        ("x.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "x.docx"),
        ("notes.txt", "Café notes, ünïcode\n".encode(), "text/plain; charset=utf-8", "notes.txt"),
    ],
)
def test_uploads_are_recognised_by_their_content(name, content, content_type, stored_as):
    stored = check_and_store(SimpleUploadedFile(name, content))
    assert stored.content_type == content_type and stored.filename == stored_as


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),  # a Windows program named .pdf
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 100),  # a zip that is not a Word document
        ("page.html.png", b"\x00\x01<html><script>alert(1)</script>"),
    ],
)
def test_uploads_are_refused_by_content_whatever_their_name(name, content):
    with pytest.raises(UploadRejected, match="must be a PDF, JPG, PNG, Word document"):
        check_and_store(SimpleUploadedFile(name, content))


def test_uploads_over_10mb_empty_or_more_than_5_are_refused():
    with pytest.raises(UploadRejected, match="smaller than 10MB"):
        check_and_store(SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * MAX_BYTES))
    with pytest.raises(UploadRejected, match="empty"):
        check_and_store(SimpleUploadedFile("empty.pdf", b""))
    with pytest.raises(UploadRejected, match="up to 5 files"):
        check_and_store(SimpleUploadedFile("a.pdf", b"%PDF-1"), already=5)


def test_a_refused_upload_is_explained_next_to_the_file_field(client, council):
    walk(client, "complaint", adult_complaint_answers(council))  # reaches the documents page first
    r = client.post("/complaint/documents", {"document": SimpleUploadedFile("x.pdf", b"MZ\x90"), "action": "upload"})
    html = r.content.decode()
    assert r.status_code == 200 and 'href="#id_document"' in html and "govuk-file-upload--error" in html


# ------------------------------------------------------------------------------------- following


def _responded_complaint(people, social_care, *, responded=date(2026, 3, 10)):
    fb = fs.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="online",
        received_on=date(2026, 3, 2),
        service=social_care,
        summary="Visits",
        points=["Visits were cancelled"],
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        complainant_role="parent_or_carer",
        today=date(2026, 3, 2),
    )
    fs.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 3), today=date(2026, 3, 3))
    fs.respond(
        actor=people["sam"], feedback=fb, on=responded, findings={1: FindingInput("not_upheld")}, today=responded
    )
    fb.refresh_from_db()
    return fb


def _link_token(email: Email) -> str:
    return re.search(r"/follow-up/link/([A-Za-z0-9_-]+)", email.body).group(1)


def test_the_follow_up_link_goes_only_to_the_email_on_record_and_is_stored_as_a_hash(client, people, social_care):
    fb = _responded_complaint(people, social_care)
    r = client.post("/follow-up", {"reference": fb.reference.lower(), "email": "JO@example.com"})
    assert r["Location"] == "/follow-up/check-your-email"
    email = Email.objects.get(template="follow_up_link")
    token = _link_token(email)
    assert email.to == "jo@example.com"
    assert token not in client.get("/follow-up/check-your-email").content.decode()  # never on screen
    row = FollowUpToken.objects.get()
    assert row.token_hash != token and len(row.token_hash) == 64


def test_a_wrong_email_gets_the_same_page_and_no_link(client, people, social_care):
    fb = _responded_complaint(people, social_care)
    r = client.post("/follow-up", {"reference": fb.reference, "email": "someone@else.com"})
    assert r["Location"] == "/follow-up/check-your-email"
    assert not Email.objects.filter(template="follow_up_link").exists()


def test_a_follow_up_link_works_once_and_expires_after_7_days(people, social_care):
    fb = _responded_complaint(people, social_care)
    assert services.send_follow_up_link(reference=fb.reference, email="jo@example.com", now=NOW)
    token = _link_token(Email.objects.get(template="follow_up_link"))
    assert services.redeem_follow_up_link(token=token, now=NOW + timedelta(days=7, seconds=1)) is None
    FollowUpToken.objects.update(used_at=None)
    assert services.redeem_follow_up_link(token=token, now=NOW + timedelta(hours=1)).pk == fb.pk
    assert services.redeem_follow_up_link(token=token, now=NOW + timedelta(hours=2)) is None


def test_opening_the_link_does_not_use_it_up_until_the_person_continues(client, people, social_care):
    fb = _responded_complaint(people, social_care)
    services.send_follow_up_link(reference=fb.reference, email="jo@example.com")
    token = _link_token(Email.objects.get(template="follow_up_link"))
    assert client.get(f"/follow-up/link/{token}").status_code == 200  # an email scanner's visit
    assert FollowUpToken.objects.get().used_at is None
    assert client.post(f"/follow-up/link/{token}")["Location"] == "/follow-up/your-case"
    assert client.post(f"/follow-up/link/{token}").status_code == 410


def test_a_person_sees_the_status_and_asks_for_stage_2_without_typing_their_details_again(client, people, social_care):
    fb = _responded_complaint(people, social_care)
    with time_machine.travel("2026-03-12 12:00:00+00:00", tick=False):  # two days after the reply
        services.send_follow_up_link(reference=fb.reference, email="jo@example.com")
        client.post(f"/follow-up/link/{_link_token(Email.objects.get(template='follow_up_link'))}")
        page = client.get("/follow-up/your-case").content.decode()
        # Responded Tue 10 Mar 2026 (day 0) + 20 working days, skipping Good Friday 3 Apr and Easter Monday 6 Apr.
        assert "We replied on Tuesday 10 March 2026" in page and "by Thursday 9 April 2026" in page
        form = client.get("/follow-up/your-case/next-stage").content.decode()
        assert 'name="reason"' in form and 'name="email"' not in form and 'name="name"' not in form
        r = client.post("/follow-up/your-case/next-stage", {"reason": ""})
        assert "Enter why you are still unhappy" in r.content.decode()
        r = client.post("/follow-up/your-case/next-stage", {"reason": "The visits are still being cancelled."})
        assert r["Location"] == "/follow-up/your-case"
        fb.refresh_from_db()
        assert fb.stage == 2 and fb.stages.get(number=2).request_reason == "The visits are still being cancelled."
        assert fb.events.filter(action="escalated", actor__isnull=True).exists()


def test_after_the_window_the_next_stage_cannot_be_asked_online(people, social_care):
    fb = _responded_complaint(people, social_care)
    late = services.progress(fb, today=date(2026, 4, 13))
    assert late.can_ask_for_stage is None and "has passed" in late.detail
    with pytest.raises(fs.RuleViolation):
        services.ask_for_next_stage(feedback=fb, reason="Still unhappy", today=date(2026, 4, 13))
    assert fb.stages.count() == 1


def test_a_received_complaint_shows_the_reply_date_in_plain_words(people, social_care):
    fb = services.submit_online(submission=_submission(social_care), idempotency_key="p" * 32, today=date(2026, 3, 2))
    p = services.progress(fb, today=date(2026, 3, 3))
    assert p.headline == "We have received your complaint" and "Monday 16 March 2026" in p.detail


# ------------------------------------------------------------------------------------ start page


def test_the_start_page_timescales_come_from_the_rules_in_force(client, db):
    html = client.get("/").content.decode()
    for sentence in [
        "within 3 working days",
        "replies within 10 working",
        "up to 20 working days",
        "within 20 working days of our",
        "25 working days",
        "never more than 65",
        "meets within 30 working days",
        "at least 10 working days",
        "within 5 working days of meeting",
        "within 15 working days of the panel",
    ]:
        assert sentence in html, sentence
    ProcedureSetting.objects.create(
        procedure="statutory",
        step="acknowledge",
        working_days=2,
        effective_from=date(2026, 1, 1),
        citation="Council policy 2026",
    )
    assert "We will tell you we have your complaint within 2 working days." in client.get("/").content.decode()


def test_the_start_page_explains_what_is_handled_elsewhere_and_how_to_get_an_advocate(client, db):
    html = client.get("/").content.decode()
    for words in ["school", "court", "child protection conference", "advocate", "another language"]:
        assert words in html


def test_page_queries_stay_constant_as_records_grow(client, council, django_assert_max_num_queries, people):
    for i in range(30):
        services.submit_online(
            submission=_submission(council["Children's Social Care"]),
            idempotency_key=f"{i:032d}",
            today=date(2026, 3, 2),
        )
    with django_assert_max_num_queries(6):
        client.get("/")
    walk(client, "complaint", adult_complaint_answers(council))
    with django_assert_max_num_queries(12):
        client.get("/complaint/check-your-answers")
