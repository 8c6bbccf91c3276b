"""One e-mail per connection, so that the ``filebased`` backend writes one file per message."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection


def send_one(to: str, subject: str, body: str) -> str:
    """Send ``body`` to ``to``; the Message-ID. Raises what the backend raises."""
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    message_id = str(message.message()["Message-ID"])
    message.extra_headers["Message-ID"] = message_id
    with get_connection(fail_silently=False) as connection:
        connection.send_messages([message])
    return message_id
