"""Every letter template rendered against records in every state: a letter that makes sense is drafted
with every placeholder filled from the record; one that does not is refused and nothing is written."""

from datetime import date

import pytest

from heard.feedback.models import Event
from heard.feedback.services import RuleViolation
from heard.letters import placeholders as ph
from heard.letters import services as ls
from heard.letters.defaults import DEFAULT_TEMPLATES
from heard.letters.models import Letter, LetterKind, LetterTemplate
from heard.letters.tests import states

pytestmark = pytest.mark.django_db

# The dates each letter must say, from the rules and the record (see states.py for the journey).
EXPECTED = {
    ("received", LetterKind.ACKNOWLEDGEMENT): [
        "Monday 2 March 2026",
        "Monday 16 March 2026",
        "up to 20 working days",
        "Children's statutory complaints procedure",
    ],
    ("extended", LetterKind.INTERIM_UPDATE): ["Monday 16 March 2026", "Monday 30 March 2026", "Three teams"],
    ("stage1_responded", LetterKind.STAGE1_RESPONSE): [
        "Thursday 9 April 2026",
        "20 working days from Tuesday 10 March 2026",
        "1. Visits were cancelled without notice: upheld",
        "2. Calls were not returned: not upheld",
        "Financial remedy of £150.00: For missed contact",
        "Apology",
    ],
    ("stage2_requested", LetterKind.STAGE2_ACKNOWLEDGEMENT): ["within 25 working days", "up to 65 working days"],
    ("stage2_requested", LetterKind.STATEMENT_OF_COMPLAINT): ["1. Visits were cancelled", "within 25 working days"],
    ("stage2_responded", LetterKind.STAGE2_RESPONSE): [
        "Ian Irwin investigated",
        "Pat Patel was the independent person",
        "Erin Evans read the reports",
        "Thursday 28 May 2026",
        "20 working days from Tuesday 28 April 2026",
        "partially upheld",
        "0300 061 0614",
    ],
    ("panel_arranged", LetterKind.PANEL_INVITATION): [
        "Wednesday 10 June 2026",
        "Town Hall, Committee Room 2",
        "Quinn Quayle (chair), Robin Reid, Tess Turner",
        "within 5 working days",
        "within 15 working days",
    ],
    ("director_responded", LetterKind.DIRECTOR_RESPONSE): [
        "Apologise and review the contact plan",
        "accepts the panel's recommendations",
        "www.lgo.org.uk",
    ],
    ("ombudsman", LetterKind.OMBUDSMAN_RIGHTS): ["0300 061 0614", "CS-"],
    ("declined", LetterKind.NOT_CONSIDERED): ["A court's decision or a court report", "speak to your solicitor"],
    ("restricted", LetterKind.RESTRICTION): [
        "Friday 20 March 2026",
        "Monday 21 September 2026",
        "Contact by email to Mo Morris only",
    ],
    ("compliment", LetterKind.THANKS): ["your compliment", "Monday 2 March 2026", "Children's Social Care"],
    ("comment", LetterKind.THANKS): ["your comment"],
    ("mp_enquiry", LetterKind.ENQUIRY_REPLY): ["request for information", "Dear Sam Jones MP"],
    ("councillor_enquiry", LetterKind.ENQUIRY_REPLY): ["reasons for a decision"],
}


@pytest.mark.parametrize("state", states.STATES, ids=lambda f: f.__name__)
def test_every_letter_renders_or_is_refused_in_every_state(state, people, social_care):
    fb = state(people, social_care)
    for kind in LetterKind.values:
        reason = ph.why_not(kind, fb)
        if reason is None:
            letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind=kind, today=date(2026, 8, 10))
            # Every placeholder was filled: none is left for the reader to see.
            assert not ph.PLACEHOLDER.search(letter.body), (kind, letter.body)
            assert letter.title and fb.reference
            for text in EXPECTED.get((state.__name__, kind), []):
                assert text in letter.body, (state.__name__, kind, text, letter.body)
        else:
            before = (Letter.objects.count(), Event.objects.count())
            with pytest.raises(RuleViolation) as info:
                ls.draft_letter(actor=people["alice"], feedback=fb, kind=kind, today=date(2026, 8, 10))
            assert info.value.message == reason and info.value.field == "kind"
            assert (Letter.objects.count(), Event.objects.count()) == before


def test_every_expected_letter_is_one_that_makes_sense_in_its_state(people, social_care):
    # Guards the table above: each (state, kind) it checks really is drafted, so its assertions run.
    by_name = {f.__name__: f for f in states.STATES}
    for state_name, kind in EXPECTED:
        fb = by_name[state_name](people, social_care)
        assert ph.why_not(kind, fb) is None, (state_name, kind, ph.why_not(kind, fb))


def test_every_kind_of_letter_can_be_written_at_some_step(people, social_care):
    writable = {kind for _, kind in EXPECTED} | {LetterKind.BEHAVIOUR_WARNING}
    assert writable == set(LetterKind.values)


def test_a_stage_1_response_letter_is_refused_before_the_stage_1_response_is_recorded(people, social_care):
    fb = states.acknowledged(people, social_care)
    with pytest.raises(RuleViolation, match="Record the stage 1 response"):
        ls.draft_letter(actor=people["alice"], feedback=fb, kind=LetterKind.STAGE1_RESPONSE, today=date(2026, 3, 4))


def test_the_shipped_templates_use_only_known_placeholders_and_every_kind_has_one():
    assert set(DEFAULT_TEMPLATES) == set(LetterKind.values)
    for kind, (title, body) in DEFAULT_TEMPLATES.items():
        assert ls.check_template(title=title, body=body) == [], kind


def test_the_data_migration_loaded_a_template_for_every_kind():
    assert set(LetterTemplate.objects.values_list("kind", flat=True)) == set(LetterKind.values)


def test_letter_dates_are_written_in_full():
    assert ph.long_date(date(2026, 3, 13)) == "Friday 13 March 2026"
    assert ph.long_date(date(2026, 6, 1)) == "Monday 1 June 2026"


def test_the_template_language_runs_nothing_and_leaves_unknown_text_alone():
    values = {"reference": "CS-1"}
    text = "{reference} {{ settings.SECRET_KEY }} {% load x %} {reference.__class__} {unknown}"
    assert ph.fill(text, values) == "CS-1 {{ settings.SECRET_KEY }} {% load x %} {reference.__class__} {unknown}"
    assert ph.unknown_placeholders(text) == ["unknown"]


def test_an_administrator_cannot_save_a_template_with_an_unknown_placeholder(people):
    before = LetterTemplate.objects.get(kind="thanks").body
    with pytest.raises(RuleViolation) as info:
        ls.update_template(
            actor=people["ada"], kind="thanks", title="Thanks", body="Dear {recipient_name} {nmae} {dob}"
        )
    assert "{nmae}" in info.value.message and "{dob}" in info.value.message and info.value.field == "body"
    assert LetterTemplate.objects.get(kind="thanks").body == before


def test_an_edited_template_is_used_for_the_next_draft_and_recorded(people, social_care):
    t = LetterTemplate.objects.get(kind="thanks")
    ls.update_template(
        actor=people["ada"],
        kind="thanks",
        title="Thank you!",
        body="Thanks, {recipient_name}. We got it on {received_date}.",
        expected_version=t.version,
    )
    fb = states.compliment(people, social_care)
    letter = ls.draft_letter(actor=people["alice"], feedback=fb, kind="thanks", today=date(2026, 3, 3))
    assert letter.body == "Thanks, Sam Jones MP. We got it on Monday 2 March 2026."
    assert Event.objects.filter(action="letter_template_changed", actor=people["ada"]).exists()


def test_a_stale_template_edit_is_refused(people):
    t = LetterTemplate.objects.get(kind="thanks")
    ls.update_template(actor=people["ada"], kind="thanks", title="A", body="B", expected_version=t.version)
    with pytest.raises(RuleViolation, match="changed this template"):
        ls.update_template(actor=people["mo"], kind="thanks", title="C", body="D", expected_version=t.version)
