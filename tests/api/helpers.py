"""Shared bits of the API client tests: a token for an agency, a local webhook receiver."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.utils import timezone

from gongkai.apiclients.services import create_client

APPLICATION = {
    "applicant": {"applicant_type": "natural_person", "applicant_name": "张三", "phone": "13812345678"},
    "request_description": "2025年本街道老旧小区改造的资金使用情况",
    "source_reference": "12345-2026-000123",
    "submitted_at": "2026-03-02T09:30:00+08:00",
}


def token_for(agency: Any, *scopes: str, name: str = "12345热线", **kwargs: Any) -> tuple[Any, str]:
    actor = kwargs.pop("actor", None)
    return create_client(actor=actor, agency=agency, name=name, scopes=list(scopes), now=timezone.now(), **kwargs)


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@dataclass
class Received:
    """What the local receiver got: headers and bodies, in order; ``answers`` are popped per request."""

    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)


@contextmanager
def receiver() -> Iterator[tuple[str, Received]]:
    """An HTTP server on 127.0.0.1 in a thread: answers 200, or the next code in ``answers``."""
    got = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            got.requests.append((dict(self.headers.items()), body))
            code = got.answers.pop(0) if got.answers else 200
            self.send_response(code)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", got
    finally:
        server.shutdown()
        server.server_close()


def body_of(request: tuple[dict[str, str], bytes]) -> dict[str, Any]:
    return json.loads(request[1])
