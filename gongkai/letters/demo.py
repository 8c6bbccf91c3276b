"""Demo letters: every demo agency's letter settings, and 果园街道's letters with their 送达.

Idempotent; dates relative to ``today``. First every agency can issue every letter (court,
复议机关, payment; contacts): settings and contact details already entered are kept. The names
follow the courts' jurisdiction as 行政诉讼法 arts 14, 15 and 18 set it [D: demo data, to be
checked by each agency]: a 区 department or 街道 is sued in the 区 court; a 区 government and the
市 government in the intermediate court that hears such cases in Beijing (北京市第四中级人民法院).

Then served and unserved letters side by side: a 登记回执 signed for at the counter, one sent by
EMS and not yet signed for (on the desk's 未送达 list), a 补正告知书 not yet sent, and an answer
sent by 电子送达 and downloaded by the applicant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.demo import AGENCY_CODE, MARKER, fill_contacts
from gongkai.cases.models import Case
from gongkai.core.letters import LetterType
from gongkai.core.letters.service import ServiceMethod
from gongkai.letters.context import LetterFacts
from gongkai.letters.deliveries import record_delivery, record_download
from gongkai.letters.models import Letter, LetterSettings
from gongkai.letters.services import generate_letter

DISTRICT_COURT = "北京市密云区人民法院"
INTERMEDIATE_COURT = "北京市第四中级人民法院"
PAYMENT = (
    "请持本通知到本机关政府信息公开工作机构领取《北京市非税收入一般缴款书》，"
    "通过缴款书所列银行或北京市非税收入收缴系统缴纳，缴款后请将缴款凭证复印件交回本机关"
)


def court_for(agency: Agency) -> str:
    """The court named in the remedy notice: 区 court for departments and 街道, 四中院 for governments."""
    if agency.level in (AgencyLevel.PROVINCE, AgencyLevel.COUNTY):
        return INTERMEDIATE_COURT
    return DISTRICT_COURT


def review_body_for(agency: Agency) -> str:
    """The 行政复议机关: the 本级人民政府 above (行政复议法 2023 art 24); a 省级 government for itself (art 25)."""
    return agency.parent.name if agency.parent is not None else agency.name


@transaction.atomic
def fill_settings(*, log: Callable[[str], None]) -> None:
    """Complete every agency's letter settings and contacts (fields already entered are kept)."""
    fill_contacts()
    filled = 0
    for agency in Agency.objects.select_related("parent").order_by("code"):
        settings, _ = LetterSettings.objects.get_or_create(agency=agency)
        changed = []
        for field, value in (
            ("number_prefix", f"{agency.short_name or agency.name}信息公开"),
            ("reconsideration_body", review_body_for(agency)),
            ("court_name", court_for(agency)),
            ("payment_instructions", PAYMENT),
        ):
            if not getattr(settings, field).strip():
                setattr(settings, field, value)
                changed.append(field)
        if changed:
            settings.save()
            filled += 1
    if filled:
        log(f"文书设置：{filled} 个机关已补全（复议机关、人民法院、缴费方式）")


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    fill_settings(log=log)
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return
    cases = Case.objects.filter(agency=agency, request_description__endswith=MARKER)
    if not cases.exists():
        return
    if Letter.objects.filter(case__in=cases).exists():
        log("演示文书已存在，跳过")
        return
    with transaction.atomic():
        _load(agency, cases, today)
    log("已载入演示文书及送达记录（果园街道）")


def _case(cases: QuerySet[Case], name: str) -> Case | None:
    return cases.filter(applicant_name=name).first()


def _load(agency: Agency, cases: QuerySet[Case], today: dt.date) -> None:
    officer = User.objects.get(username="gy_officer")
    LetterSettings.objects.get_or_create(
        agency=agency,
        defaults={
            "number_prefix": "果园街道信息公开",
            "court_name": "北京市密云区人民法院",
            "payment_instructions": "通过北京市非税收入统一缴款平台缴纳（缴款码见通知）",
        },
    )

    counter = _case(cases, "刘志强")  # registered at the counter: receipt handed over and signed for
    if counter is not None and counter.received_on is not None:
        day = counter.received_on
        letter = generate_letter(actor=officer, case=counter, kind=LetterType.RECEIPT, today=day)
        record_delivery(
            actor=officer,
            letter=letter,
            method=ServiceMethod.DIRECT,
            sent_on=day,
            received_on=day,
            note="窗口当面交付，申请人签收",
            today=today,
        )

    posted = _case(cases, "王秀兰")  # by post: receipt sent by EMS, not yet signed for
    if posted is not None and posted.received_on is not None:
        day = posted.received_on
        letter = generate_letter(actor=officer, case=posted, kind=LetterType.RECEIPT, today=day)
        record_delivery(
            actor=officer,
            letter=letter,
            method=ServiceMethod.POST,
            sent_on=nth_working_day_after(day, 1)[0],
            tracking_number="1151234567890",
            today=today,
        )

    correction = _case(cases, "张伟")  # 补正告知书 issued, not yet sent
    if correction is not None and correction.correction_requested_on is not None:
        generate_letter(
            actor=officer, case=correction, kind=LetterType.CORRECTION, today=correction.correction_requested_on
        )

    fee = _case(cases, "赵敏")  # 收费通知 posted the next working day, signed for two working days later
    notice = fee.fee_notices.first() if fee is not None else None
    if fee is not None and notice is not None:
        letter = generate_letter(actor=officer, case=fee, kind=LetterType.FEE, today=notice.notified_on)
        posted_on = notice.notified_on
        signed_on = nth_working_day_after(posted_on, 2)[0]
        record_delivery(
            actor=officer,
            letter=letter,
            method=ServiceMethod.POST,
            sent_on=posted_on,
            received_on=signed_on if signed_on <= today else None,
            tracking_number="1151234567891",
            note="EMS 妥投记录：申请人本人签收",
            today=today,
        )

    answered = _case(cases, "李娜")  # answer by 电子送达, downloaded by the applicant
    if answered is not None and answered.closed_on is not None:
        day = answered.closed_on
        letter = generate_letter(
            actor=officer,
            case=answered,
            kind=LetterType.for_outcome(answered.outcome_enum) if answered.outcome_enum else LetterType.RECEIPT,
            today=day,
            facts=LetterFacts(access_method="请登录果园街道政府信息公开专栏“财政预决算”栏目查阅。"),
        )
        record_delivery(
            actor=officer,
            letter=letter,
            method=ServiceMethod.ELECTRONIC,
            sent_on=day,
            consent=True,
            note="申请人在申请表中选择电子送达",
            today=today,
        )
        downloaded = dt.datetime.combine(day, dt.time(10, 15), tzinfo=dt.UTC)
        record_download(letter=letter, at=downloaded, address="127.0.0.1")
