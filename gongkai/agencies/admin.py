from django.contrib import admin
from django.db import transaction

from gongkai.agencies.models import Agency, Department
from gongkai.agencies.services import place_agency
from gongkai.audit.admin import AuditedModelAdmin


class DepartmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Department
    extra = 0


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ("name", "code", "level", "parent", "is_active")
    list_filter = ("level", "is_active")
    search_fields = ("name", "code", "short_name")
    readonly_fields = ("path",)
    inlines = [DepartmentInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            place_agency(obj)
