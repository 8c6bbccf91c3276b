from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.cases.masking import mask_identity, mask_phone
from gongkai.cases.models import Case, CaseTransfer, Review


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
    # System administrators do not handle applications: no identity number (nor ``applicant_key``,
    # which holds it), no contact in full (docs/personal-data.md). The desk shows them to the
    # roles that need them.
    exclude = ("id_number", "applicant_key", "phone", "email", "address", "postal_code", "client_ip")
    readonly_fields = ("masked_id_number", "masked_phone")

    @admin.display(description="身份证明号码")
    def masked_id_number(self, obj: Case) -> str:
        return mask_identity(obj.id_number)

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Case) -> str:
        return mask_phone(obj.phone)


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdmin):
    list_display = ("agency", "kind", "filed_on", "body", "result", "concluded_on")
    list_filter = ("kind", "result", "agency")


@admin.register(CaseTransfer)
class CaseTransferAdmin(ReadOnlyAdmin):
    """转办 records (条例 art 36(5)) are audit data: written by ``services.transfer_application`` only."""

    list_display = ("from_case", "agency_name", "to_case", "original_received_on", "transferred_on", "created_by")
    list_filter = ("transferred_on", "to_agency")
    search_fields = ("from_case__number", "to_case__number", "agency_name")
    list_select_related = ("from_case", "to_case", "created_by")
    date_hierarchy = "transferred_on"
