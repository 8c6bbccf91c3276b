"""The demo works end to end: every letter of every demo case generates, the 指南 has no placeholders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency
from gongkai.backoffice.demo import load_all
from gongkai.cases.models import Case
from gongkai.core.letters import LetterType, WithheldGround
from gongkai.core.placeholders import unfilled_placeholders
from gongkai.letters.context import LetterFacts, available_kinds
from gongkai.letters.models import LetterSettings
from gongkai.letters.services import preview_letter
from gongkai.publications import services as publications
from gongkai.publications.errors import PublicationError
from gongkai.publications.models import Guide

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
#: What the officer types on the letter form for the answers that need it.
FACTS = LetterFacts(
    reasons="经审查，理由如本答复所述",
    access_method="相关信息随本答复一并提供",
    responsible_agency="北京市密云区住房和城乡建设委员会",
    responsible_agency_contact="010-69040000",
    withheld_part="其中涉及个人身份信息的部分",
    withheld_ground=WithheldGround.ART15,
)


@pytest.fixture
def demo() -> None:
    load_all(today=TODAY, log=lambda _: None)


def _writer(agency: Agency) -> User:
    return User.objects.filter(agency=agency, role__in=[Role.OFFICER, Role.LEADER], is_active=True).first() or (
        User.objects.create(username=f"demo-writer-{agency.pk}", agency=agency, role=Role.OFFICER)
    )


def _every_agency_has_complete_letter_settings() -> None:
    for agency in Agency.objects.all():
        settings = LetterSettings.objects.get(agency=agency)
        assert settings.court_name and settings.reconsideration_body and settings.payment_instructions, agency
        assert agency.address and agency.phone, agency


def _every_letter_of_every_demo_case_generates() -> None:
    made: dict[LetterType, int] = {}
    cases = Case.objects.select_related("agency").exclude(received_on=None)
    assert cases.exists()
    for case in cases:
        actor = _writer(case.agency)
        for kind in available_kinds(case):
            text = preview_letter(actor=actor, case=case, kind=kind, today=TODAY, facts=FACTS)
            assert not unfilled_placeholders(text), (case.number, kind)
            made[kind] = made.get(kind, 0) + 1
    # the demo exercises the procedural letters, the fee notice included
    assert {LetterType.RECEIPT, LetterType.FEE} <= set(made)


def _the_demo_guide_has_no_placeholders() -> None:
    for guide in Guide.objects.all():
        assert "请填写" not in guide.body
        assert unfilled_placeholders(guide.body) == []


def _publishing_a_guide_with_a_placeholder_is_refused_naming_the_field() -> None:
    guide = Guide.objects.select_related("agency").first()
    assert guide is not None
    actor = User.objects.get(username="gy_officer")
    with pytest.raises((PublicationError, PermissionDenied), match="联系电话"):
        publications.update_guide(
            actor=actor, agency=guide.agency, body="<p>联系电话：（请填写）</p><p>办公地址：某路1号</p>"
        )


def test_the_demo_works_end_to_end(demo: None) -> None:
    """One demo load (it takes seconds), four checks: settings, every letter, the 指南, the refusal."""
    _every_agency_has_complete_letter_settings()
    _every_letter_of_every_demo_case_generates()
    _the_demo_guide_has_no_placeholders()
    _publishing_a_guide_with_a_placeholder_is_refused_naming_the_field()
