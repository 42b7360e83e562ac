from datetime import datetime

from django.db import transaction
from django.utils import timezone

from heard.outbox.models import Email


def enqueue_email(
    *,
    to: str,
    subject: str,
    body: str,
    idempotency_key: str,
    template: str = "",
    feedback=None,
    now: datetime | None = None,
) -> Email:
    """Queue an email inside the caller's transaction. Queuing the same key twice returns the first."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue_email must run inside the transaction of the change that causes it.")
    email, _ = Email.objects.get_or_create(
        idempotency_key=idempotency_key,
        defaults={
            "to": to,
            "subject": subject,
            "body": body,
            "template": template,
            "feedback": feedback,
            "next_attempt_at": now or timezone.now(),
        },
    )
    return email
