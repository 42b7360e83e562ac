"""Outgoing email, written in the same transaction as the change that causes it and delivered
afterwards by `heard send-outbox`, so a failing mail server never loses a submission."""

from django.db import models
from django.db.models import Q


class Email(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed: gave up after retries"

    feedback = models.ForeignKey(
        "feedback.Feedback", null=True, blank=True, on_delete=models.PROTECT, related_name="emails"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    template = models.CharField(max_length=60, blank=True, help_text="Which message this is, for logs.")
    # Never sent twice: the same cause queues the same key once.
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # When a sender claimed it (status "sending"): a claim older than the lease means a sender stopped
    # mid-send, and the email is then reported, not resent (heard/outbox/sending.py: at most once).
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="email_due", condition=Q(status="pending")),
            models.Index(fields=["claimed_at"], name="email_claimed", condition=Q(status="sending")),
        ]

    def __str__(self) -> str:
        return f"{self.template or 'email'} #{self.pk} ({self.status})"
