"""A lesson learnt reaches the annual report only in wording written for publication and approved by
customer relations or the complaints manager (issue #5: no personal data in any output). The caseworker's
own wording (`action`) is never changed and never published."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from heard.feedback import services as s
from heard.feedback.models import Event, Feedback, LessonLearnt
from heard.feedback.services import PersonDetails, RuleViolation, StaleRecord
from heard.staff import access

pytestmark = pytest.mark.django_db
ACTION = "Billy Bloggs's social worker, Sam, to apologise to Jo for the missed visits"
WORDING = "Families are now told the same day when a contact visit has to be cancelled."


@pytest.fixture
def lesson(people, social_care):
    fb = s.log_feedback(
        actor=people["alice"],
        kind="complaint",
        channel="email",
        received_on=date(2026, 3, 2),
        service=social_care,
        summary="Visits cancelled",
        complainant=PersonDetails("Jo Bloggs", email="jo@example.com"),
        child=PersonDetails("Billy Bloggs", is_child=True),
        complainant_role="parent_or_carer",
        points=["Visits cancelled"],
        today=date(2026, 3, 2),
    )
    return s.record_lesson(
        actor=people["sam"],
        feedback=fb,
        action=ACTION,
        owner=people["sam"],
        due_on=date(2026, 4, 30),
        on=date(2026, 3, 20),
    )


def state(lesson):
    fb = Feedback.objects.get(pk=lesson.feedback_id)
    row = LessonLearnt.objects.values("action", "report_text", "report_approved_by", "report_approved_at").get(
        pk=lesson.pk
    )
    return Event.objects.count(), fb.version, row


def refused(fn, fragment, **kwargs):
    """Refused with a message containing `fragment`, and nothing written."""
    before = state(kwargs["lesson"])
    with pytest.raises(RuleViolation) as info:
        fn(**kwargs)
    assert fragment in info.value.message, info.value.message
    assert state(kwargs["lesson"]) == before
    return info.value


def test_approving_keeps_the_action_and_records_who_approved_which_wording(people, lesson):
    version = Feedback.objects.get(pk=lesson.feedback_id).version
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text=f"  {WORDING}\n", expected_version=version)
    lesson.refresh_from_db()
    assert lesson.action == ACTION and lesson.report_text == WORDING and lesson.in_report
    assert lesson.report_approved_by == people["mo"] and lesson.report_approved_at is not None
    event = Event.objects.get(action="lesson_report_text_approved")
    assert event.actor == people["mo"] and event.feedback_id == lesson.feedback_id and event.reason == WORDING
    assert event.data == {"lesson": lesson.pk, "replaced": False}
    assert Feedback.objects.get(pk=lesson.feedback_id).version == version + 1


def test_the_wording_can_be_changed_and_withdrawn(people, lesson):
    s.approve_lesson_for_report(actor=people["alice"], lesson=lesson, text=WORDING)
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text="Contact visits are now covered.")
    lesson.refresh_from_db()
    assert lesson.report_text == "Contact visits are now covered." and lesson.report_approved_by == people["mo"]
    assert Event.objects.filter(action="lesson_report_text_approved").last().data["replaced"] is True
    s.withdraw_lesson_from_report(actor=people["alice"], lesson=lesson)
    lesson.refresh_from_db()
    assert not lesson.in_report and lesson.report_text == "" and lesson.report_approved_by is None
    assert lesson.action == ACTION
    assert Event.objects.filter(action="lesson_report_text_withdrawn", actor=people["alice"]).count() == 1


@pytest.mark.parametrize("name", ["sam", "dina", "ian", "pat", "ada", "charlie"])
def test_only_customer_relations_and_the_complaints_manager_approve(people, lesson, name):
    refused(
        s.approve_lesson_for_report,
        "Only customer relations or the complaints manager",
        actor=people[name],
        lesson=lesson,
        text=WORDING,
    )


def test_nobody_withdraws_without_the_role_and_the_system_cannot_approve(people, lesson):
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text=WORDING)
    refused(s.withdraw_lesson_from_report, "Only customer relations", actor=people["dina"], lesson=lesson)
    refused(s.approve_lesson_for_report, "Only customer relations", actor=None, lesson=lesson, text="Other words.")


def test_the_roles_are_the_ones_the_staff_pages_allow():
    assert s.LESSON_PUBLISHERS == access.ACTIONS["publish_lessons"] == access.GLOBAL_ACTIONS["publish_lessons"]


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "Enter the wording for the annual report."),
        ("   \n ", "Enter the wording for the annual report."),
        ("x" * 501, "must be 500 characters or fewer"),
        ("Billy now sees his family every week.", "“Billy”, a name from this case"),
        ("The Bloggs family had an apology.", "“Bloggs”, a name from this case"),
        ("jo bloggs was given an apology.", "“Jo Bloggs”, a name from this case"),
        ("Sam Singh now checks the rota.", "“Sam Singh”, a name from this case"),  # the owner: staff are named too
        ("Write to jo@example.com within a day.", "an email address"),
        ("Call 07700 900123 to rearrange.", "a phone number"),
    ],
)
def test_wording_that_is_empty_too_long_or_names_someone_is_refused_next_to_the_field(people, lesson, text, fragment):
    error = refused(s.approve_lesson_for_report, fragment, actor=people["mo"], lesson=lesson, text=text)
    assert error.field == "report_text"


def test_the_case_reference_is_refused_in_any_case(people, lesson):
    reference = Feedback.objects.get(pk=lesson.feedback_id).reference
    refused(
        s.approve_lesson_for_report,
        "the case's reference",
        actor=people["mo"],
        lesson=lesson,
        text=f"Lessons from {reference.lower()} were shared.",
    )


def test_words_that_only_look_like_part_of_a_name_are_not_refused(people, lesson):
    # "Sam" is the owner's first name: "Samples" is not it. A capitalised name is matched as written.
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text="Samples of letters were checked by a manager.")
    assert LessonLearnt.objects.get(pk=lesson.pk).in_report


def test_approving_the_same_wording_again_changes_nothing(people, lesson):
    s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text=WORDING)
    refused(s.approve_lesson_for_report, "Nothing changed", actor=people["mo"], lesson=lesson, text=WORDING)


def test_withdrawing_a_lesson_not_in_the_report_is_refused(people, lesson):
    error = refused(s.withdraw_lesson_from_report, "not in the annual report", actor=people["mo"], lesson=lesson)
    assert error.field == "lesson"


def test_a_stale_form_changes_nothing(people, lesson):
    stale = Feedback.objects.get(pk=lesson.feedback_id).version
    s.approve_lesson_for_report(actor=people["alice"], lesson=lesson, text=WORDING, expected_version=stale)
    before = state(lesson)
    with pytest.raises(StaleRecord):
        s.approve_lesson_for_report(actor=people["mo"], lesson=lesson, text="Other words.", expected_version=stale)
    with pytest.raises(StaleRecord):
        s.withdraw_lesson_from_report(actor=people["mo"], lesson=lesson, expected_version=stale)
    assert state(lesson) == before


def test_the_database_refuses_wording_without_its_approval(people, lesson):
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonLearnt.objects.filter(pk=lesson.pk).update(report_text="Unapproved words")
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonLearnt.objects.filter(pk=lesson.pk).update(report_approved_by=people["mo"])
