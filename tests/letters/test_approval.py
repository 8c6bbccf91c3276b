"""签批: a 不予公开 answer cannot go out without 法制审核 and 签发 where the agency requires it —
on the services, the case page's close action, the letters page, the API and the admin; returns
with comments; the number taken only at 签发; the desk; two leaders signing at once.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.accounts.models import Role
from gongkai.agencies.models import NumberSequence, SequenceKind
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.models import Case
from gongkai.core.approval import ApprovalRequired, DraftEvent, DraftStatus, Signer, Subject
from gongkai.core.case_flow import Status
from gongkai.core.letters import LetterType
from gongkai.core.outcomes import Outcome
from gongkai.letters.approvals import DRAFT_NUMBER, DraftInputError, StaleDraftError, act, create_draft
from gongkai.letters.context import LetterFacts
from gongkai.letters.models import Approver, ApproverOffice, ChainRuleSetting, Letter, LetterDraft, LetterSettings
from gongkai.letters.services import generate_letter
from tests.concurrency import run_together
from tests.conftest import Tree
from tests.factories import CaseFactory, InProgressCase, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.letters.urls")]

TODAY = dt.date(2026, 3, 10)
WITHHELD = LetterType.ANSWER_WITHHELD_STATE_SECRET
FACTS = LetterFacts(reasons="该文件已依法确定为机密级国家秘密")
ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


@pytest.fixture
def chain(tree: Tree, letter_settings: LetterSettings) -> dict[str, Any]:
    """甲街道's policy: 不予公开 through 审核, 法制审核 and the 负责人's 签发; a 科室负责人 and a 法制审核人员."""
    ChainRuleSetting.objects.create(
        agency=tree.street_a,
        subject=Subject.WITHHELD.value,
        review=True,
        legal=True,
        signer=Signer.LEADER.value,
        effective_from=dt.date(2026, 1, 1),
    )
    head = UserFactory(username="head_a", agency=tree.street_a, role=Role.OFFICER)
    legal = UserFactory(username="legal_a", agency=tree.street_a, role=Role.OFFICER)
    Approver.objects.create(user=head, office=ApproverOffice.DEPARTMENT_HEAD)
    Approver.objects.create(user=legal, office=ApproverOffice.LEGAL_REVIEWER)
    return {"head": head, "legal": legal}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _letter_numbers(agency: Any) -> int:
    row = NumberSequence.objects.filter(agency=agency, kind=SequenceKind.LETTER, year=TODAY.year).first()
    return row.last if row is not None else 0


# ---------------------------------------------------------------------------------------------
# The gate on every path
# ---------------------------------------------------------------------------------------------


def test_close_and_issue_are_refused_without_the_chain_even_for_the_leader(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    for actor in (tree.officer_a, tree.leader_a, chain["legal"]):
        with pytest.raises(ApprovalRequired, match="审核 → 法制审核 → 机关负责人签发"):
            services.close_case(actor=actor, case=case, outcome=Outcome.WITHHELD_STATE_SECRET, today=TODAY)
    spot = CaseFactory(actor=tree.officer_a, today=TODAY)  # received today: 当场答复
    with pytest.raises(ApprovalRequired):
        services.answer_on_the_spot(actor=tree.leader_a, case=spot, outcome=Outcome.WITHHELD_STATE_SECRET, today=TODAY)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.closed_on is None and fresh.status == Status.IN_PROGRESS
    assert not Letter.objects.exists() and _letter_numbers(tree.street_a) == 0
    # other outcomes keep the default: 予以公开 by the officer at once
    services.close_case(actor=tree.officer_a, case=fresh, outcome=Outcome.GRANTED, today=TODAY)


def test_the_default_policy_has_the_leader_sign_refusals(tree: Tree, letter_settings: LetterSettings) -> None:
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(ApprovalRequired, match="机关负责人签发"):
        services.close_case(actor=tree.officer_a, case=case, outcome=Outcome.WITHHELD_STATE_SECRET, today=TODAY)
    closed = services.close_case(actor=tree.leader_a, case=case, outcome=Outcome.WITHHELD_STATE_SECRET, today=TODAY)
    assert closed.outcome == Outcome.WITHHELD_STATE_SECRET
    with pytest.raises(ApprovalRequired):  # the officer may not issue the refusal letter either
        generate_letter(actor=tree.officer_a, case=closed, kind=WITHHELD, today=TODAY, facts=FACTS)
    letter = generate_letter(actor=tree.leader_a, case=closed, kind=WITHHELD, today=TODAY, facts=FACTS)
    assert letter.number == "测甲街公开〔2026〕1号"


def test_a_rule_applies_from_its_date_not_to_earlier_answers(tree: Tree, chain: dict[str, Any]) -> None:
    ChainRuleSetting.objects.filter(agency=tree.street_a).update(effective_from=dt.date(2026, 3, 11))
    case = InProgressCase(actor=tree.officer_a)
    closed = services.close_case(actor=tree.leader_a, case=case, outcome=Outcome.WITHHELD_STATE_SECRET, today=TODAY)
    assert closed.closed_on == TODAY  # the default (leader signs) was in force on the day


def test_the_case_page_close_action_is_refused_with_the_reason(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    response = _client(tree.leader_a).post(
        f"/office/cases/{case.pk}/act/close/",
        {"outcome": Outcome.WITHHELD_STATE_SECRET.value, "note": "", "on": "", "version": case.version},
    )
    assert response.status_code == 409
    assert "须经签批（审核 → 法制审核 → 机关负责人签发）" in response.content.decode()
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_the_api_cannot_close_a_case(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    client = _client(tree.leader_a)
    body = {"outcome": Outcome.WITHHELD_STATE_SECRET.value, "status": "closed"}
    for method in (client.post, client.put, client.patch):
        response = method(f"/api/cases/{case.pk}/", body, content_type="application/json")
        assert response.status_code in (403, 405)
    assert Case.objects.get(pk=case.pk).closed_on is None


def test_the_admin_can_neither_sign_nor_change_a_draft(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    admin = Client()
    admin.force_login(tree.admin)
    url = f"/admin/letters/letterdraft/{draft.pk}/change/"
    assert admin.get(url).status_code == 200  # viewed
    response = admin.post(url, {"status": DraftStatus.SIGN_OFF.value, "version": draft.version})
    assert response.status_code == 403
    assert admin.get("/admin/letters/letterdraft/add/").status_code == 403
    assert admin.post(f"/admin/letters/letterdraft/{draft.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LetterDraft.objects.get(pk=draft.pk).status == DraftStatus.REVIEW
    assert admin.post(f"/admin/cases/case/{case.pk}/change/", {"status": "closed"}).status_code == 403


# ---------------------------------------------------------------------------------------------
# The chain
# ---------------------------------------------------------------------------------------------


def test_draft_review_legal_review_sign_closes_and_numbers(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY, comment="请审核")
    assert draft.status == DraftStatus.REVIEW and draft.letter is None
    with pytest.raises(PermissionDenied):  # nobody reviews their own draft
        act(actor=tree.officer_a, draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    with pytest.raises(PermissionDenied):  # 法制审核人员 is not the 审核
        act(actor=chain["legal"], draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    draft = act(actor=chain["head"], draft=draft, event=DraftEvent.APPROVE, today=TODAY, comment="同意")
    assert draft.status == DraftStatus.LEGAL_REVIEW
    with pytest.raises(PermissionDenied):  # a designated 法制审核人员 exists: the leader does not do it
        act(actor=tree.leader_a, draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    draft = act(actor=chain["legal"], draft=draft, event=DraftEvent.APPROVE, today=TODAY, comment="合法")
    assert draft.status == DraftStatus.SIGN_OFF
    assert _letter_numbers(tree.street_a) == 0 and Case.objects.get(pk=case.pk).closed_on is None
    for stranger in (tree.officer_a, chain["head"], tree.officer_b):
        with pytest.raises(PermissionDenied):
            act(actor=stranger, draft=draft, event=DraftEvent.SIGN, today=TODAY)
    draft = act(actor=tree.leader_a, draft=draft, event=DraftEvent.SIGN, today=TODAY)
    assert draft.status == DraftStatus.ISSUED and draft.letter is not None
    assert draft.letter.number == "测甲街公开〔2026〕1号" and draft.letter.issued_on == TODAY
    assert draft.letter.kind == WITHHELD.value and "该文件已依法确定为机密级国家秘密" in draft.letter.text
    closed = Case.objects.get(pk=case.pk)
    assert (closed.status, closed.outcome, closed.closed_on) == (Status.CLOSED, Outcome.WITHHELD_STATE_SECRET, TODAY)
    history = [(a.label, a.actor_id, a.comment) for a in draft.actions.all()]
    assert history == [
        ("拟稿", tree.officer_a.pk, ""),
        ("送审", tree.officer_a.pk, "请审核"),
        ("审核通过", chain["head"].pk, "同意"),
        ("法制审核通过", chain["legal"].pk, "合法"),
        ("签发", tree.leader_a.pk, ""),
    ]
    actions = set(AuditEvent.objects.filter(object_id=str(draft.pk)).values_list("action", flat=True))
    assert {"letter_draft.drafted", "letter_draft.approved", "letter_draft.signed"} <= actions
    assert AuditEvent.objects.filter(action="case.answer").count() == 1
    with pytest.raises(Exception, match="不能执行“签发”"):
        act(actor=tree.leader_a, draft=draft, event=DraftEvent.SIGN, today=TODAY)


def test_a_return_needs_a_comment_and_uses_no_number(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    with pytest.raises(DraftInputError, match="退回修改须写明意见"):
        act(actor=chain["head"], draft=draft, event=DraftEvent.RETURN, today=TODAY, comment="  ")
    draft = act(actor=chain["head"], draft=draft, event=DraftEvent.RETURN, today=TODAY, comment="请写明定密依据")
    assert draft.status == DraftStatus.DRAFT
    assert draft.actions.last().comment == "请写明定密依据"  # type: ignore[union-attr]
    assert _letter_numbers(tree.street_a) == 0 and not Letter.objects.exists()
    # resubmitted, through the chain again, signed: the first number of the year
    draft = act(actor=tree.officer_a, draft=draft, event=DraftEvent.SUBMIT, today=TODAY)
    assert draft.status == DraftStatus.REVIEW
    draft = act(actor=chain["head"], draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    draft = act(actor=chain["legal"], draft=draft, event=DraftEvent.RETURN, today=TODAY, comment="依据不足")
    draft = act(actor=tree.officer_a, draft=draft, event=DraftEvent.SUBMIT, today=TODAY)
    draft = act(actor=chain["head"], draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    draft = act(actor=chain["legal"], draft=draft, event=DraftEvent.APPROVE, today=TODAY)
    draft = act(actor=tree.leader_a, draft=draft, event=DraftEvent.SIGN, today=TODAY)
    assert draft.letter is not None and draft.letter.number == "测甲街公开〔2026〕1号"


def test_a_second_answer_draft_is_refused(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    with pytest.raises(DraftInputError, match="已有一份答复书在签批中"):
        create_draft(actor=tree.officer_a, case=case, kind=LetterType.ANSWER_GRANTED, facts=FACTS, today=TODAY)


def test_a_stale_approver_is_told_and_nothing_is_written(tree: Tree, letter_settings: LetterSettings) -> None:
    second_leader = UserFactory(username="leader_a2", agency=tree.street_a, role=Role.LEADER)
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    assert draft.status == DraftStatus.SIGN_OFF  # default: straight to the leader
    page_version = draft.version
    act(actor=tree.leader_a, draft=draft, event=DraftEvent.SIGN, today=TODAY, version=page_version)
    before = (AuditEvent.objects.count(), Letter.objects.count(), _letter_numbers(tree.street_a))
    with pytest.raises(StaleDraftError, match="当前环节为“已签发”"):
        act(actor=second_leader, draft=draft, event=DraftEvent.SIGN, today=TODAY, version=page_version)
    assert (AuditEvent.objects.count(), Letter.objects.count(), _letter_numbers(tree.street_a)) == before
    # the same through the sign page: 409 with the message
    response = _client(second_leader).post(
        f"/office/letters/draft/{draft.pk}/sign/", {"version": page_version, "confirm": "on"}
    )
    assert response.status_code == 409 and "该拟稿已被他人处理" in response.content.decode()


# ---------------------------------------------------------------------------------------------
# The pages and the desk
# ---------------------------------------------------------------------------------------------


def test_pages_draft_to_sign_with_confirmation(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    officer = _client(tree.officer_a)
    response = officer.post(f"/office/letters/case/{case.pk}/", {"kind": WITHHELD.value, "reasons": FACTS.reasons})
    draft = LetterDraft.objects.get(case=case)
    assert response.status_code == 302 and response["Location"] == f"/office/letters/draft/{draft.pk}/"
    page = officer.get(f"/office/letters/draft/{draft.pk}/").content.decode()
    assert DRAFT_NUMBER in page and "待审核" in page and "测甲街公开〔2026〕" not in page
    # the officer may not approve their own draft (403), the head does
    refused = officer.post(f"/office/letters/draft/{draft.pk}/act/", {"event": "approve", "version": draft.version})
    assert refused.status_code == 403
    head = _client(chain["head"])
    head.post(f"/office/letters/draft/{draft.pk}/act/", {"event": "approve", "version": draft.version})
    draft.refresh_from_db()
    _client(chain["legal"]).post(
        f"/office/letters/draft/{draft.pk}/act/", {"event": "approve", "version": draft.version}
    )
    draft.refresh_from_db()
    assert draft.status == DraftStatus.SIGN_OFF
    leader = _client(tree.leader_a)
    assert "签发…" in leader.get(f"/office/letters/draft/{draft.pk}/").content.decode()
    # 签发 from the draft page's form is refused: it goes through the confirmation page
    assert (
        leader.post(f"/office/letters/draft/{draft.pk}/act/", {"event": "sign", "version": draft.version}).status_code
        == 400
    )
    confirm = leader.get(f"/office/letters/draft/{draft.pk}/sign/").content.decode()
    assert "确认签发" in confirm and "本答复书签发即作出答复" in confirm and DRAFT_NUMBER in confirm
    unticked = leader.post(f"/office/letters/draft/{draft.pk}/sign/", {"version": draft.version})
    assert unticked.status_code == 422 and not Letter.objects.exists()
    signed = leader.post(f"/office/letters/draft/{draft.pk}/sign/", {"version": draft.version, "confirm": "on"})
    letter = Letter.objects.get()
    assert signed.status_code == 302 and signed["Location"].endswith(f"#letter-{letter.pk}")
    letters_page = leader.get(f"/office/letters/case/{case.pk}/").content.decode()
    assert "法制审核通过" in letters_page and letter.number in letters_page
    case_page = leader.get(f"/office/cases/{case.pk}/").content.decode()  # the history on the case's own page
    assert "文书签批" in case_page and "法制审核通过" in case_page and chain["legal"].display_name in case_page


def test_return_from_the_page_needs_a_comment(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    head = _client(chain["head"])
    url = f"/office/letters/draft/{draft.pk}/act/"
    assert head.post(url, {"event": "return", "version": draft.version, "comment": ""}).status_code == 400
    head.post(url, {"event": "return", "version": draft.version, "comment": "理由写得不充分"})
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT
    page = _client(tree.officer_a).get(f"/office/letters/draft/{draft.pk}/").content.decode()
    assert "理由写得不充分" in page and "保存并送审" in page
    edit = _client(tree.officer_a).post(
        f"/office/letters/draft/{draft.pk}/edit/",
        {"reasons": "该文件已依法确定为机密级国家秘密，定密依据为……", "version": draft.version, "submit": "1"},
    )
    assert edit.status_code == 302
    draft.refresh_from_db()
    assert draft.status == DraftStatus.REVIEW and "定密依据" in draft.facts["reasons"]


def test_the_desk_lists_what_waits_and_warns_when_it_makes_the_case_late(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)  # received 2026-03-02, due 2026-03-30
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    head_desk = _client(chain["head"]).get("/office/cases/").content.decode()
    assert "待我签批的文书" in head_desk and f"/office/letters/draft/{draft.pk}/" in head_desk
    assert "签批影响按期答复" not in head_desk  # due in 14 working days: no warning yet
    leader_desk = _client(tree.leader_a).get("/office/cases/").content.decode()
    assert f"/office/letters/draft/{draft.pk}/" not in leader_desk  # a 科室负责人 reviews it: not on the leader's desk
    # three weeks later the same draft, still waiting, makes the case late
    late_day = dt.date(2026, 3, 27)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("gongkai.clock.today", lambda: late_day)
        warned = _client(chain["head"]).get("/office/cases/").content.decode()
    assert "签批影响按期答复" in warned and "2026-03-30" in warned
    act(actor=chain["head"], draft=draft, event=DraftEvent.RETURN, today=TODAY, comment="补充")
    officer_desk = _client(tree.officer_a).get("/office/cases/").content.decode()
    assert "退回修改的拟稿" in officer_desk and f"/office/letters/draft/{draft.pk}/" in officer_desk


def test_another_agency_sees_no_draft(tree: Tree, chain: dict[str, Any]) -> None:
    case = InProgressCase(actor=tree.officer_a)
    draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
    other = _client(tree.officer_b)
    assert other.get(f"/office/letters/draft/{draft.pk}/").status_code == 404
    assert other.post(f"/office/letters/draft/{draft.pk}/sign/", {"version": 1, "confirm": "on"}).status_code == 404
    assert _client(tree.supervisor).get(f"/office/letters/draft/{draft.pk}/").status_code == 200  # reads
    assert _client(tree.supervisor).post(f"/office/letters/draft/{draft.pk}/sign/", {}).status_code == 403


# ---------------------------------------------------------------------------------------------
# Two leaders at once (real concurrent transactions: PostgreSQL only)
# ---------------------------------------------------------------------------------------------


if ON_POSTGRESQL:

    @pytest.mark.postgres_only
    @pytest.mark.django_db(transaction=True)
    def test_two_leaders_sign_at_once_one_wins(tree: Tree, letter_settings: LetterSettings) -> None:
        second = UserFactory(username="leader_a2", agency=tree.street_a, role=Role.LEADER)
        case = InProgressCase(actor=tree.officer_a)
        draft = create_draft(actor=tree.officer_a, case=case, kind=WITHHELD, facts=FACTS, today=TODAY)
        page = LetterDraft.objects.get(pk=draft.pk)
        results = run_together(
            lambda: act(actor=tree.leader_a, draft=page, event=DraftEvent.SIGN, today=TODAY, version=page.version),
            lambda: act(actor=second, draft=page, event=DraftEvent.SIGN, today=TODAY, version=page.version),
        )
        winners = [r for r in results if isinstance(r, LetterDraft)]
        losers = [r for r in results if isinstance(r, StaleDraftError)]
        assert (len(winners), len(losers)) == (1, 1), results
        assert Letter.objects.count() == 1 and _letter_numbers(tree.street_a) == 1
        assert Case.objects.get(pk=case.pk).events.filter(kind="answer").count() == 1


def test_granted_signed_by_the_drafters_department_head(tree: Tree, letter_settings: LetterSettings) -> None:
    from gongkai.agencies.models import Department

    office = Department.objects.create(agency=tree.street_a, name="办公室")
    other = Department.objects.create(agency=tree.street_a, name="城管科")
    ChainRuleSetting.objects.create(
        agency=tree.street_a,
        subject=Subject.GRANTED.value,
        signer=Signer.DEPARTMENT_HEAD.value,
        effective_from=dt.date(2026, 1, 1),
    )
    drafter = UserFactory(username="drafter_office", agency=tree.street_a, role=Role.OFFICER, department=office)
    own_head = UserFactory(username="head_office", agency=tree.street_a, role=Role.OFFICER, department=office)
    other_head = UserFactory(username="head_city", agency=tree.street_a, role=Role.OFFICER, department=other)
    Approver.objects.create(user=own_head, office=ApproverOffice.DEPARTMENT_HEAD, department=office)
    Approver.objects.create(user=other_head, office=ApproverOffice.DEPARTMENT_HEAD, department=other)
    case = InProgressCase(actor=drafter)
    with pytest.raises(ApprovalRequired, match="科室负责人签发"):
        services.close_case(actor=drafter, case=case, outcome=Outcome.GRANTED, today=TODAY)
    facts = LetterFacts(access_method="随本答复书提供")
    draft = create_draft(actor=drafter, case=case, kind=LetterType.ANSWER_GRANTED, facts=facts, today=TODAY)
    assert draft.status == DraftStatus.SIGN_OFF
    with pytest.raises(PermissionDenied):  # the head of another department
        act(actor=other_head, draft=draft, event=DraftEvent.SIGN, today=TODAY)
    draft = act(actor=own_head, draft=draft, event=DraftEvent.SIGN, today=TODAY)
    assert draft.letter is not None and Case.objects.get(pk=case.pk).outcome == Outcome.GRANTED
