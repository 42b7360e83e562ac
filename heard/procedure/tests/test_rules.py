from datetime import date
from pathlib import Path

import pytest

from heard.procedure.calendar import WorkingCalendar
from heard.procedure.rules import (
    EVENTS,
    NoRuleInForce,
    Override,
    PackError,
    RuleBook,
    Step,
    UnknownProcedure,
    UnknownStep,
    load_rulebook,
    parse_pack,
)

RULES = load_rulebook()
CALENDAR = WorkingCalendar.for_england()

MINIMAL_PACK = """
name = "local_thing"
title = "A local procedure"
kinds = ["comment"]

[[versions]]
effective_from = 2020-01-01
stages = 0
citation = "council policy"

[[versions.steps]]
key = "reply"
title = "Reply"
working_days = 4
starts_at = "receipt"
kind = "deadline"
citation = "council policy, para 1"
"""


def all_steps() -> list[tuple[str, date, Step]]:
    return [(p.name, v.effective_from, s) for p in RULES.procedures() for v in p.versions for s in v.steps]


# -- the packs ----------------------------------------------------------------------------


def test_all_the_packaged_procedures_load() -> None:
    assert RULES.names() == (
        "comment",
        "compliment",
        "corporate",
        "corporate_three_stage",
        "councillor_enquiry",
        "mp_enquiry",
        "statutory",
    )


@pytest.mark.parametrize(("procedure", "effective", "step"), all_steps(), ids=lambda x: str(x))
def test_every_step_of_every_pack_cites_its_source(procedure: str, effective: date, step: Step) -> None:
    assert len(step.citation) > 10, f"{procedure} {effective} {step.key}"


def test_every_version_and_rule_note_cites_its_source() -> None:
    for procedure in RULES.procedures():
        for version in procedure.versions:
            assert version.citation
            assert all(note.citation for note in version.notes)


def test_every_clock_starts_at_a_known_event() -> None:
    assert {step.starts_at for _, _, step in all_steps()} <= EVENTS


def test_statutory_procedure_timescales_follow_the_regulations() -> None:
    statutory = RULES.get("statutory").in_force_on(date(2026, 1, 5))
    expected = {
        # key: (working days, clock starts, extension ceiling, kind)
        "acknowledge": (3, "receipt", None, "deadline"),
        "stage1_response": (10, "receipt", 20, "deadline"),  # reg 14
        "stage2_request_window": (20, "stage1_response", None, "window"),
        "stage2_response": (25, "statement_agreed", 65, "deadline"),  # reg 17
        "stage3_request_window": (20, "stage2_response", None, "window"),  # reg 18
        "panel_meeting": (30, "stage3_request", None, "deadline"),  # reg 19(4)
        "panel_notice": (10, "panel_meeting", None, "minimum_notice"),
        "panel_report": (5, "panel_meeting", None, "deadline"),  # reg 20
        "director_response": (15, "panel_report", None, "deadline"),  # reg 21
    }
    actual = {s.key: (s.working_days, s.starts_at, s.extension_ceiling, s.kind) for s in statutory.steps}
    assert actual == expected
    assert statutory.stages == 3
    assert statutory.step("stage2_request_window").advisory
    assert not statutory.step("stage3_request_window").advisory
    assert "reg 14" in statutory.step("stage1_response").citation
    assert "reg 19(3)" in statutory.note("stage2_independent_person_not_on_panel").citation


def test_statutory_procedure_starts_when_the_2006_regulations_came_into_force() -> None:
    statutory = RULES.get("statutory")
    assert statutory.in_force_on(date(2006, 9, 1)).effective_from == date(2006, 9, 1)
    with pytest.raises(NoRuleInForce, match="first version takes effect on 2006-09-01"):
        statutory.in_force_on(date(2006, 8, 31))


def test_corporate_procedure_follows_the_ombudsman_code_two_stages() -> None:
    corporate = RULES.get("corporate").in_force_on(date(2026, 4, 1))
    assert corporate.stages == 2
    assert (
        corporate.step("stage1_acknowledge").working_days,
        corporate.step("stage1_acknowledge").starts_at,
    ) == (
        5,
        "receipt",
    )
    stage1 = corporate.step("stage1_response")
    assert (stage1.working_days, stage1.starts_at, stage1.extension_ceiling) == (10, "acknowledgement", 20)
    stage2 = corporate.step("stage2_response")
    assert (stage2.working_days, stage2.starts_at, stage2.extension_ceiling) == (
        20,
        "stage2_acknowledgement",
        30,
    )
    assert "not the person" in corporate.note("stage2_handler_not_stage1_handler").text


def test_mp_enquiries_get_five_working_days_and_cannot_be_extended() -> None:
    step = RULES.get("mp_enquiry").in_force_on(date(2018, 6, 1)).step("enquiry_response")
    assert (step.working_days, step.extendable) == (5, False)


def test_compliments_and_comments_go_to_the_service_within_three_working_days() -> None:
    for name in ("compliment", "comment"):
        step = RULES.get(name).in_force_on(date(2019, 1, 7)).step("pass_to_service")
        assert (step.working_days, step.starts_at) == (3, "receipt")


# -- versions by date ---------------------------------------------------------------------


def test_an_enquiry_is_judged_by_the_timescale_in_force_on_the_day_it_was_received() -> None:
    councillor = RULES.get("councillor_enquiry")
    before = councillor.in_force_on(date(2018, 3, 29)).step("enquiry_response")
    after = councillor.in_force_on(date(2018, 4, 3)).step("enquiry_response")
    assert before.working_days == 5
    assert after.working_days == 10
    # The deadlines that follow: Easter 2018 was 30 March - 2 April.
    assert CALENDAR.add_working_days(date(2018, 3, 29), before.working_days) == date(2018, 4, 9)
    assert CALENDAR.add_working_days(date(2018, 4, 3), after.working_days) == date(2018, 4, 17)


def test_a_new_version_takes_effect_on_its_effective_date() -> None:
    councillor = RULES.get("councillor_enquiry")
    assert councillor.in_force_on(date(2018, 3, 31)).step("enquiry_response").working_days == 5
    assert councillor.in_force_on(date(2018, 4, 1)).step("enquiry_response").working_days == 10


# -- clear errors -------------------------------------------------------------------------


def test_an_unknown_procedure_is_refused_naming_the_ones_that_exist() -> None:
    with pytest.raises(UnknownProcedure) as raised:
        RULES.get("statutry")
    assert str(raised.value) == (
        "there is no procedure 'statutry'; the procedures are: comment, compliment, corporate, "
        "corporate_three_stage, councillor_enquiry, mp_enquiry, statutory"
    )
    assert isinstance(raised.value, KeyError)


def test_an_unknown_step_is_refused_naming_the_procedure_and_its_steps() -> None:
    with pytest.raises(UnknownStep) as raised:
        RULES.get("mp_enquiry").in_force_on(date(2020, 1, 6)).step("stage1_response")
    assert str(raised.value) == (
        "mp_enquiry from 2000-01-01 has no step 'stage1_response'; its steps are: enquiry_response"
    )
    assert isinstance(raised.value, KeyError)


def test_a_date_must_be_a_date() -> None:
    with pytest.raises(TypeError, match=r"datetime\.date"):
        RULES.get("statutory").in_force_on("2020-01-01")  # type: ignore[arg-type]


# -- council overrides --------------------------------------------------------------------


def test_a_council_override_changes_a_step_from_its_effective_date_only() -> None:
    local = RULES.with_overrides(
        [Override("statutory", "acknowledge", 2, date(2024, 4, 1), "Cabinet decision 2024/17")]
    )
    statutory = local.get("statutory")
    assert statutory.in_force_on(date(2024, 3, 28)).step("acknowledge").working_days == 3
    changed = statutory.in_force_on(date(2024, 4, 1)).step("acknowledge")
    assert (changed.working_days, changed.citation) == (2, "Cabinet decision 2024/17")
    # Other steps and the original rule book are untouched.
    assert statutory.in_force_on(date(2024, 4, 1)).step("stage1_response").working_days == 10
    assert RULES.get("statutory").in_force_on(date(2024, 4, 1)).step("acknowledge").working_days == 3


def test_an_override_carries_into_later_versions() -> None:
    local = RULES.with_overrides(
        [Override("councillor_enquiry", "enquiry_response", 7, date(2010, 1, 1), "Member services policy")]
    )
    councillor = local.get("councillor_enquiry")
    assert councillor.in_force_on(date(2009, 12, 31)).step("enquiry_response").working_days == 5
    assert councillor.in_force_on(date(2012, 1, 2)).step("enquiry_response").working_days == 7
    assert councillor.in_force_on(date(2019, 1, 2)).step("enquiry_response").working_days == 7


def test_an_override_must_name_a_known_procedure_and_step() -> None:
    with pytest.raises(UnknownProcedure, match="the procedures are"):
        RULES.with_overrides([Override("adults", "acknowledge", 2, date(2024, 4, 1), "x")])
    with pytest.raises(UnknownStep, match="its steps are: acknowledge, stage1_response"):
        RULES.with_overrides([Override("statutory", "ack", 2, date(2024, 4, 1), "x")])


def test_an_override_cannot_exceed_the_extension_ceiling() -> None:
    with pytest.raises(ValueError, match="extension ceiling"):
        RULES.with_overrides([Override("statutory", "stage1_response", 25, date(2024, 4, 1), "x")])


def test_an_override_must_cite_the_decision() -> None:
    with pytest.raises(ValueError, match="must cite"):
        Override("statutory", "acknowledge", 2, date(2024, 4, 1), " ")


# -- council packs ------------------------------------------------------------------------


def test_a_council_can_add_its_own_pack(tmp_path: Path) -> None:
    (tmp_path / "local_thing.toml").write_text(MINIMAL_PACK, encoding="utf-8")
    rules = load_rulebook(tmp_path)
    assert "local_thing" in rules.names()
    assert rules.get("local_thing").in_force_on(date(2021, 1, 4)).step("reply").working_days == 4


def test_a_council_pack_may_not_reuse_a_packaged_name(tmp_path: Path) -> None:
    (tmp_path / "statutory.toml").write_text(MINIMAL_PACK.replace("local_thing", "statutory"), encoding="utf-8")
    with pytest.raises(PackError, match="two procedures are called 'statutory'"):
        load_rulebook(tmp_path)


def test_a_pack_is_named_after_its_file(tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text(MINIMAL_PACK, encoding="utf-8")
    with pytest.raises(PackError, match="name the file after it"):
        load_rulebook(tmp_path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('citation = "council policy, para 1"', ""), "missing 'citation'"),
        (('citation = "council policy, para 1"', 'citation = " "'), "'citation' must be non-empty text"),
        (("working_days = 4", "working_days = -1"), "working days must be 0 or more"),
        (("working_days = 4", 'working_days = "4"'), "'working_days' must be a whole number"),
        (('kind = "deadline"', 'kind = "target"'), "kind must be one of deadline, minimum_notice, window"),
        (('starts_at = "receipt"', 'starts_at = "arrival"'), "starts_at must be one of"),
        (("effective_from = 2020-01-01", 'effective_from = "2020"'), "must be a date"),
        (('kind = "deadline"', 'kind = "deadline"\nextension = 5'), "unknown field(s) extension"),
        (('kinds = ["comment"]', 'kinds = ["moan"]'), "'kinds' must be a list drawn from"),
        (
            ("stages = 0", "stages = 0\n[versions.counting]\nreceipt_day_counts_as = 2"),
            "receipt_day_counts_as",
        ),
        (("[[versions]]", "[[versions]"), "not valid TOML"),
    ],
)
def test_a_mistake_in_a_pack_is_reported_with_where_it_is(change: tuple[str, str], message: str) -> None:
    old, new = change
    with pytest.raises(PackError) as raised:
        parse_pack(MINIMAL_PACK.replace(old, new), "local_thing.toml")
    assert message in str(raised.value)
    assert str(raised.value).startswith("local_thing.toml")


def test_only_a_window_can_be_advisory_and_only_a_deadline_extended() -> None:
    base = dict(key="x", title="X", stage=None, working_days=5, starts_at="receipt", citation="c")
    with pytest.raises(ValueError, match="only a window can be advisory"):
        Step(**base, extension_ceiling=None, kind="deadline", advisory=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="only a deadline can be extended"):
        Step(**base, extension_ceiling=10, kind="window", advisory=False)  # type: ignore[arg-type]


def test_a_rule_book_is_built_from_procedures() -> None:
    rules = RuleBook([parse_pack(MINIMAL_PACK, "local_thing.toml")])
    assert rules.names() == ("local_thing",)
