"""A real SMTP server in the test process (aiosmtpd), and the worker run in the test's thread.

The e-mail tests send through Django's own SMTP backend to this server and read what arrived;
the server can be told to fail (a temporary 451, or a refused address), or to require STARTTLS.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tests.live_server import HOST, free_port


@dataclass
class Inbox:
    """aiosmtpd's handler: keeps what arrives; fails when told to."""

    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    # The next this many messages are answered "451 try again later".
    temporary_failures: int = 0
    # Addresses refused at RCPT with 550 (the reply quotes the address, as real servers do).
    refused: set[str] = field(default_factory=set)
    # Set by the server when a session has started TLS.
    tls_sessions: int = 0

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook names
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.temporary_failures:
            self.temporary_failures -= 1
            return "451 4.3.0 Temporary failure, please try again later"
        if session.ssl is not None:
            self.tls_sessions += 1
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 2.0.0 Message accepted"


@contextlib.contextmanager
def smtp_server(*, tls_context: ssl.SSLContext | None = None) -> Iterator[tuple[Inbox, int]]:
    """Run the server until the block ends; yields (inbox, port). With `tls_context`, the
    server refuses anything before STARTTLS."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname=HOST,
        port=port,
        tls_context=tls_context,
        require_starttls=tls_context is not None,
    )
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, made with openssl."""
    certificate, key = folder / "smtp.crt", folder / "smtp.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            "-keyout", str(key), "-out", str(certificate),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return certificate, key


def run_tasks() -> int:
    """What `manage.py db_worker --batch` does with the tasks ready now, in this thread (inside
    the test's transaction); returns how many ran. Tasks to run later stay queued."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    return ran


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None, "a plain text and an HTML part"
    return text.get_content(), html.get_content()
