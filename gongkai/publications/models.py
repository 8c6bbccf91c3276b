"""主动公开: the catalogue, the items and their 保密审查, the 规章/规范性文件 register, the
article 20 figures, and each agency's 政府信息公开指南.

Models hold data and invariants. The invariant that matters most is in the database itself: an
item is published only after a 保密审查 by someone other than its author found it 不涉密
(``CheckConstraint`` ``pub_item_published_needs_review`` and ``pub_item_classified_never_published``),
whatever path writes the row. Workflows are in ``services``.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from gongkai.accounts.scoping import AgencyScopedQuerySet
from gongkai.core.publication_flow import EVER_PUBLISHED_STATUSES, ItemStatus, SecrecyVerdict


def _choices(enum: Any) -> list[tuple[str, str]]:
    return [(member.value, member.label) for member in enum]


class Topic(StrEnum):
    """主题分类: the subject classification of government documents used by gov.cn's policy library."""

    GENERAL = "general"
    ECONOMY = "economy"
    FINANCE = "finance"
    LAND_ENERGY = "land_energy"
    AGRICULTURE = "agriculture"
    INDUSTRY_TRANSPORT = "industry_transport"
    TRADE_TOURISM = "trade_tourism"
    MARKET_SAFETY = "market_safety"
    URBAN_ENVIRONMENT = "urban_environment"
    SCIENCE_EDUCATION = "science_education"
    CULTURE_MEDIA = "culture_media"
    HEALTH_SPORT = "health_sport"
    POPULATION_FAMILY = "population_family"
    LABOUR_PERSONNEL = "labour_personnel"
    PUBLIC_SECURITY_JUSTICE = "public_security_justice"
    CIVIL_AFFAIRS = "civil_affairs"
    ETHNIC_RELIGION = "ethnic_religion"
    FOREIGN_AFFAIRS = "foreign_affairs"
    HK_MACAO_TAIWAN = "hk_macao_taiwan"
    DEFENCE = "defence"
    OTHER = "other"

    @property
    def label(self) -> str:
        return TOPIC_LABELS[self]


TOPIC_LABELS: dict[Topic, str] = {
    Topic.GENERAL: "综合政务",
    Topic.ECONOMY: "国民经济管理、国有资产监管",
    Topic.FINANCE: "财政、金融、审计",
    Topic.LAND_ENERGY: "国土资源、能源",
    Topic.AGRICULTURE: "农业、林业、水利",
    Topic.INDUSTRY_TRANSPORT: "工业、交通",
    Topic.TRADE_TOURISM: "商贸、海关、旅游",
    Topic.MARKET_SAFETY: "市场监管、安全生产监管",
    Topic.URBAN_ENVIRONMENT: "城乡建设、环境保护",
    Topic.SCIENCE_EDUCATION: "科技、教育",
    Topic.CULTURE_MEDIA: "文化、广电、新闻出版",
    Topic.HEALTH_SPORT: "卫生、体育",
    Topic.POPULATION_FAMILY: "人口与计划生育、妇女儿童工作",
    Topic.LABOUR_PERSONNEL: "劳动、人事、监察",
    Topic.PUBLIC_SECURITY_JUSTICE: "公安、安全、司法",
    Topic.CIVIL_AFFAIRS: "民政、扶贫、救灾",
    Topic.ETHNIC_RELIGION: "民族、宗教",
    Topic.FOREIGN_AFFAIRS: "对外事务",
    Topic.HK_MACAO_TAIWAN: "港澳台侨工作",
    Topic.DEFENCE: "国防",
    Topic.OTHER: "其他",
}


class RegisterKind(StrEnum):
    """The two rows of table 二 第二十条第（一）项; values are the report taxonomy's row keys."""

    REGULATION = "regulations"
    NORMATIVE_DOCUMENT = "normative_documents"

    @property
    def label(self) -> str:
        return "规章" if self is RegisterKind.REGULATION else "行政规范性文件"


class FigureSource(StrEnum):
    """Where an agency's article 20 figures came from."""

    FORM = "form"
    EXCEL = "excel"
    CSV = "csv"

    @property
    def label(self) -> str:
        return {FigureSource.FORM: "表单录入", FigureSource.EXCEL: "Excel 导入", FigureSource.CSV: "CSV 导入"}[self]


# ---------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------


class CategoryQuerySet(AgencyScopedQuerySet["Category"]):
    def roots(self) -> CategoryQuerySet:
        return self.filter(parent__isnull=True)


class Category(models.Model):
    """A node of an agency's 政府信息公开目录 (each agency keeps its own tree)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="publication_categories"
    )
    parent = models.ForeignKey(
        "self", verbose_name="上级目录", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    name = models.CharField("目录名称", max_length=60)
    position = models.PositiveSmallIntegerField("排序", default=0)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "公开目录"
        verbose_name_plural = "公开目录"
        ordering = ["agency", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="pub_category_name_not_blank"),
            models.UniqueConstraint(fields=["agency", "parent", "name"], name="pub_category_unique_name"),
            models.UniqueConstraint(
                fields=["agency", "name"], condition=Q(parent__isnull=True), name="pub_category_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Items
# ---------------------------------------------------------------------------------------------


#: What the portal may show: status 已发布. Not 涉密 is implied — the database refuses a published
#: row that is classified (constraints ``pub_item_classified_never_published`` and
#: ``pub_item_classified_status``) — and repeating it in the filter would keep SQLite from
#: answering the portal's lists from the indexes alone.
PUBLIC = Q(status=ItemStatus.PUBLISHED.value)


class ItemQuerySet(AgencyScopedQuerySet["Item"]):
    def published(self) -> ItemQuerySet:
        """Items on the portal now: status 已发布 (the constraints guarantee reviewed and 不涉密)."""
        return self.filter(PUBLIC)

    def published_in(self, year: int) -> ItemQuerySet:
        """Items first made public during ``year`` (still published, or withdrawn since)."""
        return self.filter(
            status__in=[s.value for s in EVER_PUBLISHED_STATUSES],
            is_classified=False,
            published_on__gte=date(year, 1, 1),
            published_on__lte=date(year, 12, 31),
        )

    def awaiting_review(self) -> ItemQuerySet:
        return self.filter(status=ItemStatus.PENDING_REVIEW)


class Item(models.Model):
    """A 主动公开 item: one entry of the catalogue, with its 索引号 and its 保密审查 state."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="publication_items"
    )
    index_number = models.CharField("索引号", max_length=64, unique=True)
    category = models.ForeignKey(Category, verbose_name="公开目录", on_delete=models.PROTECT, related_name="items")
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("发布机构", max_length=120)
    document_number = models.CharField("文号", max_length=100, blank=True)
    formed_on = models.DateField("成文日期", help_text="信息形成或者变更之日（条例第二十六条）")
    published_on = models.DateField("发布日期", null=True, blank=True)
    topic = models.CharField("主题分类", max_length=32, choices=_choices(Topic), default=Topic.GENERAL.value)
    status = models.CharField("状态", max_length=20, choices=_choices(ItemStatus), default=ItemStatus.DRAFT.value)
    origin_note = models.CharField(
        "来源说明", max_length=200, blank=True, help_text="如：依申请转主动（条例第四十四条）"
    )

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="起草人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    is_classified = models.BooleanField("涉密", default=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保密审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("保密审查时间", null=True, blank=True)
    reviewed_digest = models.CharField("审查时内容摘要", max_length=64, blank=True, editable=False)

    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawal_reason = models.TextField("撤回原因", blank=True)
    # The long texts last: SQLite then reads a row's short columns without following overflow pages.
    body = models.TextField("正文", blank=True, help_text="保存时经 nh3 清理，只保留段落、列表、表格、链接等")
    search_text = models.TextField("检索文本", blank=True, editable=False)

    objects = ItemQuerySet.as_manager()

    class Meta:
        verbose_name = "主动公开信息"
        verbose_name_plural = "主动公开信息"
        ordering = ["-published_on", "-id"]
        indexes = [
            # The portal's lists (and the office's status filters): covering for counts, ordered
            # for the first page. Not partial: SQLite then reads table rows to recheck the condition.
            models.Index(fields=["agency", "status", "-published_on", "-id"], name="pub_item_agency_idx"),
            models.Index(fields=["category", "status", "-published_on", "-id"], name="pub_item_category_idx"),
            models.Index(fields=["status", "-published_on", "-id"], name="pub_item_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="pub_item_title_not_blank"),
            # 涉密信息不上网: a classified item is never published, whatever writes the row.
            models.CheckConstraint(
                condition=~Q(is_classified=True, status=ItemStatus.PUBLISHED.value),
                name="pub_item_classified_never_published",
            ),
            # 涉密 is a status of its own: the flag and the status always agree.
            models.CheckConstraint(
                condition=Q(status=ItemStatus.CLASSIFIED.value, is_classified=True)
                | (~Q(status=ItemStatus.CLASSIFIED.value) & Q(is_classified=False)),
                name="pub_item_classified_status",
            ),
            # 上网信息不涉密: published only after a review by someone other than the author.
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.PUBLISHED.value)
                | (
                    Q(reviewed_by__isnull=False, reviewed_at__isnull=False, published_on__isnull=False)
                    & ~Q(reviewed_by=F("author"))
                ),
                name="pub_item_published_needs_review",
            ),
            models.CheckConstraint(
                condition=~Q(status=ItemStatus.WITHDRAWN.value)
                | (Q(withdrawn_on__isnull=False) & ~Q(withdrawal_reason="")),
                name="pub_item_withdrawn_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("formed_on")),
                name="pub_item_published_after_formed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.index_number} {self.title}"

    @property
    def status_enum(self) -> ItemStatus:
        return ItemStatus(self.status)

    @property
    def status_label(self) -> str:
        return ItemStatus(self.status).label

    @property
    def topic_label(self) -> str:
        return Topic(self.topic).label

    @property
    def is_public(self) -> bool:
        return self.status == ItemStatus.PUBLISHED and not self.is_classified


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random stored name: the original name is kept in the row, never used as a path."""
    suffix = PurePosixPath(filename).suffix.lower()[:8]
    return f"publications/{instance.item.agency_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A file attached to an item (pdf, docx, xlsx, jpg, png, ofd; size-limited by the service)."""

    item = models.ForeignKey(Item, verbose_name="信息", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=8)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["item", "id"]

    def __str__(self) -> str:
        return self.original_name


class SecrecyReview(models.Model):
    """One 保密审查 of an item, kept for good (the item carries the latest one)."""

    item = models.ForeignKey(Item, verbose_name="信息", on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审查人", on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField("审查结论", max_length=20, choices=_choices(SecrecyVerdict))
    notes = models.TextField("审查意见", blank=True)
    reviewed_at = models.DateTimeField("审查时间", default=timezone.now)
    digest = models.CharField("内容摘要", max_length=64)

    class Meta:
        verbose_name = "保密审查记录"
        verbose_name_plural = "保密审查记录"
        ordering = ["item", "-reviewed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(result=SecrecyVerdict.CLASSIFIED.value) | ~Q(notes=""),
                name="pub_review_classified_has_notes",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.index_number} {SecrecyVerdict(self.result).label}"

    @property
    def result_label(self) -> str:
        return SecrecyVerdict(self.result).label


# ---------------------------------------------------------------------------------------------
# 政府信息公开指南
# ---------------------------------------------------------------------------------------------


class Guide(models.Model):
    """An agency's 政府信息公开指南 (条例 art 12 ¶2), edited by its officer, shown on the portal."""

    agency = models.OneToOneField(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="publication_guide"
    )
    body = models.TextField("指南正文")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = "政府信息公开指南"
        verbose_name_plural = "政府信息公开指南"

    def __str__(self) -> str:
        return f"{self.agency} 政府信息公开指南"


# ---------------------------------------------------------------------------------------------
# 规章 / 行政规范性文件 register (table 二 第二十条第（一）项)
# ---------------------------------------------------------------------------------------------


class RegisterDocumentQuerySet(AgencyScopedQuerySet["RegisterDocument"]):
    pass


class RegisterDocument(models.Model):
    """A 规章 or 行政规范性文件 the agency issued, with the date it was abolished (if it was)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="register_documents"
    )
    kind = models.CharField("类别", max_length=24, choices=_choices(RegisterKind))
    title = models.CharField("标题", max_length=300)
    document_number = models.CharField("文号", max_length=100, blank=True)
    issued_on = models.DateField("制发日期")
    abolished_on = models.DateField("废止日期", null=True, blank=True)
    abolition_note = models.CharField("废止说明", max_length=300, blank=True)
    item = models.ForeignKey(
        Item, verbose_name="公开信息", null=True, blank=True, on_delete=models.SET_NULL, related_name="register_entries"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="登记人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)

    objects = RegisterDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = "规章和行政规范性文件"
        verbose_name_plural = "规章和行政规范性文件"
        ordering = ["agency", "-issued_on", "-id"]
        indexes = [models.Index(fields=["agency", "kind", "issued_on"], name="pub_register_agency_kind_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="pub_register_title_not_blank"),
            models.CheckConstraint(
                condition=Q(abolished_on__isnull=True) | Q(abolished_on__gte=F("issued_on")),
                name="pub_register_abolished_after_issued",
            ),
            models.UniqueConstraint(
                fields=["agency", "document_number"],
                condition=~Q(document_number=""),
                name="pub_register_unique_number",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} {self.title}".strip()

    @property
    def kind_label(self) -> str:
        return RegisterKind(self.kind).label


# ---------------------------------------------------------------------------------------------
# Article 20 figures (table 二 第二十条第（五）（六）（八）项)
# ---------------------------------------------------------------------------------------------


class Article20FiguresQuerySet(AgencyScopedQuerySet["Article20Figures"]):
    pass


class Article20Figures(models.Model):
    """An agency's yearly 行政许可/行政处罚/行政强制 decision counts and 行政事业性收费 (万元)."""

    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="article20_figures"
    )
    year = models.PositiveSmallIntegerField("年度")
    licensing = models.PositiveIntegerField("行政许可（本年处理决定数量）", default=0)
    punishment = models.PositiveIntegerField("行政处罚（本年处理决定数量）", default=0)
    coercion = models.PositiveIntegerField("行政强制（本年处理决定数量）", default=0)
    fees_10k_yuan = models.DecimalField(
        "行政事业性收费（本年收费金额，万元）", max_digits=14, decimal_places=4, default=Decimal("0")
    )
    source = models.CharField("数据来源", max_length=8, choices=_choices(FigureSource), default=FigureSource.FORM.value)
    source_note = models.CharField(
        "来源说明", max_length=200, blank=True, help_text="如：区综合执法平台导出、财政科提供；导入时记录文件名"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="填报人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField("填报时间", default=timezone.now)

    objects = Article20FiguresQuerySet.as_manager()

    class Meta:
        verbose_name = "第二十条数据"
        verbose_name_plural = "第二十条数据"
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="pub_article20_unique_year"),
            models.CheckConstraint(condition=Q(fees_10k_yuan__gte=0), name="pub_article20_fees_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}年 第二十条数据"

    @property
    def source_label(self) -> str:
        return FigureSource(self.source).label


# ---------------------------------------------------------------------------------------------
# 依申请转主动 (条例 art 44)
# ---------------------------------------------------------------------------------------------


class SuggestionDecision(StrEnum):
    ADOPTED = "adopted"
    DISMISSED = "dismissed"

    @property
    def label(self) -> str:
        return "纳入主动公开" if self is SuggestionDecision.ADOPTED else "不纳入"


class DisclosureSuggestion(models.Model):
    """A decision on a group of similar granted applications (条例 art 44): drafted as an item, or
    not taken up. The group's cases are not suggested again."""

    agency = models.ForeignKey("agencies.Agency", verbose_name="机构", on_delete=models.PROTECT, related_name="+")
    cases = models.ManyToManyField("cases.Case", verbose_name="申请", related_name="+")
    decision = models.CharField("处理", max_length=12, choices=_choices(SuggestionDecision))
    item = models.ForeignKey(
        Item, verbose_name="起草的信息", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("说明", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="处理人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("处理时间", default=timezone.now)

    class Meta:
        verbose_name = "依申请转主动处理"
        verbose_name_plural = "依申请转主动处理"
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"{SuggestionDecision(self.decision).label} {self.decided_at:%Y-%m-%d}"


# ---------------------------------------------------------------------------------------------
# What the portal shows, versioned for its caches
# ---------------------------------------------------------------------------------------------


class PublicVersion(models.Model):
    """A counter per scope (``all``, ``agency:<id>``) bumped whenever what the portal shows there
    changes, in the same transaction as the change (``gongkai.publications.public_cache``).

    In the database, not in the cache: every process (gunicorn workers, the command line) sees a
    bump at once, whatever the cache backend (a per-process LocMem included).
    """

    scope = models.CharField("范围", max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField("版本", default=1)

    class Meta:
        verbose_name = "门户内容版本"
        verbose_name_plural = "门户内容版本"

    def __str__(self) -> str:
        return f"{self.scope} v{self.version}"
