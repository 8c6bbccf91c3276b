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


# ---------------------------------------------------------------------------------------------
# Cases (gongkai.cases): created through the services, like everything else
# ---------------------------------------------------------------------------------------------

import datetime as _dt  # noqa: E402

from gongkai.cases import services as _case_services  # noqa: E402
from gongkai.cases.applicants import split_applicant  # noqa: E402
from gongkai.cases.models import Case  # noqa: E402
from gongkai.core.deadlines import Channel, ConsultedParty  # noqa: E402
from gongkai.core.outcomes import Outcome  # noqa: E402
from gongkai.core.report.taxonomy import ApplicantType  # noqa: E402

#: A Monday; its 20th working day is 2026-03-30 (legal spec §5.2 test vectors).
CASE_DAY = _dt.date(2026, 3, 2)


class CaseFactory(factory.Factory):
    """A registered application (当面提交 on ``today``) by ``actor`` (default: a new agency's officer)."""

    class Meta:
        model = Case

    actor = factory.SubFactory(UserFactory, role=Role.OFFICER)
    today = CASE_DAY
    channel = Channel.IN_PERSON
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n}")
    id_number = factory.Sequence(lambda n: f"1101011990010{n:05d}")
    phone = "13800000000"
    email = "applicant@example.cn"
    request_description = factory.Sequence(lambda n: f"第{n}号：某小区{n}号楼外墙保温改造的审批文件")

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        applicant, rest = split_applicant(kwargs)
        return _case_services.register_application(applicant=applicant, **rest)


class InProgressCase(CaseFactory):
    """Registered and 开始办理 the same day."""

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        case = super()._create(model_class, *args, **kwargs)
        return _case_services.start_processing(actor=kwargs["actor"], case=case, today=kwargs["today"])


class OverdueCase(InProgressCase):
    """In progress since 2026-03-02: due 2026-03-30, overdue from 2026-03-31 on."""


class AwaitingCorrectionCase(CaseFactory):
    """补正 requested the day after receipt, to be answered within 10 days."""

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        case = super()._create(model_class, *args, **kwargs)
        day = kwargs["today"] + _dt.timedelta(days=1)
        return _case_services.request_correction(
            actor=kwargs["actor"],
            case=case,
            items="请写明所需信息的文号或时间范围",
            reply_by=day + _dt.timedelta(days=10),
            today=day,
        )


class ConsultingCase(InProgressCase):
    """A third party consulted two days after receipt (clock paused, 条例 art 33 ¶3)."""

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        case = super()._create(model_class, *args, **kwargs)
        day = kwargs["today"] + _dt.timedelta(days=2)
        return _case_services.start_consultation(
            actor=kwargs["actor"],
            case=case,
            party=ConsultedParty.THIRD_PARTY,
            party_name="某物业服务有限公司",
            today=day,
        )


class ClosedCase(InProgressCase):
    """Answered 予以公开 five days after receipt (``outcome`` to choose another row)."""

    outcome = Outcome.GRANTED

    @classmethod
    def _create(cls, model_class: type[Case], *args: Any, **kwargs: Any) -> Case:
        outcome = kwargs.pop("outcome")
        case = super()._create(model_class, *args, **kwargs)
        day = kwargs["today"] + _dt.timedelta(days=5)
        return _case_services.close_case(actor=kwargs["actor"], case=case, outcome=outcome, today=day)
