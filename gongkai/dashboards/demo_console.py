"""Demo history for the console pages (called by gongkai.backoffice.demo.load_all).

Six more agencies under 密云区, with reports for the last three years: published on time,
published late (条例 art 49), signed and left unpublished, uploaded by the supervisor and checked,
missing; and one 催报 already sent, so that the board shows every state on first open.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.accounts.services import create_user
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.services import create_agency
from gongkai.core.report.lifecycle import ReportStatus
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import TOTAL_COLUMN, ReviewKind
from gongkai.core.stats_console import BoardState
from gongkai.dashboards.console_services import send_reminders
from gongkai.dashboards.models import Reminder, ReminderChannel
from gongkai.reports.models import AnnualReportRecord
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch

PARENT_CODE = "BJ-MY"
SUPERVISOR = "my_supervisor"
SHANGHAI = ZoneInfo("Asia/Shanghai")
BATCH_TITLE = "演示：下属机构上传的年度报告"

#: (code, name, short name, level); 教委 and 市场监管局 come from the foundation demo.
AGENCIES: tuple[tuple[str, str, str, AgencyLevel], ...] = (
    ("BJ-MY-XWZ", "北京市密云区溪翁庄镇人民政府", "溪翁庄镇", AgencyLevel.TOWNSHIP),
    ("BJ-MY-MYZ", "北京市密云区密云镇人民政府", "密云镇", AgencyLevel.TOWNSHIP),
    ("BJ-MY-FGW", "北京市密云区发展和改革委员会", "密云区发改委", AgencyLevel.DEPARTMENT),
    ("BJ-MY-CZJ", "北京市密云区财政局", "密云区财政局", AgencyLevel.DEPARTMENT),
    ("BJ-MY-WJW", "北京市密云区卫生健康委员会", "密云区卫健委", AgencyLevel.DEPARTMENT),
    ("BJ-MY-ZJW", "北京市密云区住房和城乡建设委员会", "密云区住建委", AgencyLevel.DEPARTMENT),
)

_P, _L, _S, _U, _M = (
    BoardState.PUBLISHED_ON_TIME,
    BoardState.PUBLISHED_LATE,
    BoardState.SIGNED,
    BoardState.UPLOADED,
    BoardState.MISSING,
)
#: Per agency code: the state of its report for (three years ago, two years ago, last year).
PLAN: dict[str, tuple[BoardState, BoardState, BoardState]] = {
    "BJ-MY-JW": (_P, _P, _P),
    "BJ-MY-SJ": (_P, _L, _L),
    "BJ-MY-XWZ": (_P, _P, _S),
    "BJ-MY-MYZ": (_U, _U, _U),
    "BJ-MY-FGW": (_P, _P, _P),
    "BJ-MY-CZJ": (_L, _P, _L),
    "BJ-MY-WJW": (_P, _M, _M),
    "BJ-MY-ZJW": (_P, _P, _M),
}
#: The agency already reminded for last year's report.
REMINDED = "BJ-MY-WJW"


def demo_report(name: str, year: int, seed: int) -> AnnualReport:
    """A consistent report (table 三 balances: new + carried over = closed + carried forward)."""
    report = AnnualReport.zero(agency=name, year=year)
    new = 20 + 7 * seed + (year % 10) * 3
    carried_over = seed % 3
    granted, partial, not_held, forward = new // 2, new // 5, new // 10, 2
    repeated = new + carried_over - granted - partial - not_held - forward
    for key, value in (
        ("new", new),
        ("carried_over", carried_over),
        ("granted", granted),
        ("partial", partial),
        ("unavailable_not_held", not_held),
        ("rejected_repeated", repeated),
        ("total", granted + partial + not_held + repeated),
        ("carried_forward", forward),
    ):
        row = [0] * (TOTAL_COLUMN + 1)
        row[0] = row[TOTAL_COLUMN] = value
        report.table3[key] = list(row)
    group = report.table4[ReviewKind.RECONSIDERATION.value]
    group.update(upheld=seed % 3, corrected=seed % 2, other=0, pending=0)
    group["total"] = seed % 3 + seed % 2
    report.table2["licensing"]["decisions"] = 100 + 10 * seed
    return report


def _due(level: str, year: int) -> dt.date:
    return dt.date(year + 1, 3, 31) if level == AgencyLevel.COUNTY else dt.date(year + 1, 1, 31)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI)


def _leader(agency: Agency) -> User:
    """The agency's 负责人 who signed its demo reports (no demo login: an unguessable password)."""
    username = f"demo_leader_{agency.code.lower().replace('-', '_')}"
    found = User.objects.filter(username=username).first()
    return found or create_user(
        actor=None,
        username=username,
        password=secrets.token_urlsafe(24),
        role=Role.LEADER,
        agency=agency,
        full_name=f"{agency.short_name}负责人",
    )


def _record(agency: Agency, year: int, state: BoardState, seed: int, leader: User) -> None:
    due = _due(agency.level, year)
    published = {_P: due - dt.timedelta(days=10 + seed), _L: due + dt.timedelta(days=15 + 3 * seed)}.get(state)
    signed = (published or due) - dt.timedelta(days=2)
    AnnualReportRecord.objects.create(
        agency=agency,
        year=year,
        version=1,
        status=ReportStatus.PUBLISHED if published else ReportStatus.SIGNED_OFF,
        snapshot=demo_report(agency.name, year, seed).to_dict(),
        signed_by=leader,
        signed_at=_at(signed),
        published_at=_at(published) if published else None,
    )


def _upload(agency: Agency, year: int, seed: int, batch: ReportBatch) -> None:
    ReadReport.objects.create(
        batch=batch,
        position=batch.files.count() + 1,
        file_name=f"{agency.short_name}{year}年政府信息公开工作年度报告.docx",
        sha256=f"{agency.pk:032x}{year:032x}"[-64:],
        source_format="docx",
        agency_name=agency.name,
        year=year,
        report_format="2021",
        matched_agency=agency,
        report=demo_report(agency.name, year, seed).to_dict(),
        status=ReadStatus.CONSISTENT,
    )


@transaction.atomic
def load(*, today: dt.date, log: Callable[[str], None]) -> None:
    """Idempotent: a second run adds nothing."""
    parent = Agency.objects.filter(code=PARENT_CODE).first()
    supervisor = User.objects.filter(username=SUPERVISOR).first()
    if parent is None or supervisor is None:
        return
    by_code = {a.code: a for a in Agency.objects.filter(code__in=[*PLAN, *(c for c, *_ in AGENCIES)])}
    for code, name, short, level in AGENCIES:
        if code not in by_code:
            by_code[code] = create_agency(
                actor=None, code=code, name=name, short_name=short, level=level, parent=parent
            )
    years = [today.year - 3, today.year - 2, today.year - 1]
    batch = ReportBatch.objects.filter(agency=parent, title=BATCH_TITLE).first()
    added = 0
    for seed, (code, plan) in enumerate(PLAN.items(), start=1):
        agency = by_code.get(code)
        if agency is None:
            continue
        for year, state in zip(years, plan, strict=True):
            if AnnualReportRecord.objects.filter(agency=agency, year=year).exists():
                continue
            if state is _U:
                if batch is None:
                    batch = ReportBatch.objects.create(agency=parent, uploaded_by=supervisor, title=BATCH_TITLE)
                if not ReadReport.objects.filter(batch=batch, matched_agency=agency, year=year).exists():
                    _upload(agency, year, seed, batch)
                    added += 1
            elif state in (_P, _L, _S):
                _record(agency, year, state, seed, _leader(agency))
                added += 1
    reminded = by_code.get(REMINDED)
    if reminded is not None and not Reminder.objects.filter(agency=reminded, year=years[-1]).exists():
        send_reminders(
            actor=supervisor,
            agency_ids=[reminded.pk],
            year=years[-1],
            channels=[ReminderChannel.NOTICE],
            now=_at(today - dt.timedelta(days=7)),
        )
    if added:
        log(f"年报发布情况演示：{len(PLAN)}个机构、{len(years)}个年度，新增{added}份报告")
