"""Demo letter settings: every demo agency can issue every letter (court, 复议机关, payment; contacts).

Idempotent: settings and contact details already entered are kept. The names follow the courts'
jurisdiction as 行政诉讼法 arts 14, 15 and 18 set it [D: demo data, to be checked by each agency]:
a 区 department or 街道 is sued in the 区 court; a 区 government and the 市 government in the
intermediate court that hears such cases in Beijing (北京市第四中级人民法院).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction

from gongkai.agencies.models import Agency, AgencyLevel
from gongkai.cases.demo import fill_contacts
from gongkai.letters.models import LetterSettings

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
def load(*, today: dt.date, log: Callable[[str], None]) -> None:
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
