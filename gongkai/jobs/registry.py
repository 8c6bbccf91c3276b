"""The kinds of background job. A domain app registers its long use cases here (in its
``AppConfig.ready``), so this foundation app runs them without importing the app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Progress:
    """What a running job reports: ``progress(done, total, message)``; written at most every
    ``interval`` seconds (and always at the end of a step that says ``force=True``)."""

    def __init__(self, report: Callable[[int, int, str], None], interval: float = 0.5) -> None:
        self._report = report
        self._interval = interval
        self._last = 0.0

    def __call__(self, done: int, total: int, message: str = "", *, force: bool = False) -> None:
        import time

        now = time.monotonic()
        if force or now - self._last >= self._interval or done >= total:
            self._last = now
            self._report(done, total, message)


@dataclass(frozen=True)
class JobContext:
    job_id: str
    params: dict[str, Any]
    actor: Any  # the user who started the job (None for a system job)
    progress: Progress


@dataclass(frozen=True)
class JobKind:
    name: str
    label: str
    #: Runs the job and returns its result (``next_url``: where the page sends the user when done;
    #: ``file``: a media path the starter may download). Must be safe to run again from the start:
    #: a worker killed mid-job hands it to another worker, which runs it anew.
    run: Callable[[JobContext], dict[str, Any]]


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    _KINDS[kind.name] = kind


def kind(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError as exc:
        raise LookupError(f"未注册的后台任务类型：{name}") from exc
