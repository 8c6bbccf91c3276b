"""The audit trail as the back office shows it: who may read which rows, and the rows in Chinese.

Who sees which rows (docs/personal-data.md, "审计记录"):

- everyone sees the rows of the agencies ``accounts.scoping.visible_agencies`` lets them read
  (system administrator: all; 主管部门: its subtree; officer and leader: their agency);
- a 科室信息员 sees, within their agency, only rows about what they may read themselves: the
  cases (and their reviews and letters) ``Case.objects.visible_to`` gives them, the agency's
  主动公开 work, agency and department records and the work calendar; plus every row they
  caused and every row about their own account. Rows about other cases, other users, the annual
  report, supervision and 依申请公开 suggestions (which name cases) are not theirs.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from gongkai.accounts.models import Role, User
from gongkai.accounts.scoping import visible_agencies
from gongkai.accounts.staff import STAFF_AUDIT_LABELS
from gongkai.agencies.models import Agency, Department
from gongkai.apiclients.services import ApiClientAudit
from gongkai.archives.services import ARCHIVE_ACTION_LABELS
from gongkai.audit.models import REDACTED, AuditEvent
from gongkai.audit.services import NOT_RECORDED, AuditAction
from gongkai.cases.choices import CaseNote
from gongkai.cases.ledger_io import LedgerAudit
from gongkai.cases.models import Case, Review
from gongkai.cases.services import CaseAudit, transition_action
from gongkai.core.case_flow import Event
from gongkai.letters.models import Letter
from gongkai.letters.services import LetterAudit
from gongkai.publications.models import (
    Article20Figures,
    Attachment,
    Category,
    Guide,
    Item,
    RegisterDocument,
)
from gongkai.publications.services import PublicationAction
from gongkai.reports.services import ReportAuditAction
from gongkai.supervision.services import SupervisionAction
from gongkai.workcalendar.models import LoadedYear
from gongkai.workcalendar.services import CalendarAudit

#: Agency-level records a clerk may read (the agency's 主动公开 work, its own records, the calendar).
CLERK_AGENCY_LEVEL = tuple(
    m._meta.label_lower
    for m in (Agency, Department, Category, Item, Attachment, Guide, RegisterDocument, Article20Figures, LoadedYear)
)


def _ids_as_text(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """``object_id`` is text: compare it with the primary keys as text, in the database."""
    ids: QuerySet[Any] = queryset.annotate(id_text=Cast("pk", CharField())).values("id_text")
    return ids


#: What a 本机关管理员 reads in its agency's audit trail: users, departments, the agency itself.
MANAGER_OBJECT_TYPES = ("accounts.user", "agencies.department", "agencies.agency")


def events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """The audit rows ``user`` may read (the rules are in the module docstring)."""
    if user is None or not user.is_authenticated:
        return AuditEvent.objects.none()
    events = AuditEvent.objects.for_agencies(visible_agencies(user).values("pk"))
    if user.role == Role.MANAGER:  # its agency's people and departments, none of its records
        return events.filter(object_type__in=MANAGER_OBJECT_TYPES)
    if user.role != Role.CLERK:
        return events
    cases = Case.objects.visible_to(user)
    label = Case._meta.label_lower
    return events.filter(
        Q(actor=user)
        | Q(object_type=User._meta.label_lower, object_id=str(user.pk))
        | Q(object_type__in=CLERK_AGENCY_LEVEL)
        | Q(object_type=label, object_id__in=_ids_as_text(cases))
        | Q(object_type=Review._meta.label_lower, object_id__in=_ids_as_text(Review.objects.visible_to(user)))
        | Q(object_type=Letter._meta.label_lower, object_id__in=_ids_as_text(Letter.objects.filter(case__in=cases)))
    )


# ---------------------------------------------------------------------------------------------
# In Chinese
# ---------------------------------------------------------------------------------------------

ACTION_LABELS: dict[str, str] = {
    AuditAction.AGENCY_CREATED: "新建机构",
    AuditAction.AGENCY_CONTACT_CHANGED: "修改机构联系信息",
    AuditAction.DEPARTMENT_CREATED: "新建科室",
    AuditAction.USER_CREATED: "新建用户",
    AuditAction.USER_ROLE_CHANGED: "修改用户角色",
    AuditAction.LOGIN: "登录",
    AuditAction.LOGIN_FAILED: "登录失败",
    AuditAction.LOGOUT: "退出登录",
    AuditAction.ADMIN_CHANGE: "系统管理后台修改",
    AuditAction.ADMIN_PASSWORD_CHANGED: "系统管理员修改密码",
    AuditAction.REDACTED: "抹除审计记录内容",
    **{CaseAudit[note.name]: note.label for note in CaseNote},
    **{transition_action(event): event.label for event in Event},
    LedgerAudit.IMPORTED: "导入台账",
    LetterAudit.GENERATED: "生成文书",
    PublicationAction.CATEGORY_CREATED: "新建公开目录栏目",
    PublicationAction.ITEM_CREATED: "新建主动公开信息",
    PublicationAction.ITEM_EDITED: "修改主动公开信息",
    PublicationAction.ATTACHMENT_ADDED: "添加附件",
    PublicationAction.ATTACHMENT_REMOVED: "删除附件",
    PublicationAction.SUBMITTED: "提交审核",
    PublicationAction.REVIEWED: "保密审查",
    PublicationAction.PUBLISHED: "发布",
    PublicationAction.WITHDRAWN: "撤回",
    PublicationAction.GUIDE_UPDATED: "修改公开指南",
    PublicationAction.REGISTER_ADDED: "登记规范性文件",
    PublicationAction.REGISTER_ABOLISHED: "废止规范性文件",
    PublicationAction.ARTICLE20_SET: "填报第二十条数据",
    PublicationAction.SUGGESTION_ADOPTED: "采纳转为主动公开的建议",
    PublicationAction.SUGGESTION_DISMISSED: "不采纳转为主动公开的建议",
    ReportAuditAction.DRAFT_STARTED: "开始起草年度报告",
    ReportAuditAction.NARRATIVE_SAVED: "保存年度报告文字",
    ReportAuditAction.SIGNED_OFF: "签发年度报告",
    ReportAuditAction.PUBLISHED: "发布年度报告",
    ReportAuditAction.NEW_VERSION: "年度报告新版本",
    SupervisionAction.BATCH_UPLOADED: "上传待审查年度报告",
    SupervisionAction.BATCH_CHECKED: "审查年度报告",
    CalendarAudit.YEAR_LOADED: "载入工作日历",
    CaseAudit.TRANSFERRED_OUT: "转办／告知负责公开的机关（条例第三十六条第（五）项）",
    **STAFF_AUDIT_LABELS,
    **ARCHIVE_ACTION_LABELS,
    ApiClientAudit.CREATED: "新建接口客户端",
    ApiClientAudit.REVOKED: "吊销接口客户端",
    ApiClientAudit.WEBHOOK_SET: "设置接口回调地址",
    ApiClientAudit.DELIVERY_REPLAYED: "重新投递接口回调",
}

#: Keys of ``changes`` that are no model field of the row's object.
EXTRA_FIELD_LABELS: dict[str, str] = {
    "event": "审计记录编号",
    "field": "字段",
    "case": "案件",
    "cases": "案件",
    "statuses": "审查结果",
    "source": "来源",
    "password": "密码",
    "year": "年度",
    "letters": "文书数",
    "files": "文件数",
    "manifest_sha256": "清单 SHA-256",
    "reason": "理由",
}


def action_label(code: str) -> str:
    return ACTION_LABELS.get(code, code)


def _field(object_type: str, name: str) -> Any:
    try:
        return apps.get_model(object_type)._meta.get_field(name) if "." in object_type else None
    except (LookupError, FieldDoesNotExist, ValueError):
        return None


def field_label(object_type: str, name: str) -> str:
    field = _field(object_type, name)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name)
    return EXTRA_FIELD_LABELS.get(name, name)


def value_text(value: Any, field: Any = None) -> str:
    """One recorded value as text: choices by their label, yes/no, lists joined, nothing as "—"."""
    if value is None or value == "":
        return "—"
    if value in (NOT_RECORDED, REDACTED):
        return str(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{k}：{value_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "、".join(value_text(v) for v in value) or "—"
    choices = dict(getattr(field, "flatchoices", None) or [])
    return str(choices.get(value, value))


def describe_changes(event: AuditEvent) -> list[tuple[str, str]]:
    """``[(label, text)]`` of a row's recorded changes; ``[old, new]`` pairs read "old → new"."""
    changes = event.changes if isinstance(event.changes, dict) else {"内容": event.changes}
    lines = []
    for name, value in changes.items():
        field = _field(event.object_type, name)
        if isinstance(value, list) and len(value) == 2 and field is not None:
            text = f"{value_text(value[0], field)} → {value_text(value[1], field)}"
        else:
            text = value_text(value, field)
        lines.append((field_label(event.object_type, name), text))
    return lines


def object_type_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name) if "." in object_type else ""
    except (LookupError, ValueError):
        return object_type
