"""What the public can do: send feedback online, get a one-time link to follow it, and ask for the next
stage. Same style as heard.feedback.services: keyword-only, one transaction, an Event for each change,
RuleViolation (naming the rule and the form field) before anything is written.

Everything a person sends is committed, with its acknowledgement email in the outbox, in ONE
transaction; the email is delivered afterwards by `heard send-outbox`, so a mail server that is down
never loses a submission and never blocks the person's confirmation page.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from heard.env import env_bool, env_int
from heard.feedback import clock
from heard.feedback import services as fs
from heard.feedback.models import Deadline, Document, Feedback, Person, Stage
from heard.feedback.services import PersonDetails, RuleViolation
from heard.organisation.models import Service, Team
from heard.outbox.services import enqueue_email
from heard.public.models import FollowUpToken, RateLimitCounter
from heard.public.uploads import StoredUpload

Kind = Feedback.Kind
Status = Feedback.Status

FOLLOW_UP_LINK_DAYS = 7


def format_date(d: date) -> str:
    """GOV.UK style for the public: 'Friday 13 March 2026'."""
    return f"{d:%A} {d.day} {d:%B %Y}"


# ------------------------------------------------------------------------------------------ limits
#
# Flood protection, per client address (an HMAC of it, never the address itself), per hour:
#   HEARD_PUBLIC_SUBMISSIONS_PER_HOUR (default 10): forms sent. A family, a foster home or a school
#     sharing one address can still send several; a script cannot send thousands.
#   HEARD_PUBLIC_FOLLOW_UP_LINKS_PER_HOUR (default 5): follow-up links asked for, which also stops
#     anyone guessing references against email addresses.
#   HEARD_BENCH_NO_RATE_LIMIT=1 turns both off. BENCH ONLY (bench/bench_public_submit.py sends
#     thousands of forms from one address); never set it in production.
# Each can be set in settings.py or the environment.


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, env_int(name, default)))


def rate_limits_enabled() -> bool:
    return not getattr(settings, "HEARD_BENCH_NO_RATE_LIMIT", env_bool("HEARD_BENCH_NO_RATE_LIMIT", False))


def client_key(ip: str) -> str:
    """A keyed hash of the client's address: enough to count, useless to identify anyone."""
    return hmac.new(settings.SECRET_KEY.encode(), f"rate:{ip}".encode(), hashlib.sha256).hexdigest()


def allow(*, action: str, ip: str, now: datetime | None = None) -> bool:
    """Count one attempt at `action` ("submit" or "follow_up_link") and say whether it is allowed."""
    if not rate_limits_enabled():
        return True
    limit = {
        "submit": _limit("HEARD_PUBLIC_SUBMISSIONS_PER_HOUR", 10),
        "follow_up_link": _limit("HEARD_PUBLIC_FOLLOW_UP_LINKS_PER_HOUR", 5),
    }[action]
    now = now or timezone.now()
    window = now.replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        counter, created = RateLimitCounter.objects.get_or_create(
            action=action, client=client_key(ip), window_start=window
        )
        if created:  # a new hour: forget counters more than a day old
            RateLimitCounter.objects.filter(window_start__lt=window - timedelta(days=1)).delete()
        # One conditional UPDATE, so two requests at once cannot both take the last place.
        return RateLimitCounter.objects.filter(pk=counter.pk, count__lt=limit).update(count=F("count") + 1) == 1


# ------------------------------------------------------------------------------------- submitting


@dataclass(frozen=True)
class OnlineSubmission:
    """What a person told us through the public journey, in the case record's terms."""

    kind: str
    service: Service
    team: Team | None = None
    summary: str = ""
    about: str = ""  # compliments: the team or person it is about
    desired_outcome: str = ""
    matter_date: date | None = None
    late_explanation: str = ""
    complainant_role: str = ""
    for_someone_else: bool = False
    child_name: str = ""
    child_consent: str = ""
    anonymous: bool = False
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    preferred_contact: str = Person.Contact.EMAIL
    advocacy_wanted: bool | None = None
    adjustments: str = ""
    is_young_person: bool = False
    uploads: Sequence[StoredUpload] = field(default_factory=tuple)


def default_service() -> Service | None:
    """Where feedback goes when the person is not sure which service: Customer Relations route it on.
    HEARD_PUBLIC_DEFAULT_SERVICE names it; otherwise children's social care, otherwise the first."""
    active = Service.objects.filter(active=True)
    name = getattr(settings, "HEARD_PUBLIC_DEFAULT_SERVICE", "")
    return (
        (active.filter(name=name).first() if name else None)
        or active.filter(name__icontains="social care").order_by("id").first()
        or active.order_by("name").first()
    )


@transaction.atomic
def _submit(submission: OnlineSubmission, idempotency_key: str, today: date) -> Feedback:
    s = submission
    complainant = None
    if not s.anonymous and (s.name.strip() or s.email.strip() or s.phone.strip()):
        complainant = PersonDetails(
            name=s.name.strip() or ("A young person" if s.is_young_person else "Name not given"),
            email=s.email.strip(),
            phone=s.phone.strip(),
            address=s.address.strip(),
            preferred_contact=s.preferred_contact,
            is_child=s.is_young_person,
        )
    child = (
        PersonDetails(name=s.child_name.strip(), is_child=True) if s.for_someone_else and s.child_name.strip() else None
    )
    summary = s.summary.strip()
    if s.about.strip():
        summary = f"About: {s.about.strip()}\n\n{summary}"
    feedback = fs.log_feedback(
        actor=None,
        kind=s.kind,
        channel=Feedback.Channel.ONLINE,
        received_on=today,
        service=s.service,
        team=s.team,
        summary=summary,
        desired_outcome=s.desired_outcome.strip(),
        complainant=complainant,
        complainant_role=s.complainant_role,
        child=child,
        child_consent=s.child_consent if s.for_someone_else else "",
        matter_date=s.matter_date,
        late_explanation=s.late_explanation.strip(),
        adjustments=s.adjustments.strip(),
        advocacy_wanted=s.advocacy_wanted,
        compliment_source=Feedback.ComplimentSource.EXTERNAL if s.kind == Kind.COMPLIMENT else "",
        idempotency_key=idempotency_key,
        today=today,
    )
    if s.kind == Kind.COMPLAINT and s.advocacy_wanted is not None:
        # s.26A Children Act 1989: the offer of an advocate is recorded; the journey made it on the page.
        feedback = fs.record_advocacy(actor=None, feedback=feedback, offered_on=today, wanted=s.advocacy_wanted)
    for up in s.uploads:
        doc = Document(
            feedback=feedback, kind="supporting", filename=up.filename, content_type=up.content_type, size=up.size
        )
        doc.file.name = up.path  # already stored under a random name when it was uploaded
        doc.save()
    if s.uploads:
        fs._event(feedback, None, "documents_attached", f"{len(s.uploads)} document(s) sent online")
    if complainant is not None and complainant.email:
        dates = expected_dates(feedback)
        enqueue_email(
            to=complainant.email,
            subject=f"We have received your {feedback.get_kind_display().lower()}: {feedback.reference}",
            body=acknowledgement_body(feedback, dates),
            idempotency_key=f"online-acknowledgement:{feedback.reference}",
            template="online_acknowledgement",
            feedback=feedback,
        )
    return feedback


def submit_online(*, submission: OnlineSubmission, idempotency_key: str, today: date | None = None) -> Feedback:
    """Record feedback sent online, attach its documents and queue its acknowledgement, all or nothing.

    The same idempotency key always gives the same record: a double click, a resent form or two
    requests racing each other make one case."""
    if not idempotency_key or len(idempotency_key) > 64:
        raise RuleViolation(
            "The form has expired. Start again.", rule="one record per submission", field="idempotency_key"
        )
    today = today or timezone.localdate()
    existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    try:
        return _submit(submission, idempotency_key, today)
    except IntegrityError:
        # Another request with the same key committed first (the unique key made this one wait, then fail).
        existing = Feedback.objects.filter(idempotency_key=idempotency_key).first()
        if existing is None:
            raise
        return existing


# ------------------------------------------------------------------------------ dates, in plain words


def _open_due(feedback: Feedback, *steps: str) -> date | None:
    for d in feedback.deadlines.all():
        if d.step in steps and not d.cancelled:
            return d.due_on
    return None


def expected_dates(feedback: Feedback) -> dict[str, date | None]:
    """The dates a person is told: when we confirm we have it, and when we reply (or pass it on)."""
    if feedback.is_complaint:
        return {
            "acknowledge_by": _open_due(feedback, "acknowledge", "stage1_acknowledge"),
            "reply_by": _open_due(feedback, "stage1_response"),
        }
    return {"acknowledge_by": None, "reply_by": _open_due(feedback, "pass_to_service", "enquiry_response")}


def acknowledgement_body(feedback: Feedback, dates: dict[str, date | None]) -> str:
    """No details of the matter in the email: only the reference and the dates."""
    council = settings.HEARD_COUNCIL_NAME
    kind = feedback.get_kind_display().lower()
    lines = [f"Thank you for your {kind}.", "", f"Your reference is {feedback.reference}.", ""]
    if feedback.is_complaint:
        if dates.get("reply_by"):
            lines.append(f"We will reply by {format_date(dates['reply_by'])}.")
        lines.append(
            "If we need more time because your complaint is complicated, we will write to tell you why "
            "and give you a new date."
        )
    elif dates.get("reply_by"):
        lines.append(f"We will pass it to the right team by {format_date(dates['reply_by'])}.")
    lines += [
        "",
        f"To see how it is going, go to {settings.HEARD_BASE_URL}/follow-up and enter your reference and this "
        "email address. We will send you a link.",
        "",
        f"If you need help, call {settings.HEARD_COUNCIL_PHONE} or email {settings.HEARD_COUNCIL_EMAIL}.",
        "",
        council,
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------- following


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def send_follow_up_link(*, reference: str, email: str, now: datetime | None = None) -> bool:
    """Email a one-time link to see the case, if the reference and email match our record.

    The caller shows the same page either way, so nobody learns whether a reference exists. The link
    goes only to the address on record and is never shown on screen. Returns whether one was queued."""
    now = now or timezone.now()
    reference, email = reference.strip().upper(), email.strip()
    if not reference or not email or len(reference) > 40 or len(email) > 254:
        return False
    feedback = (
        Feedback.objects.filter(reference=reference, complainant__email__iexact=email)
        .select_related("complainant")
        .first()
    )
    if feedback is None or feedback.complainant is None:
        return False
    token = secrets.token_urlsafe(32)
    FollowUpToken.objects.create(
        feedback=feedback, token_hash=_hash(token), created_at=now, expires_at=now + timedelta(days=FOLLOW_UP_LINK_DAYS)
    )
    enqueue_email(
        to=feedback.complainant.email,
        subject=f"Your link to see {feedback.reference}",
        body="\n".join(
            [
                f"Use this link to see how {feedback.reference} is going:",
                "",
                f"{settings.HEARD_BASE_URL}/follow-up/link/{token}",
                "",
                f"The link works once and stops working after {FOLLOW_UP_LINK_DAYS} days.",
                "If you did not ask for it, you can ignore this email.",
                "",
                settings.HEARD_COUNCIL_NAME,
            ]
        ),
        idempotency_key=f"follow-up-link:{_hash(token)[:40]}",
        template="follow_up_link",
        feedback=feedback,
        now=now,
    )
    fs._event(feedback, None, "follow_up_link_sent", "Follow-up link emailed to the complainant")
    return True


@transaction.atomic
def redeem_follow_up_link(*, token: str, now: datetime | None = None) -> Feedback | None:
    """Use a link once: the case it opens, or None if it is unknown, used or expired."""
    now = now or timezone.now()
    if not token or len(token) > 100:
        return None
    row = FollowUpToken.objects.select_for_update().filter(token_hash=_hash(token)).first()
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    row.used_at = now
    row.save(update_fields=["used_at"])
    return Feedback.objects.get(pk=row.feedback_id)


@dataclass(frozen=True)
class Progress:
    """Where a case is, for the person who sent it, in plain words."""

    headline: str
    detail: str
    next_date: date | None
    can_ask_for_stage: int | None  # the stage they may ask for online now, if any
    ask_by: date | None


STAGE_NAMES = {2: "an investigation (stage 2)", 3: "a review panel (stage 3)"}


def progress(feedback: Feedback, *, today: date) -> Progress:
    fb = feedback
    deadlines = list(Deadline.objects.filter(feedback=fb, cancelled=False))
    open_council = sorted((d for d in deadlines if d.met_on is None and not d.window), key=lambda d: d.due_on)
    if not fb.is_complaint:
        passed = fb.responded_on or fb.closed_on
        if passed:
            return Progress(
                "We have passed it on",
                f"We passed it to the right team on {format_date(passed)}. Thank you for telling us.",
                None,
                None,
                None,
            )
        due = open_council[0].due_on if open_council else None
        return Progress(
            "We have received it",
            "We will pass it to the right team" + (f" by {format_date(due)}." if due else " soon."),
            due,
            None,
            None,
        )
    stage = fb.stage or 1
    if fb.status == Status.RECEIVED:
        due = _open_due(fb, "stage1_response")
        return Progress(
            "We have received your complaint",
            "We will confirm that we are looking into it"
            + (f" and aim to reply by {format_date(due)}." if due else "."),
            due,
            None,
            None,
        )
    if fb.status == Status.OPEN:
        due = open_council[0].due_on if open_council else None
        what = {
            1: "We are looking into your complaint.",
            2: "Your complaint is being investigated (stage 2).",
            3: "A review panel will look at your complaint (stage 3).",
        }.get(stage, "We are looking into it.")
        return Progress(
            "We are looking into it",
            what + (f" We aim to reply by {format_date(due)}." if due else " We will be in touch about the next step."),
            due,
            None,
            None,
        )
    if fb.status == Status.RESPONDED:
        responded = Stage.objects.filter(feedback=fb, number=stage).values_list("responded_on", flat=True).first()
        window = next((d for d in deadlines if d.step == f"stage{stage + 1}_request_window" and d.window), None)
        stages = clock.rulebook().get(fb.procedure).in_force_on(fb.received_on).stages
        said = f"We replied on {format_date(responded)}." if responded else "We have replied."
        if stage < stages and window is not None and window.met_on is None and today <= window.due_on:
            return Progress(
                "We have replied",
                f"{said} If you are still unhappy, you can ask for "
                f"{STAGE_NAMES.get(stage + 1, f'stage {stage + 1}')} by {format_date(window.due_on)}.",
                window.due_on,
                stage + 1,
                window.due_on,
            )
        if stage < stages:
            return Progress(
                "We have replied",
                f"{said} The time to ask for the next stage online has passed. "
                f"If you are still unhappy, call {settings.HEARD_COUNCIL_PHONE}: we can still "
                "consider a late request.",
                None,
                None,
                None,
            )
        return Progress(
            "We have replied",
            f"{said} If you are still unhappy, you can ask the Local Government "
            "and Social Care Ombudsman to look at your complaint.",
            None,
            None,
            None,
        )
    if fb.status == Status.SUSPENDED:
        return Progress(
            "Your complaint is on hold",
            "Other proceedings about the same matter have to finish first. We will tell you when we restart it.",
            None,
            None,
            None,
        )
    if fb.status == Status.WITHDRAWN:
        return Progress("Your complaint was withdrawn", "We have stopped looking into it.", None, None, None)
    if fb.status == Status.DECLINED:
        return Progress(
            "This is dealt with another way", "We wrote to tell you who will look into it instead.", None, None, None
        )
    return Progress(
        "Your complaint is closed",
        "If you are still unhappy, you can ask the Local Government and Social Care Ombudsman to look at it.",
        None,
        None,
        None,
    )


def ask_for_next_stage(*, feedback: Feedback, reason: str, today: date | None = None) -> Stage:
    """The complainant asks online for stage 2 or 3, within the window, saying why."""
    today = today or timezone.localdate()
    if not reason.strip():
        raise RuleViolation(
            "Enter why you are still unhappy", rule="a request says why the person is still unhappy", field="reason"
        )
    info = progress(feedback, today=today)
    if info.can_ask_for_stage is None:
        raise RuleViolation(
            "You cannot ask for the next stage online now. Call us and we will help.",
            rule="online requests within the window only",
            field="reason",
        )
    escalate = fs.escalate_to_stage_2 if info.can_ask_for_stage == 2 else fs.escalate_to_stage_3
    try:
        return escalate(actor=None, feedback=feedback, requested_on=today, reason=reason.strip(), today=today)
    except RuleViolation as e:
        raise RuleViolation(e.message, rule=e.rule, field="reason") from e


# ------------------------------------------------------------------------------- the start page

# Each step of the statutory rule pack in plain words; the numbers always come from the rules in force,
# so a council's local setting or a change of the law shows here the day it takes effect.
_PLAIN = {
    "acknowledge": "We will tell you we have your complaint within {n} working days.",
    "stage1_response": "Stage 1: the team involved tries to put things right and replies within {n} working "
    "days. If it is complicated it can take up to {ceiling} working days, and we will tell you "
    "why.",
    "stage2_request_window": "If you are still unhappy, you can ask for stage 2 within {n} working days of our reply.",
    "stage2_response": "Stage 2: someone who was not involved investigates, and an independent person checks it "
    "is fair. It takes {n} working days from when we agree with you what the complaint is, "
    "and never more than {ceiling}.",
    "stage3_request_window": "If you are still unhappy after stage 2, you can ask for a review panel within {n} "
    "working days.",
    "panel_meeting": "Stage 3: a review panel of three independent people meets within {n} working days of your "
    "request.",
    "panel_notice": "We will tell you the date of the panel at least {n} working days before it meets.",
    "panel_report": "The panel sends its report within {n} working days of meeting.",
    "director_response": "The director of children’s services replies within {n} working days of the panel’s report.",
}


def timescales(*, today: date, procedure: str = "statutory") -> list[str]:
    """What happens next and how long each stage takes, from the rules in force today."""
    version = clock.rulebook().get(procedure).in_force_on(today)
    out = []
    for step in version.steps:
        template = _PLAIN.get(step.key, "{title}: {n} working days.")
        out.append(
            template.format(n=step.working_days, ceiling=step.extension_ceiling or step.working_days, title=step.title)
        )
    return out


def pass_on_days(*, today: date) -> int:
    """Compliments and comments reach the service within this many working days."""
    return clock.rulebook().get("compliment").in_force_on(today).step("pass_to_service").working_days
