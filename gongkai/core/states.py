"""One shape for every state machine of the law: a transition table and one function that checks it.

A machine is a ``StrEnum`` of statuses, a ``StrEnum`` of events (what people do) and a
:class:`TransitionTable`: status → {event: next status}, anything not listed refused. The case
(``gongkai.core.case_flow``), the 主动公开 item (``gongkai.core.publication_flow``) and the annual
report (``gongkai.core.report.lifecycle``) are each one table; :func:`transition` is the one check,
raising :class:`~gongkai.core.errors.InvalidTransition` with a Chinese message that names the
thing, its status and the refused event.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Mapping
from types import MappingProxyType
from typing import Generic, Protocol, TypeVar

from gongkai.core.errors import InvalidTransition


class Labelled(Hashable, Protocol):
    """A status or an event: hashable, with a Chinese label for messages."""

    @property
    def label(self) -> str: ...


S = TypeVar("S", bound=Labelled)
E = TypeVar("E", bound=Labelled)


class TransitionTable(Mapping[S, Mapping[E, S]], Generic[S, E]):
    """status → {event: next status}, read-only; ``subject`` names the thing in refusals ("案件")."""

    __slots__ = ("_edges", "subject")

    def __init__(self, subject: str, edges: Mapping[S, Mapping[E, S]]) -> None:
        for targets in edges.values():
            for target in targets.values():
                if target not in edges:  # pragma: no cover - import guard
                    raise ValueError(f"{subject}: status {target!r} is a target but has no row")
        self.subject = subject
        self._edges: dict[S, Mapping[E, S]] = {s: MappingProxyType(dict(t)) for s, t in edges.items()}

    def __getitem__(self, status: S) -> Mapping[E, S]:
        return self._edges[status]

    def __iter__(self) -> Iterator[S]:
        return iter(self._edges)

    def __len__(self) -> int:
        return len(self._edges)

    def allowed(self, status: S) -> tuple[E, ...]:
        """The events the table allows from ``status``, in table order."""
        return tuple(self._edges[status])


def transition(table: TransitionTable[S, E], current: S, event: E) -> S:
    """The status after ``event``, as ``table`` says; else :class:`InvalidTransition` in Chinese."""
    try:
        return table[current][event]
    except KeyError:
        raise InvalidTransition(f"{table.subject}处于“{current.label}”状态，不能执行“{event.label}”") from None
