"""`heard uploads prune`: remove uploaded files that no document on a case points to.

    heard uploads prune --dry-run                 what would go, deleting nothing
    heard uploads prune                           remove those older than 24 hours
    heard uploads prune --older-than-hours 72

Such files are left by public forms never sent (a file is kept when it is uploaded, and is attached to the
case only when the form is sent) and by a process stopped between writing a file and saving its row. Only
the upload directory (heard.feedback.documents.UPLOAD_DIR) is looked at; letters' PDFs are not uploads.
Each file removed is listed by its random stored name (never the person's name for it). Safe to run at any
time and in more than one process. Schedule it daily: docs/how-to/scheduled-commands.md.
"""

from __future__ import annotations

import math
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.feedback import documents

DEFAULT_HOURS = 24


class Command(BaseCommand):
    help = "Uploaded files: prune those on no case (forms never sent), older than a safety margin."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{prune}")
        text = "Remove uploaded files that no document on a case points to, older than --older-than-hours."
        p = sub.add_parser("prune", help=text, description=text)
        p.add_argument(
            "--older-than-hours",
            type=float,
            default=DEFAULT_HOURS,
            metavar="N",
            help=f"keep files written in the last N hours (default {DEFAULT_HOURS}; at least as long "
            "as a session, which is all that points to a file in a form not yet sent)",
        )
        p.add_argument("--dry-run", action="store_true", help="list what would be removed; delete nothing")

    def handle(self, *args, **options) -> None:
        hours = options["older_than_hours"]
        session_hours = math.ceil(settings.SESSION_COOKIE_AGE / 3600)
        if not hours >= session_hours:
            raise CommandError(
                f"--older-than-hours {hours:g} is shorter than a session ({session_hours} hours): "
                "a file in a form someone is still filling in would be removed."
            )
        dry_run = options["dry_run"]
        now = timezone.now()
        verb = "would remove" if dry_run else "removed"

        def say(path, size, modified):
            age = (now - modified).total_seconds() / 3600
            self.stdout.write(f"{verb} {path} ({documents.human_size(size)}, {age:.0f} hours old)")

        report = documents.prune_orphans(older_than=timedelta(hours=hours), now=now, dry_run=dry_run, on_orphan=say)
        self.stdout.write(report.summary())
