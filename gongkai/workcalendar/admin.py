from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.workcalendar.models import LoadedDay, LoadedYear


class LoadedDayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = LoadedDay
    extra = 0
    can_delete = False
    readonly_fields = ("day", "kind", "name", "line")


@admin.register(LoadedYear)
class LoadedYearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: a year is loaded at /office/calendar/upload/ or with ``gongkai calendar load``,
    which also recomputes open cases' due dates."""

    list_display = ("year", "source_title", "source_number", "loaded_at", "loaded_by")
    readonly_fields = (
        "year",
        "source_title",
        "source_number",
        "source_url",
        "source_published",
        "file_name",
        "text",
        "loaded_at",
        "loaded_by",
    )
    inlines = [LoadedDayInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
