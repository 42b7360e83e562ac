"""Delivering the outbox: `heard send-outbox` (once, from cron, or as a long-running worker).

Claiming. On PostgreSQL a sender claims due emails with SELECT ... FOR UPDATE SKIP LOCKED and marks them
"sending" in the same short transaction, so two senders running at once never take the same email. On
SQLite (one writer at a time) the claim is an atomic conditional UPDATE ... SET status='sending' WHERE
status='pending': only one sender's update matches the row.

At most once. SMTP has no idempotency key: if a sender stops after the server accepted a message but
before it was marked sent, resending would deliver it twice, and there is no way to ask the server. Heard
chooses at most once: an email left "sending" for longer than the lease (HEARD_OUTBOX_LEASE_SECONDS) is
not resent but marked failed with "delivery unknown", and an "email_failed" event puts it on the case for
a person to check and, if needed, send again (`retry_email`). Failures the transport reports (refused,
timed out, dropped connection) are retried with exponential backoff, because the server did not accept
the message. GOV.UK Notify is treated the same way (its `reference` is for our records, not deduplication).

Never personal data in logs or in `last_error`: the error's class and SMTP code only, never its text
(SMTP errors often quote the recipient's address).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from heard.outbox.models import Email

log = logging.getLogger("heard.outbox")
Status = Email.Status


class TransportError(Exception):
    """Delivery failed; `code` is safe to store (no personal data)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


# ------------------------------------------------------------------------------------------ transports


class ConsoleTransport:
    """The default: prints each email to standard output (development and demos)."""

    def __init__(self, stream=None):
        import sys

        self.stream = stream or sys.stdout

    def send(self, email: Email) -> None:
        self.stream.write(f"To: {email.to}\nSubject: {email.subject}\n\n{email.body}\n{'-' * 72}\n")
        self.stream.flush()


class SmtpTransport:
    """Django's SMTP backend with the EMAIL_* settings; one connection per batch."""

    def __init__(self):
        from django.core.mail import get_connection

        self.connection = get_connection("django.core.mail.backends.smtp.EmailBackend", fail_silently=False)

    def send(self, email: Email) -> None:
        from django.core.mail import EmailMessage

        message = EmailMessage(
            subject=email.subject,
            body=email.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[email.to],
            headers={"X-Heard-Id": email.idempotency_key[:60]},
            connection=self.connection,
        )
        try:
            sent = message.send()
        except smtplib.SMTPResponseException as exc:
            self._reset()
            raise TransportError(f"{type(exc).__name__} {exc.smtp_code}") from None
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            self._reset()
            raise TransportError(type(exc).__name__) from None
        if sent != 1:
            raise TransportError("not accepted")

    def _reset(self) -> None:
        # After an error the connection may be half-open: start a fresh one for the next email.
        with contextlib.suppress(Exception):  # closing a broken connection may itself fail
            self.connection.close()
        self.connection.connection = None

    def close(self) -> None:
        self.connection.close()


class NotifyTransport:
    """GOV.UK Notify: one email template with ((subject)) and ((body)) personalisation."""

    def __init__(self, client=None):
        if client is None:
            from notifications_python_client.notifications import NotificationsAPIClient

            client = NotificationsAPIClient(settings.NOTIFY_API_KEY)
        self.client = client

    def send(self, email: Email) -> None:
        try:
            self.client.send_email_notification(
                email_address=email.to,
                template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
                personalisation={"subject": email.subject, "body": email.body},
                reference=email.idempotency_key,
            )
        except Exception as exc:  # the client raises HTTPError, requests errors and others
            status = getattr(exc, "status_code", "")
            raise TransportError(f"{type(exc).__name__} {status}".strip()) from None


def make_transport(name: str | None = None):
    name = name or settings.HEARD_EMAIL_TRANSPORT
    if name == "console":
        return ConsoleTransport()
    if name == "smtp":
        return SmtpTransport()
    if name == "notify":
        return NotifyTransport()
    raise ValueError(f"HEARD_EMAIL_TRANSPORT must be console, smtp or notify, not {name!r}")


# ---------------------------------------------------------------------------------------------- sending


@dataclass
class Result:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    abandoned: int = 0
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"sent {self.sent}, to retry {self.retrying}, failed {self.failed}, delivery unknown {self.abandoned}"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... times the base delay: a mail server that is down gets time to come back."""
    return timedelta(seconds=settings.HEARD_OUTBOX_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def claim(*, now: datetime, limit: int = 50) -> list[Email]:
    """Take up to `limit` due emails for this sender; no other sender can take them."""
    if connection.vendor == "postgresql":
        with transaction.atomic():
            ids = list(
                Email.objects.select_for_update(skip_locked=True)
                .filter(status=Status.PENDING, next_attempt_at__lte=now)
                .order_by("next_attempt_at", "id")
                .values_list("id", flat=True)[:limit]
            )
            Email.objects.filter(id__in=ids).update(status=Status.SENDING, claimed_at=now)
    else:
        ids = []
        candidates = (
            Email.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        for pk in list(candidates):
            # The conditional update is the claim: only one sender's UPDATE matches a pending row.
            if Email.objects.filter(pk=pk, status=Status.PENDING).update(status=Status.SENDING, claimed_at=now):
                ids.append(pk)
    return list(Email.objects.filter(id__in=ids).order_by("next_attempt_at", "id"))


def _failed_event(email: Email, summary: str) -> None:
    if email.feedback_id is None:
        return
    from heard.feedback.services import _event

    _event(
        email.feedback,
        None,
        "email_failed",
        summary[:300],
        data={"email": email.pk, "template": email.template, "error": email.last_error},
    )


def mark_sent(email: Email, *, now: datetime) -> None:
    Email.objects.filter(pk=email.pk, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now, attempts=email.attempts + 1, last_error=""
    )


@transaction.atomic
def mark_failed_attempt(email: Email, code: str, *, now: datetime) -> str:
    attempts = email.attempts + 1
    if attempts >= settings.HEARD_OUTBOX_MAX_ATTEMPTS:
        Email.objects.filter(pk=email.pk).update(status=Status.FAILED, attempts=attempts, last_error=code[:300])
        email.attempts, email.last_error, email.status = attempts, code[:300], Status.FAILED
        _failed_event(
            email,
            f"Email not delivered after {attempts} attempts ({email.template or 'email'}): "
            f"{code}. Check the address, then send it again.",
        )
        return Status.FAILED
    Email.objects.filter(pk=email.pk).update(
        status=Status.PENDING,
        attempts=attempts,
        last_error=code[:300],
        next_attempt_at=now + backoff(attempts),
        claimed_at=None,
    )
    return Status.PENDING


@transaction.atomic
def abandon_stale_claims(*, now: datetime) -> int:
    """Emails a sender claimed but never finished (it stopped mid-send): at most once, so report, don't
    resend (see the module docstring)."""
    cutoff = now - timedelta(seconds=settings.HEARD_OUTBOX_LEASE_SECONDS)
    stale = list(Email.objects.select_for_update().filter(status=Status.SENDING, claimed_at__lt=cutoff))
    for email in stale:
        email.status, email.last_error = Status.FAILED, "delivery unknown: the sender stopped mid-send"
        email.save(update_fields=["status", "last_error"])
        _failed_event(
            email,
            f"Email may not have been delivered ({email.template or 'email'}): the sender "
            "stopped while sending it. Check with the person before sending it again.",
        )
    return len(stale)


def send_due(*, now: datetime | None = None, transport=None, limit: int = 50) -> Result:
    """Send every due email, in batches, until none is due. Safe to run in several processes at once."""
    transport = transport or make_transport()
    result = Result()
    now = now or timezone.now()
    result.abandoned = abandon_stale_claims(now=now)
    try:
        while True:
            batch = claim(now=now, limit=limit)
            if not batch:
                break
            for email in batch:
                try:
                    transport.send(email)
                except TransportError as exc:
                    outcome = mark_failed_attempt(email, exc.code, now=now)
                    result.errors.append(exc.code)
                    if outcome == Status.FAILED:
                        result.failed += 1
                    else:
                        result.retrying += 1
                    log.warning("email %s attempt %s failed: %s", email.pk, email.attempts + 1, exc.code)
                else:
                    mark_sent(email, now=now)
                    result.sent += 1
                    log.info("email %s sent (%s)", email.pk, email.template or "email")
    finally:
        close = getattr(transport, "close", None)
        if close is not None:
            close()
    return result


@transaction.atomic
def retry_email(*, actor, email: Email, now: datetime | None = None) -> Email:
    """A person checked a failed email and asks for it to be sent again."""
    from heard.feedback.services import RuleViolation, _event

    email = Email.objects.select_for_update().get(pk=email.pk)
    if email.status != Status.FAILED:
        raise RuleViolation("Only a failed email can be sent again.", rule="an email is sent once")
    email.status, email.attempts, email.next_attempt_at, email.claimed_at = (
        Status.PENDING,
        0,
        now or timezone.now(),
        None,
    )
    email.save(update_fields=["status", "attempts", "next_attempt_at", "claimed_at"])
    if email.feedback_id:
        _event(
            email.feedback,
            actor,
            "email_requeued",
            f"Email queued to send again ({email.template or 'email'})",
            data={"email": email.pk},
        )
    return email
