"""Demo history for the trends pages (called by gongkai.backoffice.demo.load_all).

Four agencies under 密云区政府 (codes ``DEMO-T-…``), each with a published annual report for
each of the five years before ``today``'s: figures that move a little from year to year, except
密云区政务服务管理局's 行政许可 本年处理决定数量, which goes from 550 to 9,487 in the last year
(the jump the trend chart marks), and two 镇 whose last narratives share copied passages (the
雷同 matrix's hot cell). The reports are demo fixtures written directly as published records
with their 签发 snapshot; nothing here is a user's action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.services import create_agency
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import TOTAL_COLUMN, ReportFormat, ReviewKind, Table3Key
from gongkai.reports.models import AnnualReportRecord
from gongkai.reports.narrative import PREAMBLE_TEXT

PARENT_CODE = "BJ-MY"
YEARS = 5
_TZ = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class TrendAgency:
    code: str
    name: str
    short_name: str
    level: AgencyLevel
    base: int  # 本年新收 in the first year
    licensing: tuple[int, ...]  # 行政许可 本年处理决定数量, one per year


AGENCIES: tuple[TrendAgency, ...] = (
    TrendAgency(
        "DEMO-T-ZWFW",
        "北京市密云区政务服务管理局",
        "密云区政务服务局",
        AgencyLevel.DEPARTMENT,
        18,
        (512, 498, 537, 550, 9487),
    ),
    TrendAgency("DEMO-T-SWJ", "北京市密云区水务局", "密云区水务局", AgencyLevel.DEPARTMENT, 9, (64, 71, 58, 66, 73)),
    TrendAgency(
        "DEMO-T-TST", "北京市密云区太师屯镇人民政府", "太师屯镇", AgencyLevel.TOWNSHIP, 12, (35, 31, 38, 36, 40)
    ),
    TrendAgency(
        "DEMO-T-MJY", "北京市密云区穆家峪镇人民政府", "穆家峪镇", AgencyLevel.TOWNSHIP, 7, (22, 27, 25, 24, 29)
    ),
)

#: The paragraphs 穆家峪镇 copied from 太师屯镇 in the last year (names are masked when compared).
_SHARED_OVERVIEW = (
    "{name}坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻落实党中央、国务院关于全面推进政务公开的决策部署，"
    "围绕中心工作，聚焦群众关切，不断提升政务公开质量和实效。"
    "全年通过政府网站、政务新媒体等渠道主动公开各类政府信息，重点做好惠民惠农财政补贴资金、乡村振兴项目等领域信息公开。"
    "严格落实依申请公开办理规范，从受理、登记、审核到答复全流程留痕，确保依法依规按时答复。"
)
_SHARED_PROBLEMS = (
    "政务公开工作仍存在一些不足：一是公开内容的全面性和及时性有待提高；二是政策解读形式较为单一，图文、视频解读偏少；"
    "三是工作人员业务能力有待进一步提升。下一步，{name}将加强业务培训，丰富解读形式，持续提升政务公开工作水平。"
)


#: Each agency's own narrative: (overview, problems); nothing shared with a sibling.
_OWN: dict[str, tuple[str, str]] = {
    "DEMO-T-ZWFW": (
        "围绕一网通办改革开展政务公开，政务服务事项办理指南逐项上网，窗口办件量按月在大厅电子屏公布。",
        "办事指南更新滞后于事项调整，部分事项的办理时限说明不够清楚；明年起建立指南与事项清单同步调整机制。",
    ),
    "DEMO-T-SWJ": (
        "重点公开水资源调度、河长制巡河和水库防汛信息，汛期每日发布水情，节水政策配发图解。",
        "水利项目信息公开的颗粒度不一，个别项目未公开招标投标结果；将对照重点领域目录逐项补齐。",
    ),
    "DEMO-T-TST": (
        "太师屯库区生态保护补偿资金按户张榜，十八个村的村务公开栏统一版式，每季度更新一次。",
        "库区移民后期扶持资金的公开还停留在总额层面；下一年度按项目、按村分列公开。",
    ),
    "DEMO-T-MJY": (
        "穆家峪农村人居环境整治项目从立项到验收全程公开，镇村两级设立政务公开专区共计二十一个。",
        "专区的查阅登记簿使用率低，群众多在网上查询；将把专区资料同步上传镇政府网站。",
    ),
}


def _own_text(agency: TrendAgency, year: int) -> dict[str, str]:
    overview, problems = _OWN[agency.code]
    return {"preamble": PREAMBLE_TEXT, "overview": f"{year}年，{agency.name}{overview}", "problems": problems}


def _sections(agency: TrendAgency, year: int, last_year: int) -> dict[str, str]:
    sections = _own_text(agency, year)
    if year == last_year and agency.code in ("DEMO-T-TST", "DEMO-T-MJY"):
        sections["overview"] = _SHARED_OVERVIEW.format(name=agency.name) + sections["overview"]
        sections["problems"] = _SHARED_PROBLEMS.format(name=agency.short_name)
    return sections


def _report(agency: TrendAgency, index: int, year: int, carried_over: int, last_year: int) -> AnnualReport:
    """A consistent 2021-format report: every table 三 figure in the 自然人 column and 总计."""
    report = AnnualReport.zero(ReportFormat.F2021, agency=agency.name, year=year)
    report.table2["licensing"]["decisions"] = agency.licensing[index]
    report.table2["punishment"]["decisions"] = agency.base * 3 + index * 4
    report.table2["normative_documents"]["issued"] = 2 + index % 2
    report.table2["normative_documents"]["in_force"] = 10 + 2 * index
    report.table2["fees"]["amount_10k_yuan"] = Decimal("0")
    new = agency.base + 3 * index + (index * agency.base) % 5
    carried_forward = index % 3
    handled = new + carried_over - carried_forward
    withheld = handled // 10
    not_held = handled // 6
    repeated = index % 2
    partial = handled // 8
    granted = handled - withheld - not_held - repeated - partial
    rows = {
        Table3Key.NEW: new,
        Table3Key.CARRIED_OVER: carried_over,
        Table3Key.GRANTED: granted,
        Table3Key.PARTIAL: partial,
        Table3Key.WITHHELD_PROCESS_INFORMATION: withheld,
        Table3Key.UNAVAILABLE_NOT_HELD: not_held,
        Table3Key.REJECTED_REPEATED: repeated,
        Table3Key.TOTAL: handled,
        Table3Key.CARRIED_FORWARD: carried_forward,
    }
    for key, value in rows.items():
        report.table3[key][0] = value
        report.table3[key][TOTAL_COLUMN] = value
    reviews = {
        ReviewKind.RECONSIDERATION: (
            1 + index % 3,
            index % 2 + (1 if agency.level == AgencyLevel.DEPARTMENT else 0),
            0,
        ),
        ReviewKind.LITIGATION_DIRECT: (index % 2, 1 if index == 4 and agency.code == "DEMO-T-TST" else 0, 0),
    }
    for group, (upheld, corrected, other) in reviews.items():
        cells = report.table4[group]
        cells.update(upheld=upheld, corrected=corrected, other=other, pending=0)
        cells["total"] = upheld + corrected + other
    report.sections = _sections(agency, year, last_year)
    return report


@transaction.atomic
def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    """Idempotent: a second run adds nothing."""
    parent = Agency.objects.filter(code=PARENT_CODE).first()
    signer = User.objects.filter(username="admin").first()
    if parent is None or signer is None:
        return
    last_year = today.year - 1
    years = list(range(last_year - YEARS + 1, last_year + 1))
    created = 0
    for spec in AGENCIES:
        agency = Agency.objects.filter(code=spec.code).first()
        if agency is None:
            agency = create_agency(
                actor=None, code=spec.code, name=spec.name, short_name=spec.short_name, level=spec.level, parent=parent
            )
        have = set(AnnualReportRecord.objects.filter(agency=agency).values_list("year", flat=True))
        carried = 0
        for index, year in enumerate(years):
            report = _report(spec, index, year, carried, last_year)
            carried = report.table3[Table3Key.CARRIED_FORWARD][TOTAL_COLUMN] or 0
            if year in have:
                continue
            at = dt.datetime(year + 1, 1, 20 + index, 10, tzinfo=_TZ)
            AnnualReportRecord.objects.create(
                agency=agency,
                year=year,
                version=1,
                status=ReportStatus.PUBLISHED,
                narrative=dict(report.sections),
                snapshot=report.to_dict(),
                signed_by=signer,
                signed_at=at,
                published_at=at,
                created_by=signer,
            )
            created += 1
    if created:
        log(f"趋势演示：{len(AGENCIES)} 个机关 {years[0]}–{years[-1]} 年的年度报告 {created} 份")
