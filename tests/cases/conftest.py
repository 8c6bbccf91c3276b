"""Fixtures of the cases tests: departments and a clerk in the tree, the desk's day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Department
from tests.factories import UserFactory


@dataclass
class Desk:
    office: Department  # 党政办公室 of street A
    city: Department  # 城市管理办公室 of street A, the clerk's
    clerk: User  # a clerk of street A in ``city``


@pytest.fixture
def desk(tree) -> Desk:  # type: ignore[no-untyped-def]
    office = Department.objects.create(agency=tree.street_a, name="党政办公室")
    city = Department.objects.create(agency=tree.street_a, name="城市管理办公室")
    clerk = UserFactory(username="clerk_city", agency=tree.street_a, role=Role.CLERK, department=city)
    return Desk(office, city, clerk)


@pytest.fixture
def on_day(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Set the day the desk views work on: ``on_day(date(2026, 3, 31))``."""

    def set_day(day: dt.date) -> dt.date:
        monkeypatch.setattr("gongkai.clock.today", lambda: day)
        return day

    return set_day
