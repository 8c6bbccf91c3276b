"""The admin only reads 主动公开 records: every change goes through ``gongkai.publications.services``
(so no admin form can publish an item, let alone a 涉密 or unreviewed one)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gongkai.publications.models import (
    Article20Figures,
    Attachment,
    Category,
    Guide,
    Item,
    RegisterDocument,
    SecrecyReview,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(ReadOnlyAdmin):
    list_display = ("index_number", "title", "agency", "status", "is_classified", "formed_on", "published_on")
    list_filter = ("status", "is_classified", "agency")
    search_fields = ("index_number", "title", "document_number")
    exclude = ("search_text",)


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdmin):
    list_display = ("name", "agency", "parent", "position")
    list_filter = ("agency",)


@admin.register(SecrecyReview)
class SecrecyReviewAdmin(ReadOnlyAdmin):
    list_display = ("item", "reviewer", "result", "reviewed_at")
    list_filter = ("result",)


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "item", "kind", "size", "uploaded_at")


@admin.register(Guide)
class GuideAdmin(ReadOnlyAdmin):
    list_display = ("agency", "updated_at", "updated_by")


@admin.register(RegisterDocument)
class RegisterDocumentAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "kind", "document_number", "issued_on", "abolished_on")
    list_filter = ("kind", "agency")


@admin.register(Article20Figures)
class Article20FiguresAdmin(ReadOnlyAdmin):
    list_display = ("agency", "year", "licensing", "punishment", "coercion", "fees_10k_yuan", "source")
    list_filter = ("year", "agency")
