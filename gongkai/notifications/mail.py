"""One e-mail per connection, so that the ``filebased`` backend writes one file per message."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends import filebased
from django.utils import timezone


def send_one(to: str, subject: str, body: str) -> str:
    """Send ``body`` to ``to``; the Message-ID. Raises what the backend raises."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    message_id = str(message.message()["Message-ID"])
    message.extra_headers["Message-ID"] = message_id
    with get_connection(fail_silently=False) as connection:
        connection.send_messages([message])
    return message_id


class OutboxBackend(filebased.EmailBackend):
    """Django's ``filebased`` backend with a unique file name per connection: the stock name
    (time to the second + ``id(self)``) repeats when two messages go out in the same second, and
    the second is appended to the first file. With :func:`send_one`: one file per message."""

    file_path: str
    _fname: str | None

    def _get_filename(self) -> str:
        if self._fname is None:
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
            self._fname = os.path.join(self.file_path, f"{stamp}-{uuid.uuid4().hex[:12]}.eml")
        return self._fname
