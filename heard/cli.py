"""The `heard` command: Django's management commands plus Heard's own.

`heard migrate`, `heard runserver`, `heard calendar add 2022-09-15 10`, `heard send-outbox` ...
Hyphenated names are accepted for commands whose module uses underscores.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["heard", *args])
