"""The admin of API clients, for system administrators: read and revoke; tokens are made by
``gongkai api-client create`` or the back office (the token is shown once, never here)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from gongkai.apiclients import services
from gongkai.apiclients.models import ApiClient, WebhookDelivery
from gongkai.audit.admin import AuditedModelAdmin


@admin.register(ApiClient)
class ApiClientAdmin(AuditedModelAdmin):
    list_display = ("name", "agency", "token_prefix", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("agency",)
    search_fields = ("name",)
    readonly_fields = (
        "name",
        "agency",
        "scopes",
        "token_prefix",
        "created_by",
        "created_at",
        "revoked_at",
        "last_used_at",
        "webhook_url",
    )
    fields = (*readonly_fields, "expires_at", "rate_per_minute")
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="吊销所选客户端")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for client in queryset.filter(revoked_at__isnull=True):
            services.revoke_client(actor=request.user, client=client, now=timezone.now())  # type: ignore[arg-type]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("pk", "client", "event", "state", "attempts", "last_status", "created_at")
    list_filter = ("state", "event")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
