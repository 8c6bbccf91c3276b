"""Back-office forms of 主动公开: thin, they parse; the services decide."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from gongkai.core.publication_flow import ItemStatus, SecrecyVerdict
from gongkai.publications.attachments import ACCEPT_ATTRIBUTE, KINDS_TEXT, max_bytes
from gongkai.publications.models import Category, Item, RegisterKind, Topic
from gongkai.publications.selectors import CatalogueTree

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def category_choices(tree: CatalogueTree) -> list[tuple[int, str]]:
    return [(node.id, "　" * depth + node.name) for depth, node in tree.flat()]


class ItemForm(forms.Form):
    category = forms.TypedChoiceField(label="公开目录", coerce=int)
    title = forms.CharField(label="标题", max_length=300)
    document_number = forms.CharField(
        label="文号", max_length=100, required=False, help_text="如：果政发〔2023〕12号；没有文号可不填"
    )
    issuer = forms.CharField(label="发布机构", max_length=120, required=False, help_text="不填则为本机关全称")
    formed_on = forms.DateField(
        label="成文日期",
        widget=DATE_WIDGET,
        help_text="信息形成或者变更之日；应自该日起20个工作日内公开（条例第二十六条）",
    )
    topic = forms.ChoiceField(label="主题分类", choices=[(t.value, t.label) for t in Topic], initial=Topic.GENERAL)
    body = forms.CharField(
        label="正文",
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="可使用段落、列表、表格、链接等简单 HTML（如 <p>…</p>）；保存时自动清除脚本、样式和图片",
    )

    def __init__(self, *args: Any, tree: CatalogueTree, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.fields["category"].choices = category_choices(tree)  # type: ignore[attr-defined]

    def clean_category(self) -> Category:
        node = self.tree.by_id.get(self.cleaned_data["category"])
        if node is None:
            raise forms.ValidationError("请选择本机关公开目录中的一项")
        return node.category


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件", help_text="")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = f"只接受 {KINDS_TEXT}，每个不超过 {max_bytes() // (1024 * 1024)} MB"
        self.fields["file"].widget.attrs["accept"] = ACCEPT_ATTRIBUTE


class ReviewForm(forms.Form):
    result = forms.ChoiceField(
        label="审查结论", choices=[(r.value, r.label) for r in SecrecyVerdict], widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="审查意见",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="结论为“涉密”时必填（涉密内容和依据）；涉密信息不得公开，且不能再改为不涉密",
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class CategoryForm(forms.Form):
    name = forms.CharField(label="目录名称", max_length=60)
    parent = forms.TypedChoiceField(label="上级目录", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, tree: CatalogueTree, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tree = tree
        self.fields["parent"].choices = [("", "（顶级目录）"), *category_choices(tree)]  # type: ignore[attr-defined]

    def clean_parent(self) -> Category | None:
        value = self.cleaned_data.get("parent")
        if value is None:
            return None
        node = self.tree.by_id.get(value)
        if node is None:
            raise forms.ValidationError("请选择本机关公开目录中的一项")
        return node.category


class GuideForm(forms.Form):
    body = forms.CharField(
        label="指南正文",
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="可使用段落、标题（<h2>）、列表、表格、链接等简单 HTML；保存时自动清理",
    )


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(
        label="类别", choices=[(k.value, k.label) for k in RegisterKind], initial=RegisterKind.NORMATIVE_DOCUMENT
    )
    title = forms.CharField(label="标题", max_length=300)
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    issued_on = forms.DateField(label="制发日期", widget=DATE_WIDGET)
    abolished_on = forms.DateField(
        label="废止日期", widget=DATE_WIDGET, required=False, help_text="补录已废止的文件时填写；现行有效的不填"
    )


class AbolishForm(forms.Form):
    abolished_on = forms.DateField(label="废止日期", widget=DATE_WIDGET)
    note = forms.CharField(label="废止说明", max_length=300, required=False)


class Article20Form(forms.Form):
    year = forms.IntegerField(label="年度", min_value=1990, max_value=2200)
    licensing = forms.IntegerField(label="行政许可（本年处理决定数量）", min_value=0, max_value=10**9)
    punishment = forms.IntegerField(label="行政处罚（本年处理决定数量）", min_value=0, max_value=10**9)
    coercion = forms.IntegerField(label="行政强制（本年处理决定数量）", min_value=0, max_value=10**9)
    fees_10k_yuan = forms.DecimalField(
        label="行政事业性收费（本年收费金额，万元）", min_value=0, max_digits=14, decimal_places=4
    )
    source_note = forms.CharField(
        label="数据来源说明", max_length=200, required=False, help_text="如：区综合执法平台导出、财政科提供"
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 或 CSV 文件")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"


class ItemFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no stubs
    q = django_filters.CharFilter(label="标题或索引号", method="filter_q")
    status = django_filters.ChoiceFilter(
        label="状态", choices=[(s.value, s.label) for s in ItemStatus], empty_label="全部"
    )
    year = django_filters.NumberFilter(label="成文年度", field_name="formed_on", lookup_expr="year")

    class Meta:
        model = Item
        fields = ["q", "status", "year"]

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        from django.db.models import Q

        value = value.strip()[:100]
        return queryset.filter(Q(title__icontains=value) | Q(index_number__icontains=value)) if value else queryset
