"""A real SMTP server on loopback (aiosmtpd) that can fail on purpose."""

from __future__ import annotations

import socket
import threading
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FlakyHandler:
    """Refuses the first `fail_first` messages with `fail_reply`, then accepts; records what it accepted."""

    def __init__(self):
        self.fail_first = 0
        self.fail_reply = "451 4.3.0 Try again later"
        self.attempts = 0
        self.delivered: list = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.attempts += 1
            if self.attempts <= self.fail_first:
                return self.fail_reply
            self.delivered.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 2.0.0 OK"

    def ids(self) -> list[str]:
        return [m["X-Heard-Id"] for _, m in self.delivered]


@pytest.fixture
def smtp_server(settings):
    handler = FlakyHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.HEARD_EMAIL_TRANSPORT = "smtp"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 5
    settings.HEARD_OUTBOX_MAX_ATTEMPTS, settings.HEARD_OUTBOX_BACKOFF_SECONDS = 4, 60
    yield handler
    controller.stop()
