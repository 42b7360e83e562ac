"""The access audit: every view of a case and every document download, by whom and when. Changes are in
the case's Event log; this records reading, which the Event log does not."""

from django.conf import settings
from django.db import models


class AccessRecord(models.Model):
    class Action(models.TextChoices):
        VIEWED = "viewed", "Viewed the case"
        DOWNLOADED = "downloaded", "Downloaded a document"
        EXPORTED = "exported", "Exported data"
        SEARCHED = "searched", "Searched"
        DENIED = "denied", "Was refused access"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    feedback = models.ForeignKey(
        "feedback.Feedback", null=True, blank=True, on_delete=models.PROTECT, related_name="access_records"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.CharField(
        max_length=200, blank=True, help_text="e.g. the page or document name; never personal data."
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["feedback", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.action} {self.feedback or ''}".strip()
