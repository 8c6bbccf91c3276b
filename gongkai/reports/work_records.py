"""Write paths and reads of the work records (培训、自查、问责、联系电话和指南检查、工作人员).

Entered by the agency's officer or leader (its own agency only), each change audited; imported
from an Excel workbook (openpyxl, read-only, bounded). An import is all or nothing: every bad
cell is reported with its sheet, row and column, and then nothing is saved, so a corrected
workbook can simply be imported again without creating duplicates of the good rows.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction

from gongkai.accounts.models import Role
from gongkai.audit.services import record as audit
from gongkai.core.errors import GongkaiError
from gongkai.reports.work_models import (
    AccountabilityCase,
    ContactCheck,
    ContactCheckKind,
    SelfInspection,
    StaffMember,
    TrainingSession,
    WorkRecord,
)

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

#: Limits of an imported workbook.
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS_PER_SHEET = 2000
WRITER_ROLES = frozenset({Role.OFFICER, Role.LEADER})


class WorkRecordAuditAction(StrEnum):
    ADDED = "report.work_record_added"
    DELETED = "report.work_record_deleted"
    IMPORTED = "report.work_records_imported"


class ImportRefused(GongkaiError):
    """A workbook with bad cells: each named by sheet, row and column; nothing was saved."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "；".join(problems[:10]) + (f"……（共{len(problems)}处）" if len(problems) > 10 else "")
        super().__init__(f"未导入任何记录：{shown}")


@dataclass(frozen=True, slots=True)
class Column:
    field: str
    label: str  # the workbook's header and the form's label
    parse: Callable[[Any], Any]
    required: bool = True


@dataclass(frozen=True, slots=True)
class Kind:
    """One kind of work record: its model, its sheet name and its columns, in order."""

    slug: str
    label: str
    model: type[WorkRecord]
    date_label: str
    columns: tuple[Column, ...]


def _text(limit: int) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = " ".join(str(value).split()) if value is not None else ""
        if len(text) > limit:
            raise ValueError(f"不能超过{limit}字")
        return text

    return parse


def _count(value: Any) -> int:
    if isinstance(value, bool) or value in (None, ""):
        raise ValueError("应为整数")
    try:
        number = int(str(value).strip().removesuffix(".0"))
    except ValueError as exc:
        raise ValueError("应为整数") from exc
    if not 0 <= number <= 100_000:
        raise ValueError("应在0至100000之间")
    return number


def _yes(value: Any) -> bool:
    text = str(value or "").strip()
    if text in ("是", "有", "已整改", "专职", "畅通", "准确", "1", "True", "true", "√"):
        return True
    if text in ("", "否", "无", "未整改", "兼职", "不畅通", "不准确", "0", "False", "false"):
        return False
    raise ValueError("应填“是”或“否”")


def parse_date(value: Any) -> dt.date:
    """A cell or form value as a date: a date cell, 2025-03-01, 2025/3/1, 2025年3月1日."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("年", "-").replace("月", "-").replace("日", "").replace("/", "-")
    try:
        year, month, day = (int(x) for x in text.split("-"))
        return dt.date(year, month, day)
    except (ValueError, TypeError) as exc:
        raise ValueError("应为日期，如 2025-03-01") from exc


def _kind_of_check(value: Any) -> str:
    text = str(value or "").strip()
    for choice in ContactCheckKind:
        if text in (choice.value, choice.label) or (text and text in choice.label):
            return choice.value
    raise ValueError("应为“对外联系电话”或“政府信息公开指南”")


KINDS: dict[str, Kind] = {
    k.slug: k
    for k in (
        Kind(
            "training",
            "培训",
            TrainingSession,
            "培训日期",
            (Column("topic", "培训内容", _text(200)), Column("attendees", "参训人数", _count)),
        ),
        Kind(
            "inspection",
            "自查",
            SelfInspection,
            "自查日期",
            (
                Column("scope", "自查内容", _text(200)),
                Column("findings", "发现的问题", _text(2000), required=False),
                Column("rectified", "已整改", _yes, required=False),
            ),
        ),
        Kind(
            "accountability",
            "问责",
            AccountabilityCase,
            "问责日期",
            (
                Column("subject", "问责事由", _text(200)),
                Column("measure", "问责方式", _text(100)),
                Column("persons", "涉及人数", _count),
            ),
        ),
        Kind(
            "check",
            "联系电话和指南检查",
            ContactCheck,
            "检查日期",
            (
                Column("kind", "检查对象", _kind_of_check),
                Column("result", "检查结果", _text(300)),
                Column("ok", "畅通/准确", _yes, required=False),
            ),
        ),
        Kind(
            "staff",
            "工作人员",
            StaffMember,
            "到岗日期",
            (
                Column("name", "姓名", _text(40)),
                Column("post", "岗位", _text(60)),
                Column("full_time", "专职", _yes, required=False),
            ),
        ),
    )
}


def can_write(actor: Any, agency: Agency) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role in WRITER_ROLES
        and actor.agency_id == agency.pk
    )


def _require_writer(actor: User, agency: Agency) -> None:
    if not can_write(actor, agency):
        raise PermissionDenied("只有本机关的信息公开工作人员或负责人可以录入工作记录")


def parse_row(kind: Kind, values: dict[str, Any], *, today: dt.date) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """(cleaned fields, [(column label, problem)]) of one row or form."""
    cleaned: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    try:
        on = parse_date(values.get("on"))
        if on > today:
            raise ValueError("不能晚于今天")
        cleaned["on"] = on
    except ValueError as exc:
        problems.append((kind.date_label, str(exc)))
    for column in kind.columns:
        raw = values.get(column.field)
        try:
            value = column.parse(raw)
            if column.required and value in ("", None):
                raise ValueError("必填")
            cleaned[column.field] = value
        except ValueError as exc:
            problems.append((column.label, str(exc)))
    return cleaned, problems


@transaction.atomic
def add_record(*, actor: User, agency: Agency, kind: Kind, values: dict[str, Any], today: dt.date) -> WorkRecord:
    """One work record entered on the back-office page (audited)."""
    _require_writer(actor, agency)
    cleaned, problems = parse_row(kind, values, today=today)
    if problems:
        raise ValidationError([f"{label}：{problem}" for label, problem in problems])
    row = kind.model(agency=agency, created_by=actor, **cleaned)
    row.full_clean()
    row.save()
    audit(actor=actor, action=WorkRecordAuditAction.ADDED, target=row, changes={"kind": kind.label, **cleaned})
    return row


@transaction.atomic
def delete_record(*, actor: User, row: models.Model) -> None:
    agency = row.agency  # type: ignore[attr-defined]
    _require_writer(actor, agency)
    audit(actor=actor, action=WorkRecordAuditAction.DELETED, target=row, changes={"record": str(row)})
    row.delete()


def import_workbook(*, actor: User, agency: Agency, data: bytes, today: dt.date) -> dict[str, int]:
    """Every sheet named after a kind (培训、自查、问责、联系电话和指南检查、工作人员), header in row 1.

    All or nothing: :class:`ImportRefused` lists every bad cell (sheet, row, column) and nothing is
    saved. Returns the rows saved per kind label.
    """
    _require_writer(actor, agency)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportRefused([f"文件超过{MAX_IMPORT_BYTES // 1024 // 1024}MB"])
    from openpyxl import load_workbook  # imported here: only an import needs it

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise ImportRefused([f"不是有效的Excel（.xlsx）文件：{type(exc).__name__}"]) from exc
    by_sheet = {k.label: k for k in KINDS.values()}
    pending: list[tuple[Kind, dict[str, Any]]] = []
    problems: list[str] = []
    try:
        sheets = [s for s in book.worksheets if s.title.strip() in by_sheet]
        if not sheets:
            raise ImportRefused([f"没有可导入的工作表：工作表应命名为{'、'.join(by_sheet)}"])
        for sheet in sheets:
            kind = by_sheet[sheet.title.strip()]
            rows = sheet.iter_rows(values_only=True)
            header = [str(c or "").strip() for c in next(rows, ())]
            labels = {kind.date_label: "on", **{c.label: c.field for c in kind.columns}}
            missing = [label for label in labels if label not in header]
            if missing:
                problems.append(f"工作表“{sheet.title}”第1行缺少列：{'、'.join(missing)}")
                continue
            index = {labels[h]: i for i, h in enumerate(header) if h in labels}
            letters = {labels[h]: _column_letter(i) for i, h in enumerate(header) if h in labels}
            for number, cells in enumerate(rows, start=2):
                if number > MAX_ROWS_PER_SHEET + 1:
                    problems.append(f"工作表“{sheet.title}”超过{MAX_ROWS_PER_SHEET}行")
                    break
                if all(c in (None, "") for c in cells):
                    continue
                values = {f: cells[i] if i < len(cells) else None for f, i in index.items()}
                cleaned, row_problems = parse_row(kind, values, today=today)
                field_of = {kind.date_label: "on", **{c.label: c.field for c in kind.columns}}
                for label, problem in row_problems:
                    problems.append(
                        f"工作表“{sheet.title}”第{number}行{letters[field_of[label]]}列（{label}）：{problem}"
                    )
                if not row_problems:
                    pending.append((kind, cleaned))
    finally:
        book.close()
    if problems:
        raise ImportRefused(problems)
    return _save_imported(actor, agency, pending)


@transaction.atomic
def _save_imported(actor: User, agency: Agency, pending: list[tuple[Kind, dict[str, Any]]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for kind, cleaned in pending:
        kind.model.objects.create(agency=agency, created_by=actor, **cleaned)
        counts[kind.label] = counts.get(kind.label, 0) + 1
    audit(actor=actor, action=WorkRecordAuditAction.IMPORTED, target=agency, agency=agency, changes=counts)
    return counts


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def rows_of(kind: Kind, agency: Agency, year: int) -> models.QuerySet[Any]:
    """The agency's records of ``kind`` in ``year`` (staff: on the roster at any time that year)."""
    qs: models.QuerySet[Any] = kind.model.objects.filter(agency=agency)
    if kind.model is StaffMember:
        return qs.filter(on__lte=dt.date(year, 12, 31)).exclude(left_on__lt=dt.date(year, 1, 1))
    return qs.filter(on__year=year)
