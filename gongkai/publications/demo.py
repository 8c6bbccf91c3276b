"""Demo 主动公开 data of 北京市密云区果园街道办事处 (idempotent), made through the services.

Matches the agency's published 2023 annual report (shared/samples/miyun-guoyuan-2023.txt):

- 325 items published in 2023, each reviewed (保密审查) by someone other than its author;
- table 二: 规章 0/0/0; 行政规范性文件 0 issued, 0 abolished, 4 in force (all issued earlier);
  行政许可 0, 行政处罚 2015, 行政强制 0, 行政事业性收费 0 万元.

Plus, relative to ``today``: items of the current year in every workflow state (one 涉密, one
withdrawn), and two similar answered applications from different applicants, which the
依申请转主动 page (条例 art 44) suggests publishing. Every body ends with "（演示数据）".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.cases.demo import fill_contacts
from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.publications import services
from gongkai.publications.models import Article20Figures, Category, Guide, Item, RegisterDocument, RegisterKind, Topic

AGENCY_CODE = "BJ-MY-GY"
MARKER = "（演示数据）"
ORIGIN = "演示数据"
YEAR = 2023
ITEMS_IN_YEAR = 325
TZ = ZoneInfo("Asia/Shanghai")

COMMUNITIES = ("果园西里社区", "果园新里社区", "上河湾社区", "南菜园社区", "檀州家园社区", "洪福苑社区")
MONTHS = range(1, 13)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10, 0), tzinfo=TZ)


@dataclass(frozen=True)
class Spec:
    leaf: str  # catalogue node
    title: str
    topic: Topic
    document_number: str
    day: dt.date  # roughly when it was published


def _in_month(rng: random.Random, month: int) -> dt.date:
    return dt.date(YEAR, month, rng.randint(1, 28))


def _any_day(rng: random.Random, first: int = 1, last: int = 12) -> dt.date:
    return _in_month(rng, rng.randint(first, last))


OTHER_SUBJECTS = (
    "关于成立{y}年防汛工作领导小组的通知",
    "关于调整安全生产委员会组成人员的通知",
    "关于印发《突发事件总体应急预案》的通知",
    "关于印发《{y}年平安建设工作要点》的通知",
    "关于印发《{y}年网格化管理工作考核办法》的通知",
    "关于印发《{y}年爱国卫生运动工作方案》的通知",
    "关于印发《{y}年拥军优属工作方案》的通知",
    "关于印发《{y}年全民健身工作方案》的通知",
    "关于印发《{y}年禁毒工作实施方案》的通知",
    "关于印发《{y}年社区治理工作要点》的通知",
    "关于印发《{y}年接诉即办工作方案》的通知",
    "关于印发《{y}年冬季清雪铲冰工作预案》的通知",
    "关于印发《{y}年消防安全专项整治方案》的通知",
    "关于做好{y}年元旦春节期间安全稳定工作的通知",
    "关于做好{y}年“五一”期间安全稳定工作的通知",
    "关于做好{y}年国庆期间安全稳定工作的通知",
    "关于开展{y}年度安全生产大检查的通知",
    "关于开展{y}年度食品安全专项检查的通知",
    "关于开展{y}年度群租房专项整治的通知",
    "关于开展{y}年度违法建设专项治理的通知",
)
NOTICE_SUBJECTS = (
    ("关于开展冬季供暖安全检查的通知", Topic.URBAN_ENVIRONMENT),
    ("关于做好汛期安全防范工作的通知", Topic.MARKET_SAFETY),
    ("关于开展城乡居民基本医疗保险集中参保缴费的通知", Topic.HEALTH_SPORT),
    ("关于开展垃圾分类宣传周活动的通知", Topic.URBAN_ENVIRONMENT),
    ("关于开展燃气安全入户检查的通知", Topic.MARKET_SAFETY),
    ("关于老旧小区综合整治意见征集的公告", Topic.URBAN_ENVIRONMENT),
    ("关于开展退役军人信息采集工作的通知", Topic.CIVIL_AFFAIRS),
    ("关于开展电动自行车安全隐患排查的通知", Topic.MARKET_SAFETY),
    ("关于征集“我为群众办实事”项目的通知", Topic.GENERAL),
    ("关于开展防范电信网络诈骗宣传活动的通知", Topic.PUBLIC_SECURITY_JUSTICE),
    ("关于烟花爆竹安全管理的通告", Topic.PUBLIC_SECURITY_JUSTICE),
    ("关于文明祭扫的倡议", Topic.CIVIL_AFFAIRS),
    ("关于开展高龄老人津贴资格认证的通知", Topic.CIVIL_AFFAIRS),
    ("关于开展国家安全教育日宣传活动的通知", Topic.PUBLIC_SECURITY_JUSTICE),
    ("关于举办消夏纳凉文艺晚会的通知", Topic.CULTURE_MEDIA),
    ("关于开展居民免费健康体检的通知", Topic.HEALTH_SPORT),
    ("关于清理楼道堆物的通知", Topic.URBAN_ENVIRONMENT),
    ("关于开展秋冬季防火宣传的通知", Topic.MARKET_SAFETY),
    ("关于临时停水的温馨提示", Topic.URBAN_ENVIRONMENT),
    ("关于开展重阳节敬老活动的通知", Topic.CIVIL_AFFAIRS),
    ("关于开展停车秩序治理的通告", Topic.URBAN_ENVIRONMENT),
    ("关于开展居民议事会的通知", Topic.GENERAL),
)


def _items_2023(rng: random.Random) -> list[Spec]:
    """The 325 items of 2023: the agency's usual catalogue over a year, in date order."""
    y = YEAR
    specs = [
        Spec("领导信息", f"果园街道领导班子成员及分工（{y}年1月更新）", Topic.GENERAL, "", dt.date(y, 1, 10)),
        Spec("领导信息", f"果园街道领导班子成员及分工（{y}年7月更新）", Topic.GENERAL, "", dt.date(y, 7, 12)),
        Spec("内设机构", "果园街道内设机构及联系电话", Topic.GENERAL, "", dt.date(y, 1, 12)),
        Spec("内设机构", f"果园街道内设机构及联系电话（{y}年9月调整）", Topic.GENERAL, "", dt.date(y, 9, 6)),
        Spec("机构设置", "北京市密云区果园街道办事处主要职责", Topic.GENERAL, "", dt.date(y, 1, 12)),
        Spec("机构设置", "果园街道政务服务中心办公地址及办公时间", Topic.GENERAL, "", dt.date(y, 2, 3)),
        Spec("预算", f"北京市密云区果园街道办事处{y}年部门预算", Topic.FINANCE, "", dt.date(y, 2, 10)),
        Spec("预算", f"北京市密云区果园街道办事处{y}年部门预算公开说明", Topic.FINANCE, "", dt.date(y, 2, 10)),
        Spec("预算", f"果园街道{y}年“三公”经费预算情况说明", Topic.FINANCE, "", dt.date(y, 2, 10)),
        Spec("决算", f"北京市密云区果园街道办事处{y - 1}年部门决算", Topic.FINANCE, "", dt.date(y, 8, 25)),
        Spec("决算", f"北京市密云区果园街道办事处{y - 1}年部门决算公开说明", Topic.FINANCE, "", dt.date(y, 8, 25)),
        Spec("决算", f"果园街道{y - 1}年“三公”经费决算情况说明", Topic.FINANCE, "", dt.date(y, 8, 25)),
        Spec("规划计划", f"果园街道{y}年工作要点", Topic.GENERAL, f"果政发〔{y}〕2号", dt.date(y, 2, 20)),
        Spec("规划计划", f"果园街道{y}年政务公开工作要点", Topic.GENERAL, f"果政发〔{y}〕5号", dt.date(y, 3, 15)),
        Spec("规划计划", f"果园街道{y}年安全生产工作计划", Topic.MARKET_SAFETY, f"果政发〔{y}〕7号", dt.date(y, 3, 20)),
        Spec(
            "规划计划",
            f"果园街道{y}年垃圾分类工作实施方案",
            Topic.URBAN_ENVIRONMENT,
            f"果政发〔{y}〕9号",
            dt.date(y, 4, 6),
        ),
        Spec(
            "规划计划",
            f"果园街道{y}年背街小巷环境精细化整治提升工作方案",
            Topic.URBAN_ENVIRONMENT,
            f"果政发〔{y}〕11号",
            dt.date(y, 4, 20),
        ),
        Spec("规划计划", f"果园街道{y}年上半年工作总结", Topic.GENERAL, "", dt.date(y, 7, 20)),
        Spec(
            "规划计划",
            f"果园街道{y - 1}年法治政府建设年度情况报告",
            Topic.PUBLIC_SECURITY_JUSTICE,
            "",
            dt.date(y, 3, 28),
        ),
        Spec("人事信息", f"果园街道{y}年公开招聘社区工作者公告", Topic.LABOUR_PERSONNEL, "", dt.date(y, 5, 8)),
        Spec(
            "人事信息",
            f"果园街道{y}年公开招聘社区工作者资格审查结果公示",
            Topic.LABOUR_PERSONNEL,
            "",
            dt.date(y, 5, 29),
        ),
        Spec("人事信息", f"果园街道{y}年公开招聘社区工作者笔试成绩公示", Topic.LABOUR_PERSONNEL, "", dt.date(y, 6, 19)),
        Spec(
            "人事信息", f"果园街道{y}年公开招聘社区工作者拟聘用人员公示", Topic.LABOUR_PERSONNEL, "", dt.date(y, 7, 14)
        ),
        Spec("公共服务", "果园街道便民服务事项清单", Topic.CIVIL_AFFAIRS, "", dt.date(y, 1, 16)),
        Spec("公共服务", "老年人优待证办理指南", Topic.CIVIL_AFFAIRS, "", dt.date(y, 1, 16)),
        Spec("公共服务", "残疾人两项补贴申领指南", Topic.CIVIL_AFFAIRS, "", dt.date(y, 1, 17)),
        Spec("公共服务", "城乡居民基本医疗保险参保登记办事指南", Topic.HEALTH_SPORT, "", dt.date(y, 1, 17)),
        Spec("公共服务", "最低生活保障申请办事指南", Topic.CIVIL_AFFAIRS, "", dt.date(y, 1, 18)),
        Spec("公共服务", "临时救助申请办事指南", Topic.CIVIL_AFFAIRS, "", dt.date(y, 1, 18)),
        Spec("公共服务", "居住证申领办事指南", Topic.PUBLIC_SECURITY_JUSTICE, "", dt.date(y, 1, 19)),
        Spec("公共服务", "独生子女父母奖励费申领指南", Topic.POPULATION_FAMILY, "", dt.date(y, 1, 19)),
    ]
    for n in range(8):
        specs.append(
            Spec("建议提案办理", f"对区人大代表第{20 + 17 * n}号建议的答复", Topic.GENERAL, "", _any_day(rng, 6, 9))
        )
        specs.append(
            Spec("建议提案办理", f"对区政协委员第{31 + 23 * n}号提案的答复", Topic.GENERAL, "", _any_day(rng, 6, 9))
        )
    # 行政处罚决定公示, one a week (2015 decisions in the year: table 二).
    specs.extend(
        Spec(
            "行政处罚",
            f"果园街道城市管理综合行政执法行政处罚决定公示（{y}年第{week}期）",
            Topic.URBAN_ENVIRONMENT,
            "",
            dt.date(y, 1, 6) + dt.timedelta(weeks=week - 1),
        )
        for week in range(1, 53)
    )
    for month in MONTHS:
        specs.append(
            Spec(
                "公共服务",
                f"果园街道{month}月便民服务活动安排",
                Topic.CIVIL_AFFAIRS,
                "",
                dt.date(y, month, rng.randint(1, 5)),
            )
        )
        specs.append(
            Spec(
                "规划计划",
                f"果园街道{y}年{month}月重点工作安排",
                Topic.GENERAL,
                "",
                dt.date(y, month, rng.randint(1, 6)),
            )
        )
        specs.append(
            Spec(
                "其他文件",
                f"果园街道{y}年{month}月接诉即办工作情况通报",
                Topic.GENERAL,
                "",
                dt.date(y, month, 1) + dt.timedelta(days=rng.randint(24, 27)),
            )
        )
    for n, subject in enumerate(OTHER_SUBJECTS):
        specs.append(
            Spec(
                "其他文件",
                f"北京市密云区果园街道办事处{subject.format(y=y)}",
                Topic.GENERAL,
                f"果政发〔{y}〕{13 + n}号",
                _any_day(rng),
            )
        )
    notices = []
    for month in MONTHS:
        for community in COMMUNITIES:
            for subject, topic in rng.sample(NOTICE_SUBJECTS, 3):
                notices.append(
                    Spec("通知公告", f"{community}{subject}（{y}年{month}月）", topic, "", _in_month(rng, month))
                )
    rng.shuffle(notices)
    specs.extend(notices[: ITEMS_IN_YEAR - len(specs)])
    return sorted(specs, key=lambda s: s.day)


def _body(title: str, community_hint: str = "") -> str:
    return (
        f"<p>{title}。</p>"
        "<p>根据《中华人民共和国政府信息公开条例》，现予以公开。如有疑问，请在工作日与果园街道党政办公室联系。</p>"
        f"<p>{community_hint}{MARKER}</p>"
    )


def _publish(item: Item, reviewer: User, publisher: User, formed: dt.date, published: dt.date) -> None:
    services.submit_for_review(actor=item.author, item=item, now=_at(formed))
    services.record_secrecy_review(
        actor=reviewer,
        item=item,
        result=SecrecyVerdict.NOT_CLASSIFIED,
        notes="经审查，不涉及国家秘密",
        now=_at(published),
    )
    services.publish(actor=publisher, item=item, today=published, now=_at(published))


def _draft(
    agency: Agency,
    author: User,
    leaf: Category,
    title: str,
    formed: dt.date,
    topic: Topic = Topic.GENERAL,
    document_number: str = "",
) -> Item:
    return services.create_draft(
        actor=author,
        agency=agency,
        category=leaf,
        title=title,
        formed_on=formed,
        body=_body(title),
        topic=topic,
        document_number=document_number,
        origin_note=ORIGIN,
        now=_at(formed),
    )


def _working_days_later(day: dt.date, n: int) -> dt.date:
    from gongkai.publications.timeliness import working_calendar

    return working_calendar().nth_working_day_after(day, n)


@transaction.atomic
def _load_year(agency: Agency, by_name: dict[str, Category], users: dict[str, User], rng: random.Random) -> int:
    from gongkai.publications.timeliness import working_calendar

    calendar = working_calendar()
    clerk, officer, leader = users["gy_clerk"], users["gy_officer"], users["gy_leader"]
    specs = _items_2023(rng)
    late = set(rng.sample(range(len(specs)), 3))  # a few published after the 20 working days of art 26
    for index, spec in enumerate(specs):
        published = spec.day
        while not calendar.is_working_day(published):
            published += dt.timedelta(days=1 if published.month < 12 or published.day < 25 else -1)
        delay = rng.randint(22, 26) if index in late else rng.randint(1, 6)
        formed = published
        for _ in range(delay):
            formed -= dt.timedelta(days=1)
            while not calendar.is_working_day(formed) and formed.year == YEAR:
                formed -= dt.timedelta(days=1)
        formed = max(formed, dt.date(YEAR, 1, 3))
        author, reviewer = (clerk, officer) if index % 3 else (officer, leader)
        item = _draft(agency, author, by_name[spec.leaf], spec.title, formed, spec.topic, spec.document_number)
        _publish(item, reviewer, officer, formed, published)
    return len(specs)


#: The 4 行政规范性文件 in force in 2023 (issued earlier, none abolished by the end of 2023), and
#: one abolished in 2021 (so it is neither in force nor abolished in 2023).
NORMATIVE: tuple[tuple[str, str, dt.date, dt.date | None], ...] = (
    (
        "北京市密云区果园街道办事处关于印发《果园街道社区公益金使用管理办法》的通知",
        "果政规〔2019〕1号",
        dt.date(2019, 4, 12),
        None,
    ),
    (
        "北京市密云区果园街道办事处关于印发《果园街道临时救助实施细则》的通知",
        "果政规〔2020〕1号",
        dt.date(2020, 6, 8),
        None,
    ),
    (
        "北京市密云区果园街道办事处关于印发《果园街道物业管理工作考核办法》的通知",
        "果政规〔2021〕1号",
        dt.date(2021, 3, 22),
        None,
    ),
    (
        "北京市密云区果园街道办事处关于印发《果园街道网格化服务管理办法》的通知",
        "果政规〔2022〕1号",
        dt.date(2022, 9, 15),
        None,
    ),
    (
        "北京市密云区果园街道办事处关于印发《果园街道门前三包责任制管理办法》的通知",
        "果政规〔2018〕1号",
        dt.date(2018, 5, 10),
        dt.date(2021, 3, 22),
    ),
)


@transaction.atomic
def _load_register(agency: Agency, by_name: dict[str, Category], users: dict[str, User]) -> None:
    officer, clerk, leader = users["gy_officer"], users["gy_clerk"], users["gy_leader"]
    for title, number, issued, abolished in NORMATIVE:
        item = _draft(agency, clerk, by_name["行政规范性文件"], title, issued, Topic.GENERAL, number)
        _publish(item, leader, officer, issued, _working_days_later(issued, 3))
        doc = services.register_document(
            actor=officer,
            agency=agency,
            kind=RegisterKind.NORMATIVE_DOCUMENT,
            title=title,
            document_number=number,
            issued_on=issued,
            item=item,
        )
        if abolished is not None:
            services.abolish_document(
                actor=officer, document=doc, abolished_on=abolished, note="被果政规〔2021〕1号替代"
            )


@transaction.atomic
def _load_current(agency: Agency, by_name: dict[str, Category], users: dict[str, User], today: dt.date) -> None:
    """This year's items in every state, relative to ``today``."""
    clerk, officer, leader = users["gy_clerk"], users["gy_officer"], users["gy_leader"]
    y = today.year
    published = [
        ("预算", f"北京市密云区果园街道办事处{y}年部门预算", Topic.FINANCE),
        ("决算", f"北京市密云区果园街道办事处{y - 1}年部门决算", Topic.FINANCE),
        ("领导信息", f"果园街道领导班子成员及分工（{y}年更新）", Topic.GENERAL),
        ("规划计划", f"果园街道{y}年政务公开工作要点", Topic.GENERAL),
        ("通知公告", f"上河湾社区关于开展{y}年冬季供暖安全检查的通知", Topic.URBAN_ENVIRONMENT),
        ("通知公告", "果园西里社区关于开展燃气安全入户检查的通知", Topic.MARKET_SAFETY),
        ("行政处罚", f"果园街道城市管理综合行政执法行政处罚决定公示（{y}年第1期）", Topic.URBAN_ENVIRONMENT),
        ("公共服务", "老年人优待证办理指南（更新）", Topic.CIVIL_AFFAIRS),
        ("人事信息", f"果园街道{y}年公开招聘社区工作者公告", Topic.LABOUR_PERSONNEL),
        ("公共服务", "残疾人两项补贴申领指南（更新）", Topic.CIVIL_AFFAIRS),
    ]
    for n, (leaf, title, topic) in enumerate(published):
        day = max(dt.date(y, 1, 5), today - dt.timedelta(days=12 + 21 * n))
        formed = max(dt.date(y, 1, 2), day - dt.timedelta(days=4))
        item = _draft(agency, clerk, by_name[leaf], title, formed, topic)
        _publish(item, officer, officer, formed, day)
    recent = today - dt.timedelta(days=3)
    withdrawn = _draft(agency, clerk, by_name["通知公告"], "南菜园社区关于临时停水的通知", recent)
    _publish(withdrawn, officer, officer, recent, recent)
    services.withdraw(actor=officer, item=withdrawn, reason="停水时间调整，已另行发布", today=today, now=_at(today))
    _draft(agency, clerk, by_name["通知公告"], "檀州家园社区关于开展消防演练的通知", today)
    pending = _draft(agency, clerk, by_name["规划计划"], f"果园街道{y + 1}年工作计划（征求意见稿）", today)
    services.submit_for_review(actor=clerk, item=pending, now=_at(today))
    cleared = _draft(agency, clerk, by_name["通知公告"], "果园新里社区关于开展冬季防火宣传的通知", today)
    services.submit_for_review(actor=clerk, item=cleared, now=_at(today))
    services.record_secrecy_review(actor=officer, item=cleared, result=SecrecyVerdict.NOT_CLASSIFIED, now=_at(today))
    secret = _draft(agency, officer, by_name["其他文件"], "果园街道重点时期维稳工作部署", today)
    services.submit_for_review(actor=officer, item=secret, now=_at(today))
    services.record_secrecy_review(
        actor=leader,
        item=secret,
        result=SecrecyVerdict.CLASSIFIED,
        now=_at(today),
        notes="含有重点时期安保部署，属于工作秘密，不得公开",
    )


def _load_applications(agency: Agency, users: dict[str, User], today: dt.date) -> None:
    """Two answered applications for the same information from different applicants (条例 art 44)."""
    from gongkai.cases import services as cases
    from gongkai.cases.applicants import Applicant
    from gongkai.cases.models import Case
    from gongkai.core.outcomes import Outcome
    from gongkai.core.report.taxonomy import ApplicantType

    if Case.objects.filter(
        agency=agency, request_description__endswith=MARKER, request_description__contains="老旧小区综合整治"
    ).exists():
        return
    officer = users["gy_officer"]
    requests = [
        ("刘建华", "13910001234", f"申请公开果园街道老旧小区综合整治项目的实施方案及资金安排情况。{MARKER}"),
        ("陈静", "13600005678", f"请提供本街道老旧小区综合整治项目实施方案以及项目资金安排。{MARKER}"),
    ]
    for n, (name, phone, text) in enumerate(requests):
        submitted = today - dt.timedelta(days=40 - 7 * n)
        with transaction.atomic():
            case = cases.submit_online_application(
                agency=agency,
                applicant=Applicant(
                    applicant_type=ApplicantType.NATURAL_PERSON,
                    applicant_name=name,
                    phone=phone,
                    email=f"demo{n}@example.cn",
                ),
                request_description=text,
                submitted_at=_at(submitted),
                client_ip="192.0.2.10",
            )
            case = cases.confirm_online_application(actor=officer, case=case, today=submitted)
            case = cases.start_processing(actor=officer, case=case, today=submitted)
            cases.close_case(
                actor=officer,
                case=case,
                outcome=Outcome.GRANTED,
                today=submitted + dt.timedelta(days=10),
                note="已通过电子邮件提供实施方案和资金安排表。",
            )


def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    agency = Agency.objects.filter(code=AGENCY_CODE).first()
    if agency is None:
        return
    users = {u.username: u for u in User.objects.filter(username__in=["gy_clerk", "gy_officer", "gy_leader"])}
    if len(users) < 3:
        return
    services.seed_catalogue(actor=users["gy_officer"], agency=agency)
    by_name = {c.name: c for c in Category.objects.filter(agency=agency)}
    if not Guide.objects.filter(agency=agency).exists():
        from gongkai.publications.guide import default_guide

        fill_contacts()  # the 指南 states the 工作机构's address and phone (条例 art 12 ¶2)
        agency.refresh_from_db()

        services.update_guide(actor=users["gy_officer"], agency=agency, body=default_guide(agency))
    if not RegisterDocument.objects.filter(agency=agency).exists():
        _load_register(agency, by_name, users)
    if not Item.objects.filter(agency=agency, origin_note=ORIGIN).published_in(YEAR).exists():
        n = _load_year(agency, by_name, users, random.Random(YEAR))  # noqa: S311 - reproducible demo data
        log(f"主动公开：{agency.short_name} {YEAR}年 {n} 条")
    if not Article20Figures.objects.filter(agency=agency, year=YEAR).exists():
        services.set_article20_figures(
            actor=users["gy_officer"],
            agency=agency,
            values=services.Article20Input(YEAR, 0, 2015, 0, Decimal("0")),
            source_note=f"区城市管理综合行政执法平台统计{MARKER}",
        )
    if (
        today.year > YEAR
        and not Item.objects.filter(agency=agency, origin_note=ORIGIN, formed_on__year=today.year).exists()
    ):
        _load_current(agency, by_name, users, today)
    if today.year > YEAR:
        _load_applications(agency, users, today)
