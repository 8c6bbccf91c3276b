"""Demo letters: every demo agency's letter settings, and 果园街道's letters with their 送达.

Idempotent; dates relative to ``today``. First every agency can issue every letter (court,
复议机关, payment; contacts): settings and contact details already entered are kept. The names
follow the courts' jurisdiction as 行政诉讼法 arts 14, 15 and 18 set it [D: demo data, to be
checked by each agency]: a 区 department or 街道 is sued in the 区 court; a 区 government and the
市 government in the intermediate court that hears such cases in Beijing (北京市第四中级人民法院).

Then served and unserved letters side by side: a 登记回执 signed for at the counter, one sent by
EMS and not yet signed for (on the desk's 未送达 list), a 补正告知书 not yet sent, and an answer
sent by 电子送达 and downloaded by the applicant. Last 果园街道's 签批 policy and two drafts waiting on
the leader's desk (``_load_approvals``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from django.db import transaction
from django.db.models import QuerySet

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.clock import nth_working_day_after
from gongkai.cases.demo import AGENCY_CODE, MARKER, fill_contacts
from gongkai.cases.models import Case
from gongkai.core.approval import ChainRule, DraftEvent, Signer, Subject
from gongkai.core.letters import LetterType, WithheldGround
from gongkai.core.letters.service import ServiceMethod
from gongkai.letters.approvals import act, create_draft, update_draft
from gongkai.letters.context import LetterFacts
from gongkai.letters.deliveries import record_delivery, record_download
from gongkai.letters.models import ChainRuleSetting, Letter, LetterSettings
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
    else:
        with transaction.atomic():
            _load(agency, cases, today)
        log("已载入演示文书及送达记录（果园街道）")
    if ChainRuleSetting.objects.filter(agency=agency).exists():
        log("演示签批规则已存在，跳过")
        return
    with transaction.atomic():
        _load_approvals(agency, cases, today)
    log("已载入演示签批规则及两份待负责人处理的拟稿（果园街道）")


#: 果园街道's 签批 policy [D: demo]: adverse answers through 审核 and the 负责人's 签发, refusals and
#: 部分公开 also through 法制审核 (no 法制审核人员 designated: the 负责人 does it); the rest default.
DEMO_POLICY: dict[Subject, ChainRule] = {
    Subject.PARTIAL: ChainRule(review=True, legal=True, signer=Signer.LEADER),
    Subject.WITHHELD: ChainRule(review=True, legal=True, signer=Signer.LEADER),
    Subject.UNAVAILABLE: ChainRule(review=True, signer=Signer.LEADER),
    Subject.REJECTED: ChainRule(review=True, signer=Signer.LEADER),
}


def _load_approvals(agency: Agency, cases: QuerySet[Case], today: dt.date) -> None:
    """The policy (in force from 30 days ago: earlier answers keep the default), and two drafts on
    the leader's desk: a 不予公开 at 法制审核, a 部分公开 returned once and now at 签发 — both on
    cases whose due date is near or past, so the desk warns that 签批 is what makes them late."""
    officer = User.objects.get(username="gy_officer")
    leader = User.objects.get(username="gy_leader")
    since = today - dt.timedelta(days=30)
    for subject, rule in DEMO_POLICY.items():
        ChainRuleSetting.objects.create(
            agency=agency,
            subject=subject.value,
            review=rule.review,
            legal=rule.legal,
            signer=rule.signer.value,
            effective_from=since,
        )
    withheld = _case(cases, "王秀兰")  # 执法记录: 行政执法案卷 (条例 art 16 ¶2), at 法制审核
    if withheld is not None and withheld.closed_on is None:
        draft = create_draft(
            actor=officer,
            case=withheld,
            kind=LetterType.ANSWER_WITHHELD_ENFORCEMENT_FILE,
            facts=LetterFacts(reasons="所申请的执法记录和处理决定系本机关在占道经营整治执法过程中形成的案卷材料"),
            today=today,
            comment="拟不予公开，请审核",
        )
        act(actor=leader, draft=draft, event=DraftEvent.APPROVE, today=today, comment="事实清楚，同意，报法制审核")
    partial = _case(cases, "刘志强")  # 实施方案公开, 个人信息部分不公开 (art 15): returned once, at 签发
    if partial is not None and partial.closed_on is None:
        facts = LetterFacts(
            reasons="资金使用情况中涉及居民个人的补贴明细属于个人隐私。",
            access_method="随本答复书提供实施方案及资金使用汇总表复印件。",
            withheld_part="资金使用情况中居民个人补贴明细",
            withheld_ground=WithheldGround.ART15,
        )
        draft = create_draft(
            actor=officer, case=partial, kind=LetterType.ANSWER_PARTIAL, facts=facts, today=today, comment="拟部分公开"
        )
        draft = act(
            actor=leader,
            draft=draft,
            event=DraftEvent.RETURN,
            today=today,
            comment="请写明不予公开部分涉及的第三方，并说明已考虑第十五条但书（不公开可能对公共利益造成重大影响的除外）。",
        )
        fuller = replace(
            facts,
            reasons="资金使用情况中涉及87户居民个人的补贴明细属于个人隐私，经审查不公开不会对公共利益造成重大影响。",
        )
        draft = update_draft(actor=officer, draft=draft, facts=fuller, today=today, version=draft.version)
        draft = act(actor=officer, draft=draft, event=DraftEvent.SUBMIT, today=today, comment="已按意见修改")
        draft = act(actor=leader, draft=draft, event=DraftEvent.APPROVE, today=today, comment="同意")
        act(
            actor=leader,
            draft=draft,
            event=DraftEvent.APPROVE,
            today=today,
            comment="经法制审核，符合条例第十五条、第三十七条",
        )


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
