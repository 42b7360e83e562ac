"""What the public side stores besides the case record: one-time follow-up links and the counters that
slow down floods. Neither holds personal data: a link is kept only as a hash, a client only as a keyed
hash of its address."""

from django.db import models


class FollowUpToken(models.Model):
    """A one-time link, sent to the email address on record, that lets its holder see the case.

    Only the SHA-256 of the token is stored: a copy of the database does not open anyone's case."""

    feedback = models.ForeignKey("feedback.Feedback", on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["feedback", "created_at"])]

    def __str__(self) -> str:  # never the token or its hash
        return f"follow-up link #{self.pk}"


class RateLimitCounter(models.Model):
    """How many times one client did one thing in one window (e.g. submissions in an hour).

    `client` is an HMAC of the IP address keyed with SECRET_KEY: counted, never stored raw."""

    action = models.CharField(max_length=30)
    client = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "client", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.action} x{self.count} from {self.window_start:%Y-%m-%d %H:00}"
