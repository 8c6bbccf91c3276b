"""System administration of letters: the wording overrides, each agency's letter settings, and
a read-only register of the letters issued. The admin site admits system administrators only
(``gongkai.admin_site``); every save leaves an audit record (``audit.admin.AuditedModelAdmin``).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.core.letters import allowed_fields, default_templates, required_fields
from gongkai.core.letters.templating import FIELD_LABELS
from gongkai.letters.models import (
    Approver,
    ChainRuleSetting,
    Delivery,
    DraftAction,
    Letter,
    LetterDraft,
    LetterSettings,
    LetterTemplateOverride,
)
from gongkai.letters.uploads import SEAL_KINDS, UploadRejected, check_upload, seal_max_bytes


class LetterTemplateOverrideForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterTemplateOverride
        fields = ("key", "text")
        widgets = {"text": forms.Textarea(attrs={"rows": 18, "cols": 100})}


@admin.register(LetterTemplateOverride)
class LetterTemplateOverrideAdmin(AuditedModelAdmin):
    """Override one piece of wording; the text is checked by the core (``check_template``)."""

    form = LetterTemplateOverrideForm
    list_display = ("key", "__str__", "updated_by", "updated_at")
    search_fields = ("key", "text")
    readonly_fields = ("fields_help", "default_text", "updated_by", "updated_at")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """``?key=fee.body`` starts the form from the shipped text of that template."""
        initial = super().get_changeform_initial_data(request)
        key = request.GET.get("key", "")
        if key in default_templates():
            initial["text"] = default_templates()[key]
        return initial

    @admin.display(description="可用字段")
    def fields_help(self, obj: LetterTemplateOverride | None) -> str:
        if obj is None or not obj.key:
            return "保存后显示该模板可用的字段；也可在地址后加 ?key=模板名 从默认文字开始编辑。"
        required = set(required_fields(obj.key))
        rows = format_html_join(
            "",
            "<li><code>{{{}}}</code> {}{}</li>",
            (
                (name, FIELD_LABELS[name], "（必须保留）" if name in required else "")
                for name in allowed_fields(obj.key)
            ),
        )
        return format_html("<ul>{}</ul>", rows)

    @admin.display(description="默认文字")
    def default_text(self, obj: LetterTemplateOverride | None) -> str:
        if obj is None or obj.key not in default_templates():
            return ""
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", default_templates()[obj.key])

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_by = request.user
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class LetterSettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = LetterSettings
        fields = ("agency", "number_prefix", "reconsideration_body", "court_name", "payment_instructions", "seal_image")

    def clean_seal_image(self) -> Any:
        """A PNG or JPG within ``LETTER_SEAL_MAX_BYTES`` (checked by name, size and first bytes)."""
        image: Any = self.cleaned_data.get("seal_image")
        if isinstance(image, UploadedFile):
            try:
                check_upload(
                    image.name or "", image.size or 0, image, kinds=SEAL_KINDS, limit=seal_max_bytes(), what="印章图片"
                )
            except UploadRejected as exc:
                raise forms.ValidationError(str(exc)) from None
        return image


@admin.register(LetterSettings)
class LetterSettingsAdmin(AuditedModelAdmin):
    form = LetterSettingsForm
    list_display = ("agency", "number_prefix", "reconsideration_body", "court_name")
    search_fields = ("agency__name", "number_prefix")
    autocomplete_fields = ("agency",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Letter)
class LetterAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Issued letters are records: viewed here, never changed or deleted."""

    list_display = ("number", "kind", "case", "agency", "issued_on", "created_by")
    list_filter = ("kind", "year")
    search_fields = ("number", "case__number")
    readonly_fields = [f.name for f in Letter._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """送达 records are evidence: viewed here, entered on the case's letters page."""

    list_display = ("letter", "method", "sent_on", "received_on", "tracking_number", "recorded_by")
    list_filter = ("method",)
    search_fields = ("letter__number", "letter__case__number", "tracking_number")
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ChainRuleSetting)
class ChainRuleSettingAdmin(AuditedModelAdmin):
    """An agency's 签批 policy, one row per kind of letter; kinds without a row follow the default
    (``core.approval.DEFAULT_POLICY``: adverse answers signed off by the 负责人)."""

    list_display = ("agency", "subject", "review", "legal", "signer")
    list_filter = ("subject", "signer")
    search_fields = ("agency__name",)
    autocomplete_fields = ("agency",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


@admin.register(Approver)
class ApproverAdmin(AuditedModelAdmin):
    """Who is 科室负责人 (of a department or all) or 法制审核人员; 负责人 act without a row."""

    list_display = ("user", "office", "department")
    list_filter = ("office",)
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user",)


class DraftActionInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DraftAction
    extra = 0
    can_delete = False
    readonly_fields = ("at", "actor", "event", "status_before", "status_after", "comment")
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LetterDraft)
class LetterDraftAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Drafts and their 签批 history are records: viewed here, acted on in the back office only
    (``letters.approvals``), so the admin can neither sign nor skip a step."""

    list_display = ("case", "kind", "status", "drafted_by", "waiting_since", "letter")
    list_filter = ("status", "kind")
    search_fields = ("case__number",)
    readonly_fields = [f.name for f in LetterDraft._meta.fields]
    inlines = [DraftActionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
