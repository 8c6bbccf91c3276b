from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.cases.models import Case, Review


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Cases change only through gongkai.cases.services (the desk): the admin only reads."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "agency", "applicant_name", "status", "received_on", "due_on", "outcome")
    list_filter = ("status", "outcome", "channel", "agency")
    search_fields = ("number", "applicant_name")
    exclude = ("id_number",)  # identity numbers are shown on the desk, to the roles that need them


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "filed_on", "body", "result", "concluded_on")
    list_filter = ("kind", "result", "agency")
