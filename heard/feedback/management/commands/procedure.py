"""`heard procedure`: the rule packs, each rule with its citation.

    heard procedure list
    heard procedure show statutory                   the version in force today
    heard procedure show councillor_enquiry --on 2018-03-31

The rules shown are the ones this installation judges cases by: the packaged packs plus the council's
local settings (clock.rulebook()).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.feedback import clock
from heard.feedback.importer import parse_iso_date
from heard.procedure import NoRuleInForce, Step, UnknownProcedure, format_date


def _step_line(step: Step) -> str:
    days = f"{step.working_days} working day{'s' if step.working_days != 1 else ''}"
    if step.kind == "window":
        timing = f"the complainant may ask within {days} of {step.starts_at.replace('_', ' ')}"
        if step.advisory:
            timing += " (advisory: a later request needs a recorded decision)"
    elif step.kind == "minimum_notice":
        timing = f"at least {days} before {step.starts_at.replace('_', ' ')}"
    else:
        timing = f"{days} from {step.starts_at.replace('_', ' ')}"
        if step.extension_ceiling is not None:
            timing += f", extendable to {step.extension_ceiling}"
    stage = f"stage {step.stage}: " if step.stage else ""
    return f"  {step.key}: {stage}{step.title}. {timing[0].upper()}{timing[1:]}.\n    Source: {step.citation}"


class Command(BaseCommand):
    help = "List the procedures (rule packs), or show one's rules with their sources."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{list,show}")
        sub.add_parser("list", help="List the procedures and their versions.")
        show = sub.add_parser("show", help="Show a procedure's rules in force on a date.")
        show.add_argument("name", metavar="NAME", help="the procedure, e.g. statutory")
        show.add_argument("--on", metavar="DATE", help="the rules in force on this date (default: today)")

    def handle(self, *args, **options) -> None:
        book = clock.rulebook()
        if options["action"] == "list":
            for procedure in book.procedures():
                versions = ", ".join(f"from {format_date(v.effective_from)}" for v in procedure.versions)
                self.stdout.write(f"{procedure.name}: {procedure.title} ({versions})")
            return
        try:
            procedure = book.get(options["name"])
        except UnknownProcedure:
            raise CommandError(
                f"There is no procedure {options['name']!r}. The procedures are: {', '.join(book.names())}."
            ) from None
        try:
            on = parse_iso_date(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as e:
            raise CommandError(f"--on: {e}") from None
        try:
            version = procedure.in_force_on(on)
        except NoRuleInForce as e:
            raise CommandError(str(e)) from None
        later = [v for v in procedure.versions if v.effective_from > version.effective_from]
        self.stdout.write(f"{procedure.title} ({procedure.name})")
        # The next version starts the day after this one ends.
        until = f" to {format_date(later[0].effective_from - timedelta(days=1))}" if later else " (current)"
        self.stdout.write(f"Version in force on {format_date(on)}: from {format_date(version.effective_from)}{until}")
        self.stdout.write(f"Source: {version.citation}")
        counting = version.counting
        self.stdout.write(
            f"Counting: the day of receipt is day {counting.receipt_day_counts_as}; "
            + (
                "something received on a non-working day counts as received on the next working day."
                if counting.roll_non_working_receipt
                else "a non-working day of receipt is not rolled forward."
            )
        )
        self.stdout.write(f"Stages: {version.stages}")
        self.stdout.write("Rules:")
        for step in version.steps:
            self.stdout.write(_step_line(step))
        if version.notes:
            self.stdout.write("Other rules:")
            for note in version.notes:
                self.stdout.write(f"  {note.key}: {note.text}\n    Source: {note.citation}")
