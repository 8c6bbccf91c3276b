"""factory_boy factories shared by every app's tests. Creation goes through the services."""

from __future__ import annotations

from typing import Any

import factory
from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.accounts.services import create_user
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.services import create_agency

TEST_PASSWORD = "test-password-123"


class AgencyFactory(factory.Factory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"测试市第{n}街道办事处")
    short_name = ""
    level = AgencyLevel.TOWNSHIP
    parent = None

    @classmethod
    def _create(cls, model_class: type[Agency], *args: Any, **kwargs: Any) -> Agency:
        with transaction.atomic():
            return create_agency(actor=None, **kwargs)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.OFFICER
    agency = factory.SubFactory(AgencyFactory)
    department = None
    full_name = factory.Sequence(lambda n: f"测试用户{n}")

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        if kwargs.get("role") == Role.ADMIN:
            kwargs["agency"] = kwargs.get("agency")
        with transaction.atomic():
            return create_user(actor=None, password=TEST_PASSWORD, **kwargs)
