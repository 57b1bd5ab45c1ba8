"""A real local SMTP server (aiosmtpd) for the outbox tests: keeps what it receives, or refuses on demand."""
import socket
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """An aiosmtpd handler that keeps what it receives, or refuses every recipient when asked."""

    def __init__(self):
        self.received = []
        self.refuse = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.settings = {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": controller.port,
                      "MAIL_FROM": "Gandeng Gendong <noreply@jogjakota.go.id>",
                      "PUBLIC_BASE_URL": "https://gandeng.jogjakota.go.id"}
    yield inbox
    controller.stop()
