"""Approving the wording the annual report publishes for a lesson learnt: on the case page, and on the
reports' list of a year's lessons, where the complaints manager reviews them all before publishing."""

from datetime import date
from html import unescape

import pytest
from django.urls import reverse

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, LessonLearnt
from heard.staff.tests.test_case_actions import Staff, error_for, problems
from heard.staff.tests.test_case_page import log_complaint

pytestmark = pytest.mark.django_db
ACTION = "Jo Bloggs to get a call from the team manager every Friday"
WORDING = "Families now get a weekly call from a team manager while a complaint is open."


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to("2026-11-02 10:00:00+00:00", tick=False)


@pytest.fixture
def staff(client, people):
    return Staff(client, people)


@pytest.fixture
def lesson(people, social_care):
    fb = log_complaint(people, social_care)
    return s.record_lesson(
        actor=people["sam"],
        feedback=fb,
        action=ACTION,
        owner=people["sam"],
        due_on=date(2026, 12, 1),
        on=date(2026, 4, 20),
    )


def fb_of(lesson):
    return Feedback.objects.get(pk=lesson.feedback_id)


def html_of(response):
    return unescape(response.content.decode())


class TestOnTheCasePage:
    def test_customer_relations_writes_the_wording_from_the_lessons_section(self, staff, people, lesson):
        fb = fb_of(lesson)
        page = staff.as_("alice").page(fb)
        link = reverse("staff:lesson_report", args=[fb.reference]) + f"?lesson={lesson.pk}"
        assert "Not in the annual report: no wording approved for it." in page and link in page
        form = html_of(staff.client.get(link))
        assert f'value="{lesson.pk}" checked' in form  # the lesson the link was for is chosen
        staff.post(fb, "lesson_report", {"lesson": lesson.pk, "report_text": WORDING})
        lesson.refresh_from_db()
        assert lesson.report_text == WORDING and lesson.report_approved_by == people["alice"]
        assert lesson.action == ACTION
        assert f"In the annual report as: “{WORDING}”" in staff.page(fb)
        # Changing it: the form opens with the approved wording to edit.
        assert WORDING in html_of(staff.client.get(link)).split('name="report_text"')[1][:400]

    def test_a_name_from_the_case_is_refused_next_to_the_field_and_nothing_is_saved(self, staff, lesson):
        fb = fb_of(lesson)
        events = Event.objects.count()
        html = html_of(
            staff.as_("mo").post(
                fb, "lesson_report", {"lesson": lesson.pk, "report_text": "Jo Bloggs now gets a call."}, expect=400
            )
        )
        assert "“Jo Bloggs”, a name from this case" in error_for(html, "id_report_text")
        assert "govuk-error-summary" in html and "Rule:" in html
        assert not LessonLearnt.objects.get(pk=lesson.pk).in_report and Event.objects.count() == events

    def test_empty_and_too_long_wording_is_refused_in_govuk_words(self, staff, lesson):
        fb = fb_of(lesson)
        html = html_of(staff.as_("mo").post(fb, "lesson_report", {"lesson": lesson.pk, "report_text": ""}, expect=400))
        assert "Enter the wording for the annual report" in error_for(html, "id_report_text")
        html = html_of(staff.post(fb, "lesson_report", {"lesson": lesson.pk, "report_text": "x" * 501}, expect=400))
        assert "must be 500 characters or less" in error_for(html, "id_report_text")
        assert "govuk-character-count" in html

    def test_it_is_taken_out_of_the_report_with_the_withdraw_action(self, staff, people, lesson):
        s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text=WORDING)
        fb = fb_of(lesson)
        assert "Take a lesson learnt out of the annual report" in staff.as_("alice").page(fb)
        staff.post(fb, "lesson_report_withdraw", {"lesson": lesson.pk})
        assert not LessonLearnt.objects.get(pk=lesson.pk).in_report
        assert Event.objects.filter(action="lesson_report_text_withdrawn", actor=people["alice"]).exists()

    def test_a_lesson_of_another_case_cannot_be_chosen(self, staff, people, social_care, lesson):
        other = log_complaint(people, social_care)
        html = html_of(
            staff.as_("mo").post(other, "lesson_report", {"lesson": lesson.pk, "report_text": WORDING}, expect=400)
        )
        assert "lesson-error" in html and not LessonLearnt.objects.get(pk=lesson.pk).in_report

    def test_a_stale_form_changes_nothing(self, staff, people, lesson):
        fb = fb_of(lesson)
        stale = fb.version
        s.approve_lesson_for_report(actor=people["alice"], lesson=lesson, text=WORDING)
        response = staff.as_("mo").client.post(
            reverse("staff:lesson_report", args=[fb.reference]),
            {"version": stale, "lesson": lesson.pk, "report_text": "Other words."},
        )
        assert response.status_code == 409, problems(response)
        assert LessonLearnt.objects.get(pk=lesson.pk).report_text == WORDING

    @pytest.mark.parametrize("name", ["sam", "dina"])
    def test_service_managers_and_the_director_see_the_lesson_but_cannot_approve_it(self, staff, lesson, name):
        fb = fb_of(lesson)
        page = staff.as_(name).page(fb)
        assert ACTION in page and "Write its wording for the annual report" not in page
        assert staff.client.get(reverse("staff:lesson_report", args=[fb.reference])).status_code == 403


class TestTheYearsList:
    def test_the_complaints_manager_reviews_the_years_lessons_and_approves_each(self, client, people, lesson):
        client.force_login(people["mo"])
        other = s.record_lesson(
            actor=people["sam"],
            feedback=fb_of(lesson),
            action="Check the rota weekly",
            owner=people["sam"],
            due_on=date(2026, 12, 1),
            on=date(2026, 5, 1),
        )
        s.approve_lesson_for_report(actor=people["alice"], lesson=other, text="Rotas are checked every week.")
        s.record_lesson(
            actor=people["sam"],
            feedback=fb_of(lesson),
            action="Last year's lesson",
            owner=people["sam"],
            due_on=date(2026, 12, 1),
            on=date(2026, 3, 31),
        )
        url = reverse("reports:lessons", args=[2026])
        html = html_of(client.get(url))
        assert (
            "Lessons learnt recorded in 2026/27: <strong>2</strong>. Awaiting approval: <strong>1</strong>. "
            "Approved for the report: <strong>1</strong>."
        ) in html
        awaiting, approved = html.split('id="awaiting"')[1].split('id="approved"')
        assert ACTION in awaiting and "Rotas are checked every week." in approved
        assert "Last year's lesson" not in html
        assert reverse("reports:lesson", args=[lesson.pk]) in awaiting

        page = reverse("reports:lesson", args=[lesson.pk])
        form = html_of(client.get(page))
        assert ACTION in form and "What was recorded (not published)" in form
        response = client.post(page, {"version": fb_of(lesson).version, "report_text": WORDING})
        assert response.status_code == 302 and response["Location"] == f"{url}#lesson-{lesson.pk}"
        lesson.refresh_from_db()
        assert lesson.report_text == WORDING and lesson.report_approved_by == people["mo"]
        html = html_of(client.get(url))
        assert "Awaiting approval: <strong>0</strong>" in html and "Wording approved for the annual report" in html

    def test_errors_are_shown_next_to_the_field_and_a_stale_page_changes_nothing(self, client, people, lesson):
        client.force_login(people["mo"])
        page = reverse("reports:lesson", args=[lesson.pk])
        version = fb_of(lesson).version
        response = client.post(page, {"version": version, "report_text": "Call jo@example.com"})
        assert response.status_code == 400
        assert "Write it without an email address" in error_for(html_of(response), "id_report_text")
        s.approve_lesson_for_report(actor=people["alice"], lesson=lesson, text=WORDING)
        response = client.post(page, {"version": version, "report_text": "Other words."})
        assert response.status_code == 409 and "changed while you were editing" in html_of(response)
        assert LessonLearnt.objects.get(pk=lesson.pk).report_text == WORDING

    def test_approved_wording_is_taken_out_of_the_report_from_its_page(self, client, people, lesson):
        s.approve_lesson_for_report(actor=people["alice"], lesson=lesson, text=WORDING)
        client.force_login(people["mo"])
        page = reverse("reports:lesson", args=[lesson.pk])
        assert "Take it out of the report" in html_of(client.get(page))
        response = client.post(page, {"version": fb_of(lesson).version, "withdraw": "yes"})
        assert response.status_code == 302
        assert not LessonLearnt.objects.get(pk=lesson.pk).in_report
        assert "Take it out of the report" not in html_of(client.get(page))

    def test_this_years_list_and_the_links_to_it(self, client, people, lesson):
        client.force_login(people["mo"])
        response = client.get(reverse("reports:lessons_this_year"))
        assert response.status_code == 302 and response["Location"] == reverse("reports:lessons", args=[2026])
        assert reverse("reports:lessons", args=[2026]) in html_of(client.get(reverse("reports:index")))
        assert reverse("reports:lessons", args=[2026]) in html_of(client.get(reverse("reports:annual", args=[2026])))
        client.force_login(people["dina"])  # the director reads the report; she does not approve lessons
        assert reverse("reports:lessons", args=[2026]) not in html_of(client.get(reverse("reports:index")))
        assert client.get(reverse("reports:lessons", args=[2026])).status_code == 403

    def test_a_lesson_that_does_not_exist_is_not_found(self, client, people, db):
        client.force_login(people["alice"])
        assert client.get(reverse("reports:lesson", args=[999999])).status_code == 404
