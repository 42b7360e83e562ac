"""The `heard` command line: `heard calendar ...` and `heard procedure ...` (import: test_import.py)."""

import os
import subprocess
import sys
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command

from heard.feedback import clock
from heard.feedback import services as s
from heard.feedback.models import Deadline
from heard.organisation.models import NonWorkingDay

pytestmark = pytest.mark.django_db

HEARD = Path(sys.executable).with_name("heard")


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestCalendar:
    def test_add_prints_the_due_date_skipping_the_state_funeral(self):
        assert run("calendar", "add", "2022-09-15", "10") == "2022-09-30\n"

    def test_add_counts_receipt_on_a_weekend_from_the_next_working_day(self):
        # Sat 17 Sep 2022 counts as received Tue 20 Sep (Mon 19 was the State Funeral): + 3 → Fri 23 Sep.
        assert run("calendar", "add", "2022-09-17", "3") == "2022-09-23\n"

    def test_explain_gives_the_reasoning_day_by_day(self):
        out = run("calendar", "explain", "2022-09-15", "10").splitlines()
        assert out[0] == (
            "received Thu 15 Sep 2022; 10 working days, skipping Mon 19 Sep (State Funeral of Queen "
            "Elizabeth II) → due Fri 30 Sep 2022"
        )
        assert "day 0 = Thu 15 Sep 2022 (day of receipt)" in out
        assert "  skip Mon 19 Sep 2022: bank holiday: State Funeral of Queen Elizabeth II" in out
        assert out[-1] == "day 10 = Fri 30 Sep 2022 → due (10 working days)"

    def test_a_council_closure_day_is_part_of_the_calendar(self):
        NonWorkingDay.objects.create(date=date(2022, 9, 16), name="Office move", kind="closure")
        assert run("calendar", "add", "2022-09-15", "10") == "2022-10-03\n"

    @pytest.mark.parametrize(
        ("args", "message"),
        [
            (("2022-02-30", "10"), "the date received: 2022-02-30 is not a real date"),
            (("15/09/2022", "10"), "the date received: '15/09/2022' is not a date: write it as YYYY-MM-DD"),
            (("2022-09-15", "ten"), "working days: 'ten' is not a whole number, e.g. 10"),
            (("2022-09-15", "-1"), "working days: -1 is out of range; give 0 to 1000"),
        ],
    )
    def test_bad_input_gets_a_clear_message(self, args, message):
        with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
            run("calendar", "add", *args)

    @time_machine.travel(date(2026, 3, 2), tick=False)
    def test_add_holiday_moves_the_open_deadlines_it_affects_and_says_how_many(self, people, social_care):
        fb = s.log_feedback(
            actor=people["alice"],
            kind="complaint",
            channel="email",
            received_on=date(2026, 3, 2),
            service=social_care,
            today=date(2026, 3, 2),
        )
        out = run("calendar", "add-holiday", "2026-03-04", "A newly announced bank holiday")
        # Acknowledge (due Thu 5 Mar) and stage 1 response (due Mon 16 Mar) both span Wed 4 Mar.
        assert out == (
            "Added Wed 4 Mar 2026 (A newly announced bank holiday) as a bank holiday: 2 open deadlines moved.\n"
        )
        assert Deadline.objects.get(feedback=fb, step="acknowledge").due_on == date(2026, 3, 6)
        fb.refresh_from_db()
        assert clock.next_due_of(fb) == date(2026, 3, 6)  # the work queue's date moves with it
        assert NonWorkingDay.objects.get().kind == NonWorkingDay.Kind.BANK_HOLIDAY

    def test_add_closure_records_a_closure_day(self):
        out = run("calendar", "add-closure", "2026-12-29", "Closed between Christmas and New Year")
        assert out == (
            "Added Tue 29 Dec 2026 (Closed between Christmas and New Year) as a council closure day: "
            "0 open deadlines moved.\n"
        )
        assert NonWorkingDay.objects.get().kind == NonWorkingDay.Kind.CLOSURE

    def test_adding_a_day_that_is_already_not_a_working_day_is_refused(self):
        with pytest.raises(
            CommandError,
            match=r"Mon 19 Sep 2022 is already not a working day \(bank holiday: "
            r"State Funeral of Queen Elizabeth II\)",
        ):
            run("calendar", "add-holiday", "2022-09-19", "Again")
        with pytest.raises(CommandError, match="Sat 24 Sep 2022 is already not a working day"):
            run("calendar", "add-closure", "2022-09-24", "A Saturday")
        assert not NonWorkingDay.objects.exists()

    def test_a_day_needs_a_name(self):
        with pytest.raises(CommandError, match=r"Give the day a name\."):
            run("calendar", "add-holiday", "2027-06-04", "  ")
        assert not NonWorkingDay.objects.exists()


class TestProcedure:
    def test_list_names_every_procedure_and_its_versions(self):
        out = run("procedure", "list").splitlines()
        assert "statutory: Children's statutory complaints procedure (from Fri 1 Sep 2006)" in out
        assert "councillor_enquiry: Councillor enquiry (from Sat 1 Jan 2000, from Sun 1 Apr 2018)" in out
        assert len(out) == 7

    def test_show_prints_each_rule_with_its_citation(self):
        out = run("procedure", "show", "statutory", "--on", "2026-03-02")
        assert out.startswith(
            "Children's statutory complaints procedure (statutory)\n"
            "Version in force on Mon 2 Mar 2026: from Fri 1 Sep 2006 (current)\n"
        )
        assert (
            "  stage1_response: stage 1: Respond at stage 1 (local resolution). 10 working days from receipt, "
            "extendable to 20.\n    Source: SI 2006/1738 reg 14"
        ) in out
        assert "The complainant may ask within 20 working days of stage1 response" in out
        assert "  stage2_independent_person_not_on_panel: The stage 2 independent person may not sit" in out

    def test_show_on_a_date_gives_the_version_then_in_force(self):
        before = run("procedure", "show", "councillor_enquiry", "--on", "2018-03-31")
        after = run("procedure", "show", "councillor_enquiry", "--on", "2018-04-01")
        assert "from Sat 1 Jan 2000 to Sat 31 Mar 2018" in before and "5 working days from receipt" in before
        assert "from Sun 1 Apr 2018 (current)" in after and "10 working days from receipt" in after

    def test_a_councils_local_setting_is_shown(self):
        from heard.organisation.models import ProcedureSetting

        ProcedureSetting.objects.create(
            procedure="statutory",
            step="acknowledge",
            working_days=2,
            effective_from=date(2025, 4, 1),
            citation="Cabinet decision 2025/17",
        )
        out = run("procedure", "show", "statutory", "--on", "2025-04-01")
        assert (
            "  acknowledge: stage 1: Acknowledge the complaint. 2 working days from receipt.\n"
            "    Source: Cabinet decision 2025/17" in out
        )

    def test_an_unknown_procedure_names_the_known_ones(self):
        with pytest.raises(
            CommandError,
            match=r"There is no procedure 'nonsense'\. The procedures are: comment, "
            "compliment, corporate, corporate_three_stage, councillor_enquiry, "
            r"mp_enquiry, statutory\.",
        ):
            run("procedure", "show", "nonsense")

    def test_a_date_before_the_first_version_is_explained(self):
        with pytest.raises(
            CommandError, match="has no rules in force on 2005-01-01: its first version takes effect on 2006-09-01"
        ):
            run("procedure", "show", "statutory", "--on", "2005-01-01")

    def test_a_bad_date_is_refused(self):
        with pytest.raises(CommandError, match="--on: 2018-02-29 is not a real date"):
            run("procedure", "show", "statutory", "--on", "2018-02-29")


@pytest.fixture(scope="module")
def console_env(tmp_path_factory):
    """The real console script against its own migrated SQLite file (never the test database)."""
    db = tmp_path_factory.mktemp("cli") / "heard.sqlite3"
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{db}"}
    subprocess.run([str(HEARD), "migrate", "--no-input", "-v", "0"], env=env, check=True, timeout=300)
    return env


class TestTheConsoleScript:
    def test_heard_calendar_add_prints_exactly_the_date(self, console_env):
        done = subprocess.run(
            [str(HEARD), "calendar", "add", "2022-09-15", "10"],
            env=console_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (done.returncode, done.stdout, done.stderr) == (0, "2022-09-30\n", "")

    def test_python_dash_m_heard_works_too(self, console_env):
        done = subprocess.run(
            [sys.executable, "-m", "heard", "calendar", "add", "2022-09-15", "10"],
            env=console_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert (done.returncode, done.stdout) == (0, "2022-09-30\n")

    def test_bad_input_exits_non_zero_with_the_message_on_stderr(self, console_env):
        done = subprocess.run(
            [str(HEARD), "calendar", "add", "2022-02-30", "10"],
            env=console_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode != 0 and done.stdout == ""
        assert "the date received: 2022-02-30 is not a real date" in done.stderr

    def test_heard_import_feedback_runs_and_fails_cleanly(self, console_env, tmp_path):
        sample = Path(__file__).parent / "data" / "sample-import.csv"
        done = subprocess.run(
            [str(HEARD), "import", "feedback", str(sample)],
            env=console_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert "26 rows: 26 created, 0 updated, 0 unchanged." in done.stdout
        bad = tmp_path / "bad.csv"
        bad.write_text("reference,kind,received_on,service\nX1,complaint,2025-01-06,Early Help\n")
        done = subprocess.run(
            [str(HEARD), "import", "feedback", str(bad)], env=console_env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 1
        assert "line 2, column procedure: this is required for a complaint" in done.stderr
        assert "bad.csv: 2 problems found; nothing was imported." in done.stderr
