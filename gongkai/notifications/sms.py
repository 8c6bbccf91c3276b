"""SMS backends: one interface, ``send(to, text) -> message id``, raising :class:`SmsError`.

- :class:`FileBackend` writes one UTF-8 file per message (the demo's ``var/outbox/sms/``);
- :class:`HttpGatewayBackend` posts to the agency's SMS platform (URL, key and signature from
  settings), with a timeout, through ``urllib.request``;
- :class:`MemoryBackend` keeps the messages in :data:`outbox` (tests);
- :class:`DisabledBackend` refuses, so that an unconfigured production system shows the failure.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone


class SmsError(Exception):
    """The message was not accepted; the text says why (shown to the officer)."""


class SmsBackend(Protocol):
    def send(self, to: str, text: str) -> str: ...


@dataclass(frozen=True, slots=True)
class SentSms:
    id: str
    to: str
    text: str


#: Messages "sent" by :class:`MemoryBackend` (tests empty it).
outbox: list[SentSms] = []


class MemoryBackend:
    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex
        outbox.append(SentSms(message_id, to, text))
        return message_id


class FileBackend:
    """One file per message: ``<time>-<id>.txt`` with the recipient, then the text."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)

    def send(self, to: str, text: str) -> str:
        message_id = uuid.uuid4().hex[:12]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            name = f"{timezone.localtime().strftime('%Y%m%d-%H%M%S')}-{message_id}.txt"
            (self.directory / name).write_text(f"短信 To: {to}\n\n{text}\n", encoding="utf-8")
        except OSError as exc:
            raise SmsError(f"写入短信文件失败：{exc}") from exc
        return message_id


class HttpGatewayBackend:
    """The agency's SMS platform: ``POST url`` with JSON ``{"to", "text", "signature"}`` and the key
    as a bearer token; a 2xx answer with JSON ``{"id": …}`` (or any 2xx) means accepted."""

    def __init__(self, url: str, key: str, signature: str, timeout: float = 10.0) -> None:
        self.url, self.key, self.signature, self.timeout = url, key, signature, timeout

    def send(self, to: str, text: str) -> str:
        body = json.dumps({"to": to, "text": text, "signature": self.signature}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - the URL is the administrator's setting
            self.url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json; charset=utf-8", "Authorization": f"Bearer {self.key}"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read(4096)
        except urllib.error.HTTPError as exc:
            raise SmsError(f"短信平台拒绝：HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsError(f"无法连接短信平台：{getattr(exc, 'reason', exc)}") from exc
        try:
            answer = json.loads(raw.decode("utf-8") or "{}")
        except (UnicodeDecodeError, ValueError):
            answer = {}
        message_id = answer.get("id") if isinstance(answer, dict) else None
        return str(message_id or uuid.uuid4().hex[:12])


class DisabledBackend:
    def send(self, to: str, text: str) -> str:
        raise SmsError("未配置短信平台（SMS_BACKEND）")


def backend() -> SmsBackend:
    """The backend named by ``settings.SMS_BACKEND``."""
    name = getattr(settings, "SMS_BACKEND", "disabled")
    if name == "file":
        return FileBackend(settings.SMS_FILE_PATH)
    if name == "memory":
        return MemoryBackend()
    if name == "http":
        return HttpGatewayBackend(
            settings.SMS_GATEWAY_URL,
            settings.SMS_GATEWAY_KEY,
            settings.SMS_SIGNATURE,
            float(getattr(settings, "SMS_TIMEOUT", 10)),
        )
    return DisabledBackend()
