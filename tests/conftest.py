"""Fixtures shared by the database tests: a small agency tree and a user of each role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency, AgencyLevel
from tests.factories import AgencyFactory, UserFactory

# Background jobs (gongkai.jobs) run inline in the tests, inside the test's transaction, so a test
# sees their results at once; tests of the thread pool and of Celery workers switch this off.
django_settings.JOBS_EAGER = True


@dataclass
class Tree:
    district: Agency  # 区政府: the supervisor's agency
    street_a: Agency  # two agencies under it
    street_b: Agency
    other_district: Agency  # outside the supervisor's reach
    officer_a: User
    clerk_a: User
    leader_a: User
    officer_b: User
    supervisor: User
    other_supervisor: User
    admin: User


@pytest.fixture
def tree(db: None) -> Tree:
    district = AgencyFactory(name="测试区人民政府", code="D1", level=AgencyLevel.COUNTY)
    other = AgencyFactory(name="另一区人民政府", code="D2", level=AgencyLevel.COUNTY)
    a = AgencyFactory(name="测试区甲街道办事处", code="D1-A", parent=district)
    b = AgencyFactory(name="测试区乙街道办事处", code="D1-B", parent=district)
    return Tree(
        district=district,
        street_a=a,
        street_b=b,
        other_district=other,
        officer_a=UserFactory(username="officer_a", agency=a, role=Role.OFFICER),
        clerk_a=UserFactory(username="clerk_a", agency=a, role=Role.CLERK),
        leader_a=UserFactory(username="leader_a", agency=a, role=Role.LEADER),
        officer_b=UserFactory(username="officer_b", agency=b, role=Role.OFFICER),
        supervisor=UserFactory(username="supervisor", agency=district, role=Role.SUPERVISOR),
        other_supervisor=UserFactory(username="other_supervisor", agency=other, role=Role.SUPERVISOR),
        admin=UserFactory(username="sysadmin", agency=None, role=Role.ADMIN),
    )


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:  # type: ignore[no-untyped-def]
    """PBKDF2's deliberate slowness is not under test; a fast hasher keeps the suite quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``postgres_only`` tests need real concurrent transactions: on SQLite they are deselected
    (reported as such), never skipped; CI runs the suite on PostgreSQL too, where they run."""
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        return
    dropped = [item for item in items if item.get_closest_marker("postgres_only")]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


@pytest.fixture(autouse=True)
def _sms_in_memory(settings):  # type: ignore[no-untyped-def]
    """Applicants' SMS go to ``gongkai.notifications.sms.outbox``, never to files or a gateway."""
    from gongkai.notifications import sms

    settings.SMS_BACKEND = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache: the portal's cached pages are keyed by public
    versions, which a test's rolled-back transaction resets (in production they only grow)."""
    from django.core.cache import cache

    from gongkai.publications.public_cache import forget

    cache.clear()
    forget()


@pytest.fixture(autouse=True)
def _own_job_thread_pool() -> Iterator[None]:
    """Each test that runs jobs in the thread pool (JOBS_EAGER off) gets a pool of its own: a job
    another test left running (its database gone) must not hold the pool's threads."""
    from gongkai.jobs import runner

    runner._executor = None
    yield
    if runner._executor is not None:
        runner._executor.shutdown(wait=False, cancel_futures=True)
        runner._executor = None
