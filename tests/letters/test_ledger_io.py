"""export_ledger / import_ledger: scoped reads, masked exports, imports through the case services,
all or nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from django.core.exceptions import PermissionDenied

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.ledger_io import export_ledger, import_ledger
from gongkai.cases.models import Case
from gongkai.core.case_flow import Status
from gongkai.core.deadlines import Channel
from gongkai.core.fees import FeeMethod
from gongkai.core.ledger import NOTHING_IMPORTED, LedgerRow, read_ledger, write_ledger
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from tests.conftest import Tree
from tests.factories import CaseFactory, ClosedCase, InProgressCase, UserFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 4, 1)


def _ledger(rows: Sequence[LedgerRow]) -> bytes:
    return write_ledger(rows, unmasked=True)


def _row(n: int, **changes: object) -> LedgerRow:
    values: dict[str, object] = {
        "case_number": f"旧台账-{n}",
        "received_on": dt.date(2026, 1, 5),
        "channel": Channel.IN_PERSON,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": f"导入申请人{n}",
        "request": f"导入申请内容{n}",
    }
    values.update(changes)
    return LedgerRow(**values)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def test_export_lists_the_agency_year_cases_masked(tree: Tree) -> None:
    open_case = CaseFactory(actor=tree.officer_a, id_number="110101199003071234")
    closed = ClosedCase(actor=tree.leader_a, outcome=Outcome.WITHHELD_STATE_SECRET)  # signed off by the 负责人
    CaseFactory(actor=tree.officer_a, today=dt.date(2025, 6, 2))  # another year
    CaseFactory(actor=tree.officer_b)  # another agency
    result = read_ledger(export_ledger(tree.officer_a, tree.street_a, 2026), "export.xlsx")
    assert result.ok, result.messages()
    rows = {r.case_number: r for r in result.rows}
    assert set(rows) == {open_case.number, closed.number}
    assert rows[open_case.number].id_number == "110***********1234"
    assert rows[open_case.number].outcome is None and rows[open_case.number].due_on == dt.date(2026, 3, 30)
    assert rows[closed.number].outcome is Outcome.WITHHELD_STATE_SECRET
    assert rows[closed.number].answered_on == dt.date(2026, 3, 7)
    assert rows[closed.number].channel is Channel.IN_PERSON


def test_export_shows_extension_and_paid_fee(tree: Tree) -> None:
    case = InProgressCase(actor=tree.officer_a)
    day = dt.date(2026, 3, 5)
    case = services.request_extension(actor=tree.officer_a, case=case, days=10, reason="档案调取", today=day)
    case = services.approve_extension(actor=tree.leader_a, case=case, today=day)
    case = services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=40, today=day)
    services.record_fee_payment(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 9))
    (row,) = read_ledger(export_ledger(tree.officer_a, tree.street_a, 2026), "x.xlsx").rows
    assert row.extended and row.fee_charged and row.fee_amount == 100  # 10 pages × 10元


def test_export_is_scoped_by_visible_to(tree: Tree) -> None:
    CaseFactory(actor=tree.officer_a)
    assert len(read_ledger(export_ledger(tree.supervisor, tree.street_a, 2026), "x.xlsx").rows) == 1
    # A clerk without a department sees only what they registered: nothing here.
    clerk_rows = read_ledger(export_ledger(tree.clerk_a, tree.street_a, 2026), "x.xlsx")
    assert clerk_rows.rows == () and clerk_rows.errors[0].message.endswith("只有表头，没有任何申请记录")
    with pytest.raises(PermissionDenied):
        export_ledger(tree.officer_b, tree.street_a, 2026)
    with pytest.raises(PermissionDenied):
        export_ledger(tree.other_supervisor, tree.street_a, 2026)


# ---------------------------------------------------------------------------------------------
# Import
# ---------------------------------------------------------------------------------------------


def test_import_creates_cases_through_the_services(tree: Tree) -> None:
    rows = [
        _row(
            1,
            answered_on=dt.date(2026, 1, 20),
            outcome=Outcome.GRANTED,
            id_number="110101199003071234",
            contact="13900000000",
        ),
        _row(
            2,
            channel=Channel.POST_SIGNED,
            received_on=dt.date(2026, 2, 2),
            applicant_type=ApplicantType.LEGAL_SERVICE_ORG,
            applicant_name="某律师事务所",
            id_number="91110000MA01ABCD2X",
            contact="law@example.cn",
        ),
        _row(
            3,
            channel=Channel.INTERNET,
            received_on=dt.date(2025, 12, 29),
            answered_on=dt.date(2026, 1, 6),
            outcome=Outcome.OTHER_OTHER,
            note="申请人撤回",
        ),
        _row(
            4,
            answered_on=dt.date(2026, 1, 30),
            outcome=Outcome.WITHHELD_PROCESS_INFORMATION,
            extended=True,
            fee_charged=True,
            fee_amount=300,
        ),
    ]
    result = import_ledger(
        actor=tree.officer_a, agency=tree.street_a, data=_ledger(rows), filename="旧台账.xlsx", today=TODAY
    )
    assert result.ok, [str(e) for e in result.errors]
    assert [i.ledger_number for i in result.imported] == ["旧台账-1", "旧台账-2", "旧台账-3", "旧台账-4"]
    cases = {i.ledger_number: Case.objects.get(pk=i.case_id) for i in result.imported}

    granted = cases["旧台账-1"]
    assert (granted.received_on, granted.closed_on, granted.outcome, granted.status) == (
        dt.date(2026, 1, 5),
        dt.date(2026, 1, 20),
        Outcome.GRANTED.value,
        Status.CLOSED.value,
    )
    assert granted.id_number == "110101199003071234" and granted.phone == "13900000000"
    assert granted.closing_note == "台账导入，原申请编号 旧台账-1"
    assert granted.registered_by == tree.officer_a and granted.agency == tree.street_a
    assert not granted.messages.exists()  # past cases: the applicants are not messaged

    org = cases["旧台账-2"]
    assert org.status == Status.REGISTERED.value and org.received_on == dt.date(2026, 2, 2)
    assert org.org_credit_code == "91110000MA01ABCD2X" and org.email == "law@example.cn"

    withdrawn = cases["旧台账-3"]
    assert withdrawn.outcome == Outcome.OTHER_OTHER.value and withdrawn.year == 2025
    assert withdrawn.received_on == dt.date(2025, 12, 29)

    refused = cases["旧台账-4"]
    assert refused.closing_note == "台账导入，原申请编号 旧台账-4；台账记载：已延期；台账记载：收取信息处理费 300 元"

    audit = AuditEvent.objects.get(action="ledger.imported")
    assert audit.agency_id == tree.street_a.pk and audit.changes["rows"] == 4
    assert AuditEvent.objects.filter(action="case.registered").count() == 4


def test_one_failing_row_rolls_back_every_row(tree: Tree) -> None:
    rows = [_row(1), _row(2, contact="not-an-email@"), _row(3)]
    result = import_ledger(
        actor=tree.officer_a, agency=tree.street_a, data=_ledger(rows), filename="a.xlsx", today=TODAY
    )
    assert not result.ok and result.imported == ()
    assert [e.row for e in result.errors] == [3]
    assert "电子邮箱" in str(result.errors[0])
    assert NOTHING_IMPORTED in result.summary()
    assert not Case.objects.exists()
    assert not AuditEvent.objects.filter(action__in=["case.registered", "ledger.imported"]).exists()


def test_a_broken_file_imports_nothing(tree: Tree) -> None:
    result = import_ledger(actor=tree.officer_a, agency=tree.street_a, data=b"%PDF-1.4", filename="a.xlsx", today=TODAY)
    assert not result.ok and "不是有效的 Excel" in str(result.errors[0])
    assert not Case.objects.exists()


def test_database_checks_list_every_problem_before_writing(tree: Tree) -> None:
    existing = CaseFactory(actor=tree.officer_a)
    rows = [
        _row(1, case_number=existing.number),
        _row(2, received_on=dt.date(2026, 4, 2)),
        _row(3, answered_on=dt.date(2026, 2, 1), outcome=Outcome.OTHER_NO_CORRECTION),
        _row(
            4,
            applicant_name=existing.applicant_name,
            request=existing.request_description,
            received_on=existing.received_on,
        ),
        _row(5),
    ]
    result = import_ledger(
        actor=tree.officer_a, agency=tree.street_a, data=_ledger(rows), filename="a.xlsx", today=TODAY
    )
    assert [str(e) for e in result.errors] == [
        f"第 2 行，“申请编号”列：申请编号“{existing.number}”已是本机关系统中的案件编号（该台账可能已经导入过）",
        "第 3 行，“收到申请日期”列：收到申请日期 2026-04-02 晚于今天",
        "第 4 行，“办理结果”列：“申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请”须有补正告知或收费通知的日期和期限，"
        "台账中没有，不能导入；请在系统中登记该申请并按办理流程记录",
        "第 5 行，“申请内容”列：系统中已有同一申请人同日提出的相同申请（该台账可能已经导入过）",
    ]
    assert Case.objects.count() == 1


def test_reimporting_an_export_is_refused(tree: Tree) -> None:
    ClosedCase(actor=tree.officer_a)
    data = export_ledger(tree.officer_a, tree.street_a, 2026)
    result = import_ledger(actor=tree.officer_a, agency=tree.street_a, data=data, filename="x.xlsx", today=TODAY)
    assert not result.ok and "已是本机关系统中的案件编号" in str(result.errors[0])
    assert Case.objects.count() == 1


def test_open_case_warnings(tree: Tree) -> None:
    rows = [_row(1, extended=True, due_on=dt.date(2026, 2, 10))]
    result = import_ledger(
        actor=tree.officer_a, agency=tree.street_a, data=_ledger(rows), filename="a.xlsx", today=TODAY
    )
    assert result.ok
    assert [str(w) for w in result.warnings] == [
        "第 2 行：未办结的申请不导入“是否延期”：延期、收费须在案件中按办理流程登记",
        # 20 working days after Monday 5 January 2026.
        "第 2 行，“答复期限”列：答复期限按系统计算为 2026-02-02（台账为 2026-02-10）",
    ]


@pytest.mark.parametrize("who", ["supervisor", "officer_b", "admin"])
def test_only_the_agency_staff_import(tree: Tree, who: str) -> None:
    with pytest.raises(PermissionDenied):
        import_ledger(
            actor=getattr(tree, who), agency=tree.street_a, data=_ledger([_row(1)]), filename="a.xlsx", today=TODAY
        )


def test_a_leader_may_import(tree: Tree) -> None:
    leader = UserFactory(agency=tree.street_a, role=Role.LEADER)
    result = import_ledger(actor=leader, agency=tree.street_a, data=_ledger([_row(1)]), filename="a.xlsx", today=TODAY)
    assert result.ok and Case.objects.get().registered_by == leader
