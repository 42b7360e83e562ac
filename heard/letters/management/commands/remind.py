"""heard remind [--today YYYY-MM-DD]: reminders, deadline-moved notices and the daily digest.
Safe to run as often as you like: see heard/letters/reminders.py and docs/how-to/scheduled-commands.md."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from heard.letters.reminders import run_reminders


class Command(BaseCommand):
    help = "Remind assignees before deadlines and when they are missed; send the complaints manager's digest."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Run as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, **options):
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(f"--today must be a date like 2026-03-02, not {options['today']!r}.") from None
        else:
            today = timezone.localdate()
        result = run_reminders(today=today)
        self.stdout.write(f"{today:%a %d %b %Y}: {result}")
