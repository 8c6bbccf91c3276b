"""Model-layer choices, each derived from the core enum that defines it (defined once).

The core owns statuses, events, channels, outcomes, applicant types and review kinds/results
(``gongkai.core.case_flow``, ``.deadlines``, ``.outcomes``, ``.report.taxonomy``); this module turns
them into Django ``TextChoices`` so that forms, admin and migrations see the same values and
Chinese labels. A value is compared with the core enum (``case.status == Status.CLOSED``), never
with a string literal. Choices that no statute defines (identity documents, forms of provision)
are defined here, once. Other apps (reports, portal) import them from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import cast

from django.db import models

from gongkai.choices import text_choices
from gongkai.core.case_flow import Event, Status
from gongkai.core.deadlines import Channel, ConsultedParty
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType, ReviewKind, ReviewResult

CaseStatus = text_choices("CaseStatus", Status)
CaseChannel = text_choices("CaseChannel", Channel)
#: Outcome rows repeat their numbers ("1." under （三）, （四）…): the full label names the group too.
CaseOutcome = text_choices("CaseOutcome", Outcome, lambda o: cast(Outcome, o).full_label)
ApplicantTypeChoices = text_choices("ApplicantTypeChoices", ApplicantType)
ReviewKindChoices = text_choices("ReviewKindChoices", ReviewKind)
ReviewResultChoices = text_choices("ReviewResultChoices", ReviewResult)
ConsultedPartyChoices = text_choices("ConsultedPartyChoices", (ConsultedParty.THIRD_PARTY, ConsultedParty.AGENCY))
FeeMethodChoices = text_choices("FeeMethodChoices", FeeMethod)


class CaseNote(StrEnum):
    """Timeline entries that are not transitions of the core's table (no status change)."""

    REGISTERED = "registered"
    SUBMITTED_ONLINE = "submitted_online"
    ASSIGNED = "assigned"
    EXTENSION_NOTIFIED = "extension_notified"
    DUE_DATE_CHANGED = "due_date_changed"
    REVIEW_RECORDED = "review_recorded"
    REVIEW_CONCLUDED = "review_concluded"
    PAYMENT_PROOF = "payment_proof"
    PROOF_REQUESTED_AGAIN = "proof_requested_again"
    TRANSFERRED_IN = "transferred_in"
    NOTICE_SERVED = "notice_served"

    @property
    def label(self) -> str:
        return CASE_NOTE_LABELS[self]


CASE_NOTE_LABELS: dict[CaseNote, str] = {
    CaseNote.REGISTERED: "登记申请",
    CaseNote.SUBMITTED_ONLINE: "网上提交申请",
    CaseNote.ASSIGNED: "分办",
    CaseNote.EXTENSION_NOTIFIED: "告知申请人延长答复期限",
    CaseNote.DUE_DATE_CHANGED: "答复期限重新计算",
    CaseNote.REVIEW_RECORDED: "登记行政复议／行政诉讼",
    CaseNote.REVIEW_CONCLUDED: "行政复议／行政诉讼审结",
    CaseNote.PAYMENT_PROOF: "申请人上传缴费凭证",
    CaseNote.PROOF_REQUESTED_AGAIN: "要求重新上传缴费凭证",
    CaseNote.TRANSFERRED_IN: "收到其他机关转送的申请",
    CaseNote.NOTICE_SERVED: "补正告知或收费通知送达申请人，期限自收到之日起计算",
}

#: Every kind of timeline entry: the core's events, then the notes.
CaseEventKind = text_choices("CaseEventKind", [*Event, *CaseNote])


class IdentityDocument(models.TextChoices):
    """身份证明 (条例 art 29 ¶2(一)); which documents are accepted is the agency's practice."""

    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO_PERMIT = "hk_macao_permit", "港澳居民来往内地通行证"
    TAIWAN_PERMIT = "taiwan_permit", "台湾居民来往大陆通行证"
    FOREIGN_RESIDENCE = "foreign_residence", "外国人永久居留身份证"
    BUSINESS_LICENCE = "business_licence", "营业执照／统一社会信用代码证书"
    ORG_CERTIFICATE = "org_certificate", "其他组织登记证书"
    OTHER = "other", "其他"


class ProvisionForm(models.TextChoices):
    """形式要求: the form the applicant wants the information in (条例 arts 29 ¶2(三), 40)."""

    PAPER = "paper", "纸质文本"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘"
    ELECTRONIC = "electronic", "其他电子数据"
    INSPECTION = "inspection", "当面查阅、抄录"


class DeliveryMethod(models.TextChoices):
    """获取信息的方式、途径 (条例 art 29 ¶2(三))."""

    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    FAX = "fax", "传真"
    PICK_UP = "pick_up", "当面领取"
    ONLINE = "online", "网上获取"


class ExtensionDecision(models.TextChoices):
    """The 工作机构负责人's decision on an extension request (条例 art 33 ¶2)."""

    PENDING = "pending", "待审批"
    APPROVED = "approved", "同意"
    REFUSED = "refused", "不同意"


class MessageChannel(models.TextChoices):
    """How a message reaches the applicant (no statute names these)."""

    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class ReplyKind(models.TextChoices):
    """What the applicant sent on the tracking page."""

    CORRECTION = "correction", "补正材料"
    PAYMENT_PROOF = "payment_proof", "缴费凭证"
