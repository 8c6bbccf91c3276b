"""Demo archive: the letters of 果园街道's 2023 cases, so that the 2023 案卷 has something to hold.

The reports demo registers and closes the 29 applications of 2023 (its marker "（年度报告演示）");
here each gets its 登记回执 (dated the receipt day), its 补正告知书 or 收费通知 where it had one,
and its answer (dated the decision day), each handed over at the counter and signed for the same
day. Idempotent: nothing is added when any of those cases already has a letter. A letter the
case's facts cannot support is skipped with a line in the log, never a failed demo.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cases.models import Case
from gongkai.core.approval import ApprovalRequired
from gongkai.core.errors import GongkaiError
from gongkai.core.letters import LetterType
from gongkai.core.letters.grounds import WithheldGround
from gongkai.core.letters.service import ServiceMethod
from gongkai.core.outcomes import Outcome
from gongkai.letters.context import LetterFacts
from gongkai.letters.deliveries import record_delivery
from gongkai.letters.models import Letter
from gongkai.letters.services import generate_letter

AGENCY_CODE = "BJ-MY-GY"
YEAR = 2023
REPORT_MARKER = "（年度报告演示）"

_FACTS: dict[Outcome, LetterFacts] = {
    Outcome.GRANTED: LetterFacts(access_method="随本答复书提供所申请信息的复印件，请查收。"),
    Outcome.PARTIAL: LetterFacts(
        access_method="随本答复书提供可以公开部分的复印件，请查收。",
        withheld_ground=WithheldGround.ART15,
        withheld_part="材料中第三方自然人的姓名、身份证件号码和联系电话",
        reasons="所申请信息中含有第三方个人信息，公开会对第三方合法权益造成损害。",
    ),
    Outcome.WITHHELD_ADMINISTRATIVE_QUERY: LetterFacts(
        reasons="所申请信息属于工商、不动产登记资料等行政查询事项。",
        access_method="请按照不动产登记资料查询的规定，持身份证件到北京市密云区不动产登记中心查询。",
    ),
    Outcome.UNAVAILABLE_NOT_HELD: LetterFacts(
        reasons="经检索本机关档案和业务系统，本机关未制作、获取所申请的信息。",
        responsible_agency="北京市密云区人民政府",
        responsible_agency_contact="010-69040000",
    ),
}
_DEFAULT = LetterFacts(reasons="经审查，所申请内容不属于政府信息公开申请的办理范围。", access_method="")


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None or today.year <= YEAR:
        return
    cases = Case.objects.filter(agency=agency, year=YEAR, request_description__endswith=REPORT_MARKER)
    if not cases.exists():
        return
    if Letter.objects.filter(case__in=cases).exists():
        log(f"{YEAR}年度演示文书已存在，跳过")
        return
    officer = User.objects.get(username="gy_officer")
    # Refusals went out under the 负责人's 签发 (签批, docs/approval.md): the leader issues those.
    leader = User.objects.get(username="gy_leader")
    made, skipped = 0, []
    for case in cases.order_by("sequence"):
        for kind, facts in _letters(case):
            try:
                with transaction.atomic():
                    try:
                        with transaction.atomic():
                            letter = generate_letter(actor=officer, case=case, kind=kind, today=today, facts=facts)
                    except ApprovalRequired:
                        # Issued in 2023, under the rules of that day (the demo's 签批 rule is later).
                        issued = case.closed_on or today
                        letter = generate_letter(actor=leader, case=case, kind=kind, today=issued, facts=facts)
                    record_delivery(
                        actor=officer,
                        letter=letter,
                        method=ServiceMethod.DIRECT,
                        sent_on=letter.issued_on,
                        received_on=letter.issued_on,
                        note="窗口当面交付，申请人签收",
                        today=today,
                    )
                made += 1
            except GongkaiError as exc:
                skipped.append(f"{case.number} {kind.label}：{exc}")
    log(f"已载入{YEAR}年度演示文书及送达记录（果园街道）：{made} 份")
    for line in skipped:
        log(f"  未生成 {line}")


def _letters(case: Case) -> list[tuple[LetterType, LetterFacts | None]]:
    kinds: list[tuple[LetterType, LetterFacts | None]] = []
    if case.received_on is not None:
        kinds.append((LetterType.RECEIPT, None))
    if case.correction_requested_on is not None:
        kinds.append((LetterType.CORRECTION, None))
    if case.fee_notices.exists():
        kinds.append((LetterType.FEE, None))
    outcome = case.outcome_enum
    if outcome is not None:
        kinds.append((LetterType.for_outcome(outcome), _FACTS.get(outcome, _DEFAULT)))
    return kinds
