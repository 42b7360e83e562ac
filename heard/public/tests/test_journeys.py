"""The public journeys end to end through the test client: every page, answers saved only on sending."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heard.feedback.models import Deadline, Document, Event, Feedback
from heard.outbox.models import Email
from heard.public.tests.conftest import adult_complaint_answers, send, walk

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_an_adult_complaint_is_recorded_as_received_online_with_its_documents_and_acknowledgement(client, council):
    check = walk(
        client,
        "complaint",
        adult_complaint_answers(council),
        files=[SimpleUploadedFile("letter.png", PNG, content_type="image/png")],
    )
    assert check.status_code == 200
    text = check.content.decode()
    assert "Check your answers before sending" in text and "Jo Bloggs" in text and "letter.png" in text
    assert Feedback.objects.count() == 0  # nothing written until they send it

    response, key = send(client, "complaint")
    assert response.status_code == 302 and response["Location"] == "/complaint/sent"
    fb = Feedback.objects.get()
    assert fb.kind == "complaint" and fb.channel == "online" and fb.status == "received"
    assert fb.idempotency_key == key and fb.received_on == date(2026, 3, 2)
    assert fb.complainant.name == "Jo Bloggs" and fb.complainant.email == "jo@example.com"
    assert fb.complainant_role == "parent_or_carer" and fb.child.name == "Sam Child"
    assert fb.child_consent == "given" and fb.team.name == "Duty and Assessment"
    assert fb.matter_date == date(2026, 2, 10) and fb.adjustments == "Large print letters, please"
    assert fb.advocacy_wanted is True and fb.advocacy_offered_on == date(2026, 3, 2)
    doc = Document.objects.get(feedback=fb)
    assert doc.filename == "letter.png" and doc.content_type == "image/png" and doc.size == len(PNG)
    assert "letter" not in doc.file.name and doc.file.name.endswith(".png")  # random name on disk
    # Received Mon 2 Mar 2026 (day 0): stage 1 reply within 10 working days → Mon 16 Mar 2026.
    email = Email.objects.get(feedback=fb)
    assert email.to == "jo@example.com" and email.status == "pending"
    assert fb.reference in email.subject and fb.reference in email.body
    assert "We will reply by Monday 16 March 2026." in email.body
    assert "visits" not in email.body.lower()  # nothing about the matter itself in an email

    confirmation = client.get("/complaint/sent").content.decode()
    assert fb.reference in confirmation and "We will reply by Monday 16 March 2026." in confirmation


def test_check_your_answers_change_links_return_to_check_your_answers(client, council):
    walk(client, "complaint", adult_complaint_answers(council))
    r = client.post("/complaint/outcome?change=1", {"desired_outcome": "Just an apology"})
    assert r["Location"] == "/complaint/check-your-answers"
    assert "Just an apology" in client.get("/complaint/check-your-answers").content.decode()


def test_changing_an_answer_that_opens_a_new_question_asks_it_then_returns_to_check(client, council):
    walk(client, "complaint", adult_complaint_answers(council, contact={"preferred_contact": "anonymous"}))
    r = client.post("/complaint/contact?change=1", {"preferred_contact": "phone"})
    assert r["Location"] == "/complaint/your-details?change=1"
    r = client.post(r["Location"], {"name": "Jo Bloggs", "phone": "01632 960 001"})
    assert r["Location"] == "/complaint/check-your-answers"


def test_a_complaint_about_something_over_12_months_ago_is_received_and_asks_why_now(client, council):
    pages = adult_complaint_answers(
        council, when={"matter_date_day": "1", "matter_date_month": "1", "matter_date_year": "2024"}
    )
    pages["why-now"] = {"late_explanation": "I was in hospital for most of last year."}
    walk(client, "complaint", pages)
    page = client.get("/complaint/why-now").content.decode()
    assert "You can still complain" in page or "telling us now" in page
    send(client, "complaint")
    fb = Feedback.objects.get()
    assert fb.late_explanation == "I was in hospital for most of last year." and fb.status == "received"


def test_an_anonymous_complaint_is_received_without_a_person_or_an_email(client, council):
    pages = adult_complaint_answers(council, contact={"preferred_contact": "anonymous"})
    walk(client, "complaint", pages)
    send(client, "complaint")
    fb = Feedback.objects.get()
    assert fb.complainant is None and Email.objects.count() == 0


def test_a_double_submission_makes_one_record(client, council):
    walk(client, "complaint", adult_complaint_answers(council))
    first, key = send(client, "complaint")
    again = client.post("/complaint/check-your-answers", {"key": key})
    assert first.status_code == again.status_code == 302 and again["Location"] == "/complaint/sent"
    assert Feedback.objects.count() == 1 and Email.objects.count() == 1


def test_skipping_ahead_goes_back_to_the_first_unanswered_question(client, council):
    r = client.get("/complaint/outcome")
    assert r.status_code == 302 and r["Location"] == "/complaint/service"
    r = client.get("/complaint/check-your-answers")
    assert r["Location"] == "/complaint/service"


def test_every_question_page_has_a_back_link(client, council):
    pages = adult_complaint_answers(council)
    url = "/complaint/service"
    seen = 0
    while not url.endswith("check-your-answers"):
        html = client.get(url).content.decode()
        assert 'class="govuk-back-link"' in html, url
        slug = url.rsplit("/", 1)[-1]
        url = client.post(url, pages.get(slug, {"action": "continue"}))["Location"]
        seen += 1
    assert seen >= 13
    assert 'class="govuk-back-link"' in client.get(url).content.decode()


def test_a_missing_answer_is_shown_next_to_its_field_and_saves_nothing(client, council):
    r = client.post("/complaint/service", {})
    html = r.content.decode()
    assert r.status_code == 200 and "govuk-error-summary" in html
    assert 'href="#id_service"' in html and "Select which service it is about" in html
    assert "govuk-error-message" in html and "<title>Error: " in html


def test_a_date_in_the_future_is_refused_with_a_govuk_message(client, council):
    client.post("/complaint/service", adult_complaint_answers(council)["service"])
    client.post("/complaint/team", adult_complaint_answers(council)["team"])
    client.post("/complaint/what-happened", {"summary_text": "x"})
    r = client.post("/complaint/when", {"matter_date_day": "1", "matter_date_month": "1", "matter_date_year": "2027"})
    assert r.status_code == 200 and "The date it happened must be today or in the past" in r.content.decode()


def test_a_compliment_is_passed_to_the_service_within_3_working_days(client, council):
    social_care = council["Children's Social Care"]
    walk(
        client,
        "compliment",
        {
            "service": {"service": str(social_care.pk)},
            "about": {"about": "Sam, our social worker"},
            "message": {"summary_text": "Sam listened to us and made things better."},
            "reply": {"want_reply": "yes"},
            "your-details": {"name": "Jo", "email": "jo@example.com"},
        },
    )
    _response, _ = send(client, "compliment")
    fb = Feedback.objects.get()
    assert fb.kind == "compliment" and fb.compliment_source == "external" and fb.channel == "online"
    assert fb.summary.startswith("About: Sam, our social worker")
    assert Deadline.objects.get(feedback=fb, step="pass_to_service").due_on == date(2026, 3, 5)
    page = client.get("/compliment/sent").content.decode()
    assert "We will pass it to the right team by Thursday 5 March 2026." in page


def test_a_comment_without_a_reply_needs_no_name_or_email(client, council):
    walk(
        client,
        "comment",
        {
            "service": {"service": "not_sure"},
            "message": {"summary_text": "Evening drop-in sessions would help."},
            "reply": {"want_reply": "no"},
        },
    )
    send(client, "comment")
    fb = Feedback.objects.get()
    assert fb.kind == "comment" and fb.complainant is None
    assert fb.service.name == "Children's Social Care"  # "not sure" goes to Customer Relations' default


def test_a_child_complaint_records_the_young_person_and_the_advocacy_request(client, council):
    walk(
        client,
        "young-people",
        {
            "what": {"kind": "complaint"},
            "story": {"summary_text": "My worker never calls me back."},
            "better": {"desired_outcome": "A worker who calls back"},
            "advocate": {"advocacy": "yes"},
            "name": {"name": "Kai"},
            "reply": {"preferred_contact": "phone"},
            "details": {"detail": "07700 900982"},
        },
    )
    send(client, "young-people")
    fb = Feedback.objects.get()
    assert fb.complainant_role == "child_or_young_person" and fb.advocacy_wanted is True
    assert fb.complainant.is_child and fb.complainant.phone == "07700 900982" and fb.complainant.email == ""
    assert fb.advocacy_offered_on == date(2026, 3, 2)
    assert Email.objects.count() == 0  # no email address asked for, none needed


def test_a_young_person_need_not_give_a_name_or_any_way_to_reply(client, council):
    walk(
        client,
        "young-people",
        {
            "what": {"kind": "compliment"},
            "story": {"summary_text": "My carer is the best."},
            "name": {"name": ""},
            "reply": {"preferred_contact": "none"},
        },
    )
    send(client, "young-people")
    fb = Feedback.objects.get()
    assert fb.kind == "compliment" and fb.complainant is None


def test_the_honeypot_drops_the_submission_with_a_normal_confirmation(client, council):
    pages = adult_complaint_answers(council)
    pages["service"] = {**pages["service"], "website": "http://spam.example"}
    walk(client, "complaint", pages)
    response, _ = send(client, "complaint")
    assert response["Location"] == "/complaint/sent"
    page = client.get("/complaint/sent").content.decode()
    assert "Complaint sent" in page and "Your reference" in page
    assert Feedback.objects.count() == 0 and Email.objects.count() == 0 and Event.objects.count() == 0


def test_the_honeypot_is_hidden_from_people_and_assistive_technology(client, council):
    html = client.get("/complaint/service").content.decode()
    assert 'aria-hidden="true"' in html and 'tabindex="-1"' in html and 'name="website"' in html
    assert 'class="govuk-visually-hidden" aria-hidden="true"' in html
