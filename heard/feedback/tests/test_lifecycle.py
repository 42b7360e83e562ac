"""The statutory procedure end to end, and each rule it enforces, named after the rule."""

from datetime import date

import pytest

from heard.feedback import clock
from heard.feedback import services as s
from heard.feedback.models import Deadline, Event, Feedback, Outcome, Stage
from heard.feedback.services import FindingInput, PersonDetails, RuleViolation

pytestmark = pytest.mark.django_db


def log_complaint(people, service, *, received=date(2026, 3, 2), points=("Visits were cancelled",), **kw):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=received,
        service=service,
        summary="My son's visits keep being cancelled",
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        complainant_role="parent_or_carer",
        points=points,
        today=date(2026, 11, 1),
        **kw,
    )


def deadline(fb, step):
    return Deadline.objects.get(feedback=fb, step=step, cancelled=False)


def assert_refused(fn, rule_fragment, **kwargs):
    before = (Event.objects.count(), Deadline.objects.count(), Stage.objects.count())
    with pytest.raises(RuleViolation) as info:
        fn(**kwargs)
    assert rule_fragment.lower() in (info.value.rule + " " + info.value.message).lower()
    # Refused: nothing written.
    assert (Event.objects.count(), Deadline.objects.count(), Stage.objects.count()) == before
    return info.value


def respond_all(people, fb, finding="upheld", on=date(2026, 3, 10), **kw):
    findings = {
        p.number: FindingInput(finding, "out of scope" if finding == "not_investigated" else "")
        for p in fb.points.all()
    }
    return s.respond(actor=people["sam"], feedback=fb, on=on, findings=findings, today=date(2026, 11, 1), **kw)


class TestLogging:
    def test_logging_a_complaint_starts_the_acknowledgement_and_stage_1_clocks(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert fb.reference.startswith("CS-")
        assert fb.status == Feedback.Status.RECEIVED and fb.stage == 1
        # Received Mon 2 Mar 2026: day 0; 3 working days → Thu 5 Mar; 10 → Mon 16 Mar.
        assert deadline(fb, "acknowledge").due_on == date(2026, 3, 5)
        assert deadline(fb, "stage1_response").due_on == date(2026, 3, 16)
        assert clock.next_due_of(fb) == date(2026, 3, 5)
        assert Event.objects.filter(feedback=fb, action="logged").count() == 1

    def test_a_compliment_is_passed_to_the_service_within_3_working_days(self, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="compliment",
            channel="email",
            received_on=date(2026, 3, 6),
            service=social_care,
            compliment_source="external",
            today=date(2026, 3, 6),
        )
        assert fb.procedure == "compliment"
        assert deadline(fb, "pass_to_service").due_on == date(2026, 3, 11)
        s.pass_to_service(actor=people["alice"], feedback=fb, on=date(2026, 3, 9))
        fb.refresh_from_db()
        assert fb.status == "closed" and clock.next_due_of(fb) is None

    def test_a_future_receipt_date_is_refused(self, people, social_care):
        assert_refused(
            s.log_feedback,
            "future",
            actor=people["alice"],
            kind="complaint",
            channel="phone",
            received_on=date(2026, 12, 1),
            service=social_care,
            today=date(2026, 11, 1),
        )

    def test_the_same_idempotency_key_makes_one_record(self, people, social_care):
        a = log_complaint(people, social_care, idempotency_key="k1")
        b = log_complaint(people, social_care, idempotency_key="k1")
        assert a.pk == b.pk and Feedback.objects.count() == 1

    def test_councillor_enquiries_had_5_working_days_before_april_2018_and_10_after(self, people, social_care):
        before = s.log_feedback(
            actor=people["alice"],
            kind="councillor_enquiry",
            channel="email",
            received_on=date(2018, 3, 28),
            service=social_care,
            today=date(2018, 4, 3),
        )
        after = s.log_feedback(
            actor=people["alice"],
            kind="councillor_enquiry",
            channel="email",
            received_on=date(2018, 4, 3),
            service=social_care,
            today=date(2018, 4, 3),
        )
        # Wed 28 Mar 2018 + 5 skips Good Friday 30 Mar and Easter Monday 2 Apr → Fri 6 Apr.
        assert deadline(before, "enquiry_response").due_on == date(2018, 4, 6)
        assert deadline(after, "enquiry_response").due_on == date(2018, 4, 17)

    def test_an_mp_enquiry_has_5_working_days_and_cannot_be_extended(self, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="mp_enquiry",
            channel="letter",
            received_on=date(2026, 3, 2),
            service=social_care,
            enquiry_category="information",
            today=date(2026, 3, 2),
        )
        assert deadline(fb, "enquiry_response").due_on == date(2026, 3, 9)
        assert_refused(
            s.extend,
            "cannot be extended",
            actor=people["alice"],
            feedback=fb,
            step="enquiry_response",
            to_working_days=10,
            reason="busy",
            on=date(2026, 3, 3),
        )


class TestTriage:
    def test_a_representative_needs_the_childs_consent_where_it_can_be_asked(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.triage,
            "consent",
            actor=people["alice"],
            feedback=fb,
            complainant_role="representative",
            procedure="statutory",
            procedure_reason="about a child in need",
            child_consent="not_asked",
        )
        assert_refused(
            s.triage,
            "does not agree",
            actor=people["alice"],
            feedback=fb,
            complainant_role="representative",
            procedure="statutory",
            procedure_reason="about a child in need",
            child_consent="refused",
        )
        s.triage(
            actor=people["alice"],
            feedback=fb,
            complainant_role="representative",
            procedure="statutory",
            procedure_reason="about a child in need",
            child_consent="given",
        )

    def test_someone_else_needs_a_recorded_decision_of_sufficient_interest(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.triage,
            "sufficient interest",
            actor=people["alice"],
            feedback=fb,
            complainant_role="other",
            procedure="statutory",
            procedure_reason="child in need",
        )
        fb = s.triage(
            actor=people["alice"],
            feedback=fb,
            complainant_role="other",
            procedure="statutory",
            procedure_reason="child in need",
            sufficient_interest=True,
            sufficient_interest_reason="grandmother caring for the child three days a week",
        )
        assert fb.triage.sufficient_interest is True

    def test_organisations_cannot_use_the_statutory_procedure(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.triage,
            "organisations",
            actor=people["alice"],
            feedback=fb,
            complainant_role="organisation",
            procedure="statutory",
            procedure_reason="x",
        )

    def test_a_complaint_after_12_months_needs_a_recorded_reason_to_be_accepted(self, people, social_care):
        fb = log_complaint(people, social_care)
        kwargs = dict(
            actor=people["alice"],
            feedback=fb,
            complainant_role="parent_or_carer",
            procedure="statutory",
            procedure_reason="child in need",
            learned_of_matter_on=date(2025, 2, 1),
        )
        assert_refused(s.triage, "12 months", **kwargs)
        s.triage(**kwargs, late_reason="vulnerability", late_reason_detail="Mother was in hospital for a year")

    def test_an_excluded_matter_is_declined_and_the_person_sent_elsewhere(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.triage,
            "sent",
            actor=people["alice"],
            feedback=fb,
            complainant_role="parent_or_carer",
            procedure="statutory",
            procedure_reason="court report",
            exclusion="court",
        )
        fb = s.triage(
            actor=people["alice"],
            feedback=fb,
            complainant_role="parent_or_carer",
            procedure="statutory",
            procedure_reason="about a s.7 report",
            exclusion="court",
            sent_to="the court: seek legal advice",
        )
        assert fb.status == "declined" and clock.next_due_of(fb) is None

    def test_switching_to_the_corporate_procedure_restarts_the_clocks_under_its_rules(self, people, social_care):
        fb = log_complaint(people, social_care)
        fb = s.triage(
            actor=people["alice"],
            feedback=fb,
            complainant_role="parent_or_carer",
            procedure="corporate",
            procedure_reason="about school transport, not social care",
        )
        assert deadline(fb, "stage1_acknowledge").due_on == date(2026, 3, 9)  # 5 working days
        assert not Deadline.objects.filter(feedback=fb, step="acknowledge", cancelled=False).exists()
        s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 4), today=date(2026, 3, 4))
        # Corporate stage 1: 10 working days from acknowledgement.
        assert deadline(fb, "stage1_response").due_on == date(2026, 3, 18)


class TestStageOne:
    def test_acknowledging_meets_the_acknowledgement_deadline(self, people, social_care):
        fb = log_complaint(people, social_care)
        fb = s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 4), today=date(2026, 3, 4))
        assert deadline(fb, "acknowledge").met_on == date(2026, 3, 4)
        assert fb.status == "open" and clock.next_due_of(fb) == date(2026, 3, 16)

    def test_an_extension_is_capped_at_20_working_days_and_needs_a_reason(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.extend,
            "at most 20",
            actor=people["mo"],
            feedback=fb,
            step="stage1_response",
            to_working_days=21,
            reason="complex",
            on=date(2026, 3, 5),
        )
        assert_refused(
            s.extend,
            "reason",
            actor=people["mo"],
            feedback=fb,
            step="stage1_response",
            to_working_days=20,
            reason=" ",
            on=date(2026, 3, 5),
        )
        d = s.extend(
            actor=people["mo"],
            feedback=fb,
            step="stage1_response",
            to_working_days=20,
            reason="Several teams involved",
            on=date(2026, 3, 5),
        )
        assert d.due_on == date(2026, 3, 30) and d.original_due_on == date(2026, 3, 16)

    def test_the_responder_was_not_involved_in_the_matter(self, people, social_care):
        fb = log_complaint(people, social_care)
        s.record_involved_staff(actor=people["alice"], feedback=fb, staff=[people["sam"]])
        assert_refused(s.allocate, "involved", actor=people["alice"], feedback=fb, assignee=people["sam"])

    def test_a_finding_is_needed_on_every_point_and_the_outcome_follows_from_them(self, people, social_care):
        fb = log_complaint(people, social_care, points=("Visits cancelled", "Calls not returned"))
        assert_refused(
            s.respond,
            "point",
            actor=people["sam"],
            feedback=fb,
            on=date(2026, 3, 10),
            findings={1: FindingInput("upheld")},
            today=date(2026, 3, 10),
        )
        stage = s.respond(
            actor=people["sam"],
            feedback=fb,
            on=date(2026, 3, 10),
            today=date(2026, 3, 10),
            findings={1: FindingInput("upheld"), 2: FindingInput("not_upheld")},
        )
        assert stage.outcome == Outcome.PARTIALLY_UPHELD

    def test_derived_outcomes(self):
        assert s.derive_outcome(["upheld", "upheld"]) == "upheld"
        assert s.derive_outcome(["upheld", "not_upheld"]) == "partially_upheld"
        assert s.derive_outcome(["partially_upheld"]) == "partially_upheld"
        assert s.derive_outcome(["not_upheld", "not_investigated"]) == "not_upheld"

    def test_a_point_not_investigated_needs_a_reason(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.respond,
            "reason",
            actor=people["sam"],
            feedback=fb,
            on=date(2026, 3, 10),
            findings={1: FindingInput("not_investigated")},
            today=date(2026, 3, 10),
        )

    def test_a_complaint_withdrawn_before_its_response_is_withdrawn(self, people, social_care):
        fb = log_complaint(people, social_care)
        fb = s.withdraw(actor=people["alice"], feedback=fb, on=date(2026, 3, 6), reason="Resolved by phone")
        assert fb.status == "withdrawn" and clock.next_due_of(fb) is None
        assert Stage.objects.get(feedback=fb, number=1).outcome == "withdrawn"

    def test_stage_2_cannot_be_asked_for_before_the_stage_1_response(self, people, social_care):
        fb = log_complaint(people, social_care)
        assert_refused(
            s.escalate_to_stage_2,
            "not been responded",
            actor=None,
            feedback=fb,
            requested_on=date(2026, 3, 10),
            reason="unhappy",
            today=date(2026, 3, 10),
        )

    def test_a_late_stage_2_request_needs_a_recorded_decision(self, people, social_care):
        fb = log_complaint(people, social_care)
        respond_all(people, fb, on=date(2026, 3, 10))
        # 20 working days from Tue 10 Mar 2026 skip Good Friday 3 Apr and Easter Monday 6 Apr → Thu 9 Apr.
        assert s.window_end(fb, "stage2_request_window") == date(2026, 4, 9)
        assert_refused(
            s.escalate_to_stage_2,
            "accept it late",
            actor=None,
            feedback=fb,
            requested_on=date(2026, 4, 10),
            reason="still unhappy",
            today=date(2026, 4, 10),
        )
        s.escalate_to_stage_2(
            actor=None,
            feedback=fb,
            requested_on=date(2026, 4, 10),
            reason="still unhappy",
            late_request_decision="Was in hospital",
            today=date(2026, 4, 10),
        )


def take_to_stage_2(people, service):
    fb = log_complaint(people, service)
    s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 3), today=date(2026, 3, 3))
    respond_all(people, fb, finding="not_upheld", on=date(2026, 3, 10))
    s.escalate_to_stage_2(
        actor=None, feedback=fb, requested_on=date(2026, 3, 20), reason="Nothing changed", today=date(2026, 3, 20)
    )
    return Feedback.objects.get(pk=fb.pk)


class TestStageTwo:
    def test_stage_2_clock_starts_when_the_statement_of_complaint_is_agreed(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        assert not Deadline.objects.filter(feedback=fb, step="stage2_response").exists()
        s.agree_statement_of_complaint(
            actor=people["alice"],
            feedback=fb,
            agreed_on=date(2026, 3, 25),
            statement="Agreed statement",
            points=["Visits cancelled without notice"],
            today=date(2026, 3, 25),
        )
        # 25 working days from Wed 25 Mar 2026, skipping Good Friday and Easter Monday → Fri 1 May.
        assert deadline(fb, "stage2_response").due_on == date(2026, 5, 1)

    def test_stage_2_extends_to_at_most_65_working_days(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        s.agree_statement_of_complaint(
            actor=people["alice"], feedback=fb, agreed_on=date(2026, 3, 25), statement="Agreed", today=date(2026, 3, 25)
        )
        assert_refused(
            s.extend,
            "at most 65",
            actor=people["mo"],
            feedback=fb,
            step="stage2_response",
            to_working_days=66,
            reason="complex",
            on=date(2026, 4, 1),
        )
        s.extend(
            actor=people["mo"],
            feedback=fb,
            step="stage2_response",
            to_working_days=65,
            reason="complex",
            on=date(2026, 4, 1),
        )

    def test_the_independent_person_is_neither_an_officer_nor_a_member(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        assert_refused(
            s.appoint_independent_person, "not independent", actor=people["mo"], feedback=fb, person=people["olga"]
        )
        s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])

    def test_the_investigating_officer_is_outside_the_line_management_of_the_service(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        assert_refused(
            s.appoint_investigating_officer, "line management", actor=people["mo"], feedback=fb, officer=people["sam"]
        )
        s.appoint_investigating_officer(actor=people["mo"], feedback=fb, officer=people["ian"])

    def test_stage_2_finds_on_the_points_of_the_agreed_statement(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        s.agree_statement_of_complaint(
            actor=people["alice"],
            feedback=fb,
            agreed_on=date(2026, 3, 25),
            statement="Agreed",
            points=["Contact plan not followed", "No reply to calls"],
            today=date(2026, 3, 25),
        )
        s.appoint_investigating_officer(actor=people["mo"], feedback=fb, officer=people["ian"])
        s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
        stage = s.respond(
            actor=people["erin"],
            feedback=fb,
            on=date(2026, 4, 28),
            adjudicating_officer=people["erin"],
            findings={2: FindingInput("upheld"), 3: FindingInput("not_upheld")},
            today=date(2026, 4, 28),
        )
        assert stage.outcome == Outcome.PARTIALLY_UPHELD

    def test_stage_2_response_needs_the_agreed_statement_and_both_appointments(self, people, social_care):
        fb = take_to_stage_2(people, social_care)
        assert_refused(
            s.respond,
            "statement of complaint",
            actor=people["sam"],
            feedback=fb,
            on=date(2026, 4, 20),
            findings={1: FindingInput("upheld")},
            adjudicating_officer=people["erin"],
            today=date(2026, 4, 20),
        )


def take_to_stage_3(people, service):
    fb = take_to_stage_2(people, service)
    s.agree_statement_of_complaint(
        actor=people["alice"], feedback=fb, agreed_on=date(2026, 3, 25), statement="Agreed", today=date(2026, 3, 25)
    )
    s.appoint_investigating_officer(actor=people["mo"], feedback=fb, officer=people["ian"])
    s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
    s.respond(
        actor=people["erin"],
        feedback=fb,
        on=date(2026, 4, 28),
        adjudicating_officer=people["erin"],
        findings={p.number: FindingInput("partially_upheld") for p in fb.points.all()},
        today=date(2026, 4, 28),
    )
    s.escalate_to_stage_3(
        actor=None, feedback=fb, requested_on=date(2026, 5, 5), reason="Panel please", today=date(2026, 5, 5)
    )
    return Feedback.objects.get(pk=fb.pk)


class TestStageThree:
    def test_the_panel_meets_within_30_working_days_of_the_request(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        # Tue 5 May 2026 + 30 working days, skipping the Spring bank holiday Mon 25 May → Wed 17 Jun.
        assert deadline(fb, "panel_meeting").due_on == date(2026, 6, 17)

    def test_the_chair_is_appointed_first(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        assert_refused(
            s.appoint_panel_member,
            "chair",
            actor=people["mo"],
            feedback=fb,
            person=people["quinn"],
            chair=False,
            on=date(2026, 5, 6),
        )

    def test_the_stage_2_independent_person_may_not_sit_on_the_panel(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        assert_refused(
            s.appoint_panel_member,
            "may not sit on the panel",
            actor=people["mo"],
            feedback=fb,
            person=people["pat"],
            chair=True,
            on=date(2026, 5, 6),
        )

    def test_panel_members_are_independent(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        assert_refused(
            s.appoint_panel_member,
            "not independent",
            actor=people["mo"],
            feedback=fb,
            person=people["olga"],
            chair=True,
            on=date(2026, 5, 6),
        )

    def test_the_complainant_is_told_the_date_at_least_10_working_days_ahead(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        for name, chair in (("quinn", True), ("robin", False), ("tess", False)):
            s.appoint_panel_member(
                actor=people["mo"], feedback=fb, person=people[name], chair=chair, on=date(2026, 5, 6)
            )
        assert_refused(
            s.arrange_panel_meeting,
            "at least 10",
            actor=people["mo"],
            feedback=fb,
            meeting_on=date(2026, 6, 10),
            notified_on=date(2026, 6, 1),
        )
        assert_refused(
            s.arrange_panel_meeting,
            "must meet by",
            actor=people["mo"],
            feedback=fb,
            meeting_on=date(2026, 6, 18),
            notified_on=date(2026, 5, 20),
        )
        s.arrange_panel_meeting(
            actor=people["mo"], feedback=fb, meeting_on=date(2026, 6, 10), notified_on=date(2026, 5, 20)
        )

    def test_full_journey_to_the_director_and_the_ombudsman(self, people, social_care):
        fb = take_to_stage_3(people, social_care)
        for name, chair in (("quinn", True), ("robin", False), ("tess", False)):
            s.appoint_panel_member(
                actor=people["mo"], feedback=fb, person=people[name], chair=chair, on=date(2026, 5, 6)
            )
        s.arrange_panel_meeting(
            actor=people["mo"], feedback=fb, meeting_on=date(2026, 6, 10), notified_on=date(2026, 5, 20)
        )
        s.record_panel_report(
            actor=people["mo"],
            feedback=fb,
            received_on=date(2026, 6, 15),
            recommendations="Apologise and review the contact plan",
        )
        assert deadline(fb, "panel_report").met_on == date(2026, 6, 15)
        assert deadline(fb, "director_response").due_on == date(2026, 7, 6)
        s.record_director_response(
            actor=people["dina"],
            feedback=fb,
            on=date(2026, 7, 1),
            agrees=True,
            response="We accept the panel's recommendations",
        )
        case = s.refer_to_ombudsman(actor=people["mo"], feedback=fb, referred_on=date(2026, 8, 1))
        enquiry = s.record_ombudsman_enquiry(
            actor=people["mo"], feedback=fb, kind="initial", received_on=date(2026, 8, 3), due_on=date(2026, 8, 31)
        )
        s.answer_ombudsman_enquiry(actor=people["mo"], enquiry=enquiry, answered_on=date(2026, 8, 20))
        s.record_ombudsman_decision(
            actor=people["mo"], feedback=fb, decision="upheld_remedied_by_council", decided_on=date(2026, 10, 1)
        )
        case.refresh_from_db()
        assert case.decision == "upheld_remedied_by_council"
        fb.refresh_from_db()
        actions = list(Event.objects.filter(feedback=fb).values_list("action", flat=True))
        assert actions[0] == "logged" and "director_responded" in actions and actions[-1] == "ombudsman_decided"


class TestSuspension:
    def test_suspension_stops_the_clock_and_resuming_restarts_it(self, people, social_care):
        fb = log_complaint(people, social_care)
        s.suspend(actor=people["mo"], feedback=fb, on=date(2026, 3, 4), reason="court", detail="Care proceedings")
        fb.refresh_from_db()
        assert fb.status == "suspended" and clock.next_due_of(fb) is None
        assert_refused(
            s.respond,
            "suspended",
            actor=people["sam"],
            feedback=fb,
            on=date(2026, 3, 5),
            findings={1: FindingInput("upheld")},
            today=date(2026, 3, 5),
        )
        s.resume(actor=people["mo"], feedback=fb, on=date(2026, 3, 11))
        # Suspended Wed 4 to Wed 11 Mar: 5 working days; stage 1 moves from Mon 16 to Mon 23 Mar.
        assert deadline(fb, "stage1_response").due_on == date(2026, 3, 23)


class TestOptimisticLocking:
    def test_a_stale_form_changes_nothing(self, people, social_care):
        fb = log_complaint(people, social_care)
        version = fb.version
        s.allocate(actor=people["alice"], feedback=fb, assignee=people["sam"], expected_version=version)
        assert_refused(
            s.acknowledge,
            "changed while you were editing",
            actor=people["alice"],
            feedback=fb,
            on=date(2026, 3, 3),
            expected_version=version,
            today=date(2026, 3, 3),
        )


class TestEvents:
    def test_events_are_append_only(self, people, social_care):
        fb = log_complaint(people, social_care)
        event = Event.objects.filter(feedback=fb).first()
        event.summary = "tampered"
        with pytest.raises(ValueError):
            event.save()
        with pytest.raises(ValueError):
            event.delete()


class TestRestrictions:
    def test_a_restriction_is_approved_by_a_director_and_notified_beforehand(self, people, social_care):
        fb = log_complaint(people, social_care)
        kwargs = dict(
            actor=people["mo"],
            person=fb.complainant,
            terms="Email only, to Mo",
            reason="Abusive calls",
            starts_on=date(2026, 3, 10),
            review_on=date(2026, 9, 10),
        )
        assert_refused(s.apply_restriction, "director", approved_by=people["mo"], warned_on=date(2026, 3, 3), **kwargs)
        assert_refused(s.apply_restriction, "before", approved_by=people["dina"], warned_on=date(2026, 3, 10), **kwargs)
        r = s.apply_restriction(approved_by=people["dina"], warned_on=date(2026, 3, 3), **kwargs)
        assert s.restrictions_in_force(fb.complainant, date(2026, 4, 1)) == [r]
