"""`heard remind`: reminders before a deadline is missed, and when it is, run daily from cron.

Missed deadlines are the Ombudsman's most common finding against councils. Each day:
- the person a case is assigned to hears 2 working days before each council deadline (and on any day in
  between, if a run was missed) and again once it is missed;
- the same for the Ombudsman's enquiry deadlines, and before a review panel meets;
- when a deadline moved (a bank holiday or closure day was added, a suspension ended, an extension) the
  assignee is told the old and the new date. Heard compares each open deadline with the due date it last
  saw (WatchedDeadline), so this works however the day was added: the admin, the CLI or an import;
- each complaints manager gets one digest of what is due, overdue and moved, on each working day.

Idempotent: each reminder has a key (what, which record, which due date or day) stored with a unique
constraint, and its email is queued in the same transaction, so running twice sends nothing new and two
runs at once cannot both send. Cases with no assignee go to the complaints managers, so nothing is missed.
Emails name the case by reference only: no personal data about the complainant or the child.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q

from heard.accounts.models import User
from heard.feedback import clock
from heard.feedback.models import Deadline, Feedback, OmbudsmanEnquiry, ReviewPanel
from heard.letters.models import Reminder, WatchedDeadline
from heard.letters.placeholders import long_date
from heard.organisation.models import NonWorkingDay
from heard.outbox.services import enqueue_email

K = Reminder.Kind
OPEN_STATUSES = [Feedback.Status.RECEIVED, Feedback.Status.OPEN, Feedback.Status.RESPONDED]
WARN_WORKING_DAYS = 2
PANEL_LOOKAHEAD_WORKING_DAYS = 10


@dataclass
class Line:
    reference: str
    what: str
    due_on: date
    assignee: str
    note: str = ""

    def text(self) -> str:
        note = f" ({self.note})" if self.note else ""
        return f"- {self.reference}: {self.what}, {long_date(self.due_on)}; {self.assignee}{note}"


@dataclass
class RemindResult:
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    watched: int = 0
    # Keys already sent, read in a few queries up front so a daily run costs the same however many
    # deadlines are overdue (the unique key still guards against a concurrent run).
    known: set[str] = field(default_factory=set)

    def __str__(self) -> str:
        parts = [f"{K(k).label.lower()}: {n}" for k, n in sorted(self.sent.items())]
        return "Reminders sent: " + (", ".join(parts) if parts else "none new")


def _managers() -> list[User]:
    return list(User.objects.filter(role=User.Role.COMPLAINTS_MANAGER, is_active=True).exclude(email=""))


def _case_url(reference: str) -> str:
    return f"{settings.HEARD_BASE_URL.rstrip('/')}/staff/cases/{reference}/"


def _send(
    result: RemindResult,
    *,
    key: str,
    kind: str,
    recipient: User,
    today: date,
    subject: str,
    body: str,
    feedback_id: int | None = None,
    deadline_id: int | None = None,
    enquiry_id: int | None = None,
    due_on: date | None = None,
) -> bool:
    """Record the reminder and queue its email together; False if it was already sent."""
    if key in result.known:
        return False
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                key=key,
                kind=kind,
                recipient=recipient,
                feedback_id=feedback_id,
                deadline_id=deadline_id,
                enquiry_id=enquiry_id,
                due_on=due_on,
                sent_on=today,
            )
            reminder.email = enqueue_email(
                to=recipient.email,
                subject=subject,
                body=f"Dear {recipient.first_name or recipient}\n\n{body}\n\n"
                f"This is an automatic reminder from Heard ({settings.HEARD_COUNCIL_NAME}).\n",
                idempotency_key=f"reminder:{key}",
                template=f"reminder:{kind}",
                feedback=Feedback(pk=feedback_id) if feedback_id else None,
            )
            reminder.save(update_fields=["email"])
    except IntegrityError:
        return False  # another run sent it at the same moment
    result.sent[kind] += 1
    result.known.add(key)
    return True


def _preload_sent(result: RemindResult, deadline_ids: list[int], today: date) -> None:
    for start in range(0, len(deadline_ids), 2000):
        chunk = deadline_ids[start : start + 2000]
        result.known.update(Reminder.objects.filter(deadline_id__in=chunk).values_list("key", flat=True))
    # Open Ombudsman enquiries are few; panel and digest reminders are recent (a panel is reminded at most
    # 2 working days ahead and only until it meets; a digest is keyed by its day).
    recent = date.fromordinal(today.toordinal() - 30)
    result.known.update(
        Reminder.objects.filter(
            Q(enquiry__isnull=False, enquiry__answered_on__isnull=True)
            | Q(deadline__isnull=True, enquiry__isnull=True, sent_on__gte=recent)
        ).values_list("key", flat=True)
    )


def _recipients(assignee: User | None, managers: list[User]) -> list[User]:
    if assignee is not None and assignee.is_active and assignee.email:
        return [assignee]
    return managers


@transaction.atomic
def _watch(
    result: RemindResult, rows: list, today: date, managers: list[User], titles, calendar, moved_lines: list[Line]
) -> None:
    """Notice deadlines whose due date changed since Heard last saw them, and tell their assignees."""
    ids = [r.pk for r in rows]
    known: dict[int, WatchedDeadline] = {}
    for start in range(0, len(ids), 2000):  # chunks keep each query within SQLite's variable limit
        chunk = ids[start : start + 2000]
        known.update((w.deadline_id, w) for w in WatchedDeadline.objects.filter(deadline_id__in=chunk))
    new = [WatchedDeadline(deadline_id=r.pk, known_due_on=r.due_on, seen_on=today) for r in rows if r.pk not in known]
    WatchedDeadline.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    result.watched = len(new)
    changed = []
    for d in rows:
        watch = known.get(d.pk)
        if watch is None or watch.known_due_on == d.due_on:
            continue
        fb = d.feedback
        why = _why_moved(d, watch.known_due_on, calendar)
        what = titles(fb, d.step)
        moved_lines.append(
            Line(
                fb.reference, what, d.due_on, str(fb.assignee or "not assigned"), f"was {long_date(watch.known_due_on)}"
            )
        )
        for person in _recipients(fb.assignee, managers):
            _send(
                result,
                key=f"moved:{d.pk}:{watch.known_due_on}:{d.due_on}:{person.pk}",
                kind=K.MOVED,
                recipient=person,
                today=today,
                feedback_id=fb.pk,
                deadline_id=d.pk,
                due_on=d.due_on,
                subject=f"Deadline moved: {fb.reference} {what.lower()}",
                body=f"The deadline to {what.lower()} on case {fb.reference} has moved.\n\n"
                f"It was {long_date(watch.known_due_on)}. It is now {long_date(d.due_on)}.\n\n"
                f"Why: {why}\n\n{_case_url(fb.reference)}",
            )
        watch.known_due_on, watch.seen_on = d.due_on, today
        changed.append(watch)
    WatchedDeadline.objects.bulk_update(changed, ["known_due_on", "seen_on"], batch_size=2000)


def _why_moved(deadline: Deadline, before: date, calendar) -> str:
    low, high = min(before, deadline.due_on), max(before, deadline.due_on)
    added = list(NonWorkingDay.objects.filter(date__gte=deadline.starts_on, date__lte=high).order_by("date"))
    extension = deadline.extensions.order_by("-id").first()
    if extension is not None and extension.new_due_on == deadline.due_on and deadline.due_on > before:
        return f"it was extended to {extension.to_working_days} working days ({extension.reason})."
    if added:
        days = "; ".join(f"{d.date:%a %d %b %Y} ({d.name}, {d.get_kind_display().lower()})" for d in added)
        return f"the council's calendar changed. Days that are not working days: {days}."
    if deadline.paused_days:
        return f"the case was suspended for {deadline.paused_days} working days; the clock restarted."
    return f"the working calendar changed between {long_date(low)} and {long_date(high)}."


def run_reminders(*, today: date) -> RemindResult:
    result = RemindResult()
    calendar = clock.working_calendar()
    book = clock.rulebook()
    managers = _managers()

    def titles(fb: Feedback, step: str) -> str:
        try:
            return book.get(fb.procedure).in_force_on(fb.received_on).step(step).title
        except Exception:  # a step no longer in the book still gets a readable name
            return step.replace("_", " ").capitalize()

    rows = list(
        Deadline.objects.filter(
            clock.OPEN_COUNCIL_DEADLINE, paused_since__isnull=True, feedback__status__in=OPEN_STATUSES
        )
        .select_related("feedback", "feedback__assignee")
        .order_by("due_on", "id")
    )
    due_lines: list[Line] = []
    overdue_lines: list[Line] = []
    moved_lines: list[Line] = []
    _preload_sent(result, [d.pk for d in rows], today)
    _watch(result, rows, today, managers, titles, calendar, moved_lines)

    for d in rows:
        fb = d.feedback
        what = titles(fb, d.step)
        assignee = str(fb.assignee or "not assigned")
        if d.due_on < today:
            overdue_lines.append(Line(fb.reference, what, d.due_on, assignee))
            kind, subject, body = (
                K.MISSED,
                f"Deadline missed: {fb.reference} {what.lower()}",
                f"The deadline to {what.lower()} on case {fb.reference} was {long_date(d.due_on)}. It has been "
                f"missed.\n\nPlease do it as soon as you can and tell the complainant the new date.\n\n"
                f"{_case_url(fb.reference)}",
            )
        elif calendar.working_days_between(today, d.due_on) <= WARN_WORKING_DAYS:
            due_lines.append(Line(fb.reference, what, d.due_on, assignee))
            kind, subject, body = (
                K.DUE_SOON,
                f"Due {long_date(d.due_on)}: {fb.reference} {what.lower()}",
                f"The deadline to {what.lower()} on case {fb.reference} is {long_date(d.due_on)}.\n\n"
                f"{_case_url(fb.reference)}",
            )
        else:
            continue
        for person in _recipients(fb.assignee, managers):
            _send(
                result,
                key=f"{kind}:{d.pk}:{d.due_on}:{person.pk}",
                kind=kind,
                recipient=person,
                today=today,
                subject=subject,
                body=body,
                feedback_id=fb.pk,
                deadline_id=d.pk,
                due_on=d.due_on,
            )

    # The Ombudsman's deadlines: the date the Ombudsman set, not a working-day rule of ours.
    enquiries = (
        OmbudsmanEnquiry.objects.filter(
            answered_on__isnull=True, due_on__lte=calendar.add_working_days(today, WARN_WORKING_DAYS)
        )
        .select_related("case__feedback__assignee")
        .order_by("due_on", "id")
    )
    for e in enquiries:
        fb = e.case.feedback
        what = f"Answer the Ombudsman ({e.get_kind_display().lower()})"
        line = Line(fb.reference, what, e.due_on, str(fb.assignee or "not assigned"))
        missed = e.due_on < today
        (overdue_lines if missed else due_lines).append(line)
        kind = K.OMBUDSMAN_MISSED if missed else K.OMBUDSMAN_DUE_SOON
        for person in _recipients(fb.assignee, managers):
            _send(
                result,
                key=f"{kind}:{e.pk}:{e.due_on}:{person.pk}",
                kind=kind,
                recipient=person,
                today=today,
                feedback_id=fb.pk,
                enquiry_id=e.pk,
                due_on=e.due_on,
                subject=f"Ombudsman deadline {'missed' if missed else long_date(e.due_on)}: {fb.reference}",
                body=f"The Ombudsman asked us to reply by {long_date(e.due_on)} on case {fb.reference} "
                f"({e.get_kind_display().lower()}). "
                + (
                    "That date has passed: reply now and tell the Ombudsman's investigator."
                    if missed
                    else "Please make sure the reply is sent by then."
                )
                + f"\n\n{_case_url(fb.reference)}",
            )

    panel_lines: list[Line] = []
    horizon = calendar.add_working_days(today, PANEL_LOOKAHEAD_WORKING_DAYS)
    for panel in (
        ReviewPanel.objects.filter(meeting_on__gte=today, meeting_on__lte=horizon, feedback__status__in=OPEN_STATUSES)
        .select_related("feedback__assignee")
        .order_by("meeting_on")
    ):
        fb = panel.feedback
        assert panel.meeting_on is not None
        panel_lines.append(
            Line(fb.reference, "Review panel meets", panel.meeting_on, str(fb.assignee or "not assigned"))
        )
        if calendar.working_days_between(today, panel.meeting_on) <= WARN_WORKING_DAYS:
            for person in _recipients(fb.assignee, managers):
                _send(
                    result,
                    key=f"{K.PANEL_SOON}:{panel.pk}:{panel.meeting_on}:{person.pk}",
                    kind=K.PANEL_SOON,
                    recipient=person,
                    today=today,
                    feedback_id=fb.pk,
                    due_on=panel.meeting_on,
                    subject=f"Review panel {long_date(panel.meeting_on)}: {fb.reference}",
                    body=f"The review panel for case {fb.reference} meets on {long_date(panel.meeting_on)}"
                    f"{' at ' + panel.venue if panel.venue else ''}. Check the papers have gone to the panel "
                    f"and the complainant.\n\n{_case_url(fb.reference)}",
                )

    sections = [
        ("Overdue", overdue_lines),
        (f"Due in the next {WARN_WORKING_DAYS} working days", due_lines),
        ("Deadlines that moved", moved_lines),
        (f"Review panels in the next {PANEL_LOOKAHEAD_WORKING_DAYS} working days", panel_lines),
    ]
    # A digest on working days only: on a Saturday or a bank holiday nobody reads it, and Monday's has it all.
    if calendar.is_working_day(today) and any(lines for _, lines in sections):
        body = f"What is due and overdue on {long_date(today)}.\n\n" + "\n\n".join(
            f"{title} ({len(lines)}):\n" + ("\n".join(line.text() for line in lines) if lines else "- none")
            for title, lines in sections
        )
        for manager in managers:
            _send(
                result,
                key=f"{K.DIGEST}:{manager.pk}:{today}",
                kind=K.DIGEST,
                recipient=manager,
                today=today,
                subject=f"Complaints due and overdue: {len(overdue_lines)} overdue, {len(due_lines)} due soon",
                body=body,
            )
    return result
