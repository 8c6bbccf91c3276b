"""Demo data: the agency tree and demo users (idempotent), then every app's own demo data.

An app adds demo data with a module ``gongkai/<app>/demo.py`` defining
``load(*, today: date, log: Callable[[str], None]) -> None`` (idempotent too), listed in
``APP_DEMOS`` below in dependency order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from gongkai.accounts.models import Role, User
from gongkai.accounts.services import create_user
from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.agencies.services import create_agency, ensure_department
from gongkai.archives import demo as archives_demo
from gongkai.cases import demo as cases_demo
from gongkai.dashboards import demo_console, demo_trends
from gongkai.letters import demo as letters_demo
from gongkai.publications import demo as publications_demo
from gongkai.reports import demo as reports_demo

DEMO_PASSWORD = "gongkai-demo-2024"  # noqa: S105  (published demo logins, printed by `make run`)
DEMO_AGENCY_NAME = "北京市密云区果园街道办事处"


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    short_name: str
    level: AgencyLevel
    parent_code: str | None
    departments: tuple[str, ...] = ()


AGENCIES: tuple[DemoAgency, ...] = (
    DemoAgency("BJ", "北京市人民政府", "北京市政府", AgencyLevel.PROVINCE, None),
    DemoAgency("BJ-MY", "北京市密云区人民政府", "密云区政府", AgencyLevel.COUNTY, "BJ", ("政务公开办公室",)),
    DemoAgency(
        "BJ-MY-GY",
        DEMO_AGENCY_NAME,
        "果园街道",
        AgencyLevel.TOWNSHIP,
        "BJ-MY",
        ("党政办公室", "社区建设办公室", "城市管理办公室", "平安建设办公室", "民生保障办公室"),
    ),
    DemoAgency("BJ-MY-GL", "北京市密云区鼓楼街道办事处", "鼓楼街道", AgencyLevel.TOWNSHIP, "BJ-MY", ("党政办公室",)),
    DemoAgency(
        "BJ-MY-JW", "北京市密云区教育委员会", "密云区教委", AgencyLevel.DEPARTMENT, "BJ-MY", ("办公室", "基础教育科")
    ),
    DemoAgency(
        "BJ-MY-SJ", "北京市密云区市场监督管理局", "密云区市场监管局", AgencyLevel.DEPARTMENT, "BJ-MY", ("办公室",)
    ),
)


@dataclass(frozen=True)
class DemoUser:
    username: str
    full_name: str
    role: Role
    agency_code: str | None
    department: str | None = None


USERS: tuple[DemoUser, ...] = (
    DemoUser("gy_officer", "王芳", Role.OFFICER, "BJ-MY-GY", "党政办公室"),
    DemoUser("gy_clerk", "李强", Role.CLERK, "BJ-MY-GY", "城市管理办公室"),
    DemoUser("gy_leader", "张建国", Role.LEADER, "BJ-MY-GY", "党政办公室"),
    DemoUser("my_supervisor", "赵敏", Role.SUPERVISOR, "BJ-MY", "政务公开办公室"),
    DemoUser("gl_officer", "陈晨", Role.OFFICER, "BJ-MY-GL", "党政办公室"),
    # One 本机关管理员 per demo agency: manages its own users and departments, reads no cases.
    DemoUser("bj_manager", "钱立", Role.MANAGER, "BJ"),
    DemoUser("my_manager", "孙悦", Role.MANAGER, "BJ-MY", "政务公开办公室"),
    DemoUser("gy_manager", "周宁", Role.MANAGER, "BJ-MY-GY", "党政办公室"),
    DemoUser("gl_manager", "吴桐", Role.MANAGER, "BJ-MY-GL", "党政办公室"),
    DemoUser("jw_manager", "郑洁", Role.MANAGER, "BJ-MY-JW", "办公室"),
    DemoUser("sj_manager", "冯涛", Role.MANAGER, "BJ-MY-SJ", "办公室"),
    DemoUser("admin", "系统管理员", Role.ADMIN, None),
)


@transaction.atomic
def load_foundation() -> list[DemoUser]:
    """The demo agency tree and users; returns the users (created or already there)."""
    by_code: dict[str, Agency] = {a.code: a for a in Agency.objects.filter(code__in=[d.code for d in AGENCIES])}
    for spec in AGENCIES:
        agency = by_code.get(spec.code)
        if agency is None:
            agency = create_agency(
                actor=None,
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                parent=by_code[spec.parent_code] if spec.parent_code else None,
            )
            by_code[spec.code] = agency
        for department in spec.departments:
            ensure_department(actor=None, agency=agency, name=department)
    existing = set(User.objects.filter(username__in=[u.username for u in USERS]).values_list("username", flat=True))
    for spec_user in USERS:
        if spec_user.username in existing:
            continue
        agency = by_code[spec_user.agency_code] if spec_user.agency_code else None
        create_user(
            actor=None,
            username=spec_user.username,
            password=DEMO_PASSWORD,
            role=spec_user.role,
            agency=agency,
            full_name=spec_user.full_name,
            department=agency.departments.get(name=spec_user.department) if agency and spec_user.department else None,
        )
    return list(USERS)


#: Each app's demo loader, in the order their data depends on each other.
APP_DEMOS: tuple[Callable[..., None], ...] = (
    cases_demo.load,
    letters_demo.load,  # letter settings and contacts, before the 指南 that states them
    publications_demo.load,
    reports_demo.load,
    archives_demo.load,  # the 2023 cases' letters, after the reports demo registered them
    demo_console.load,  # other agencies' reports over several years (some late, some missing)
    demo_trends.load,  # their figures over the years, with one big jump
)


def load_all(*, today: dt.date, log: Callable[[str], None]) -> None:
    """Foundation data, then each app's ``demo.load`` (cases before the publications and the
    report built from them)."""
    load_foundation()
    for load in APP_DEMOS:
        load(today=today, log=log)
    # The dashboards' demos add agencies after the cases and letters demos gave every agency its
    # address, phone and letter settings.
    cases_demo.fill_contacts()
    letters_demo.fill_settings(log=log)
