"""Letters written from the record, the templates they start from, and the reminders Heard has sent.

No business logic here: every change goes through heard.letters.services (letters, templates) or
heard.letters.reminders (reminders)."""

from django.conf import settings
from django.db import models


class LetterKind(models.TextChoices):
    ACKNOWLEDGEMENT = "acknowledgement", "Acknowledgement"
    STATEMENT_OF_COMPLAINT = "statement_of_complaint", "Please agree the statement of complaint"
    INTERIM_UPDATE = "interim_update", "Interim update: a new date and why"
    STAGE1_RESPONSE = "stage1_response", "Stage 1 response"
    STAGE2_ACKNOWLEDGEMENT = "stage2_acknowledgement", "Stage 2 acknowledgement"
    STAGE2_RESPONSE = "stage2_response", "Stage 2 response and adjudication"
    PANEL_INVITATION = "panel_invitation", "Review panel invitation"
    DIRECTOR_RESPONSE = "director_response", "The director's response to the review panel"
    OMBUDSMAN_RIGHTS = "ombudsman_rights", "Your right to go to the Ombudsman"
    THANKS = "thanks", "Thank you for your compliment or comment"
    ENQUIRY_REPLY = "enquiry_reply", "Reply to an MP or councillor"
    NOT_CONSIDERED = "not_considered", "Decision not to consider a complaint"
    BEHAVIOUR_WARNING = "behaviour_warning", "Unreasonable behaviour: warning"
    RESTRICTION = "restriction", "Unreasonable behaviour: restriction of contact"


class LetterTemplate(models.Model):
    """The wording a letter starts from. Administrators edit it; `{placeholders}` are filled from the
    record and the rule book (heard.letters.placeholders), so no date or right is typed by hand."""

    kind = models.CharField(max_length=40, choices=LetterKind.choices, unique=True)
    title = models.CharField(max_length=200, help_text="The letter's heading, e.g. 'Your complaint'.")
    body = models.TextField()
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kind"]

    def __str__(self) -> str:
        return self.get_kind_display()


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        AWAITING_APPROVAL = "awaiting_approval", "Waiting for approval"
        APPROVED = "approved", "Approved: ready to post"
        SENT = "sent", "Sent"

    feedback = models.ForeignKey("feedback.Feedback", on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(max_length=40, choices=LetterKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="The letter's wording, placeholders already filled in.")
    large_print = models.BooleanField(default=False)
    recipient_name = models.CharField(max_length=200, blank=True)
    recipient_address = models.TextField(blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drafted_on = models.DateField()
    last_edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    letter_date = models.DateField(null=True, blank=True, help_text="The date printed on the letter.")
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.CharField(max_length=10, blank=True, help_text="email or post")
    pdf = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    docx = models.FileField(upload_to="letters/%Y/%m/", blank=True)
    # Optimistic locking: a stale edit form gets "this letter changed while you were editing".
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["feedback", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.AWAITING_APPROVAL)


class Reminder(models.Model):
    """One reminder or notice Heard sent. `key` makes `heard remind` idempotent: the same reminder about
    the same thing for the same due date (or the same digest for the same day) is sent once."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due in 2 working days"
        MISSED = "missed", "Deadline missed"
        MOVED = "moved", "Deadline moved"
        OMBUDSMAN_DUE_SOON = "ombudsman_due_soon", "Ombudsman enquiry due soon"
        OMBUDSMAN_MISSED = "ombudsman_missed", "Ombudsman enquiry deadline missed"
        PANEL_SOON = "panel_soon", "Review panel meets soon"
        DIGEST = "digest", "Daily digest"

    key = models.CharField(max_length=160, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    feedback = models.ForeignKey(
        "feedback.Feedback", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    deadline = models.ForeignKey(
        "feedback.Deadline", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    enquiry = models.ForeignKey(
        "feedback.OmbudsmanEnquiry", null=True, blank=True, on_delete=models.CASCADE, related_name="reminders"
    )
    due_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField()
    email = models.ForeignKey("outbox.Email", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_on", "-id"]
        indexes = [models.Index(fields=["sent_on", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.sent_on}"


class WatchedDeadline(models.Model):
    """The due date of each open deadline as Heard last told its assignee (or first saw it), so that
    `heard remind` notices a deadline that moved however the calendar changed (admin, CLI or import)."""

    deadline = models.OneToOneField("feedback.Deadline", on_delete=models.CASCADE, related_name="watch")
    known_due_on = models.DateField()
    seen_on = models.DateField()

    def __str__(self) -> str:
        return f"deadline {self.deadline_id} last seen due {self.known_due_on}"
