"""The sample's story as records: 果园街道's 2023, from which its annual report is computed.

``/work/shared/samples/miyun-guoyuan-2023.txt`` (published 2024-01-06) reports, for 2023: 29
applications, all from 自然人 (11 through the web page, the rest by letter and in person), none
carried over from 2022 and none open at the end of the year; 12 予以公开, 4 部分公开, 1 行政查询事项,
9 不掌握, 1 逾期不补正, 2 逾期未缴费 (the two fee notices of 38,280 元, none paid); two 行政复议, one
维持 and one 纠正; 325 items published, 4 行政规范性文件 in force, 2,015 行政处罚 decisions. This
module registers those cases through ``cases.services`` day by day, fills whatever table 二 figure
the publications demo has not, and starts the 2023 report with the sample's narrative: the tables
are computed, never typed in (``gongkai report --agency 北京市密云区果园街道办事处 --year 2023``).
Idempotent: nothing is added twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cases import services as cases
from gongkai.cases.applicants import Applicant
from gongkai.cases.models import Case
from gongkai.core.deadlines import Channel
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult
from gongkai.publications import services as publications
from gongkai.publications.models import Article20Figures, Category, RegisterKind
from gongkai.publications.selectors import published_items_count, register_counts
from gongkai.reports import services as reports
from gongkai.reports import work_demo
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import PREAMBLE_TEXT

AGENCY_CODE = "BJ-MY-GY"
YEAR = 2023
MARKER = "（年度报告演示）"
SUPERVISING_BODY = "北京市密云区人民政府"

#: Table 二 of the sample.
PUBLISHED_ITEMS = 325
NORMATIVE_IN_FORCE = 4
PUNISHMENT_DECISIONS = 2015


@dataclass(frozen=True)
class Application:
    """One 2023 application: how and when it came in, how and when it ended."""

    received: dt.date
    channel: Channel
    outcome: Outcome
    closed: dt.date
    request: str
    pages: int = 0  # a 收费通知 by volume for this many pages (逾期未缴费)


def _d(month: int, day: int) -> dt.date:
    return dt.date(YEAR, month, day)


_I, _P, _S = Channel.INTERNET, Channel.POST_SIGNED, Channel.IN_PERSON
_O = Outcome

#: The 29 applications of 2023 (11 internet, 10 by letter, 8 in person), all closed in the year.
APPLICATIONS: tuple[Application, ...] = (
    Application(_d(1, 9), _I, _O.GRANTED, _d(1, 30), "果园街道2022年财政决算"),
    Application(_d(1, 16), _P, _O.UNAVAILABLE_NOT_HELD, _d(2, 8), "某小区1998年规划审批文件"),
    Application(_d(2, 6), _S, _O.GRANTED, _d(2, 20), "果园街道领导班子分工"),
    Application(_d(2, 13), _I, _O.PARTIAL, _d(3, 8), "果园西里小区加装电梯的审批材料"),
    Application(_d(2, 20), _P, _O.OTHER_FEE_UNPAID, _d(4, 12), "果园街道2015年至2022年全部执法文书", pages=1000),
    Application(_d(3, 1), _I, _O.GRANTED, _d(3, 22), "果园街道2023年部门预算"),
    Application(_d(3, 6), _S, _O.UNAVAILABLE_NOT_HELD, _d(3, 24), "某企业的工商登记信息"),
    Application(_d(3, 13), _P, _O.WITHHELD_ADMINISTRATIVE_QUERY, _d(4, 3), "某房屋的不动产登记资料"),
    Application(_d(3, 20), _I, _O.GRANTED, _d(4, 10), "果园街道办事处内设机构及联系电话"),
    Application(_d(4, 3), _P, _O.OTHER_NO_CORRECTION, _d(5, 22), "关于我家的那件事"),
    Application(_d(4, 10), _S, _O.GRANTED, _d(4, 24), "果园街道老旧小区综合整治项目清单"),
    Application(_d(4, 17), _I, _O.UNAVAILABLE_NOT_HELD, _d(5, 12), "密云区全区拆迁补偿标准"),
    Application(_d(5, 8), _P, _O.GRANTED, _d(5, 29), "果园街道2023年民生实事项目"),
    Application(_d(5, 15), _I, _O.PARTIAL, _d(6, 5), "果园街道垃圾分类设施建设合同"),
    Application(_d(5, 22), _S, _O.UNAVAILABLE_NOT_HELD, _d(6, 9), "某村2000年土地承包合同"),
    Application(_d(6, 5), _P, _O.OTHER_FEE_UNPAID, _d(7, 26), "果园街道近五年全部会议纪要", pages=222),
    Application(_d(6, 12), _I, _O.GRANTED, _d(7, 3), "果园街道防汛应急预案"),
    Application(_d(6, 19), _S, _O.GRANTED, _d(7, 3), "果园街道2022年政府信息公开工作年度报告"),
    Application(_d(7, 3), _P, _O.UNAVAILABLE_NOT_HELD, _d(7, 24), "某医院的医疗收费明细"),
    Application(_d(7, 10), _I, _O.GRANTED, _d(7, 31), "果园街道社区卫生服务站设置情况"),
    Application(_d(7, 17), _S, _O.PARTIAL, _d(8, 7), "果园东里小区停车管理方案及收费依据"),
    Application(_d(8, 7), _P, _O.UNAVAILABLE_NOT_HELD, _d(8, 28), "北京市某委员会的内部文件"),
    Application(_d(8, 14), _I, _O.GRANTED, _d(9, 4), "果园街道2023年上半年预算执行情况"),
    Application(_d(8, 21), _S, _O.UNAVAILABLE_NOT_HELD, _d(9, 11), "某小区业委会的选举材料"),
    Application(_d(9, 4), _P, _O.GRANTED, _d(9, 25), "果园街道养老驿站运营补贴发放情况"),
    Application(_d(9, 11), _I, _O.UNAVAILABLE_NOT_HELD, _d(10, 9), "某企业的纳税信息"),
    Application(_d(10, 9), _S, _O.PARTIAL, _d(10, 30), "果园街道违法建设拆除决定书"),
    Application(_d(10, 16), _P, _O.UNAVAILABLE_NOT_HELD, _d(11, 6), "1990年代某厂职工安置文件"),
    Application(_d(11, 6), _I, _O.GRANTED, _d(11, 27), "果园街道冬季供暖保障工作方案"),
)

#: The two 行政复议 of 2023: about the 部分公开 of 2-13 (维持) and a 不掌握 answer of 4-17 (纠正).
REVIEWS: tuple[tuple[int, dt.date, ReviewResult, dt.date], ...] = (
    (3, _d(3, 20), ReviewResult.UPHELD, _d(5, 19)),
    (11, _d(5, 22), ReviewResult.CORRECTED, _d(7, 20)),
)

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明")

OVERVIEW_2023 = """（一）政府信息公开工作组织机构建设情况
果园街道高度重视政府信息公开工作，持续规范政府信息依申请公开，优化网站建设管理。积极认真开展政府信息公开工作，指定专人协调各科室按照全清单内容提供工作信息，并负责信息上传，确保政府信息公开及时高效。
（二）主动公开情况
按照《政府信息公开条例》规定，通过政府网站依法依规及时公开政府信息，本年度主动公开信息325条，及时更新领导班子分工、内设机构电话、财政预决算等信息。
（三）依申请公开情况
按时按规办理政府信息公开申请，确保网页、信函、当面受理渠道畅通，做到查收不遗漏、咨询有解答。2023年新收政府信息公开申请数量29件，上年结转政府信息公开申请数量0件，结转下年度继续办理政府信息公开申请数量0件，本年政府信息公开申请办结数29件。其中，收到11份网页依申请，已在法定时限内给予答复。
（四）政府信息管理情况
按照《密云区2023年政务公开工作要点》，高度重视政府信息公开平台建设情况，及时对政务公开全清单、指南、网上栏目和信息等进行完善、更新，切实推进街道信息公开工作。根据保密要求，对拟公开的各类信息进行保密审查，做到“上网信息不涉密、涉密信息不上网”。
（五）政府信息公开平台建设情况
根据《政府信息公开条例》要求，果园街道着眼于建立政府信息公开长效机制，持续加强组织领导，完善工作机制，充分发挥政府网站第一平台作用。配备政府信息公开工作人员1名，明确工作职责，持续推进政府信息公开提效增质。
（六）教育培训情况
积极提升信息公开工作水平，主管领导和科室工作人员积极参加相关学习培训，创新政府信息公开理念、方法、渠道。定期召开政府信息公开工作培训会，对各科室信息员严格要求，按时上报材料，重点围绕贯彻落实《政府信息公开条例》要求进行培训，全面提升街道信息公开工作规范化水平。
（七）监督保障情况
加强信息公开督导工作，持续加大对政府信息公开工作指导和监督力度。不定期开展信息公开自查，监督各科室各部门严格落实相关工作要求，确保信息公开工作有效推进。建立健全考核监督、社会评议和责任追究制度，规范落实法定义务，本年度无相关责任追究。"""

PROBLEMS_2023 = """（一）主要问题
一是公开工作落实力度有待加强。部分责任科室对政府信息公开工作重要性有待提高认识，群众关心关注的信息公开不及时、不全面，主动公开信息内容需要深化。二是队伍能力有所不足。政府信息公开的具体工作由办公室人员兼职，公开人员队伍整体的专业化、理论化水平不高。
（二）改进情况
一是拓宽信息公开渠道。按照“公开为常态，不公开为例外”的原则，探索与群众相适应的公开渠道。充分利用政府官网、社区公开栏、微信群等群众易用能懂的方式，努力消除信息不对称，不断扩大政务信息公开的受众面。二是加强队伍建设。持续加强政务公开和政府信息公开业务培训，增强主动公开意识，进一步提升业务人员工作水平，提高政务信息公开工作的及时性、针对性。三是强化监督检查。定期开展政府对外联系电话自查，加强对对外联系电话的日常监督管理和应急处置，加强对各类咨询电话的接听和解答，不断畅通电话渠道、提升服务水平。"""

OTHER_2023 = "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知2件，总金额38280元，实际收取的总金额0元。"

NARRATIVE_2023: dict[str, str] = {
    "preamble": PREAMBLE_TEXT,
    "overview": OVERVIEW_2023,
    "problems": PROBLEMS_2023,
    "other": OTHER_2023,
}


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return
    if today.year <= YEAR:
        log(f"年度报告演示数据需要{YEAR}年已经结束，跳过")
        return
    with transaction.atomic():
        added = _cases(agency)
        filled = _table2(agency)
        started = _report(agency, today)
        recorded = work_demo.load(agency, today)
    done = [
        part
        for part, did in (
            ("2023年办件和复议记录", added),
            ("表二数据", filled),
            ("2023年度报告（2024年1月6日签发、发布）", started),
            ("工作记录（培训、自查、联系电话和指南检查、工作人员）", recorded),
        )
        if did
    ]
    log(f"已载入年度报告演示数据（果园街道）：{'、'.join(done)}" if done else "年度报告演示数据已存在，跳过")


def _name(n: int) -> str:
    return _SURNAMES[n % len(_SURNAMES)] + _GIVEN[(n * 7) % len(_GIVEN)] + ("" if n < 15 else _GIVEN[n % 4])


def _cases(agency: Agency) -> bool:
    """The 29 applications and 2 reviews of 2023, through the cases services, day by day."""
    if Case.objects.filter(agency=agency, request_description__endswith=MARKER).exists():
        return False
    officer = User.objects.get(username="gy_officer")
    registered: list[Case] = []
    for n, app in enumerate(APPLICATIONS):
        received = app.received
        extra: dict[str, object] = {}
        if app.channel is Channel.INTERNET:
            extra["confirmed_on"] = received
        elif app.channel is Channel.POST_SIGNED:
            extra["signed_on"] = received
        case = cases.register_application(
            actor=officer,
            today=received,
            channel=app.channel,
            applicant=Applicant(
                applicant_type=ApplicantType.NATURAL_PERSON,
                applicant_name=_name(n),
                id_number=f"1101281970{n + 1:02d}01{n:04d}"[:18],
                phone=f"1350106{n:04d}",
                address="北京市密云区果园街道",
            ),
            request_description=app.request + MARKER,
            assigned_to=officer,
            **extra,  # type: ignore[arg-type]
        )
        registered.append(_close(officer, case, app))
    for index, filed, result, concluded in REVIEWS:
        review = cases.record_review(
            actor=officer,
            kind=ReviewKind.RECONSIDERATION,
            filed_on=filed,
            body=SUPERVISING_BODY,
            today=filed,
            case=registered[index],
            case_number=f"密政复字〔{YEAR}〕{index + 1}号",
        )
        cases.conclude_review(actor=officer, review=review, result=result, concluded_on=concluded, today=concluded)
    return True


def _close(officer: User, case: Case, app: Application) -> Case:
    """Take one application to its outcome on the dates of :data:`APPLICATIONS`."""
    received = app.received
    if app.outcome is Outcome.OTHER_NO_CORRECTION:
        case = cases.request_correction(
            actor=officer,
            case=case,
            items="请写明所需信息的名称、文号或者特征性描述",
            reply_by=received + dt.timedelta(days=20),
            today=received + dt.timedelta(days=3),
        )
        return cases.lapse_correction(actor=officer, case=case, today=app.closed, note="逾期未补正，视为放弃申请")
    if app.outcome is Outcome.OTHER_FEE_UNPAID:
        case = cases.start_processing(actor=officer, case=case, today=received)
        case = cases.send_fee_notice(
            actor=officer,
            case=case,
            method=FeeMethod.BY_VOLUME,
            pages=app.pages,
            today=received + dt.timedelta(days=10),
        )
        return cases.lapse_fee(actor=officer, case=case, today=app.closed, note="逾期未缴纳信息处理费，视为放弃申请")
    # The answer is signed off by the 负责人 (签批: adverse answers need the leader, letters.approval_policy).
    leader = User.objects.get(username="gy_leader")
    return cases.close_case(actor=leader, case=case, outcome=app.outcome, today=app.closed)


def _table2(agency: Agency) -> bool:
    """Table 二 of the sample, where the publications demo left a figure out (through its services)."""
    filled = False
    officer = User.objects.get(username="gy_officer")
    if Article20Figures.objects.filter(agency=agency, year=YEAR).first() is None:
        publications.set_article20_figures(
            actor=None,
            agency=agency,
            source_note="演示数据（样本报告）",
            values=publications.Article20Input(
                YEAR, licensing=0, punishment=PUNISHMENT_DECISIONS, coercion=0, fees_10k_yuan=Decimal("0")
            ),
        )
        filled = True
    counts = register_counts(agency, YEAR)[RegisterKind.NORMATIVE_DOCUMENT]
    for n in range(counts.in_force, NORMATIVE_IN_FORCE):
        publications.register_document(
            actor=None,
            agency=agency,
            kind=RegisterKind.NORMATIVE_DOCUMENT,
            title=f"果园街道行政规范性文件（演示）第{n + 1}号",
            document_number=f"果政发〔{2019 + n}〕{n + 1}号",
            issued_on=dt.date(2019 + n, 6, 1),
        )
        filled = True
    missing = PUBLISHED_ITEMS - published_items_count(agency, YEAR)
    if missing > 0:
        _publish_items(agency, officer, missing)
        filled = True
    return filled


def _publish_items(agency: Agency, author: User, count: int) -> None:
    """``count`` items published in the year: drafted, reviewed by the leader, published."""
    leader = User.objects.get(username="gy_leader")
    category = Category.objects.filter(agency=agency).order_by("pk").first()
    if category is None:
        category = publications.create_category(actor=None, agency=agency, name="工作动态")
    start = dt.date(YEAR, 1, 3)
    for n in range(count):
        day = start + dt.timedelta(days=(n * 360) // max(count, 1))
        item = publications.create_draft(
            actor=author,
            agency=agency,
            category=category,
            formed_on=day,
            title=f"果园街道工作动态（{day.month}月第{n + 1}期）",
            body=f"<p>果园街道{day.month}月{day.day}日工作动态。</p>",
        )
        publications.submit_for_review(actor=author, item=item)
        publications.record_secrecy_review(actor=leader, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
        publications.publish(actor=author, item=item, today=day)


def _report(agency: Agency, today: dt.date) -> bool:
    """The 2023 report as the sample tells it: drafted with its narrative, signed off by the leader and
    published on 2024-01-06, the date the published report bears (on time for 条例 art 49's 31 January)."""
    if AnnualReportRecord.objects.filter(agency=agency, year=YEAR).exists():
        return False
    officer = User.objects.get(username="gy_officer")
    leader = User.objects.get(username="gy_leader")
    record = reports.start_draft(actor=officer, agency=agency, year=YEAR, today=today)
    record = reports.save_narrative(actor=officer, record=record, sections=NARRATIVE_2023)
    shanghai = ZoneInfo("Asia/Shanghai")
    record = reports.sign_off(actor=leader, record=record, now=dt.datetime(2024, 1, 6, 10, 0, tzinfo=shanghai))
    reports.publish(actor=officer, record=record, now=dt.datetime(2024, 1, 6, 15, 0, tzinfo=shanghai))
    return True
