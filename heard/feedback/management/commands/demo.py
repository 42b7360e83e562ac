"""`heard demo`: load a believable demo council and print one sign-in per role.

    heard demo                      # into an empty database; refuses (exit 1) if it holds any data
    heard demo --if-empty           # used by `make run`: loads into an empty database; if the demo council is
                                    # already there, changes nothing and prints the sign-ins again; if the
                                    # database holds other data, loads nothing (exit 0 either way)
    heard demo --today 2026-03-02   # build the history up to another day (default: today, Europe/London)
    heard demo --scale 100          # 100 times the yearly volume, the extra in bulk: for benchmarks

It never adds to or deletes existing data: to rebuild, start from an empty database (delete
var/heard.sqlite3, or drop and create the PostgreSQL database, then `heard migrate`). The demo's passwords
are published in heard/feedback/demo.py, which is why it only ever loads into an empty database.
"""

from argparse import ArgumentTypeError
from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.feedback import demo


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        # ArgumentTypeError: argparse prints it as a usage error (exit 2), not a traceback.
        raise ArgumentTypeError(f"--today must be a date as YYYY-MM-DD, e.g. 2026-03-02, not {value!r}.") from e


def _scale(value: str) -> int:
    try:
        n = int(value)
    except ValueError as e:
        raise ArgumentTypeError(f"--scale must be a whole number of 1 or more, not {value!r}.") from e
    if n < 1:
        raise ArgumentTypeError(f"--scale must be a whole number of 1 or more, not {value!r}.")
    return n


class Command(BaseCommand):
    help = "Load the demo council into an empty database and print one sign-in per role."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into an empty database; otherwise change nothing and exit 0 "
            "(printing the sign-ins again if the demo council is already loaded).",
        )
        parser.add_argument(
            "--today", type=_day, default=None, help="Build the history up to this day, YYYY-MM-DD (default: today)."
        )
        parser.add_argument(
            "--scale",
            type=_scale,
            default=1,
            help="N times the yearly volume; the extra is written in bulk, for benchmarks.",
        )

    def handle(self, *args, if_empty: bool, today: date | None, scale: int, **options) -> None:
        today = today or timezone.localdate()  # the wall clock, once, at the command line only
        state = demo.database_state()
        if state == "demo":
            if not if_empty:
                raise CommandError(
                    "The demo council is already loaded: nothing changed. Use --if-empty to print its sign-ins, "
                    "or start from an empty database to rebuild it."
                )
            self.print_sign_ins()
            self.stdout.write("\nThe demo council is already loaded: nothing changed.")
            return
        if state == "other":
            message = (
                "The database already holds data that is not the demo council: no demo loaded. The demo "
                "only loads into an empty database (its passwords are public)."
            )
            if if_empty:
                self.stdout.write(message)
                return
            raise CommandError(message)
        result = demo.build_demo(today=today, scale=scale)
        self.print_sign_ins()
        self.stdout.write("")
        for line in result.summary_lines():
            self.stdout.write(line)

    def print_sign_ins(self) -> None:
        # Exactly one line per role, `role: username / password` (make run and the docs rely on it).
        for role, username, password in demo.sign_ins():
            self.stdout.write(f"{role}: {username} / {password}")
