"""Hole 5: two sessions moving one case at once on SQLite: one wins, the other is told (409).

The suite's SQLite test database lives in memory, where concurrency differs from a real file.
This test copies it to a file and points the worker threads' connections at that file, so it
sees what the embedded default sees in production: separate connections to one database file.
On PostgreSQL the same test runs against the test database as it is.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import OperationalError, connections

from gongkai.cases import services
from gongkai.cases.errors import StaleCaseError
from gongkai.cases.models import Case
from gongkai.core.deadlines import ConsultedParty
from gongkai.web.errors import error_status
from tests.concurrency import run_together
from tests.factories import InProgressCase

D = dt.date
PAIRS = 12


@contextmanager
def _file_database(tmp_path: Path) -> Iterator[None]:
    """On SQLite, new connections (the threads') open a file copy of the test database."""
    default = connections["default"]
    if default.vendor != "sqlite":
        yield
        return
    default.ensure_connection()
    path = tmp_path / "race.sqlite3"
    target = sqlite3.connect(path)
    default.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    saved = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = saved


def _in_threads(*calls: Callable[[], Any]) -> list[Any]:
    """Each call in its own thread and connection, released together; results or exceptions."""
    return run_together(*calls, wait=60)


@pytest.mark.django_db(transaction=True)
def test_concurrent_moves_of_one_case_give_one_winner_and_a_409(tree, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ids = [InProgressCase(actor=tree.officer_a).pk for _ in range(PAIRS)]
    with _file_database(tmp_path):
        for pk in ids:
            page = _in_threads(lambda pk=pk: Case.objects.get(pk=pk))[0]  # both sessions loaded this version

            def consult(page: Case = page) -> Case:
                return services.start_consultation(
                    actor=tree.officer_a,
                    case=page,
                    party=ConsultedParty.THIRD_PARTY,
                    party_name="甲公司",
                    today=D(2026, 3, 4),
                )

            def extend(page: Case = page) -> Case:
                return services.request_extension(
                    actor=tree.officer_a, case=page, days=5, reason="x", today=D(2026, 3, 4)
                )

            results = _in_threads(consult, extend)
            assert not [r for r in results if isinstance(r, OperationalError)], results
            winners = [r for r in results if isinstance(r, Case)]
            losers = [r for r in results if isinstance(r, StaleCaseError)]
            assert (len(winners), len(losers)) == (1, 1), results
            assert error_status(losers[0]) == 409
            fresh = _in_threads(lambda pk=pk: Case.objects.get(pk=pk))[0]
            assert fresh.version == page.version + 1 and fresh.status == winners[0].status
