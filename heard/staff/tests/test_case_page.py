"""The case page: everything about one case on one page, for the people who may see it, in a fixed
number of queries."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Feedback
from heard.feedback.services import FindingInput, PersonDetails
from heard.staff.models import AccessRecord

pytestmark = pytest.mark.django_db
FROZEN = "2026-03-09 10:00:00+00:00"


def log_complaint(people, service, *, received=date(2026, 3, 2), points=("Visits were cancelled",), **kw):
    return s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=received,
        service=service,
        summary="Contact visits keep being cancelled",
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        complainant_role="parent_or_carer",
        points=points,
        today=date(2026, 11, 1),
        **kw,
    )


def at_stage_2(people, service):
    fb = log_complaint(people, service)
    s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 3, 3), today=date(2026, 3, 3))
    s.respond(
        actor=people["sam"],
        feedback=fb,
        on=date(2026, 3, 10),
        today=date(2026, 3, 10),
        findings={p.number: FindingInput("not_upheld") for p in fb.points.all()},
    )
    s.escalate_to_stage_2(
        actor=None, feedback=fb, requested_on=date(2026, 3, 20), reason="Nothing changed", today=date(2026, 3, 20)
    )
    return Feedback.objects.get(pk=fb.pk)


def case_url(fb, name="case"):
    return reverse(f"staff:{name}", args=[fb.reference])


@pytest.fixture
def signed_in(client, people):
    def sign_in(name):
        client.force_login(people[name])
        return client

    return sign_in


class TestWhatTheCasePageShows:
    def test_the_page_shows_summary_people_deadlines_points_and_timeline(self, signed_in, people, social_care):
        fb = log_complaint(people, social_care, child=PersonDetails("Sam Junior", is_child=True))
        s.add_note(actor=people["alice"], feedback=fb, text="Mother prefers calls after 4pm")
        html = unescape(signed_in("alice").get(case_url(fb)).content.decode())
        for text in (
            fb.reference,
            "Children's statutory complaints procedure",
            "Children's Social Care",
            "Jo Bloggs",
            "Sam Junior",
            "Acknowledge the complaint",
            "Thursday 5 March 2026",
            "Respond at stage 1 (local resolution)",
            "Visits were cancelled",
            "Mother prefers calls after 4pm",
            "Complaint logged (Email)",
            "Internal note",
        ):
            assert text in html, text

    def test_every_deadline_explains_how_it_was_worked_out_with_the_rule(self, signed_in, people, social_care):
        # Received Thu 2 Apr 2026: 10 working days skip Good Friday 3 Apr and Easter Monday 6 Apr.
        fb = log_complaint(people, social_care, received=date(2026, 4, 2))
        html = unescape(signed_in("alice").get(case_url(fb)).content.decode())
        assert "How was this worked out?" in html
        assert "skipping Fri 3 Apr (Good Friday), Mon 6 Apr (Easter Monday) → due Mon 20 Apr 2026" in html
        assert "SI 2006/1738 reg 14" in html  # the rule's citation

    def test_the_safeguarding_banner_is_on_the_case_and_every_action_page_once_flagged(
        self, signed_in, people, social_care
    ):
        fb = log_complaint(people, social_care)
        client = signed_in("alice")
        assert "govuk-notification-banner heard-safeguarding-banner" not in client.get(case_url(fb)).content.decode()
        s.flag_safeguarding(
            actor=people["alice"],
            feedback=fb,
            referred_to="MASH",
            referred_on=date(2026, 3, 2),
            reason="Child said they were hit",
        )
        for name in ("case", "acknowledge", "respond", "note"):
            html = unescape(client.get(case_url(fb, name)).content.decode())
            assert 'class="govuk-notification-banner heard-safeguarding-banner"' in html, name
            assert "Referred to MASH on 2 March 2026" in html

    def test_a_restriction_on_the_complainant_shows_as_a_warning(self, signed_in, people, social_care):
        fb = log_complaint(people, social_care)
        s.apply_restriction(
            actor=people["mo"],
            person=fb.complainant,
            terms="Email only, to Mo",
            reason="Abusive",
            warned_on=date(2026, 3, 3),
            approved_by=people["dina"],
            starts_on=date(2026, 3, 10),
            review_on=date(2026, 9, 10),
        )
        html = unescape(signed_in("alice").get(case_url(fb)).content.decode())
        assert "Contact with the complainant is restricted: Email only, to Mo" in html
        assert "Contact restricted until review on 10 September 2026" in html  # in the timeline too

    def test_a_compliment_has_the_simpler_page(self, signed_in, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="compliment",
            channel="email",
            received_on=date(2026, 3, 6),
            service=social_care,
            compliment_source="external",
            summary="Thank you to Kim",
            today=date(2026, 3, 6),
        )
        html = unescape(signed_in("alice").get(case_url(fb)).content.decode())
        assert "Points and findings" not in html
        assert "Pass to the service" in html and "Choose for the annual report" in html
        assert "External (service users and families)" in html


class TestTheActionsOffered:
    def _offered(self, client, fb):
        html = unescape(client.get(case_url(fb)).content.decode())
        start = html.index('id="case-actions"')
        return html[start : html.index("</ul>", start)]

    def test_customer_relations_is_offered_the_procedure_steps_the_stage_allows(self, signed_in, people, social_care):
        fb = log_complaint(people, social_care)
        offered = self._offered(signed_in("alice"), fb)
        for title in ("Acknowledge", "Allocate", "Respond", "Extend a deadline", "Add a note", "Withdraw"):
            assert f">{title}<" in offered, title
        for title in (
            "Escalate",
            "Agree the statement of complaint",
            "Record the director's response",
            "Suspend",
            "Close",
        ):
            assert f">{title}<" not in offered, title  # not at this stage, or not this role (suspend)

    def test_a_service_manager_may_respond_but_not_run_the_procedure(self, signed_in, people, social_care):
        fb = log_complaint(people, social_care)
        offered = self._offered(signed_in("sam"), fb)
        assert ">Respond<" in offered and ">Allocate<" in offered
        assert ">Acknowledge<" not in offered and ">Withdraw<" not in offered

    def test_stage_2_offers_the_statement_and_the_appointments(self, signed_in, people, social_care):
        fb = at_stage_2(people, social_care)
        offered = self._offered(signed_in("alice"), fb)
        for title in (
            "Agree the statement of complaint",
            "Appoint the investigating officer",
            "Appoint the independent person",
        ):
            assert f">{title}<" in offered, title
        assert ">Respond<" not in offered  # not until the statement is agreed

    def test_the_independent_person_sees_only_notes_and_documents(self, signed_in, people, social_care):
        fb = at_stage_2(people, social_care)
        s.appoint_independent_person(actor=people["mo"], feedback=fb, person=people["pat"])
        offered = self._offered(signed_in("pat"), fb)
        assert ">Add a note<" in offered and ">Add a document<" in offered
        assert ">Respond<" not in offered and ">Allocate<" not in offered


class TestAccess:
    def test_viewing_a_case_is_recorded_in_the_access_audit(self, signed_in, people, social_care):
        fb = log_complaint(people, social_care)
        signed_in("sam").get(case_url(fb))
        record = AccessRecord.objects.get(feedback=fb, user=people["sam"])
        assert record.action == "viewed" and record.detail == "case"

    @pytest.mark.parametrize("name", ["erin", "ian", "pat", "quinn", "ada", "charlie"])
    def test_people_with_no_reason_to_see_the_case_get_not_found(self, signed_in, people, social_care, name):
        fb = log_complaint(people, social_care)
        assert signed_in(name).get(case_url(fb)).status_code == 404
        assert signed_in(name).get(case_url(fb, "acknowledge")).status_code == 404

    def test_signed_out_people_are_sent_to_sign_in(self, client, people, social_care):
        fb = log_complaint(people, social_care)
        response = client.get(case_url(fb))
        assert response.status_code == 302 and "/staff/sign-in" in response["Location"]


class TestQueries:
    def _grow(self, people, fb, n):
        for i in range(n):
            s.add_note(actor=people["alice"], feedback=fb, text=f"note {i}")
            s.add_point(actor=people["alice"], feedback=fb, summary=f"point {i}")
            s.record_lesson(
                actor=people["alice"],
                feedback=fb,
                action=f"lesson {i}",
                owner=people["sam"],
                due_on=date(2026, 12, 1),
                on=date(2026, 3, 3),
            )
        s.extend(
            actor=people["alice"],
            feedback=fb,
            step="stage1_response",
            to_working_days=10 + n,
            reason="complex",
            on=date(2026, 3, 3),
        )

    def test_the_case_page_query_count_does_not_grow_with_the_case(
        self, signed_in, people, social_care, django_assert_num_queries, tmp_path, settings
    ):
        from django.core.files.uploadedfile import SimpleUploadedFile

        from heard.feedback.documents import upload_document

        settings.MEDIA_ROOT = tmp_path
        small, large = log_complaint(people, social_care), log_complaint(people, social_care)
        self._grow(people, small, 1)
        self._grow(people, large, 8)
        for fb, n in ((small, 1), (large, 8)):
            for i in range(n):
                upload_document(
                    actor=people["alice"],
                    feedback=fb,
                    kind="evidence",
                    upload=SimpleUploadedFile(f"n{i}.txt", b"some evidence\n"),
                )
        client = signed_in("alice")
        client.get(case_url(small))  # warm the calendar and rule book caches
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        counts = []
        for fb in (small, large):
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(case_url(fb)).status_code == 200
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], counts
        assert counts[1] <= 40, counts
