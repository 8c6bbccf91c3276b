"""转办 and 告知 (条例 art 36(5)): gongkai.cases.services.transfer_application."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.choices import CaseNote
from gongkai.cases.models import ApplicantMessage, Case, CaseTransfer
from gongkai.core.case_flow import Status
from gongkai.core.errors import InvalidTransition
from gongkai.core.outcomes import Outcome
from gongkai.core.transfer import TransferRefused
from tests.conftest import Tree
from tests.factories import CASE_DAY, InProgressCase

TRANSFER_DAY = dt.date(2026, 3, 9)  # a Monday, a week after receipt


@pytest.fixture(autouse=True)
def _street_b_contact(tree: Tree) -> None:
    tree.street_b.phone = "010-66660000"
    tree.street_b.save()


def _transfer(tree: Tree, **kwargs):  # type: ignore[no-untyped-def]
    case = kwargs.pop("case", None) or InProgressCase(actor=tree.officer_a)
    defaults = {"reason": "该信息由乙街道制作并保存。", "to_agency": tree.street_b}
    return case, services.transfer_application(
        actor=tree.leader_a, case=case, today=TRANSFER_DAY, **{**defaults, **kwargs}
    )


def test_transfer_on_system_creates_the_receiving_case(tree: Tree) -> None:
    sent, transfer = _transfer(tree)
    sent.refresh_from_db()
    # The sending side: answered with the 36(5) 告知, table 三 （四）1.
    assert sent.status == Status.CLOSED
    assert sent.outcome == Outcome.UNAVAILABLE_NOT_HELD
    assert sent.closed_on == TRANSFER_DAY
    # The receiving side: a new case numbered by street B, with the original receipt date carried.
    received = transfer.to_case
    assert received is not None
    assert received.agency == tree.street_b
    assert received.number.startswith(tree.street_b.name) and received.sequence == 1
    assert transfer.original_received_on == CASE_DAY == sent.received_on
    # Its clock runs from its own receipt (条例 arts 31, 33 ¶2): the transfer day.
    assert received.received_on == TRANSFER_DAY
    assert received.status == Status.REGISTERED
    assert received.due_on == dt.date(2026, 4, 7)  # 20 working days after 9 March 2026 (清明 4–6 April)
    assert received.request_description == sent.request_description
    assert received.applicant_name == sent.applicant_name and received.id_number == sent.id_number
    assert received.tracking_code != sent.tracking_code
    assert transfer.agency_name == tree.street_b.name and transfer.agency_contact == "010-66660000"
    entry = received.events.get(kind=CaseNote.TRANSFERRED_IN)
    assert entry.payload["原收到申请之日"] == CASE_DAY.isoformat()
    assert entry.payload["原案件编号"] == sent.number


def test_transfer_is_audited_on_both_sides_and_the_applicant_told(tree: Tree) -> None:
    sent, transfer = _transfer(tree)
    received = transfer.to_case
    assert AuditEvent.objects.filter(
        action="case.transferred_out", agency=tree.street_a, object_id=str(sent.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="case.transferred_in", agency=tree.street_b, object_id=str(received.pk)
    ).exists()
    moved = ApplicantMessage.objects.get(case=received, kind=CaseNote.TRANSFERRED_IN, channel="email")
    assert received.number in moved.text and received.tracking_code in moved.text and sent.number in moved.text
    closed = ApplicantMessage.objects.get(case=sent, kind="answer", channel="email")
    assert tree.street_b.name in closed.text and "转送" in closed.text


def test_not_on_system_only_tells_the_applicant(tree: Tree) -> None:
    case = InProgressCase(actor=tree.officer_a)
    before = Case.objects.count()
    sent, transfer = _transfer(
        tree, case=case, to_agency=None, agency_name="测试市规划和自然资源委员会", agency_contact_text="010-55550000"
    )
    assert Case.objects.count() == before
    assert transfer.to_case is None and transfer.to_agency is None
    sent.refresh_from_db()
    assert sent.outcome == Outcome.UNAVAILABLE_NOT_HELD
    assert transfer.agency_name == "测试市规划和自然资源委员会"


def test_not_on_system_needs_the_agency_and_its_contact(tree: Tree) -> None:
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(TransferRefused, match="联系方式"):
        _transfer(tree, case=case, to_agency=None, agency_name="某委员会", agency_contact_text="")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS and not CaseTransfer.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"reason": ""}, TransferRefused),
        ({"to_agency": "own"}, TransferRefused),
    ],
)
def test_refusals_leave_the_case_open(tree: Tree, kwargs: dict, error: type[Exception]) -> None:  # type: ignore[type-arg]
    case = InProgressCase(actor=tree.officer_a)
    if kwargs.get("to_agency") == "own":
        kwargs = {**kwargs, "to_agency": tree.street_a}
    with pytest.raises(error):
        _transfer(tree, case=case, **kwargs)
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


def test_on_system_agency_without_contact_needs_one_typed(tree: Tree) -> None:
    tree.street_b.phone = ""
    tree.street_b.save()
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(TransferRefused, match="未登记联系电话"):
        _transfer(tree, case=case)
    _, transfer = _transfer(tree, case=case, agency_contact_text="010-12345678")
    assert transfer.agency_contact == "010-12345678"


def test_only_the_agencys_officer_or_leader_transfers(tree: Tree) -> None:
    case = InProgressCase(actor=tree.officer_a)
    for actor in (tree.officer_b, tree.supervisor, tree.clerk_a):
        with pytest.raises(PermissionDenied):
            services.transfer_application(
                actor=actor, case=case, today=TRANSFER_DAY, reason="x", to_agency=tree.street_b
            )


def test_closed_case_cannot_be_transferred(tree: Tree) -> None:
    sent, _ = _transfer(tree)
    sent.refresh_from_db()
    with pytest.raises(InvalidTransition):
        _transfer(tree, case=sent)


def test_each_side_sees_the_link_and_nothing_else(tree: Tree, client: Client) -> None:
    sent, transfer = _transfer(tree)
    received = transfer.to_case
    # visible_to does not widen: neither agency reads the other's case.
    assert not Case.objects.visible_to(tree.officer_b).filter(pk=sent.pk).exists()
    assert not Case.objects.visible_to(tree.officer_a).filter(pk=received.pk).exists()
    assert CaseTransfer.objects.visible_to(tree.officer_a).get() == transfer
    assert CaseTransfer.objects.visible_to(tree.officer_b).get() == transfer
    assert not CaseTransfer.objects.visible_to(tree.other_supervisor).exists()
    client.force_login(tree.officer_b)
    page = client.get(f"/office/cases/{received.pk}/").content.decode()
    assert sent.number in page and tree.street_a.name in page and "已办结" in page
    assert "该信息由乙街道制作并保存" not in page  # the reason is the sender's (its 告知书), not the receiver's
    assert f'href="/office/cases/{sent.pk}/"' not in page
    assert client.get(f"/office/cases/{sent.pk}/").status_code == 404
    client.force_login(tree.officer_a)
    page = client.get(f"/office/cases/{sent.pk}/").content.decode()
    assert received.number in page and tree.street_b.name in page and "已登记" in page
    assert "该信息由乙街道制作并保存" in page
    assert received.tracking_code not in page and f'href="/office/cases/{received.pk}/"' not in page


def test_tracking_pages_show_the_transfer(tree: Tree, client: Client) -> None:
    """The applicant follows the old code to the new case (its number and code); the new case says where it came from."""
    sent, transfer = _transfer(tree)
    received = transfer.to_case
    old = client.post("/track/", {"code": sent.tracking_code, "phone_last4": "0000"}, REMOTE_ADDR="203.0.113.9")
    html = old.content.decode()
    assert old.status_code == 200, html[:500]
    assert "您的申请已转送测试区乙街道办事处" in html and received.number in html and received.tracking_code in html
    assert "010-66660000" in html
    new = client.post("/track/", {"code": received.tracking_code, "phone_last4": "0000"}, REMOTE_ADDR="203.0.113.9")
    html = new.content.decode()
    assert "本申请由测试区甲街道办事处转送" in html and "2026年3月2日" in html and sent.number in html


def test_an_officer_cannot_send_the_36_5_answer_without_the_leaders_signature(tree: Tree) -> None:
    """Under the default 签批 policy (docs/approval.md) 无法提供 answers need the 负责人's 签发; the
    转办/告知 is such an answer, so the officer's transfer is refused and nothing changes."""
    from gongkai.core.approval import ApprovalRequired

    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(ApprovalRequired, match="签批"):
        services.transfer_application(
            actor=tree.officer_a, case=case, today=TRANSFER_DAY, reason="x", to_agency=tree.street_b
        )
    case.refresh_from_db()
    assert case.outcome == "" or case.outcome is None
    assert not CaseTransfer.objects.exists()


def test_the_administrator_reads_transfers_in_the_admin_and_changes_none(tree: Tree) -> None:
    sent, transfer = _transfer(tree)
    admin = Client()
    admin.force_login(tree.admin)
    listing = admin.get("/admin/cases/casetransfer/").content.decode()
    assert sent.number in listing and tree.street_b.name in listing
    page = admin.get(f"/admin/cases/casetransfer/{transfer.pk}/change/")
    assert page.status_code == 200 and "该信息由乙街道制作并保存。" in page.content.decode()
    assert admin.get("/admin/cases/casetransfer/add/").status_code == 403
    refused = admin.post(f"/admin/cases/casetransfer/{transfer.pk}/change/", {"agency_name": "别的机关"})
    assert refused.status_code == 403
    assert admin.post(f"/admin/cases/casetransfer/{transfer.pk}/delete/", {"post": "yes"}).status_code == 403
    transfer.refresh_from_db()
    assert transfer.agency_name == tree.street_b.name
