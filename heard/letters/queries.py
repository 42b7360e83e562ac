"""Reads for the letters pages: a constant number of queries however many letters a case has."""

from __future__ import annotations

from django.db.models import QuerySet

from heard.accounts.models import User
from heard.feedback.models import Feedback
from heard.letters.models import Letter
from heard.outbox.models import Email
from heard.staff.access import visible_feedback


def letters_of(feedback: Feedback) -> QuerySet[Letter]:
    return Letter.objects.filter(feedback=feedback).select_related("drafted_by", "approved_by", "last_edited_by")


def emails_of(feedback: Feedback) -> QuerySet[Email]:
    return Email.objects.filter(feedback=feedback).order_by("-created_at", "-id")


def letters_for_approval(user: User) -> QuerySet[Letter]:
    """Letters waiting for approval on the cases this user can see, that they did not draft or last edit."""
    return (
        Letter.objects.filter(status=Letter.Status.AWAITING_APPROVAL, feedback__in=visible_feedback(user).values("pk"))
        .exclude(drafted_by=user)
        .exclude(last_edited_by=user)
        .select_related("feedback", "drafted_by")
        .order_by("created_at", "id")
    )
