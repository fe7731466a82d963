"""A real SMTP server (aiosmtpd) on a free loopback port that records what it receives."""

import asyncio
import email
import email.policy
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from tests.support.net import free_port


@dataclass
class ReceivedMessage:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # Folded or encoded headers may carry layout whitespace; compare words.
        return " ".join(str(self.message["Subject"]).split())

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part else ""

    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part else ""


@dataclass
class RecordingHandler:
    messages: list[ReceivedMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    delay: float = 0.0  # seconds spent on each message, to make a send take time
    # Given the parsed message and how many times its Message-ID was offered, an SMTP reply
    # to refuse it with (e.g. "451 4.3.0 Try again later"), or None to accept it.
    refuse: Callable[[email.message.EmailMessage, int], str | None] | None = None
    offered: dict = field(default_factory=dict)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.refuse is not None:
            key = str(parsed["Message-ID"])
            with self.lock:
                self.offered[key] = self.offered.get(key, 0) + 1
                attempt = self.offered[key]
            reply = self.refuse(parsed, attempt)
            if reply:
                return reply
        with self.lock:
            self.messages.append(
                ReceivedMessage(envelope.mail_from, list(envelope.rcpt_tos), parsed)
            )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, delay: float = 0.0, refuse=None):
        self.handler = RecordingHandler(delay=delay, refuse=refuse)
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.messages)

    def to(self, address: str) -> list[ReceivedMessage]:
        return [m for m in self.messages if address in m.rcpt_tos]

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()
