"""Demo cases of 果园街道 so that the desk looks alive (idempotent; dates relative to ``today``).

One overdue, one due in 2 working days, one awaiting 补正, one in consultation, one online
application waiting for confirmation, one answered. The 2023 cases that reproduce the sample
annual report are another module's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.choices import DeliveryMethod, IdentityDocument, ProvisionForm
from gongkai.cases.clock import working_days_between
from gongkai.cases.models import Case
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.workcalendar.provider import working_calendar

AGENCY_CODE = "BJ-MY-GY"
MARKER = "（演示数据）"


def _working_day_before(today: dt.date, n: int) -> dt.date:
    """The working day ``n`` working days before ``today``."""
    calendar = working_calendar()
    day = today
    while True:
        day -= dt.timedelta(days=1)
        if day.year in calendar.known_years and not calendar.is_working_day(day):
            continue
        if working_days_between(day, today) >= n:
            return day


#: The demo agencies' contact details (address, phone), by code: the 指南 and letters state them.
CONTACTS: dict[str, tuple[str, str]] = {
    "BJ": ("北京市通州区运河东大街57号", "010-12345"),
    "BJ-MY": ("北京市密云区新东路1号", "010-69041234"),
    "BJ-MY-GY": ("北京市密云区果园街道果园西路8号", "010-69042233"),
    "BJ-MY-GL": ("北京市密云区鼓楼街道鼓楼东大街12号", "010-69043311"),
    "BJ-MY-JW": ("北京市密云区新中街9号", "010-69044455"),
    "BJ-MY-SJ": ("北京市密云区滨河路188号", "010-69045566"),
    # the agencies of the supervisor's console and trends demos (gongkai.dashboards)
    "BJ-MY-XWZ": ("北京市密云区溪翁庄镇溪翁庄村", "010-69012001"),
    "BJ-MY-MYZ": ("北京市密云区密云镇新西路2号", "010-69012002"),
    "BJ-MY-FGW": ("北京市密云区新东路1号院3号楼", "010-69012003"),
    "BJ-MY-CZJ": ("北京市密云区新东路1号院5号楼", "010-69012004"),
    "BJ-MY-WJW": ("北京市密云区鼓楼南大街8号", "010-69012005"),
    "BJ-MY-ZJW": ("北京市密云区新南路36号", "010-69012006"),
    "DEMO-T-ZWFW": ("北京市密云区西统路11号", "010-69012007"),
    "DEMO-T-SWJ": ("北京市密云区滨河路1号", "010-69012008"),
    "DEMO-T-TST": ("北京市密云区太师屯镇太师庄村", "010-69012009"),
    "DEMO-T-MJY": ("北京市密云区穆家峪镇穆家峪村", "010-69012010"),
}


def fill_contacts() -> None:
    """Give each demo agency its address and phone where none was entered (idempotent)."""
    for agency in Agency.objects.filter(code__in=CONTACTS):
        address, phone = CONTACTS[agency.code]
        if not agency.address or not agency.phone:
            agency.address = agency.address or address
            agency.phone = agency.phone or phone
            agency.save(update_fields=["address", "phone"])


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    fill_contacts()
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return
    if Case.objects.filter(agency=agency, request_description__endswith=MARKER).exists():
        log("依申请公开演示案件已存在，跳过")
        return
    with transaction.atomic():
        _load(agency, today)
        _load_year(agency, today)
    log("已载入依申请公开演示案件（果园街道）")


def _resident(name: str, id_number: str, *, phone: str = "", email: str = "") -> Applicant:
    """A demo applicant: a resident of 果园街道 with a resident identity card."""
    return Applicant(
        applicant_type=ApplicantType.NATURAL_PERSON,
        applicant_name=name,
        id_type=IdentityDocument.RESIDENT_ID,
        id_number=id_number,
        phone=phone,
        email=email,
        address="北京市密云区果园街道",
    )


def _load(agency: Agency, today: dt.date) -> None:
    officer = User.objects.get(username="gy_officer")
    clerk = User.objects.get(username="gy_clerk")
    office = agency.departments.get(name="党政办公室")
    city = agency.departments.get(name="城市管理办公室")
    community = agency.departments.get(name="社区建设办公室")

    def person(n: int, name: str, text: str) -> dict[str, Any]:
        applicant = _resident(name, f"11022819800101{n:04d}", phone=f"1390000{n:04d}", email=f"demo{n}@example.cn")
        return {"applicant": applicant, "request_description": text + MARKER}

    # Overdue: received 23 working days ago, answer due 3 working days ago.
    day = _working_day_before(today, 23)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.IN_PERSON,
        department=office,
        assigned_to=officer,
        **person(1, "刘志强", "2025年度果园街道老旧小区改造项目的实施方案及资金使用情况"),
    )
    case = services.start_processing(actor=officer, case=case, today=day)

    # Due in 2 working days: received 18 working days ago, routed to the clerk's department.
    day = _working_day_before(today, 18)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.POST_SIGNED,
        signed_on=day,
        department=city,
        assigned_to=clerk,
        provision_form=ProvisionForm.PAPER,
        delivery_method=DeliveryMethod.POST,
        **person(2, "王秀兰", "果园西路占道经营整治的执法记录和处理决定"),
    )
    case = services.start_processing(actor=officer, case=case, today=day)

    # Awaiting 补正: received 3 working days ago, notice sent the next working day.
    day = _working_day_before(today, 3)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.IN_PERSON,
        department=community,
        **person(3, "张伟", "关于我家小区的那个文件"),
    )
    notice_day = _working_day_before(today, 2)
    services.request_correction(
        actor=officer,
        case=case,
        items="请写明所需信息的名称、文号或者便于查询的其他特征性描述",
        reply_by=today + dt.timedelta(days=15),
        today=notice_day,
    )

    # In consultation: a third party consulted 4 working days ago (clock paused, art 33 ¶3).
    day = _working_day_before(today, 8)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.IN_PERSON,
        department=office,
        assigned_to=officer,
        applicant=Applicant(
            applicant_type=ApplicantType.COMMERCIAL_ENTERPRISE,
            applicant_name="北京果园物业管理有限公司",
            id_type=IdentityDocument.BUSINESS_LICENCE,
            org_credit_code="91110228MA01DEMO1X",
            legal_representative="赵刚",
            contact_person="孙丽",
            phone="010-69000001",
        ),
        request_description="果园小区物业服务企业选聘过程中其他投标单位的报价材料" + MARKER,
    )
    case = services.start_processing(actor=officer, case=case, today=day)
    services.start_consultation(
        actor=officer,
        case=case,
        party=ConsultedParty.THIRD_PARTY,
        party_name="北京某物业服务有限公司",
        matter="报价材料是否涉及商业秘密",
        today=_working_day_before(today, 4),
    )

    # Online, waiting for confirmation (the receipt date is the day both sides confirm, art 31(3)).
    services.submit_online_application(
        agency=agency,
        submitted_at=services.submission_moment(today),
        client_ip="127.0.0.1",
        **person(5, "陈静", "果园街道2026年民生实事项目清单"),
    )

    # 收费通知 (按量, 120 pages) sent 4 working days ago; the letter went by EMS and was signed for
    # (``letters.demo``): the 缴费期限 runs from that day, not from the day it was sent.
    day = _working_day_before(today, 9)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.IN_PERSON,
        department=office,
        assigned_to=officer,
        **person(7, "赵敏", "果园街道2025年全部城市管理执法案卷的复制件"),
    )
    case = services.start_processing(actor=officer, case=case, today=day)
    services.send_fee_notice(
        actor=officer, case=case, method=FeeMethod.BY_VOLUME, pages=120, today=_working_day_before(today, 4)
    )

    # Answered: 予以公开 a week after receipt.
    day = _working_day_before(today, 12)
    case = services.register_application(
        actor=officer,
        today=day,
        channel=Channel.IN_PERSON,
        department=office,
        assigned_to=officer,
        **person(6, "李娜", "果园街道办事处2026年部门预算"),
    )
    case = services.start_processing(actor=officer, case=case, today=day)
    services.close_case(
        actor=officer,
        case=case,
        outcome=Outcome.GRANTED,
        today=_working_day_before(today, 7),
        note="已告知申请人在果园街道政府信息公开专栏获取。",
    )


#: This year's earlier months for the agency's dashboard (工作统计): the path of each case, two a
#: month from January to last month. ``extended``: the 负责人 approves 10 working days and the answer
#: comes after the original due date, within the extension (on time); ``late``: answered 25 days
#: after the due date; ``answered``: within the 20 working days. All 予以公开: the other answers go
#: through 签批 (``letters.approval_policy``), which the 2023 demo shows.
_YEAR_PATHS: tuple[str, ...] = (
    "answered",
    "answered",
    "extended",
    "answered",
    "answered",
    "late",
    "answered",
    "extended",
)


def _load_year(agency: Agency, today: dt.date) -> None:
    """Two applications a month since January, answered on time, within an extension or late."""
    officer = User.objects.get(username="gy_officer")
    leader = User.objects.get(username="gy_leader")
    office = agency.departments.get(name="党政办公室")
    calendar = working_calendar()
    n = 100
    for month in range(1, today.month):
        for half in (0, 1):
            path = _YEAR_PATHS[n % len(_YEAR_PATHS)]
            n += 1
            day = calendar.nth_working_day_after(dt.date(today.year, month, 1 + 12 * half), 1)
            case = services.register_application(
                actor=officer,
                today=day,
                channel=Channel.IN_PERSON,
                department=office,
                assigned_to=officer,
                applicant=_resident(f"申请人{n}", f"11022819850101{n:04d}"),
                request_description=f"果园街道{today.year}年{month}月第{half + 1}批社区工作文件" + MARKER,
            )
            case = services.start_processing(actor=officer, case=case, today=day)
            due = case.due_on
            assert due is not None
            ask = calendar.nth_working_day_after(day, 15)
            if path == "extended" and ask < today:  # nothing is recorded after today
                case = services.request_extension(actor=officer, case=case, days=10, reason="需调取档案", today=ask)
                case = services.approve_extension(actor=leader, case=case, today=ask)
                assert case.due_on is not None
                answer = case.due_on - dt.timedelta(days=2)
            elif path == "late":
                answer = due + dt.timedelta(days=25)
            else:
                answer = day + dt.timedelta(days=8 + n % 7)
            if answer < today:
                services.close_case(actor=leader, case=case, outcome=Outcome.GRANTED, today=answer)
