"""heard send-outbox [--once | --loop --interval S]: deliver queued email (see heard/outbox/sending.py)."""

import signal
import time

from django.core.management.base import BaseCommand

from heard.outbox.sending import make_transport, send_due


class Command(BaseCommand):
    help = "Deliver the email outbox through the configured transport (console, smtp or notify)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Send what is due, then stop (the default; for cron).")
        mode.add_argument("--loop", action="store_true", help="Keep running, sending what is due every --interval.")
        parser.add_argument("--interval", type=float, default=30.0, help="Seconds between rounds with --loop.")
        parser.add_argument(
            "--transport", choices=["console", "smtp", "notify"], help="Override HEARD_EMAIL_TRANSPORT for this run."
        )

    def handle(self, *args, **options):
        transport_name = options["transport"]
        if not options["loop"]:
            result = send_due(transport=make_transport(transport_name))
            self.stdout.write(f"Outbox: {result}")
            return
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while not stopping:
            result = send_due(transport=make_transport(transport_name))
            if result.sent or result.failed or result.retrying or result.abandoned:
                self.stdout.write(f"Outbox: {result}")
            slept = 0.0
            while slept < options["interval"] and not stopping:
                time.sleep(0.5)
                slept += 0.5
        self.stdout.write("Outbox worker stopped.")
