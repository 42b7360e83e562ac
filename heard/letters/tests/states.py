"""Cases in every state a letter can be written in, built through heard.feedback.services exactly as
caseworkers build them. Dates follow test_lifecycle: received Monday 2 March 2026."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from heard.feedback import services as s
from heard.feedback.models import Feedback
from heard.feedback.services import FindingInput, PersonDetails, RemedyInput

FAR = date(2026, 12, 31)  # "today" for services that refuse future dates


def jo(preferred: str = "email") -> PersonDetails:
    return PersonDetails(
        "Jo Bloggs", email="jo@example.com", address="1 High Street\nSeaside\nSE1 2AB", preferred_contact=preferred
    )


def received(
    people, service, *, preferred="email", points=("Visits were cancelled without notice", "Calls were not returned")
) -> Feedback:
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=service,
        summary="Visits keep being cancelled",
        complainant=jo(preferred),
        complainant_role="parent_or_carer",
        points=points,
        today=FAR,
    )
    s.allocate(actor=people["alice"], feedback=fb, assignee=people["sam"])
    return _fresh(fb)


def _fresh(fb: Feedback) -> Feedback:
    return Feedback.objects.get(pk=fb.pk)


def acknowledged(people, service, **kw):
    fb = received(people, service, **kw)
    s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 3), today=FAR)
    return _fresh(fb)


def extended(people, service, **kw):
    fb = acknowledged(people, service, **kw)
    s.extend(
        actor=people["mo"],
        feedback=fb,
        step="stage1_response",
        to_working_days=20,
        reason="Three teams were involved and we need to speak to each of them",
        on=date(2026, 3, 5),
    )
    return _fresh(fb)


def stage1_responded(people, service, **kw):
    fb = acknowledged(people, service, **kw)
    s.respond(
        actor=people["sam"],
        feedback=fb,
        on=date(2026, 3, 10),
        today=FAR,
        findings={1: FindingInput("upheld"), 2: FindingInput("not_upheld")},
        response="We are sorry that visits were cancelled.",
        remedies=[RemedyInput("apology"), RemedyInput("financial", "For missed contact", Decimal("150"))],
    )
    return _fresh(fb)


def stage2_requested(people, service, **kw):
    fb = stage1_responded(people, service, **kw)
    s.escalate_to_stage_2(actor=None, feedback=fb, requested_on=date(2026, 3, 20), reason="Nothing changed", today=FAR)
    return _fresh(fb)


def stage2_agreed(people, service, **kw):
    fb = stage2_requested(people, service, **kw)
    s.agree_statement_of_complaint(
        actor=people["alice"],
        feedback=fb,
        agreed_on=date(2026, 3, 25),
        statement="You are unhappy that visits were cancelled.",
        today=FAR,
    )
    s.appoint_investigating_officer(actor=people["mo"], feedback=fb, officer=people["ian"])
    s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
    return _fresh(fb)


def stage2_responded(people, service, **kw):
    fb = stage2_agreed(people, service, **kw)
    s.respond(
        actor=people["erin"],
        feedback=fb,
        on=date(2026, 4, 28),
        adjudicating_officer=people["erin"],
        findings={p.number: FindingInput("partially_upheld") for p in fb.points.all()},
        today=FAR,
        response="The adjudicating officer accepts the investigating officer's findings.",
    )
    return _fresh(fb)


def stage3_requested(people, service, **kw):
    fb = stage2_responded(people, service, **kw)
    s.escalate_to_stage_3(actor=None, feedback=fb, requested_on=date(2026, 5, 5), reason="Panel please", today=FAR)
    return _fresh(fb)


def panel_arranged(people, service, **kw):
    fb = stage3_requested(people, service, **kw)
    for name, chair in (("quinn", True), ("robin", False), ("tess", False)):
        s.appoint_panel_member(actor=people["mo"], feedback=fb, person=people[name], chair=chair, on=date(2026, 5, 6))
    s.arrange_panel_meeting(
        actor=people["mo"],
        feedback=fb,
        meeting_on=date(2026, 6, 10),
        notified_on=date(2026, 5, 20),
        venue="Town Hall, Committee Room 2",
    )
    return _fresh(fb)


def panel_reported(people, service, **kw):
    fb = panel_arranged(people, service, **kw)
    s.record_panel_report(
        actor=people["mo"],
        feedback=fb,
        received_on=date(2026, 6, 15),
        recommendations="Apologise and review the contact plan",
    )
    return _fresh(fb)


def director_responded(people, service, **kw):
    fb = panel_reported(people, service, **kw)
    s.record_director_response(
        actor=people["dina"],
        feedback=fb,
        on=date(2026, 7, 1),
        agrees=True,
        response="We accept the panel's recommendations and will review the plan.",
    )
    return _fresh(fb)


def ombudsman(people, service, **kw):
    fb = director_responded(people, service, **kw)
    s.refer_to_ombudsman(actor=people["mo"], feedback=fb, referred_on=date(2026, 8, 3))
    s.record_ombudsman_enquiry(
        actor=people["mo"], feedback=fb, kind="initial", received_on=date(2026, 8, 3), due_on=date(2026, 8, 31)
    )
    return _fresh(fb)


def declined(people, service, **kw):
    fb = received(people, service, **kw)
    s.triage(
        actor=people["alice"],
        feedback=fb,
        complainant_role="parent_or_carer",
        procedure="statutory",
        procedure_reason="About a s.7 report",
        exclusion="court",
        sent_to="The court that asked for the report: please speak to your solicitor",
        on=date(2026, 3, 3),
    )
    return _fresh(fb)


def withdrawn(people, service, **kw):
    fb = received(people, service, **kw)
    s.withdraw(actor=people["alice"], feedback=fb, on=date(2026, 3, 6), reason="Sorted out by phone")
    return _fresh(fb)


def restricted(people, service, **kw):
    fb = acknowledged(people, service, **kw)
    s.apply_restriction(
        actor=people["mo"],
        person=fb.complainant,
        terms="Contact by email to Mo Morris only",
        reason="Daily abusive phone calls",
        warned_on=date(2026, 3, 10),
        approved_by=people["dina"],
        starts_on=date(2026, 3, 20),
        review_on=date(2026, 9, 21),
    )
    return _fresh(fb)


def _other(kind, **extra):
    def build(people, service, **kw):
        fb = s.log_feedback(
            actor=people["alice"],
            kind=kind,
            channel="email",
            received_on=date(2026, 3, 2),
            service=service,
            complainant=PersonDetails("Sam Jones MP", email="mp@example.org"),
            today=FAR,
            **extra,
        )
        return _fresh(fb)

    build.__name__ = kind
    return build


compliment = _other("compliment", compliment_source="external")
comment = _other("comment")
mp_enquiry = _other("mp_enquiry", enquiry_category="information")
councillor_enquiry = _other("councillor_enquiry", enquiry_category="reasons_for_decision")

STATES = [
    received,
    acknowledged,
    extended,
    stage1_responded,
    stage2_requested,
    stage2_agreed,
    stage2_responded,
    stage3_requested,
    panel_arranged,
    panel_reported,
    director_responded,
    ombudsman,
    declined,
    withdrawn,
    restricted,
    compliment,
    comment,
    mp_enquiry,
    councillor_enquiry,
]
