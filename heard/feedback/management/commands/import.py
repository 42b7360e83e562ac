"""`heard import feedback FILE.csv`: load historic feedback (/work/shared/specs/feedback-import.md).

All or nothing: every problem is listed on stderr with its line and column, the exit code is non-zero
and nothing is written. Loading the same file again changes nothing; a changed row updates its record.
A progress bar is shown only when stdout is a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from heard.feedback.importer import ImportFailed, import_feedback


class Command(BaseCommand):
    help = "Import historic feedback from a CSV file (all or nothing; safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=["feedback"], help="what to import: feedback")
        parser.add_argument(
            "file",
            metavar="FILE.csv",
            help="the CSV file (format 1; example: heard/feedback/tests/data/sample-import.csv)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as e:
            raise CommandError(f"Cannot read {path}: {e.strerror or e}") from None
        out = getattr(self.stdout, "_out", sys.stdout)
        on_terminal = hasattr(out, "isatty") and out.isatty()

        def progress(iterable, **kwargs):
            return tqdm(iterable, file=sys.stderr, leave=False, **kwargs)

        try:
            result = import_feedback(
                data, filename=path.name, dry_run=options["dry_run"], progress=progress if on_terminal else None
            )
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(error)
            raise CommandError(f"{path.name}: {failed}") from None
        self.stdout.write(result.summary(path.name))
