"""`heard import feedback`: the spec's rules (/work/shared/specs/feedback-import.md), each a test."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count

from heard.feedback import clock, importer
from heard.feedback import services as s
from heard.feedback.importer import COLUMNS, ImportFailed, import_feedback
from heard.feedback.models import Deadline, Event, Feedback, OmbudsmanCase, ReferenceCounter, Stage
from heard.organisation.models import Service, Theme

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "sample-import.csv"
TODAY = date(2026, 3, 2)
HEADER = ",".join(COLUMNS)


def csv_of(*rows: dict[str, str], header: str = HEADER) -> bytes:
    """A file in the spec's format from rows given as {column: value}."""
    columns = header.split(",")
    lines = [header] + [",".join(_quote(row.get(c, "")) for c in columns) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _quote(value: str) -> str:
    return f'"{value}"' if "," in value else value


def complaint(ref="CS-2025-00100", **kw) -> dict[str, str]:
    row = {
        "reference": ref,
        "kind": "complaint",
        "received_on": "2025-04-07",
        "service": "Children's Social Care",
        "procedure": "statutory",
        "theme": "Staff Conduct",
        "complainant_role": "parent_or_carer",
    }
    row.update(kw)
    return row


def load(data: bytes, **kw):
    return import_feedback(data, filename="records.csv", today=kw.pop("today", TODAY), **kw)


def counts():
    return tuple(m.objects.count() for m in (Feedback, Stage, Deadline, Event, OmbudsmanCase, Service, Theme))


def errors_of(data: bytes, **kw) -> list[str]:
    before = counts()
    with pytest.raises(ImportFailed) as info:
        load(data, **kw)
    assert counts() == before, "a file with a problem writes nothing"
    return info.value.errors


class TestTheSampleFile:
    def test_the_sample_loads_every_kind_and_reports_what_it_created(self):
        result = load(SAMPLE.read_bytes())
        assert (result.created, result.updated, result.unchanged) == (26, 0, 0)
        kinds = dict(Feedback.objects.values_list("kind").annotate(n=Count("id")))
        assert kinds == {"complaint": 14, "compliment": 4, "comment": 2, "mp_enquiry": 3, "councillor_enquiry": 3}
        assert set(Feedback.objects.values_list("channel", flat=True)) == {"imported"}
        assert result.services_created == [
            "Children's Social Care",
            "Early Help",
            "Fostering and Adoption",
            "SEN, Education and Psychology",
        ]
        assert "Staff Conduct" in result.themes_created
        assert Event.objects.filter(action="imported", actor=None, summary="Imported from records.csv").count() == 26
        assert result.summary("records.csv").startswith(
            "Imported records.csv: 26 rows: 26 created, 0 updated, "
            "0 unchanged.\nServices created: Children's Social Care"
        )

    def test_existing_services_and_themes_are_reused_not_duplicated(self, services, themes):
        result = load(SAMPLE.read_bytes())
        assert result.services_created == ["Fostering and Adoption"]
        assert result.themes_created == []
        assert Service.objects.filter(name__iexact="children's social care").count() == 1

    def test_loading_the_same_file_twice_changes_nothing(self):
        load(SAMPLE.read_bytes())
        before = counts()
        versions = list(Feedback.objects.order_by("id").values_list("version", "updated_at"))
        result = load(SAMPLE.read_bytes())
        assert (result.created, result.updated, result.unchanged) == (0, 0, 26)
        assert counts() == before
        assert list(Feedback.objects.order_by("id").values_list("version", "updated_at")) == versions


class TestStatusAndStages:
    def test_a_complaint_answered_at_stage_1_is_closed_with_its_outcome(self):
        load(csv_of(complaint(stage1_outcome="upheld", stage1_responded_on="2025-04-17")))
        fb = Feedback.objects.get()
        assert (fb.status, fb.stage, fb.closed_on, clock.next_due_of(fb)) == ("closed", 1, date(2025, 4, 17), None)
        stage = Stage.objects.get(feedback=fb)
        assert (stage.requested_on, stage.outcome, stage.responded_on) == (
            date(2025, 4, 7),
            "upheld",
            date(2025, 4, 17),
        )
        # Received Mon 7 Apr 2025; 10 working days skip Good Friday and Easter Monday → Wed 23 Apr: met.
        response = Deadline.objects.get(feedback=fb, step="stage1_response")
        assert (response.due_on, response.met_on) == (date(2025, 4, 23), date(2025, 4, 17))

    def test_a_withdrawn_complaint_is_withdrawn_and_its_clocks_cancelled(self):
        load(csv_of(complaint(stage1_outcome="withdrawn", stage1_responded_on="2025-04-09")))
        fb = Feedback.objects.get()
        assert fb.status == "withdrawn" and fb.closed_on == date(2025, 4, 9)
        assert not Deadline.objects.filter(feedback=fb, cancelled=False).exists()

    def test_a_complaint_with_no_outcome_is_open_and_its_clocks_run(self):
        load(csv_of(complaint()))
        fb = Feedback.objects.get()
        assert fb.status == "open" and fb.stage == 1
        # The earliest open council deadline: acknowledge within 3 working days → Thu 10 Apr 2025.
        assert clock.next_due_of(fb) == date(2025, 4, 10)

    def test_stage_2_and_the_ombudsman_are_recorded(self):
        load(
            csv_of(
                complaint(
                    stage1_outcome="not_upheld",
                    stage1_responded_on="2025-04-17",
                    stage2_requested_on="2025-05-01",
                    stage2_outcome="partially_upheld",
                    stage2_responded_on="2025-06-20",
                    ombudsman_referred_on="2025-08-01",
                    ombudsman_decision="not_upheld",
                )
            )
        )
        fb = Feedback.objects.get()
        assert (fb.status, fb.stage, fb.closed_on) == ("closed", 2, date(2025, 6, 20))
        assert list(fb.stages.values_list("number", "outcome")) == [(1, "not_upheld"), (2, "partially_upheld")]
        assert Deadline.objects.get(feedback=fb, step="stage2_request_window").met_on == date(2025, 5, 1)
        # The statement's agreement is not in the file: stage 2's 25 days run from the request (Thu 1 May
        # 2025, skipping the May bank holidays on 5 and 26 May) → Mon 9 Jun 2025; answered late.
        stage2 = Deadline.objects.get(feedback=fb, step="stage2_response")
        assert (stage2.starts_on, stage2.due_on, stage2.met_on) == (
            date(2025, 5, 1),
            date(2025, 6, 9),
            date(2025, 6, 20),
        )
        case = OmbudsmanCase.objects.get(feedback=fb)
        assert (case.referred_on, case.decision) == (date(2025, 8, 1), "not_upheld")

    def test_an_open_stage_2_leaves_the_statement_clock_for_heard_to_start(self):
        load(
            csv_of(
                complaint(
                    stage1_outcome="not_upheld", stage1_responded_on="2025-04-17", stage2_requested_on="2025-05-01"
                )
            )
        )
        fb = Feedback.objects.get()
        assert fb.status == "open" and fb.stage == 2
        # reg 17: the 25 days start when the statement is agreed, which staff record in Heard.
        assert not Deadline.objects.filter(feedback=fb, step="stage2_response").exists()

    def test_a_corporate_stage_1_response_is_judged_from_receipt_as_the_acknowledgement_is_unknown(self):
        load(
            csv_of(
                complaint(
                    procedure="corporate",
                    received_on="2025-06-16",
                    stage1_outcome="not_upheld",
                    stage1_responded_on="2025-07-04",
                )
            )
        )
        d = Deadline.objects.get(step="stage1_response")
        assert (d.starts_on, d.due_on) == (date(2025, 6, 16), date(2025, 6, 30))
        assert Deadline.objects.get(step="stage1_acknowledge").cancelled  # unknown, so not judged

    def test_a_historic_compliment_was_passed_to_the_service_on_arrival(self):
        load(
            csv_of(
                {
                    "reference": "C1",
                    "kind": "compliment",
                    "received_on": "2024-04-15",
                    "service": "Early Help",
                    "compliment_source": "external",
                }
            )
        )
        fb = Feedback.objects.get()
        assert (fb.procedure, fb.status, fb.responded_on, fb.compliment_source) == (
            "compliment",
            "closed",
            date(2024, 4, 15),
            "external",
        )
        assert Deadline.objects.get(feedback=fb).met_on == date(2024, 4, 15)

    def test_an_enquiry_is_answered_on_its_date_or_stays_open(self):
        load(
            csv_of(
                {
                    "reference": "E1",
                    "kind": "mp_enquiry",
                    "received_on": "2025-07-07",
                    "service": "Early Help",
                    "enquiry_category": "information",
                    "enquiry_responded_on": "2025-07-11",
                },
                {
                    "reference": "E2",
                    "kind": "mp_enquiry",
                    "received_on": "2025-07-07",
                    "service": "Early Help",
                    "enquiry_category": "case_review",
                },
            )
        )
        e1, e2 = Feedback.objects.get(reference="E1"), Feedback.objects.get(reference="E2")
        assert (e1.status, e1.responded_on, e1.enquiry_category) == ("closed", date(2025, 7, 11), "information")
        assert (e2.status, clock.next_due_of(e2)) == ("open", date(2025, 7, 14))


class TestJudgedLikeARecordEnteredByHand:
    def test_imported_due_dates_equal_those_of_log_feedback(self, people, social_care):
        load(csv_of(complaint(ref="IMPORTED", received_on="2022-09-15")))
        by_hand = s.log_feedback(
            actor=people["alice"],
            kind="complaint",
            channel="email",
            received_on=date(2022, 9, 15),
            service=social_care,
            today=TODAY,
        )
        imported = Feedback.objects.get(reference="IMPORTED")

        def dues(fb):
            return dict(Deadline.objects.filter(feedback=fb).values_list("step", "due_on"))

        assert dues(imported) == dues(by_hand)
        # The State Funeral (Mon 19 Sep 2022) is skipped: 10 working days → Fri 30 Sep 2022.
        assert dues(imported)["stage1_response"] == date(2022, 9, 30)

    def test_the_rules_in_force_on_received_on_apply(self):
        load(
            csv_of(
                {
                    "reference": "OLD",
                    "kind": "councillor_enquiry",
                    "received_on": "2018-03-28",
                    "service": "Early Help",
                    "enquiry_category": "information",
                },
                {
                    "reference": "NEW",
                    "kind": "councillor_enquiry",
                    "received_on": "2018-04-03",
                    "service": "Early Help",
                    "enquiry_category": "information",
                },
            )
        )
        due = dict(Feedback.objects.annotate(due=clock.next_due()).values_list("reference", "due"))
        # 5 working days until 31 March 2018, 10 after.
        assert due == {"OLD": date(2018, 4, 6), "NEW": date(2018, 4, 17)}

    def test_an_imported_open_complaint_can_be_worked_on_in_heard(self, people):
        load(csv_of(complaint(received_on="2026-02-23")))
        fb = Feedback.objects.get()
        s.acknowledge(actor=people["alice"], feedback=fb, on=date(2026, 2, 24), today=TODAY)
        assert Deadline.objects.get(feedback=fb, step="acknowledge").met_on == date(2026, 2, 24)


class TestUpdates:
    def test_a_changed_row_updates_its_record_and_says_what_changed(self):
        load(csv_of(complaint()))
        result = load(csv_of(complaint(stage1_outcome="upheld", stage1_responded_on="2025-04-17")))
        assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
        fb = Feedback.objects.get()
        assert fb.status == "closed" and fb.version == 2
        assert Stage.objects.get(feedback=fb).outcome == "upheld"
        event = Event.objects.get(feedback=fb, action="import_updated")
        assert event.data["changed"] == ["stage1_outcome", "stage1_responded_on"]
        # Rebuilt, not added to: one set of clocks.
        assert Deadline.objects.filter(feedback=fb, step="stage1_response").count() == 1
        # And a third load of the changed file changes nothing.
        result = load(csv_of(complaint(stage1_outcome="upheld", stage1_responded_on="2025-04-17")))
        assert (result.updated, result.unchanged) == (0, 1)

    def test_a_record_worked_on_in_heard_is_not_overwritten_by_the_file(self, people):
        load(csv_of(complaint()))
        s.add_note(actor=people["alice"], feedback=Feedback.objects.get(), text="Spoke to the family")
        errors = errors_of(csv_of(complaint(theme="Lack of Action")))
        assert errors == [
            "line 2, column reference: CS-2025-00100 has been worked on in Heard since it was "
            "imported; change it there, not in the file"
        ]
        # Unchanged rows are still fine.
        assert load(csv_of(complaint())).unchanged == 1

    def test_a_reference_entered_in_heard_is_not_overwritten(self, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="compliment",
            channel="email",
            received_on=TODAY,
            service=social_care,
            compliment_source="external",
            today=TODAY,
        )
        errors = errors_of(csv_of(complaint(ref=fb.reference)))
        assert errors == [
            f"line 2, column reference: {fb.reference} is already the reference of a record "
            "entered in Heard; the import will not overwrite it"
        ]


class TestReferences:
    def test_imported_references_are_kept_and_heard_numbers_on_after_them(self, people, social_care):
        load(csv_of(complaint(ref="CS-2026-00042", received_on="2026-01-05"), complaint(ref="legacy-17")))
        assert set(Feedback.objects.values_list("reference", flat=True)) == {"CS-2026-00042", "legacy-17"}
        assert s.next_reference(year=2026) == "CS-2026-00043"
        fb = s.log_feedback(
            actor=people["alice"],
            kind="complaint",
            channel="email",
            received_on=TODAY,
            service=social_care,
            today=TODAY,
        )
        assert fb.reference == "CS-2026-00044"

    def test_a_counter_already_past_the_file_is_not_moved_back(self):
        ReferenceCounter.objects.create(prefix="CS", year=2026, last_number=90)
        load(csv_of(complaint(ref="CS-2026-00042", received_on="2026-01-05")))
        assert ReferenceCounter.objects.get(prefix="CS", year=2026).last_number == 90


class TestBadInputChangesNothing:
    def test_every_problem_is_reported_with_its_line_and_column_in_one_run(self):
        errors = errors_of(
            csv_of(
                complaint(ref="A1", procedure="stautory"),
                complaint(ref="A2", received_on="2023-02-30"),
                complaint(ref="A3", stage1_outcome="upheld", stage1_responded_on="2025-04-01"),
                complaint(ref="A4", stage2_requested_on="2025-05-01"),
                complaint(ref="A1"),
                complaint(
                    ref="A6",
                    stage1_outcome="upheld",
                    stage1_responded_on="2025-04-17",
                    stage2_requested_on="2025-04-10",
                ),
                complaint(ref="A7", received_on="2026-03-03"),
                complaint(ref="A8", received_on="15/09/2022", theme=""),
                {
                    "reference": "A9",
                    "kind": "compliment",
                    "received_on": "2025-01-06",
                    "service": "Early Help",
                    "compliment_source": "external",
                    "stage1_outcome": "upheld",
                },
                {"reference": "A10", "kind": "complaint?", "received_on": "2025-01-06", "service": "Early Help"},
            )
        )
        assert errors == [
            "line 2, column procedure: 'stautory' is not allowed; use one of: statutory, corporate, "
            "corporate_three_stage",
            "line 3, column received_on: 2023-02-30 is not a real date",
            "line 4, column stage1_responded_on: 2025-04-01 is before received_on (2025-04-07)",
            "line 5, column stage2_requested_on: stage 2 comes after the stage 1 response: give stage1_outcome "
            "and stage1_responded_on first",
            "line 6, column reference: A1 is also on line 2; each reference appears once",
            "line 7, column stage2_requested_on: 2025-04-10 is before the stage 1 response (stage1_responded_on) "
            "(2025-04-17)",
            "line 8, column received_on: 2026-03-03 is in the future",
            "line 9, column received_on: '15/09/2022' is not a date: write it as YYYY-MM-DD, e.g. 2022-09-15",
            "line 9, column theme: this is required for a complaint",
            "line 10, column stage1_outcome: only complaints have this; this row is a compliment",
            "line 11, column kind: 'complaint?' is not allowed; use one of: complaint, compliment, comment, "
            "mp_enquiry, councillor_enquiry",
        ]

    def test_a_response_needs_its_outcome_and_its_date(self):
        errors = errors_of(
            csv_of(
                complaint(ref="B1", stage1_outcome="upheld"),
                complaint(ref="B2", stage1_responded_on="2025-04-17"),
                complaint(
                    ref="B3",
                    stage1_outcome="withdrawn",
                    stage1_responded_on="2025-04-17",
                    stage2_requested_on="2025-04-20",
                ),
                complaint(
                    ref="B4",
                    stage1_outcome="upheld",
                    stage1_responded_on="2025-04-17",
                    stage2_outcome="upheld",
                    stage2_responded_on="2025-05-20",
                ),
                complaint(ref="B5", ombudsman_decision="not_upheld"),
            )
        )
        assert errors == [
            "line 2, column stage1_responded_on: give the date of the stage 1 response (or of the withdrawal) "
            "with stage1_outcome",
            "line 3, column stage1_outcome: give the stage 1 outcome with stage1_responded_on, or leave both "
            "empty while stage 1 is open",
            "line 4, column stage2_requested_on: the complaint was withdrawn at stage 1, so it cannot go to stage 2",
            "line 5, column stage2_outcome: a stage 2 response needs the date stage 2 was asked for "
            "(stage2_requested_on)",
            "line 6, column ombudsman_decision: a decision needs the date of the referral (ombudsman_referred_on)",
        ]

    def test_required_columns_per_kind(self):
        errors = errors_of(
            csv_of(
                {"reference": "C1", "kind": "complaint", "received_on": "2025-01-06", "service": "Early Help"},
                {"reference": "C2", "kind": "compliment", "received_on": "2025-01-06", "service": "Early Help"},
                {"reference": "C3", "kind": "mp_enquiry", "received_on": "2025-01-06", "service": ""},
            )
        )
        assert errors == [
            "line 2, column procedure: this is required for a complaint",
            "line 2, column theme: this is required for a complaint",
            "line 3, column compliment_source: this is required for a compliment",
            "line 4, column service: this is required",
            "line 4, column enquiry_category: this is required for an enquiry",
        ]

    def test_the_statutory_procedure_did_not_exist_before_september_2006(self):
        errors = errors_of(csv_of(complaint(received_on="2005-01-10")))
        assert errors == [
            "line 2, column received_on: Children's statutory complaints procedure (statutory) has "
            "no rules in force on 2005-01-10: its first version takes effect on 2006-09-01"
        ]

    def test_unknown_columns_are_named(self):
        errors = errors_of(csv_of(complaint(), header=HEADER + ",due_on,Theme"))
        assert errors[0].startswith(
            "line 1, column due_on: unknown column 'due_on'; the columns are: reference, kind, received_on"
        )
        assert errors[1].startswith("line 1, column Theme: unknown column 'Theme'")

    def test_a_missing_header_is_reported(self):
        errors = errors_of(b"CS-1,complaint,2025-01-06,Early Help\n")
        assert errors[-1] == (
            "line 1: missing columns reference, kind, received_on, service: every file needs "
            "reference, kind, received_on and service (is the header row missing?)"
        )

    def test_an_empty_file_is_reported(self):
        assert errors_of(b"") == [
            "line 1: the file is empty: it needs a header row naming the columns, e.g. "
            "reference,kind,received_on,service"
        ]

    def test_a_byte_order_mark_is_accepted(self):
        assert load(b"\xef\xbb\xbf" + csv_of(complaint())).created == 1

    def test_quoted_cells_commas_and_crlf_line_ends_are_read(self):
        data = csv_of(complaint(service="SEN, Education and Psychology")).replace(b"\n", b"\r\n")
        load(data)
        assert Feedback.objects.get().service.name == "SEN, Education and Psychology"

    def test_blank_rows_are_skipped(self):
        data = csv_of(complaint()) + b"\n" + b"," * (len(COLUMNS) - 1) + b"\n"
        assert load(data).rows == 1

    def test_a_malformed_csv_is_reported_with_its_line(self):
        data = csv_of(complaint(ref="D1")) + b'D2,complaint,"2025-01-06,Early Help\n'
        assert errors_of(data) == ["line 3: not valid CSV (unexpected end of data); nothing was imported"]

    def test_a_row_with_the_wrong_number_of_cells_is_reported(self):
        data = csv_of(complaint()) + b"D2,complaint,2025-01-06,SEN, Education and Psychology\n"
        assert errors_of(data) == [
            f"line 3: 5 cells, but the header names {len(COLUMNS)} columns (is a comma "
            "inside a value missing its quotes?)"
        ]

    def test_a_file_that_is_not_utf8_is_reported(self):
        data = csv_of(complaint()) + "D2,complaint,2025-01-06,Café\n".encode("latin-1")
        assert errors_of(data) == ["line 3: the file is not UTF-8 text; save it as 'CSV UTF-8' and try again"]

    def test_a_failure_while_writing_leaves_nothing_behind(self, monkeypatch):
        insert = importer._insert

        def fail_at_the_events(model, rows, now):
            if model is Event:  # the last thing written: everything else is in by then
                raise RuntimeError("disk full")
            insert(model, rows, now)

        monkeypatch.setattr(importer, "_insert", fail_at_the_events)
        before = counts()
        with pytest.raises(RuntimeError):
            load(SAMPLE.read_bytes())
        assert counts() == before and not ReferenceCounter.objects.exists()

    def test_a_dry_run_checks_and_reports_but_writes_nothing(self):
        result = load(SAMPLE.read_bytes(), dry_run=True)
        assert result.created == 26 and "Fostering and Adoption" in result.services_created
        assert counts() == (0, 0, 0, 0, 0, 0, 0)
        assert result.summary("x.csv").endswith("Nothing was written (--dry-run).")


class TestQueries:
    def test_rows_are_written_in_batches_not_one_query_per_row(self, django_assert_max_num_queries):
        def rows(n, start):
            return [
                complaint(ref=f"Q{start + i}", stage1_outcome="upheld", stage1_responded_on="2025-04-17")
                for i in range(n)
            ]

        with django_assert_max_num_queries(30) as small:
            load(csv_of(*rows(5, 0)))
        # Bulk inserts: a handful of queries per batch of rows (SQLite's batches are smaller, limited by
        # its 999 parameters a query), never one per row.
        with django_assert_max_num_queries(len(small.captured_queries) + 500 // 5):
            load(csv_of(*rows(500, 100)))


class TestTheCommand:
    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_heard_import_feedback_prints_a_summary(self, tmp_path):
        out = StringIO()
        call_command("import", "feedback", str(SAMPLE), stdout=out)
        assert out.getvalue().startswith("Imported sample-import.csv: 26 rows: 26 created, 0 updated, 0 unchanged.")
        out = StringIO()
        call_command("import", "feedback", str(SAMPLE), stdout=out)
        assert "0 created, 0 updated, 26 unchanged." in out.getvalue()

    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_errors_go_to_stderr_and_the_command_fails(self, tmp_path):
        path = tmp_path / "bad.csv"
        path.write_bytes(csv_of(complaint(procedure="nonsense"), complaint(ref="X", received_on="2025-13-01")))
        err = StringIO()
        with pytest.raises(CommandError, match=r"bad.csv: 2 problems found; nothing was imported."):
            call_command("import", "feedback", str(path), stderr=err)
        assert err.getvalue().splitlines() == [
            "line 2, column procedure: 'nonsense' is not allowed; use one of: statutory, corporate, "
            "corporate_three_stage",
            "line 3, column received_on: 2025-13-01 is not a real date",
        ]
        assert not Feedback.objects.exists()

    def test_a_missing_file_is_reported(self, tmp_path):
        with pytest.raises(CommandError, match=r"Cannot read .*nope\.csv: No such file or directory"):
            call_command("import", "feedback", str(tmp_path / "nope.csv"))


class TestUpdatesThatRemoveThings:
    def test_a_row_that_no_longer_has_stage_2_drops_it_and_cancels_its_clocks(self):
        load(
            csv_of(
                complaint(
                    procedure="corporate",
                    stage1_outcome="not_upheld",
                    stage1_responded_on="2025-04-17",
                    stage2_requested_on="2025-05-01",
                    ombudsman_referred_on="2025-08-01",
                )
            )
        )
        stage2_clocks = list(Deadline.objects.filter(step="stage2_acknowledge").values_list("id", flat=True))
        assert len(stage2_clocks) == 1
        load(csv_of(complaint(procedure="corporate", stage1_outcome="not_upheld", stage1_responded_on="2025-04-17")))
        fb = Feedback.objects.get()
        assert (fb.status, fb.stage) == ("closed", 1)
        assert list(fb.stages.values_list("number", flat=True)) == [1]
        assert not OmbudsmanCase.objects.exists()
        # Clocks are cancelled rather than deleted: letters and reminders may point at them.
        assert all(Deadline.objects.get(pk=pk).cancelled for pk in stage2_clocks)


class _Terminal(StringIO):
    def isatty(self):
        return True


class TestTheProgressBar:
    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_a_progress_bar_is_shown_on_a_terminal(self, capsys):
        call_command("import", "feedback", str(SAMPLE), stdout=_Terminal())
        assert "Checking" in capsys.readouterr().err

    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_no_progress_bar_when_output_is_not_a_terminal(self, capsys):
        out = StringIO()
        call_command("import", "feedback", str(SAMPLE), stdout=out)
        assert "Checking" not in capsys.readouterr().err
        assert "26 created" in out.getvalue()
