"""Admin: annual reports are read-only here. Drafting, signing off and publishing go through the
back office (``reports.services``); no admin form or action can set a status or a signature."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.audit.admin import AuditedModelAdmin
from gongkai.reports.models import AnnualReportRecord


@admin.register(AnnualReportRecord)
class AnnualReportRecordAdmin(AuditedModelAdmin):
    list_display = ("agency", "year", "version", "status", "signed_by", "signed_at", "published_at")
    list_filter = ("status", "year")
    search_fields = ("agency__name", "agency__code")
    list_select_related = ("agency", "signed_by")
    actions = None  # no bulk delete: a signed-off report is never deleted
    readonly_fields = (
        "agency",
        "year",
        "version",
        "status",
        "narrative",
        "snapshot",
        "findings",
        "file_docx",
        "file_pdf",
        "file_html",
        "file_xlsx",
        "file_digests",
        "signed_by",
        "signed_at",
        "published_at",
        "supersedes",
        "submitted_by",
        "submitted_at",
        "contradiction_note",
        "created_by",
        "created_at",
        "updated_at",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Only an abandoned draft may be deleted; signed-off and published versions are kept."""
        return obj is not None and obj.is_open
