"""`heard calendar`: working-day deadlines from the command line, and newly announced days off.

    heard calendar add 2022-09-15 10                  2022-09-30
    heard calendar explain 2022-09-15 10              why, day by day
    heard calendar add-holiday 2022-09-19 "State Funeral of Queen Elizabeth II"
    heard calendar add-closure 2026-12-29 "Council closed between Christmas and New Year"

The calendar is the one every deadline uses: England and Wales bank holidays plus the days added here
(clock.working_calendar()), counted as the domain's default rule: the day of receipt is day 0, and
something received on a non-working day counts as received on the next working day.
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.feedback import clock
from heard.feedback.importer import parse_iso_date
from heard.feedback.services import RuleViolation, add_non_working_day
from heard.organisation.models import NonWorkingDay
from heard.procedure import format_date

MAX_WORKING_DAYS = 1000  # far beyond any rule (the longest is 65); a typo like 1000000 is refused


def _date(text: str, what: str) -> date:
    try:
        return parse_iso_date(text)
    except ValueError as e:
        raise CommandError(f"{what}: {e}") from None


def _working_days(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise CommandError(f"working days: {text!r} is not a whole number, e.g. 10") from None
    if not 0 <= n <= MAX_WORKING_DAYS:
        raise CommandError(f"working days: {n} is out of range; give 0 to {MAX_WORKING_DAYS}")
    return n


class Command(BaseCommand):
    help = "Working-day deadlines (add, explain) and newly announced non-working days (add-holiday, add-closure)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{add,explain,add-holiday,add-closure}")
        for name, text in (
            ("add", "Print the due date: DATE plus N working days."),
            ("explain", "Explain the due date day by day."),
        ):
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument("received", metavar="DATE", help="the date received, YYYY-MM-DD")
            p.add_argument("working_days", metavar="N", help="how many working days")
        for name, text in (
            ("add-holiday", "Add a newly announced bank holiday and move the open deadlines."),
            ("add-closure", "Add a council closure day and move the open deadlines."),
        ):
            p = sub.add_parser(name, help=text, description=text)
            p.add_argument("day", metavar="DATE", help="the day, YYYY-MM-DD")
            p.add_argument("name", metavar="NAME", help='what it is, e.g. "State Funeral"')

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action in ("add", "explain"):
            received = _date(options["received"], "the date received")
            n = _working_days(options["working_days"])
            calendar = clock.working_calendar()
            if action == "add":
                self.stdout.write(calendar.add_working_days(received, n).isoformat())
                return
            explanation = calendar.explain(received, n)
            self.stdout.write(explanation.text)
            self.stdout.write("")
            for line in explanation.lines():
                self.stdout.write(line)
            return
        day = _date(options["day"], "the day")
        kind = NonWorkingDay.Kind.BANK_HOLIDAY if action == "add-holiday" else NonWorkingDay.Kind.CLOSURE
        try:
            moved = add_non_working_day(actor=None, day=day, name=options["name"], kind=kind)
        except RuleViolation as e:
            raise CommandError(e.message) from None
        what = "a bank holiday" if kind == NonWorkingDay.Kind.BANK_HOLIDAY else "a council closure day"
        deadlines = "open deadline" if moved == 1 else "open deadlines"
        self.stdout.write(f"Added {format_date(day)} ({options['name'].strip()}) as {what}: {moved} {deadlines} moved.")
