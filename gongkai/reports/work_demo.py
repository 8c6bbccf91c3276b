"""Demo 工作记录 of 果园街道 (``reports.work_records``): the work its 2023 report tells of in section 一
(training sessions for the 信息员, self-inspections now and then, the office's part-time staff, the
contact phone and the 指南 checked, no 责任追究) and this year's records so far.

Entered through ``add_record`` (audited) by the officer; idempotent: skipped once the agency has any.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.accounts.models import User
from gongkai.agencies.models import Agency
from gongkai.reports.work_records import KINDS, add_record

REPORT_YEAR = 2023


def _records(year: int) -> list[tuple[str, dict[str, Any]]]:
    """(kind, values) of one year's records, dated in ``year``."""
    d = dt.date
    return [
        ("check", {"on": d(year, 2, 20), "kind": "phone", "result": "对外联系电话010-69042233接听正常", "ok": "是"}),
        (
            "check",
            {"on": d(year, 2, 20), "kind": "guide", "result": "政府信息公开指南与机构设置、办公地址一致", "ok": "是"},
        ),
        ("training", {"on": d(year, 4, 12), "topic": "贯彻落实《政府信息公开条例》专题培训", "attendees": 25}),
        (
            "inspection",
            {
                "on": d(year, 6, 15),
                "scope": "主动公开栏目更新情况自查",
                "findings": "部分栏目信息更新不及时",
                "rectified": "是",
            },
        ),
        ("training", {"on": d(year, 9, 20), "topic": "各科室信息员政府信息公开业务培训", "attendees": 18}),
        (
            "inspection",
            {"on": d(year, 11, 10), "scope": "依申请公开办理流程和时限自查", "findings": "", "rectified": "否"},
        ),
    ]


#: The office's staff on the roster (section 一(五)): part-time, as the 2023 report says.
_STAFF: tuple[dict[str, Any], ...] = (
    {"on": dt.date(2019, 3, 1), "name": "孙丽", "post": "党政办公室 政府信息公开", "full_time": "兼职"},
    {"on": dt.date(2021, 6, 1), "name": "周明", "post": "党政办公室 信息员", "full_time": "兼职"},
)


def load(agency: Agency, today: dt.date) -> bool:
    """The 2023 records, this year's up to ``today``, the staff roster; False when any exist."""
    if any(kind.model.objects.filter(agency=agency).exists() for kind in KINDS.values()):
        return False
    officer = User.objects.get(username="gy_officer")
    rows = [("staff", values) for values in _STAFF]
    rows += _records(REPORT_YEAR)
    if today.year > REPORT_YEAR:
        rows += [(kind, values) for kind, values in _records(today.year) if values["on"] <= today]
    for kind, values in rows:
        add_record(actor=officer, agency=agency, kind=KINDS[kind], values=values, today=today)
    return True
