"""Every lifecycle action as a form that calls its service: the whole statutory journey through the
staff pages, and each kind of refusal shown next to its field with the rule, changing nothing."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Deadline, Event, Feedback, OmbudsmanCase, Restriction
from heard.staff.tests.test_case_page import at_stage_2, log_complaint
from heard.staff.views_case import ACTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen(time_machine):
    # Services refuse dates in the future: every date below is before this.
    time_machine.move_to("2026-11-02 10:00:00+00:00", tick=False)


def d(name, day):
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


class Staff:
    def __init__(self, client, people):
        self.client, self.people = client, people

    def as_(self, name):
        self.client.force_login(self.people[name])
        return self

    def post(self, fb, action, data, *, expect=302):
        fb.refresh_from_db()
        url = reverse(f"staff:{action}", args=[fb.reference])
        response = self.client.post(url, {"version": fb.version, **data})
        assert response.status_code == expect, problems(response)
        return response

    def page(self, fb, action="case"):
        return unescape(self.client.get(reverse(f"staff:{action}", args=[fb.reference])).content.decode())


@pytest.fixture
def staff(client, people):
    return Staff(client, people)


def problems(response):
    html = unescape(response.content.decode())
    start = html.find("govuk-error-summary")
    return html[start : start + 1500] if start >= 0 else html[:500]


def error_for(html, field):
    """The GOV.UK error message rendered next to a field."""
    start = html.index(f'id="{field}-error"')
    return html[start : html.index("</p>", start)]


class TestTheStatutoryJourneyThroughTheForms:
    def test_from_logging_to_the_ombudsman(self, staff, people, social_care, services):
        fb = log_complaint(people, social_care)
        staff.as_("alice").post(fb, "acknowledge", d("on", date(2026, 3, 3)))
        staff.post(fb, "allocate", {"assignee": people["sam"].pk})
        staff.as_("sam").post(
            fb,
            "respond",
            {
                **d("on", date(2026, 3, 10)),
                "finding_1": "not_upheld",
                "reason_1": "",
                "response": "Visits were cancelled for illness",
                "remedy_kind_1": "explanation",
                "remedy_description_1": "Why",
            },
        )
        fb.refresh_from_db()
        assert fb.status == "responded" and fb.stages.get(number=1).outcome == "not_upheld"
        assert fb.remedies.get().kind == "explanation"

        staff.as_("alice").post(
            fb,
            "escalate",
            {**d("requested_on", date(2026, 3, 20)), "reason": "Nothing changed", "late_request_decision": ""},
        )
        staff.post(
            fb,
            "statement",
            {
                **d("agreed_on", date(2026, 3, 25)),
                "statement": "Agreed statement",
                "points": "Visits cancelled without notice\nCalls not returned",
            },
        )
        # 25 working days from Wed 25 Mar 2026, skipping Good Friday and Easter Monday → Fri 1 May.
        assert Deadline.objects.get(feedback=fb, step="stage2_response").due_on == date(2026, 5, 1)
        staff.post(fb, "appoint_officer", {"officer": people["ian"].pk})
        staff.post(fb, "appoint_independent_person", {"person": people["pat"].pk})
        fb.refresh_from_db()
        findings = {f"finding_{p.number}": "partially_upheld" for p in fb.points.all()}
        staff.as_("sam").post(
            fb, "respond", {**d("on", date(2026, 4, 28)), **findings, "adjudicating_officer": people["erin"].pk}
        )
        assert fb.stages.get(number=2).adjudicating_officer == people["erin"]

        staff.as_("alice").post(fb, "escalate", {**d("requested_on", date(2026, 5, 5)), "reason": "Panel please"})
        for name, chair in (("quinn", "yes"), ("robin", "no"), ("tess", "no")):
            staff.post(fb, "panel_member", {"person": people[name].pk, "chair": chair, **d("on", date(2026, 5, 6))})
        staff.post(
            fb,
            "panel_arrange",
            {**d("meeting_on", date(2026, 6, 10)), **d("notified_on", date(2026, 5, 20)), "venue": "Town Hall"},
        )
        staff.post(fb, "panel_report", {**d("received_on", date(2026, 6, 15)), "recommendations": "Apologise"})
        staff.as_("dina").post(
            fb, "director_response", {"agrees": "yes", "response": "We accept", **d("on", date(2026, 7, 1))}
        )
        staff.as_("alice").post(
            fb, "ombudsman_refer", {**d("referred_on", date(2026, 8, 1)), "their_reference": "25 001 234"}
        )
        staff.post(
            fb,
            "ombudsman_enquiry",
            {"kind": "initial", **d("received_on", date(2026, 8, 3)), **d("due_on", date(2026, 8, 31))},
        )
        enquiry = OmbudsmanCase.objects.get(feedback=fb).enquiries.get()
        staff.post(fb, "ombudsman_answer", {"enquiry": enquiry.pk, **d("answered_on", date(2026, 8, 20))})
        staff.post(
            fb, "ombudsman_decision", {"decision": "upheld_remedied_by_council", **d("decided_on", date(2026, 10, 1))}
        )
        staff.post(fb, "ombudsman_recommendation", {"text": "Pay £200", **d("due_on", date(2026, 11, 1))})
        rec = OmbudsmanCase.objects.get(feedback=fb).recommendations.get()
        staff.post(fb, "ombudsman_compliance", {"recommendation": rec.pk, **d("complied_on", date(2026, 10, 20))})

        actions = list(Event.objects.filter(feedback=fb).values_list("action", flat=True))
        assert actions[0] == "logged" and "director_responded" in actions and actions[-1] == "ombudsman_complied"
        # Every change was made by the person signed in.
        assert Event.objects.get(feedback=fb, action="director_responded").actor == people["dina"]
        html = staff.page(fb)
        for text in (
            "Quinn Quayle (chair)",
            "Upheld: remedied by the council",
            "Answered 20 August 2026",
            "Complied 20 October 2026",
            "Director's response",
            "We accept",
        ):
            assert text in html, text


class TestRefusals:
    def test_a_refusal_shows_the_message_by_the_field_and_the_rule_and_changes_nothing(
        self, staff, people, social_care
    ):
        fb = log_complaint(people, social_care)
        before = (Event.objects.count(), fb.version)
        response = staff.as_("alice").post(
            fb,
            "extend",
            {"step": "stage1_response", "to_working_days": "21", "reason": "complex", **d("on", date(2026, 3, 5))},
            expect=400,
        )
        html = unescape(response.content.decode())
        assert "can be extended to at most 20 working days, not 21" in error_for(html, "id_to_working_days")
        assert 'href="#id_to_working_days"' in html  # in the error summary, linked to the field
        assert "Rule:</strong> extension ceiling 20 working days (SI 2006/1738 reg 14" in html
        assert "<title>Error: " in html
        fb.refresh_from_db()
        assert (Event.objects.count(), fb.version) == before

    def test_the_investigating_officer_must_be_outside_the_services_line_management(self, staff, people, social_care):
        fb = at_stage_2(people, social_care)
        response = staff.as_("alice").post(fb, "appoint_officer", {"officer": people["sam"].pk}, expect=400)
        html = unescape(response.content.decode())
        assert "Sam Singh works in Children's Social Care" in error_for(html, "id_officer")
        assert "Getting the Best from Complaints 3.4" in html
        assert fb.stages.get(number=2).investigating_officer is None

    def test_a_refusal_not_about_one_field_is_shown_at_the_top(self, staff, people, social_care):
        fb = at_stage_2(people, social_care)
        fb.refresh_from_db()
        response = staff.as_("alice").post(
            fb,
            "respond",
            {**d("on", date(2026, 4, 1)), "finding_1": "upheld", "adjudicating_officer": people["erin"].pk},
            expect=400,
        )
        html = unescape(response.content.decode())
        summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
        assert "The statement of complaint has not been agreed with the complainant." in summary
        assert "Rule:</strong> stage 2 investigates the agreed statement of complaint (reg 17)" in html

    def test_missing_answers_get_govuk_messages(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        html = unescape(staff.as_("alice").post(fb, "acknowledge", {}, expect=400).content.decode())
        assert "Enter date acknowledged" in error_for(html, "id_on")
        html = unescape(staff.post(fb, "respond", {**d("on", date(2026, 3, 9))}, expect=400).content.decode())
        assert "Select a finding for point 1" in html

    def test_a_role_without_the_action_is_refused(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        assert staff.as_("sam").post(fb, "acknowledge", d("on", date(2026, 3, 3)), expect=403)
        assert staff.as_("alice").post(
            fb, "suspend", {"reason": "court", "detail": "x", **d("on", date(2026, 3, 3))}, expect=403
        )
        fb.refresh_from_db()
        assert fb.acknowledged_on is None and fb.status == "received"

    def test_a_restriction_is_approved_by_a_director_chosen_from_a_list(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        html = staff.as_("mo").page(fb, "restrict")
        assert "Dina Douglas" in html and "Sam Singh" not in html
        data = {
            "terms": "Email only",
            "reason": "Abusive calls",
            **d("warned_on", date(2026, 3, 10)),
            "approved_by": people["dina"].pk,
            **d("starts_on", date(2026, 3, 10)),
            **d("review_on", date(2026, 9, 10)),
        }
        html = unescape(staff.post(fb, "restrict", data, expect=400).content.decode())
        assert "The person must be told before the restriction starts." in error_for(html, "id_warned_on")
        staff.post(fb, "restrict", {**data, **d("warned_on", date(2026, 3, 3))})
        restriction = Restriction.objects.get()
        staff.post(
            fb,
            "restriction_lift",
            {"restriction": restriction.pk, **d("on", date(2026, 6, 1)), "reason": "Behaviour improved"},
        )
        restriction.refresh_from_db()
        assert restriction.lifted_on == date(2026, 6, 1)


class TestOtherActions:
    def test_every_action_page_renders_a_form_for_the_complaints_manager(self, staff, people, social_care):
        fb = at_stage_2(people, social_care)
        staff.as_("mo")
        for action in ACTIONS:
            response = staff.client.get(reverse(f"staff:{action.name}", args=[fb.reference]))
            assert response.status_code == 200, action.name
            html = unescape(response.content.decode())
            assert f'<h1 class="govuk-heading-l">{action.title}</h1>' in html, action.name
            assert f'name="version" value="{fb.version}"' in html, action.name

    def test_ombudsman_steps_before_the_referral_are_refused_with_a_message(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        html = unescape(
            staff.as_("alice")
            .post(
                fb, "ombudsman_decision", {"decision": "not_upheld", **d("decided_on", date(2026, 10, 1))}, expect=400
            )
            .content.decode()
        )
        assert "Record the Ombudsman referral first" in html
        assert not OmbudsmanCase.objects.exists()

    def test_suspend_resume_and_close(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        staff.as_("mo").post(
            fb, "suspend", {"reason": "court", "detail": "Care proceedings", **d("on", date(2026, 3, 4))}
        )
        assert "Resume" in staff.page(fb)
        staff.post(fb, "resume", d("on", date(2026, 3, 11)))
        assert Deadline.objects.get(feedback=fb, step="stage1_response", cancelled=False).due_on == date(2026, 3, 23)
        html = unescape(staff.post(fb, "close", d("on", date(2026, 3, 20)), expect=400).content.decode())
        assert "Stage 1 has not been responded to." in html
        staff.as_("sam").post(fb, "respond", {**d("on", date(2026, 3, 20)), "finding_1": "upheld"})
        staff.as_("alice").post(fb, "close", d("on", date(2026, 4, 20)))
        fb.refresh_from_db()
        assert fb.status == "closed"

    def test_lessons_and_remedies_are_followed_to_completion(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        staff.as_("sam").post(
            fb,
            "respond",
            {
                **d("on", date(2026, 3, 10)),
                "finding_1": "upheld",
                "remedy_kind_1": "financial",
                "remedy_amount_1": "250.00",
                "remedy_description_1": "Time and trouble",
            },
        )
        staff.post(
            fb,
            "lesson",
            {"action": "Cover rota for contact", "owner": people["sam"].pk, **d("due_on", date(2026, 12, 1))},
        )
        lesson, remedy = fb.lessons.get(), fb.remedies.get()
        assert str(remedy.amount) == "250.00"
        staff.post(fb, "lesson_complete", {"lesson": lesson.pk, **d("on", date(2026, 11, 2))})
        staff.post(fb, "remedy_complete", {"remedy": remedy.pk, **d("on", date(2026, 3, 20))})
        lesson.refresh_from_db()
        remedy.refresh_from_db()
        assert lesson.completed_on and remedy.completed_on

    def test_a_financial_remedy_needs_its_amount(self, staff, people, social_care):
        fb = log_complaint(people, social_care)
        html = unescape(
            staff.as_("sam")
            .post(
                fb,
                "respond",
                {**d("on", date(2026, 3, 10)), "finding_1": "upheld", "remedy_kind_1": "financial"},
                expect=400,
            )
            .content.decode()
        )
        assert "A financial remedy needs its amount." in html
        assert fb.remedies.count() == 0 and fb.stages.get(number=1).responded_on is None


class TestComplimentsCommentsAndEnquiries:
    def test_a_compliment_is_passed_on_categorised_and_chosen_for_the_report(self, staff, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="compliment",
            channel="email",
            received_on=date(2026, 3, 6),
            service=social_care,
            compliment_source="external",
            today=date(2026, 3, 6),
        )
        staff.as_("alice").post(fb, "categorise", {"compliment_source": "internal"})
        staff.post(fb, "select_for_report", {"selected": "yes"})
        staff.post(fb, "pass_to_service", d("on", date(2026, 3, 9)))
        fb.refresh_from_db()
        assert fb.compliment_source == "internal" and fb.selected_for_report and fb.status == "closed"
        event = Event.objects.get(feedback=fb, action="selected_for_report")
        assert event.actor == people["alice"] and event.data == {"before": False, "after": True}
        html = unescape(staff.post(fb, "select_for_report", {"selected": "yes"}, expect=400).content.decode())
        assert "already in the report's selection" in html

    def test_an_enquiry_is_answered_and_linked_to_a_complaint(self, staff, people, social_care):
        complaint = log_complaint(people, social_care)
        enquiry = s.log_feedback(
            actor=people["alice"],
            kind="mp_enquiry",
            channel="letter",
            received_on=date(2026, 3, 2),
            service=social_care,
            today=date(2026, 3, 2),
        )
        staff.as_("alice").post(enquiry, "categorise", {"enquiry_category": "case_review"})
        staff.post(enquiry, "link", {"other": complaint.reference.lower()})
        staff.post(enquiry, "answer_enquiry", {**d("on", date(2026, 3, 6)), "response": "Explained the plan"})
        enquiry.refresh_from_db()
        assert enquiry.enquiry_category == "case_review" and enquiry.status == "closed"
        assert list(enquiry.linked.all()) == [complaint]
        assert complaint.reference in staff.page(enquiry) and enquiry.reference in staff.page(complaint)

    def test_a_link_needs_a_reference_the_user_can_see(self, staff, people, social_care):
        mine = log_complaint(people, social_care)
        html = unescape(staff.as_("alice").post(mine, "link", {"other": "CS-2026-99999"}, expect=400).content.decode())
        assert "Enter the reference of a record you can see" in error_for(html, "id_other")
        html = unescape(staff.post(mine, "link", {"other": mine.reference}, expect=400).content.decode())
        assert "A record cannot be linked to itself." in error_for(html, "id_other")
        assert not Feedback.objects.get(pk=mine.pk).linked.exists()
