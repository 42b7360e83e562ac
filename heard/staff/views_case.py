"""The case page and one page per caseworker action on it. Thin: each action page shows a form, calls
one service with actor=request.user and the version the form was shown with, and on refusal shows the
service's message next to the field it names, with the rule it cites. Nothing here decides a rule.

The actions are a table (ACTIONS below): its path, its title, the access action it needs, its form, the
service call, and when it makes sense to offer it on the case page. urls_case.py builds one URL per row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from heard.feedback import documents
from heard.feedback import services as s
from heard.feedback.models import Feedback
from heard.feedback.services import FindingInput, RemedyInput, RuleViolation
from heard.staff import access
from heard.staff import forms_case as f
from heard.staff import services as staff_services
from heard.staff.decorators import case_view, record_access
from heard.staff.models import AccessRecord
from heard.staff.queries_case import CasePage, case_page, extendable_deadlines

Status = Feedback.Status
Kind = Feedback.Kind


# ------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class CaseAction:
    name: str  # the URL name (staff:<name>) and its id on the page
    path: str  # after /staff/cases/<reference>/
    title: str
    permission: str  # an action in heard.staff.access.ACTIONS
    form: type[f.CaseForm]
    run: Callable[[HttpRequest, Feedback, Any], str]  # calls the service; returns the success message
    offered: Callable[[CasePage], bool]  # sensible to offer now (the service still has the last word)
    intro: str = ""
    button: str = "Save"
    prepare: Callable[[Feedback], dict] | None = None  # per-case data the form needs
    danger: bool = False
    from_query: tuple[str, ...] = ()  # fields a link may preselect (?lesson=12), on the page shown by GET


def _v(form: f.CaseForm) -> int:
    return form.cleaned_data["version"]


def _checked(feedback: Feedback, form: f.CaseForm, change: Callable[[], Any]) -> Any:
    """For services that take no expected_version: refuse a stale form before they write."""
    return staff_services.with_version_check(feedback, _v(form), change)


def _open(p: CasePage) -> bool:
    return p.feedback.is_open


def _complaint_live(p: CasePage) -> bool:
    """An open complaint whose clocks run (not suspended)."""
    return p.feedback.is_complaint and p.feedback.status in (Status.RECEIVED, Status.OPEN, Status.RESPONDED)


def _awaiting_response(p: CasePage) -> bool:
    stage = p.current_stage
    return _complaint_live(p) and stage is not None and stage.responded_on is None


def _statutory_stage(number: int) -> Callable[[CasePage], bool]:
    return lambda p: _complaint_live(p) and p.feedback.procedure == "statutory" and p.feedback.stage == number


# --- the runs: form → service


def run_acknowledge(request, fb, form):
    s.acknowledge(actor=request.user, feedback=fb, on=form.cleaned_data["on"], expected_version=_v(form))
    return "Acknowledgement recorded"


def run_allocate(request, fb, form):
    s.allocate(actor=request.user, feedback=fb, assignee=form.cleaned_data["assignee"], expected_version=_v(form))
    return f"Allocated to {form.cleaned_data['assignee']}"


def run_extend(request, fb, form):
    d = form.cleaned_data
    deadline = s.extend(
        actor=request.user,
        feedback=fb,
        step=d["step"],
        to_working_days=d["to_working_days"],
        reason=d["reason"],
        on=d["on"],
        expected_version=_v(form),
    )
    return f"Deadline extended: now due {deadline.due_on:%d %B %Y}"


def run_interim(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb, form, lambda: s.record_interim_update(actor=request.user, feedback=fb, on=d["on"], message=d["message"])
    )
    return "Interim update recorded"


def run_add_point(request, fb, form):
    point = s.add_point(
        actor=request.user, feedback=fb, summary=form.cleaned_data["summary"], expected_version=_v(form)
    )
    return f"Point {point.number} added"


def run_respond(request, fb, form):
    d = form.cleaned_data
    stage = s.respond(
        actor=request.user,
        feedback=fb,
        on=d["on"],
        response=d["response"],
        findings={n: FindingInput(finding, reason) for n, (finding, reason) in form.findings().items()},
        remedies=[RemedyInput(kind, description, amount) for kind, description, amount in form.remedies()],
        adjudicating_officer=d.get("adjudicating_officer"),
        expected_version=_v(form),
    )
    return f"Stage {stage.number} response recorded: {stage.get_outcome_display().lower()}"


def run_withdraw(request, fb, form):
    d = form.cleaned_data
    s.withdraw(actor=request.user, feedback=fb, on=d["on"], reason=d["reason"], expected_version=_v(form))
    return "Recorded as withdrawn"


def run_escalate(request, fb, form):
    d = form.cleaned_data
    escalate = s.escalate_to_stage_2 if fb.stage == 1 else s.escalate_to_stage_3
    stage = escalate(
        actor=request.user,
        feedback=fb,
        requested_on=d["requested_on"],
        reason=d["reason"],
        late_request_decision=d["late_request_decision"],
        expected_version=_v(form),
    )
    return f"Escalated to stage {stage.number}"


def run_statement(request, fb, form):
    d = form.cleaned_data
    s.agree_statement_of_complaint(
        actor=request.user,
        feedback=fb,
        agreed_on=d["agreed_on"],
        statement=d["statement"],
        points=form.point_lines(),
        expected_version=_v(form),
    )
    return "Statement of complaint agreed: the stage 2 clock has started"


def run_officer(request, fb, form):
    s.appoint_investigating_officer(
        actor=request.user, feedback=fb, officer=form.cleaned_data["officer"], expected_version=_v(form)
    )
    return f"{form.cleaned_data['officer']} appointed as investigating officer"


def run_independent_person(request, fb, form):
    s.appoint_independent_person(
        actor=request.user, feedback=fb, person=form.cleaned_data["person"], expected_version=_v(form)
    )
    return f"{form.cleaned_data['person']} appointed as independent person"


def run_panel_member(request, fb, form):
    d = form.cleaned_data
    member = s.appoint_panel_member(
        actor=request.user,
        feedback=fb,
        person=d["person"],
        chair=d["chair"] == "yes",
        on=d["on"],
        expected_version=_v(form),
    )
    return f"{member.person} appointed {'as chair of' if member.is_chair else 'to'} the review panel"


def run_arrange_panel(request, fb, form):
    d = form.cleaned_data
    panel = s.arrange_panel_meeting(
        actor=request.user,
        feedback=fb,
        meeting_on=d["meeting_on"],
        notified_on=d["notified_on"],
        venue=d["venue"],
        late_reason=d["late_reason"],
        expected_version=_v(form),
    )
    return f"Review panel arranged for {panel.meeting_on:%d %B %Y}"


def run_panel_report(request, fb, form):
    d = form.cleaned_data
    s.record_panel_report(
        actor=request.user,
        feedback=fb,
        received_on=d["received_on"],
        recommendations=d["recommendations"],
        expected_version=_v(form),
    )
    return "Panel report recorded: the director's 15 working days have started"


def run_director(request, fb, form):
    d = form.cleaned_data
    s.record_director_response(
        actor=request.user,
        feedback=fb,
        on=d["on"],
        agrees=d["agrees"] == "yes",
        response=d["response"],
        expected_version=_v(form),
    )
    return "Director's response recorded"


def run_refer_ombudsman(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.refer_to_ombudsman(
            actor=request.user, feedback=fb, referred_on=d["referred_on"], their_reference=d["their_reference"]
        ),
    )
    return "Ombudsman referral recorded"


def run_ombudsman_enquiry(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.record_ombudsman_enquiry(
            actor=request.user, feedback=fb, kind=d["kind"], received_on=d["received_on"], due_on=d["due_on"]
        ),
    )
    return "Ombudsman enquiry recorded"


def run_ombudsman_answer(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.answer_ombudsman_enquiry(actor=request.user, enquiry=d["enquiry"], answered_on=d["answered_on"]),
    )
    return "Answer to the Ombudsman recorded"


def run_ombudsman_decision(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.record_ombudsman_decision(
            actor=request.user, feedback=fb, decision=d["decision"], decided_on=d["decided_on"]
        ),
    )
    return "Ombudsman's decision recorded"


def run_ombudsman_recommendation(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.add_ombudsman_recommendation(actor=request.user, feedback=fb, text=d["text"], due_on=d["due_on"]),
    )
    return "Ombudsman recommendation recorded"


def run_compliance(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.record_compliance(
            actor=request.user, recommendation=d["recommendation"], complied_on=d["complied_on"]
        ),
    )
    return "Compliance recorded"


def run_lesson(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.record_lesson(
            actor=request.user, feedback=fb, action=d["action"], owner=d["owner"], due_on=d["due_on"]
        ),
    )
    return "Lesson learnt recorded"


def run_complete_lesson(request, fb, form):
    d = form.cleaned_data
    _checked(fb, form, lambda: s.complete_lesson(actor=request.user, lesson=d["lesson"], on=d["on"]))
    return "Lesson learnt completed"


def run_lesson_report(request, fb, form):
    d = form.cleaned_data
    s.approve_lesson_for_report(
        actor=request.user, lesson=d["lesson"], text=d["report_text"], expected_version=_v(form)
    )
    return "Wording approved for the annual report"


def run_lesson_report_withdraw(request, fb, form):
    s.withdraw_lesson_from_report(actor=request.user, lesson=form.cleaned_data["lesson"], expected_version=_v(form))
    return "Taken out of the annual report"


def run_complete_remedy(request, fb, form):
    d = form.cleaned_data
    _checked(fb, form, lambda: s.complete_remedy(actor=request.user, remedy=d["remedy"], on=d["on"]))
    return "Remedy completed"


def run_restrict(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.apply_restriction(
            actor=request.user,
            person=fb.complainant,
            terms=d["terms"],
            reason=d["reason"],
            warned_on=d["warned_on"],
            approved_by=d["approved_by"],
            starts_on=d["starts_on"],
            review_on=d["review_on"],
        ),
    )
    return "Restriction recorded"


def run_lift(request, fb, form):
    d = form.cleaned_data
    _checked(
        fb,
        form,
        lambda: s.lift_restriction(actor=request.user, restriction=d["restriction"], on=d["on"], reason=d["reason"]),
    )
    return "Restriction lifted"


def run_suspend(request, fb, form):
    d = form.cleaned_data
    s.suspend(
        actor=request.user, feedback=fb, on=d["on"], reason=d["reason"], detail=d["detail"], expected_version=_v(form)
    )
    return "Suspended: the clocks have stopped"


def run_resume(request, fb, form):
    s.resume(actor=request.user, feedback=fb, on=form.cleaned_data["on"], expected_version=_v(form))
    return "Resumed: the deadlines have moved by the time suspended"


def run_close(request, fb, form):
    s.close(actor=request.user, feedback=fb, on=form.cleaned_data["on"], expected_version=_v(form))
    return "Closed"


def run_involved(request, fb, form):
    staff = list(form.cleaned_data["staff"])
    _checked(fb, form, lambda: s.record_involved_staff(actor=request.user, feedback=fb, staff=staff))
    return "Staff involved recorded"


def run_link(request, fb, form):
    other = form.cleaned_data["other"]
    _checked(fb, form, lambda: s.link(actor=request.user, feedback=fb, other=other))
    return f"Linked to {other.reference}"


def run_note(request, fb, form):
    # A note overwrites nothing, so it is kept even if the case changed meanwhile.
    s.add_note(actor=request.user, feedback=fb, text=form.cleaned_data["text"])
    return "Note added"


def run_upload(request, fb, form):
    d = form.cleaned_data
    document = documents.upload_document(actor=request.user, feedback=fb, upload=d["file"], kind=d["kind"])
    return f"Document added: {document.filename}"


def run_safeguarding(request, fb, form):
    d = form.cleaned_data
    s.flag_safeguarding(
        actor=request.user,
        feedback=fb,
        referred_to=d["referred_to"],
        referred_on=d["referred_on"],
        reason=d["reason"],
        expected_version=_v(form),
    )
    return "Safeguarding concern recorded"


def run_advocacy(request, fb, form):
    d = form.cleaned_data
    s.record_advocacy(
        actor=request.user,
        feedback=fb,
        offered_on=d["offered_on"],
        wanted=form.wanted_value(),
        referred_on=d["referred_on"],
        advocate=d["advocate"],
        expected_version=_v(form),
    )
    return "Advocacy recorded"


def run_pass(request, fb, form):
    s.pass_to_service(actor=request.user, feedback=fb, on=form.cleaned_data["on"], expected_version=_v(form))
    return f"Passed to {fb.service}"


def run_answer(request, fb, form):
    d = form.cleaned_data
    s.respond_to_enquiry(actor=request.user, feedback=fb, on=d["on"], response=d["response"], expected_version=_v(form))
    return "Enquiry answered"


def run_categorise(request, fb, form):
    d = form.cleaned_data
    staff_services.categorise(
        actor=request.user,
        feedback=fb,
        compliment_source=d.get("compliment_source", ""),
        enquiry_category=d.get("enquiry_category", ""),
        expected_version=_v(form),
    )
    return "Category recorded"


def run_select(request, fb, form):
    selected = form.cleaned_data["selected"] == "yes"
    staff_services.select_compliment_for_report(
        actor=request.user, feedback=fb, selected=selected, expected_version=_v(form)
    )
    return "Included in the annual report's selection" if selected else "Taken out of the annual report's selection"


def _points(fb: Feedback) -> dict:
    return {"points": list(fb.points.order_by("number"))}


def _deadline_choices(fb: Feedback) -> dict:
    return {"deadline_choices": extendable_deadlines(fb)}


A = CaseAction
ACTIONS: list[CaseAction] = [
    # The procedure, in the order it usually runs.
    A(
        "acknowledge",
        "acknowledge",
        "Acknowledge",
        "acknowledge",
        f.AcknowledgeForm,
        run_acknowledge,
        lambda p: _awaiting_response(p) and p.current_stage.acknowledged_on is None,
        intro="Record the date the acknowledgement was sent. It meets the acknowledgement deadline.",
    ),
    A(
        "allocate",
        "allocate",
        "Allocate",
        "allocate",
        f.AllocateForm,
        run_allocate,
        _open,
        intro="Give the case to the person who will respond at this stage.",
    ),
    A(
        "add_point",
        "points/add",
        "Add a point of complaint",
        "add_point",
        f.AddPointForm,
        run_add_point,
        lambda p: (
            _awaiting_response(p)
            and p.feedback.stage in (1, 2)
            and not (p.feedback.stage == 2 and p.current_stage.statement_agreed_on)
        ),
    ),
    A(
        "extend",
        "extend",
        "Extend a deadline",
        "extend",
        f.ExtendForm,
        run_extend,
        lambda p: p.feedback.status in (Status.RECEIVED, Status.OPEN) and bool(p.extendable_deadlines),
        intro="Extensions are allowed up to the limit the rules set, with written reasons.",
        prepare=_deadline_choices,
    ),
    A(
        "interim_update",
        "interim-update",
        "Send an interim update",
        "interim_update",
        f.InterimUpdateForm,
        run_interim,
        _awaiting_response,
    ),
    A(
        "respond",
        "respond",
        "Respond",
        "respond",
        f.RespondForm,
        run_respond,
        lambda p: (
            _awaiting_response(p)
            and (p.feedback.stage in (1, 2) or p.feedback.procedure == "corporate_three_stage")
            and not (
                p.feedback.stage == 2
                and p.feedback.procedure == "statutory"
                and not p.current_stage.statement_agreed_on
            )
        ),
        intro="Give a finding on every point. The outcome of the stage follows from the findings.",
        prepare=_points,
    ),
    A(
        "escalate",
        "escalate",
        "Escalate",
        "escalate",
        f.EscalateForm,
        run_escalate,
        lambda p: (
            p.feedback.is_complaint
            and p.feedback.status == Status.RESPONDED
            and (p.feedback.stage or 0) < p.stages_allowed
        ),
        intro="The complainant has asked for the next stage.",
    ),
    A(
        "statement",
        "statement",
        "Agree the statement of complaint",
        "agree_statement",
        f.StatementForm,
        run_statement,
        lambda p: _statutory_stage(2)(p) and not p.current_stage.statement_agreed_on,
        intro="Stage 2's 25 working days start on the day the complainant agrees the statement.",
    ),
    A(
        "appoint_officer",
        "investigating-officer",
        "Appoint the investigating officer",
        "appoint",
        f.AppointOfficerForm,
        run_officer,
        lambda p: _awaiting_response(p) and p.feedback.stage == 2,
    ),
    A(
        "appoint_independent_person",
        "independent-person",
        "Appoint the independent person",
        "appoint",
        f.AppointIndependentPersonForm,
        run_independent_person,
        lambda p: _statutory_stage(2)(p) and p.current_stage.responded_on is None,
    ),
    A(
        "panel_member",
        "panel/member",
        "Appoint a panel member",
        "panel",
        f.PanelMemberForm,
        run_panel_member,
        lambda p: _statutory_stage(3)(p) and len(p.panel_members) < 3,
        intro="The review panel is three independent people. Appoint the chair first.",
    ),
    A(
        "panel_arrange",
        "panel/arrange",
        "Arrange the panel meeting",
        "panel",
        f.ArrangePanelForm,
        run_arrange_panel,
        lambda p: (
            _statutory_stage(3)(p)
            and len(p.panel_members) == 3
            and p.review_panel is not None
            and p.review_panel.report_received_on is None
        ),
    ),
    A(
        "panel_report",
        "panel/report",
        "Record the panel's report",
        "panel",
        f.PanelReportForm,
        run_panel_report,
        lambda p: (
            _statutory_stage(3)(p)
            and p.review_panel is not None
            and p.review_panel.meeting_on is not None
            and p.review_panel.report_received_on is None
        ),
    ),
    A(
        "director_response",
        "director-response",
        "Record the director's response",
        "director_response",
        f.DirectorResponseForm,
        run_director,
        lambda p: (
            _statutory_stage(3)(p)
            and p.review_panel is not None
            and p.review_panel.report_received_on is not None
            and p.review_panel.director_responded_on is None
        ),
        intro="The council's response to the review panel's recommendations (reg 21).",
    ),
    A(
        "ombudsman_refer",
        "ombudsman/refer",
        "Record an Ombudsman referral",
        "ombudsman",
        f.OmbudsmanReferralForm,
        run_refer_ombudsman,
        lambda p: p.feedback.is_complaint and p.ombudsman is None,
    ),
    A(
        "ombudsman_enquiry",
        "ombudsman/enquiry",
        "Record an Ombudsman enquiry",
        "ombudsman",
        f.OmbudsmanEnquiryForm,
        run_ombudsman_enquiry,
        lambda p: p.ombudsman is not None and not p.ombudsman.decision,
    ),
    A(
        "ombudsman_answer",
        "ombudsman/answer",
        "Record an answer to the Ombudsman",
        "ombudsman",
        f.OmbudsmanAnswerForm,
        run_ombudsman_answer,
        lambda p: bool(p.unanswered_enquiries),
    ),
    A(
        "ombudsman_decision",
        "ombudsman/decision",
        "Record the Ombudsman's decision",
        "ombudsman",
        f.OmbudsmanDecisionForm,
        run_ombudsman_decision,
        lambda p: p.ombudsman is not None and not p.ombudsman.decision,
    ),
    A(
        "ombudsman_recommendation",
        "ombudsman/recommendation",
        "Add an Ombudsman recommendation",
        "ombudsman",
        f.OmbudsmanRecommendationForm,
        run_ombudsman_recommendation,
        lambda p: p.ombudsman is not None,
    ),
    A(
        "ombudsman_compliance",
        "ombudsman/compliance",
        "Record compliance with a recommendation",
        "ombudsman",
        f.ComplianceForm,
        run_compliance,
        lambda p: bool(p.outstanding_recommendations),
    ),
    A(
        "lesson",
        "lessons/add",
        "Record a lesson learnt",
        "lessons",
        f.LessonForm,
        run_lesson,
        lambda p: p.feedback.is_complaint,
    ),
    A(
        "lesson_complete",
        "lessons/complete",
        "Complete a lesson learnt",
        "lessons",
        f.CompleteLessonForm,
        run_complete_lesson,
        lambda p: bool(p.open_lessons),
    ),
    A(
        "lesson_report",
        "lessons/annual-report",
        "Approve a lesson learnt for the annual report",
        "publish_lessons",
        f.LessonReportForm,
        run_lesson_report,
        lambda p: bool(p.lessons),
        from_query=("lesson",),
        button="Approve this wording",
        intro="The annual report is published. It shows a lesson learnt only in wording approved for it here, "
        "never what was recorded for the case. Approving the wording confirms it identifies no one.",
    ),
    A(
        "lesson_report_withdraw",
        "lessons/annual-report/withdraw",
        "Take a lesson learnt out of the annual report",
        "publish_lessons",
        f.WithdrawLessonReportForm,
        run_lesson_report_withdraw,
        lambda p: any(x.in_report for x in p.lessons),
        button="Take it out of the report",
        danger=True,
    ),
    A(
        "remedy_complete",
        "remedies/complete",
        "Complete a remedy",
        "remedies",
        f.CompleteRemedyForm,
        run_complete_remedy,
        lambda p: bool(p.open_remedies),
    ),
    A(
        "safeguarding",
        "safeguarding",
        "Record a safeguarding concern",
        "safeguarding",
        f.SafeguardingForm,
        run_safeguarding,
        lambda p: True,
        intro="Refer the concern at once: the child's safety comes before the procedure.",
    ),
    A(
        "advocacy",
        "advocacy",
        "Record an advocacy offer",
        "advocacy",
        f.AdvocacyForm,
        run_advocacy,
        lambda p: p.feedback.is_complaint and p.feedback.is_open,
        intro="Children and young people who complain must be offered an independent advocate (s.26A Children Act "
        "1989).",
    ),
    A(
        "involved_staff",
        "involved-staff",
        "Record staff involved",
        "allocate",
        f.InvolvedStaffForm,
        run_involved,
        lambda p: p.feedback.is_complaint and p.feedback.is_open,
    ),
    A(
        "restrict",
        "restriction",
        "Restrict contact",
        "restrict",
        f.RestrictionForm,
        run_restrict,
        lambda p: p.feedback.complainant_id is not None,
        intro="For unreasonably persistent or abusive behaviour. A director approves it; the person is told "
        "beforehand; it is reviewed on a date.",
    ),
    A(
        "restriction_lift",
        "restriction/lift",
        "Lift a restriction",
        "restrict",
        f.LiftRestrictionForm,
        run_lift,
        lambda p: bool(p.restrictions_open),
    ),
    A(
        "suspend",
        "suspend",
        "Suspend",
        "suspend",
        f.SuspendForm,
        run_suspend,
        lambda p: p.feedback.is_complaint and p.feedback.status in (Status.RECEIVED, Status.OPEN, Status.RESPONDED),
        intro="Concurrent proceedings: the clocks stop until the complaint is resumed.",
    ),
    A(
        "resume",
        "resume",
        "Resume",
        "suspend",
        f.ResumeForm,
        run_resume,
        lambda p: p.feedback.status == Status.SUSPENDED,
    ),
    # Compliments, comments and enquiries.
    A(
        "pass_to_service",
        "pass-to-service",
        "Pass to the service",
        "pass_to_service",
        f.PassToServiceForm,
        run_pass,
        lambda p: p.feedback.kind in (Kind.COMPLIMENT, Kind.COMMENT) and p.feedback.responded_on is None,
    ),
    A(
        "answer_enquiry",
        "answer",
        "Answer the enquiry",
        "answer_enquiry",
        f.AnswerEnquiryForm,
        run_answer,
        lambda p: p.feedback.is_enquiry and p.feedback.responded_on is None,
    ),
    A(
        "categorise",
        "category",
        "Change the category",
        "log",
        f.CategoriseForm,
        run_categorise,
        lambda p: p.feedback.kind == Kind.COMPLIMENT or p.feedback.is_enquiry,
    ),
    A(
        "select_for_report",
        "annual-report",
        "Choose for the annual report",
        "log",
        f.SelectForReportForm,
        run_select,
        lambda p: p.feedback.kind == Kind.COMPLIMENT,
    ),
    # Every record.
    A("link", "link", "Link to another record", "link", f.LinkForm, run_link, lambda p: True),
    A("note", "notes/add", "Add a note", "note", f.NoteForm, run_note, lambda p: True, button="Add note"),
    A("upload", "documents/add", "Add a document", "upload", f.UploadForm, run_upload, lambda p: True, button="Upload"),
    A(
        "withdraw",
        "withdraw",
        "Withdraw",
        "withdraw",
        f.WithdrawForm,
        run_withdraw,
        lambda p: _awaiting_response(p) if p.feedback.is_complaint else p.feedback.is_open,
        danger=True,
    ),
    A(
        "close",
        "close",
        "Close",
        "close",
        f.CloseForm,
        run_close,
        lambda p: (
            p.feedback.is_open
            and p.feedback.status != Status.SUSPENDED
            and (
                (p.current_stage is not None and p.current_stage.responded_on is not None)
                if p.feedback.is_complaint
                else p.feedback.responded_on is not None
            )
        ),
    ),
]
BY_NAME = {a.name: a for a in ACTIONS}


# Case actions whose pages live elsewhere (the triage page is built with logging): (url name, title,
# access action, when to offer it).
ELSEWHERE = [
    (
        "staff:triage",
        "Triage",
        "triage",
        lambda p: (
            p.feedback.is_complaint
            and p.feedback.stage == 1
            and p.feedback.status in (Status.RECEIVED, Status.OPEN)
            and p.current_stage is not None
            and p.current_stage.responded_on is None
        ),
    ),
]


def offered_actions(user, page: CasePage) -> list[dict]:
    """The actions this user may take on this case now, for the case page. The decorator already
    established that the user can see the case, so `access.can` reduces to the role check here (one
    query for the page rather than one per action)."""
    out = []
    for url_name, title, permission, offered in ELSEWHERE:
        if user.role in access.ACTIONS.get(permission, set()) and offered(page):
            with contextlib.suppress(NoReverseMatch):
                if url_name == "staff:triage" and page.triage is not None:
                    title = "Change the triage decisions"
                out.append(
                    {
                        "name": url_name.split(":")[1],
                        "title": title,
                        "url": reverse(url_name, args=[page.feedback.reference]),
                    }
                )
    for a in ACTIONS:
        if user.role in access.ACTIONS.get(a.permission, set()) and a.offered(page):
            out.append(
                {"name": a.name, "title": a.title, "url": reverse(f"staff:{a.name}", args=[page.feedback.reference])}
            )
    return out


# ----------------------------------------------------------------------------------------- the pages


@case_view("view")
def case(request: HttpRequest, feedback: Feedback) -> HttpResponse:
    page = case_page(feedback, today=timezone.localdate())
    try:
        letters_url = reverse("letters:case_letters", args=[feedback.reference])
    except NoReverseMatch:  # letters are built separately; hide the link until they exist
        letters_url = None
    if letters_url and request.user.role not in access.ACTIONS["read_letters"]:
        letters_url = None
    return render(
        request,
        "staff/case/case.html",
        {
            "page": page,
            "fb": feedback,
            "actions": offered_actions(request.user, page),
            "letters_url": letters_url,
            "may_publish_lessons": request.user.role in access.ACTIONS["publish_lessons"],
        },
    )


def _add_violation(form: f.CaseForm, exc: RuleViolation) -> None:
    field = exc.field if exc.field in form.fields and exc.field != "version" else None
    form.add_error(field, exc.message)


def action_view(action: CaseAction) -> Callable:
    def view(request: HttpRequest, feedback: Feedback) -> HttpResponse:
        initial = action.prepare(feedback) if action.prepare else {}
        if request.method == "GET":
            initial.update({name: request.GET[name] for name in action.from_query if name in request.GET})
        form_kwargs = {"feedback": feedback, "user": request.user, "initial": dict(initial)}
        rule = stale = None
        if request.method == "POST":
            form = action.form(request.POST, request.FILES, **form_kwargs)
            if form.is_valid():
                try:
                    message = action.run(request, feedback, form)
                except RuleViolation as exc:
                    _add_violation(form, exc)
                    rule = exc.rule
                    stale = isinstance(exc, s.StaleRecord)
                else:
                    messages.success(request, message)
                    return redirect("staff:case", feedback.reference)
        else:
            form = action.form(**form_kwargs)
        status = 409 if stale else (400 if form.is_bound and form.errors else 200)
        restrictions = (
            s.restrictions_in_force(feedback.complainant, timezone.localdate()) if feedback.complainant else []
        )
        return render(
            request,
            "staff/case/action.html",
            {
                "fb": feedback,
                "form": form,
                "action": action,
                "rule": rule,
                "stale": stale,
                "restrictions_in_force": restrictions,
            },
            status=status,
        )

    view.__name__ = f"case_{action.name}"
    view.__doc__ = f"{action.title}: form and service call."
    return case_view(action.permission)(view)


@case_view("download")
def download(request: HttpRequest, feedback: Feedback, document_id: int) -> HttpResponse:
    document = feedback.documents.filter(pk=document_id).first()
    if document is None:
        raise Http404("No such document on this case.")
    if request.method != "GET":
        raise PermissionDenied
    # The audit names the document by id, never its file name (which may name a child).
    record_access(request.user, AccessRecord.Action.DOWNLOADED, feedback, f"document {document.pk}")
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=document.filename, content_type=document.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


ACTION_VIEWS = {a.name: action_view(a) for a in ACTIONS}
