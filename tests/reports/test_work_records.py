"""Work records behind sections 一(五)(六)(七) and 五: entry, Excel import, facts in a new draft."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gongkai.audit.models import AuditEvent
from gongkai.reports import services, work_records
from gongkai.reports.narrative import TODO_MARK
from gongkai.reports.work_models import ContactCheck, SelfInspection, StaffMember, TrainingSession

pytestmark = pytest.mark.django_db
TODAY = dt.date(2024, 1, 10)
KINDS = work_records.KINDS


def _add(tree: Any, slug: str, **values: Any) -> Any:
    return work_records.add_record(
        actor=tree.officer_a, agency=tree.street_a, kind=KINDS[slug], values=values, today=TODAY
    )


def test_records_appear_as_facts_in_a_new_draft(tree: Any) -> None:
    _add(tree, "training", on="2023-03-01", topic="《政府信息公开条例》解读", attendees=20)
    _add(tree, "training", on="2023-09-12", topic="依申请公开答复书规范", attendees=15)
    _add(
        tree,
        "inspection",
        on="2023-06-30",
        scope="主动公开栏目更新情况",
        findings="3个栏目超过半年未更新",
        rectified="是",
    )
    _add(tree, "check", on="2023-05-10", kind="对外联系电话", result="工作日拨打3次均接通", ok="是")
    _add(tree, "check", on="2023-05-11", kind="政府信息公开指南", result="办公地址已变更，指南未更新", ok="否")
    _add(tree, "staff", on="2021-01-01", name="张三", post="党政办", full_time="是")
    _add(tree, "staff", on="2022-01-01", name="李四", post="城管办", full_time="否")
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2023, today=TODAY)
    overview, problems = record.narrative["overview"], record.narrative["problems"]
    assert "本年度组织政府信息公开业务培训2次，参训35人次" in overview
    assert "3月1日，《政府信息公开条例》解读（20人）" in overview
    assert "配备政府信息公开工作人员2名（专职1名、兼职1名）" in overview
    assert "本年度开展政府信息公开自查1次（6月30日，主动公开栏目更新情况），1次发现问题，已整改1次" in overview
    assert "对对外联系电话开展检查1次，均畅通" in overview
    assert "其中5月11日办公地址已变更，指南未更新" in overview
    assert "本年度未发生政府信息公开工作责任追究" in overview
    assert "本年度自查发现的问题：3个栏目超过半年未更新（6月30日自查）" in problems
    assert "【待填写：本年度教育培训情况】" not in overview  # replaced by the facts


def test_without_records_the_draft_keeps_its_marks(tree: Any) -> None:
    record = services.start_draft(actor=tree.officer_a, agency=tree.street_a, year=2023, today=TODAY)
    assert "【待填写：本年度教育培训情况】" in record.narrative["overview"]
    assert "【待填写：考核、社会评议和责任追究情况】" in record.narrative["overview"]
    assert TODO_MARK in record.narrative["problems"]


def test_entry_is_checked_scoped_and_audited(tree: Any) -> None:
    with pytest.raises(ValidationError) as bad:
        _add(tree, "training", on="2024-02-01", topic="", attendees="二十")
    text = " ".join(bad.value.messages)
    assert "培训日期：不能晚于今天" in text and "培训内容：必填" in text and "参训人数：应为整数" in text
    with pytest.raises(PermissionDenied):
        work_records.add_record(
            actor=tree.officer_b, agency=tree.street_a, kind=KINDS["training"], values={}, today=TODAY
        )
    row = _add(tree, "accountability", on="2023-04-01", subject="逾期答复", measure="约谈", persons=1)
    assert AuditEvent.objects.filter(action=work_records.WorkRecordAuditAction.ADDED, object_id=str(row.pk)).exists()


def _workbook(rows: dict[str, list[list[Any]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, data in rows.items():
        sheet = book.create_sheet(title)
        for row in data:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_import_is_all_or_nothing_and_names_sheet_row_and_column(tree: Any) -> None:
    bad = _workbook(
        {
            "培训": [
                ["培训日期", "培训内容", "参训人数"],
                [dt.date(2023, 3, 1), "条例解读", 20],
                ["2023-13-01", "x", "多"],
            ],
            "工作人员": [["到岗日期", "姓名", "岗位", "专职"], ["2022-01-01", "张三", "党政办", "也许"]],
        }
    )
    with pytest.raises(work_records.ImportRefused) as refused:
        work_records.import_workbook(actor=tree.officer_a, agency=tree.street_a, data=bad, today=TODAY)
    problems = refused.value.problems
    assert "工作表“培训”第3行A列（培训日期）：应为日期，如 2025-03-01" in problems
    assert "工作表“培训”第3行C列（参训人数）：应为整数" in problems
    assert "工作表“工作人员”第2行D列（专职）：应填“是”或“否”" in problems
    assert not TrainingSession.objects.exists() and not StaffMember.objects.exists()  # nothing saved
    good = _workbook(
        {
            "培训": [["培训日期", "培训内容", "参训人数"], [dt.date(2023, 3, 1), "条例解读", 20]],
            "自查": [["自查日期", "自查内容", "发现的问题", "已整改"], ["2023/6/30", "栏目", "", "否"]],
            "联系电话和指南检查": [
                ["检查日期", "检查对象", "检查结果", "畅通/准确"],
                ["2023年5月10日", "电话", "接通", "是"],
            ],
        }
    )
    counts = work_records.import_workbook(actor=tree.officer_a, agency=tree.street_a, data=good, today=TODAY)
    assert counts == {"培训": 1, "自查": 1, "联系电话和指南检查": 1}
    assert SelfInspection.objects.get().findings == "" and ContactCheck.objects.get().kind == "phone"
    with pytest.raises(work_records.ImportRefused, match="不是有效的Excel"):
        work_records.import_workbook(actor=tree.officer_a, agency=tree.street_a, data=b"PK\x03\x04junk", today=TODAY)


def test_pages(tree: Any, client: Client, monkeypatch: Any) -> None:
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)
    client.force_login(tree.officer_a)
    response = client.post(
        reverse("reports:work_add", args=["training"]),
        {"on": "2023-03-01", "topic": "条例解读", "attendees": "20", "year": "2023"},
    )
    assert response.status_code == 302
    page = client.get(reverse("reports:work") + "?year=2023").content.decode()
    assert "条例解读" in page and "从Excel导入" in page
    row = TrainingSession.objects.get()
    client.force_login(tree.officer_b)  # another agency's row: not found
    assert client.post(reverse("reports:work_delete", args=["training", row.pk])).status_code == 404
    assert "条例解读" not in client.get(reverse("reports:work") + "?year=2023").content.decode()
    client.force_login(tree.officer_a)
    bad = _workbook({"培训": [["培训日期", "培训内容"], ["2023-01-01", "x"]]})
    upload = io.BytesIO(bad)
    upload.name = "records.xlsx"
    page = client.post(reverse("reports:work_import"), {"file": upload, "year": "2023"}, follow=True).content.decode()
    assert "未导入任何记录" in page and "缺少列：参训人数" in page
    assert client.post(reverse("reports:work_delete", args=["training", row.pk])).status_code == 302
    assert not TrainingSession.objects.exists()
