"""The SMS backends `SMS_BACKEND` may name (see community.sms). Each has the interface of
Django's email backends that the batch mail engine uses: open(), close() and
send_messages(messages), which raises SmsRefused or SmsTemporaryFailure for the first message
it could not send."""

import datetime as dt
import itertools
import json
import logging
import sys
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from community import sms

logger = logging.getLogger(__name__)


class BaseBackend:
    def __init__(self, **kwargs):
        pass

    def open(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def send_messages(self, messages) -> int:
        for message in messages:
            self.send_one(message)
        return len(messages)

    def send_one(self, message) -> None:
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Prints each message (a developer's terminal)."""

    def __init__(self, stream=None, **kwargs):
        self.stream = stream or sys.stdout

    def send_one(self, message) -> None:
        self.stream.write(f"SMS to {message.to}:\n{message.body}\n{'-' * 40}\n")
        self.stream.flush()


class FileBackend(BaseBackend):
    """One text file per message under SMS_FILE_PATH (var/sms/ in the embedded default), where
    a person running the demo can read what residents would receive."""

    _counter = itertools.count(1)

    def __init__(self, file_path=None, **kwargs):
        self.path = Path(file_path or settings.SMS_FILE_PATH)

    def send_one(self, message) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        name = f"{stamp}-{next(self._counter)}.txt"
        (self.path / name).write_text(
            f"To: {message.to}\nReference: {message.reference}\n\n{message.body}\n",
            encoding="utf-8",
        )


class LocmemBackend(BaseBackend):
    """Keeps messages in community.sms.outbox (tests)."""

    def send_one(self, message) -> None:
        sms.outbox.append(message)


class BrevoBackend(BaseBackend):
    """Brevo's transactional SMS API: POST {sender, recipient, content, type} as JSON to
    SMS_BREVO_URL with the account's key in the `api-key` header; 201 means accepted. A 4xx
    (a number Brevo refuses, no credit left: 402) is a refusal; 429, a 5xx, a timeout or a
    dropped connection may pass later."""

    def __init__(self, api_key=None, sender=None, url=None, timeout=None, **kwargs):
        self.api_key = api_key if api_key is not None else settings.SMS_BREVO_API_KEY
        self.sender = sender or settings.SMS_SENDER
        self.url = url or settings.SMS_BREVO_URL
        self.timeout = timeout or settings.SMS_TIMEOUT
        if not self.url.startswith(("https://", "http://")):
            raise ImproperlyConfigured("SMS_BREVO_URL must be an http(s) address")

    def send_one(self, message) -> None:
        body = {
            "sender": self.sender,
            "recipient": message.to.lstrip("+"),  # international, without the plus sign
            "content": message.body,
            "type": "transactional",
        }
        if message.reference:
            body["tag"] = message.reference
        # The URL's scheme is checked at start (http or https only).
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=json.dumps(body).encode(),
            method="POST",
            headers={
                "api-key": self.api_key,
                "accept": "application/json",
                "content-type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            detail = _error_detail(exc)
            if exc.code == 429 or exc.code >= 500:
                raise sms.SmsTemporaryFailure(f"Brevo {exc.code}: {detail}") from exc
            raise sms.SmsRefused(f"Brevo {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise sms.SmsTemporaryFailure(f"Brevo unreachable: {exc}") from exc


def _error_detail(exc: urllib.error.HTTPError) -> str:
    try:
        payload = json.loads(exc.read() or b"{}")
    except (ValueError, OSError):
        return exc.reason or ""
    return f"{payload.get('code', '')} {payload.get('message', '')}".strip()
