"""The question pages of each public journey, in order, and which apply given the answers so far.

A journey's answers live in the person's session (nothing is written to the case record until they
send the form from "Check your answers"), so every page works with plain HTML forms and no JavaScript.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest

from heard.feedback.models import Feedback, Person
from heard.organisation.models import Service, Team
from heard.public import forms as f
from heard.public.services import OnlineSubmission, default_service
from heard.public.uploads import StoredUpload

Answers = dict[str, Any]


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[f.Question]
    applies: Callable[[Answers, date], bool] = lambda a, today: True
    kwargs: Callable[[Answers, date], dict] = lambda a, today: {}
    heading: str = ""  # for pages with more than one field; one-field pages use the label as the <h1>


@dataclass(frozen=True)
class Journey:
    name: str  # also the URL prefix and the session key
    kind: str  # the kind of feedback, or "" when the person chooses it (young people)
    caption: str
    steps: tuple[Step, ...]
    young: bool = False
    documents: bool = False  # a "send documents" page before "Check your answers"
    check_heading: str = "Check your answers before sending"
    url_names: dict = field(default_factory=dict)

    def step(self, slug: str) -> Step | None:
        return next((s for s in self.steps if s.slug == slug), None)

    def applicable(self, answers: Answers, today: date) -> list[Step]:
        return [s for s in self.steps if s.applies(answers, today)]

    def feedback_kind(self, answers: Answers) -> str:
        return self.kind or answers.get("kind", Feedback.Kind.COMPLAINT)


# ------------------------------------------------------------------------------------- conditions


def _yes(name: str) -> Callable[[Answers, date], bool]:
    return lambda a, today: a.get(name) == "yes"


def _services() -> list[Service]:
    return list(Service.objects.filter(active=True).order_by("name"))


def _teams(a: Answers) -> list[Team]:
    sid = a.get("service")
    if not sid or sid == f.NOT_SURE or not str(sid).isdigit():
        return []
    return list(Team.objects.filter(service_id=int(sid), active=True).order_by("name"))


def _add_months(d: date, months: int) -> date:
    month = d.month - 1 + months
    year, month = d.year + month // 12, month % 12 + 1
    for day in (d.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def over_twelve_months(a: Answers, today: date) -> bool:
    """reg 9 SI 2006/1738: 12 months from when they learned of it. A later complaint is still received:
    we only ask why now, so the complaints manager can decide to accept it."""
    when = a.get("matter_date")
    return bool(when) and _add_months(date.fromisoformat(when), 12) < today


def _service_kwargs(a: Answers, today: date) -> dict:
    return {"services": _services()}


def _for_someone_else(a: Answers, today: date) -> bool:
    return a.get("complainant_role") != Feedback.Role.CHILD_OR_YOUNG_PERSON


COMPLAINT = Journey(
    name="complaint",
    kind=Feedback.Kind.COMPLAINT,
    caption="Make a complaint",
    documents=True,
    steps=(
        Step("service", f.ServiceForm, kwargs=_service_kwargs),
        Step("team", f.TeamForm, applies=lambda a, t: bool(_teams(a)), kwargs=lambda a, t: {"teams": _teams(a)}),
        Step("what-happened", f.WhatHappenedForm),
        Step("when", f.WhenForm, kwargs=lambda a, today: {"today": today}),
        Step("why-now", f.WhyNowForm, applies=over_twelve_months),
        Step("outcome", f.OutcomeForm),
        Step("who", f.WhoForm),
        Step("someone-else", f.ForSomeoneElseForm, applies=_for_someone_else),
        Step(
            "their-name",
            f.ChildNameForm,
            applies=lambda a, t: _for_someone_else(a, t) and a.get("for_someone_else") == "yes",
        ),
        Step(
            "agreement",
            f.ConsentForm,
            applies=lambda a, t: _for_someone_else(a, t) and a.get("for_someone_else") == "yes",
        ),
        Step("contact", f.ContactPreferenceForm),
        Step(
            "your-details",
            f.DetailsForm,
            heading="Your details",
            applies=lambda a, t: a.get("preferred_contact") not in (None, "anonymous"),
            kwargs=lambda a, t: {"preferred": a.get("preferred_contact", "email")},
        ),
        Step("advocate", f.AdvocateForm),
        Step("adjustments", f.AdjustmentsForm),
    ),
)

COMPLIMENT = Journey(
    name="compliment",
    kind=Feedback.Kind.COMPLIMENT,
    caption="Pay a compliment",
    check_heading="Check your compliment before sending",
    steps=(
        Step("service", f.ServiceForm, kwargs=_service_kwargs),
        Step("about", f.ComplimentAboutForm),
        Step("message", f.ComplimentForm),
        Step("reply", f.WantReplyForm),
        Step("your-details", f.OptionalEmailForm, heading="Your details", applies=_yes("want_reply")),
    ),
)

COMMENT = Journey(
    name="comment",
    kind=Feedback.Kind.COMMENT,
    caption="Make a comment",
    check_heading="Check your comment before sending",
    steps=(
        Step("service", f.ServiceForm, kwargs=_service_kwargs),
        Step("message", f.CommentForm),
        Step("reply", f.WantReplyForm),
        Step("your-details", f.OptionalEmailForm, heading="Your details", applies=_yes("want_reply")),
    ),
)


def _young_complaint(a: Answers, today: date) -> bool:
    return a.get("kind") == Feedback.Kind.COMPLAINT


YOUNG = Journey(
    name="young-people",
    kind="",
    caption="Tell us",
    young=True,
    check_heading="Is this right?",
    steps=(
        Step("what", f.YoungKindForm),
        Step("story", f.YoungStoryForm),
        Step("better", f.YoungChangeForm, applies=_young_complaint),
        Step("advocate", f.YoungAdvocateForm, applies=_young_complaint),
        Step("name", f.YoungNameForm),
        Step("reply", f.YoungReplyForm),
        Step(
            "details",
            f.YoungDetailsForm,
            applies=lambda a, t: a.get("preferred_contact") not in (None, "none"),
            kwargs=lambda a, t: {"preferred": a.get("preferred_contact", "phone")},
        ),
    ),
)

JOURNEYS = {j.name: j for j in (COMPLAINT, COMPLIMENT, COMMENT, YOUNG)}


# ------------------------------------------------------------------------------------------ state


def state(request: HttpRequest, journey: Journey) -> dict:
    """This journey's answers in the session, started with a fresh idempotency key if new."""
    key = f"public:{journey.name}"
    st = request.session.get(key)
    if not isinstance(st, dict) or "key" not in st:
        st = {"key": secrets.token_hex(16), "answers": {}, "uploads": [], "honeypot": False}
        request.session[key] = st
    return st


def save(request: HttpRequest, journey: Journey, st: dict) -> None:
    request.session[f"public:{journey.name}"] = st
    request.session.modified = True


def forget(request: HttpRequest, journey: Journey) -> None:
    request.session.pop(f"public:{journey.name}", None)


def serialise(cleaned: dict) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in cleaned.items()}


def initial(form_class: type[f.Question], answers: Answers) -> dict:
    out = {}
    for name, fld in form_class.base_fields.items():
        if name in answers:
            value = answers[name]
            if isinstance(fld, f.GovukDateField) and value:
                value = date.fromisoformat(value)
            out[name] = value
    return out


def first_missing(journey: Journey, answers: Answers, done: list[str], today: date) -> Step | None:
    """The first page that applies and has not been answered: where a person who skips ahead goes."""
    return next((s for s in journey.applicable(answers, today) if s.slug not in done), None)


def submission(journey: Journey, st: dict, today: date) -> OnlineSubmission:
    """The answers of the pages that apply, in the case record's terms."""
    applicable = {s.slug for s in journey.applicable(st["answers"], today)}
    a: Answers = {}
    for s in journey.steps:
        if s.slug in applicable:
            a.update({k: v for k, v in st["answers"].items() if k in s.form.base_fields})
    kind = journey.feedback_kind(a)
    service = None
    if str(a.get("service", "")).isdigit():
        service = Service.objects.filter(pk=int(a["service"]), active=True).first()
    service = service or default_service()
    team = None
    if service is not None and str(a.get("team", "")).isdigit():
        team = Team.objects.filter(pk=int(a["team"]), service=service).first()
    uploads = [StoredUpload(**u) for u in st.get("uploads", [])]
    if journey.young:
        preferred = a.get("preferred_contact", "none")
        detail = a.get("detail", "") if preferred != "none" else ""
        return OnlineSubmission(
            kind=kind,
            service=service,
            summary=a.get("summary_text", ""),
            desired_outcome=a.get("desired_outcome", ""),
            complainant_role=Feedback.Role.CHILD_OR_YOUNG_PERSON if kind == Feedback.Kind.COMPLAINT else "",
            name=a.get("name", ""),
            email=detail if preferred == "email" else "",
            phone=detail if preferred == "phone" else "",
            address=detail if preferred == "letter" else "",
            preferred_contact={
                "email": Person.Contact.EMAIL,
                "phone": Person.Contact.PHONE,
                "letter": Person.Contact.LETTER,
            }.get(preferred, Person.Contact.NONE),
            advocacy_wanted=(a.get("advocacy") == "yes") if kind == Feedback.Kind.COMPLAINT else None,
            is_young_person=True,
        )
    preferred = a.get("preferred_contact", "email")
    anonymous = preferred == "anonymous"
    return OnlineSubmission(
        kind=kind,
        service=service,
        team=team,
        summary=a.get("summary_text", ""),
        about=a.get("about", ""),
        desired_outcome=a.get("desired_outcome", ""),
        matter_date=date.fromisoformat(a["matter_date"]) if a.get("matter_date") else None,
        late_explanation=a.get("late_explanation", ""),
        complainant_role=a.get("complainant_role", ""),
        for_someone_else=a.get("for_someone_else") == "yes",
        child_name=a.get("child_name", ""),
        child_consent=a.get("child_consent", ""),
        anonymous=anonymous,
        name=a.get("name", ""),
        email=a.get("email", ""),
        phone=a.get("phone", ""),
        address=a.get("address", ""),
        preferred_contact=Person.Contact.NONE
        if anonymous
        else {
            "email": Person.Contact.EMAIL,
            "phone": Person.Contact.PHONE,
            "letter": Person.Contact.LETTER,
        }.get(preferred, Person.Contact.EMAIL),
        advocacy_wanted=(a.get("advocacy") == "yes") if "advocacy" in a else None,
        adjustments=a.get("adjustments", ""),
        uploads=uploads,
    )
