from django.contrib import admin

from gongkai.jobs.models import Job


class JobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "kind", "status", "done", "total", "created_by", "created_at", "finished_at")
    list_filter = ("status", "kind")
    readonly_fields = [f.name for f in Job._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


admin.site.register(Job, JobAdmin)
