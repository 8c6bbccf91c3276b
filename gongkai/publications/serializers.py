"""JSON of 主动公开 items for the API."""

from __future__ import annotations

from rest_framework import serializers

from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.publications.models import Item


class ItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency = serializers.CharField(source="agency.name", read_only=True)
    category = serializers.CharField(source="category.name", read_only=True)
    status_label = serializers.CharField(read_only=True)

    class Meta:
        model = Item
        fields = [
            "id",
            "index_number",
            "agency",
            "category",
            "title",
            "issuer",
            "document_number",
            "formed_on",
            "published_on",
            "topic",
            "status",
            "status_label",
            "is_classified",
            "withdrawn_on",
        ]
        read_only_fields = fields


class TimelinessSerializer(serializers.Serializer):  # type: ignore[type-arg]
    late = serializers.BooleanField(
        allow_null=True, read_only=True, help_text="是否超过条例第二十六条的20个工作日；日历缺年份时为 null"
    )
    message = serializers.CharField(read_only=True)


class PublishedItemSerializer(ItemSerializer):
    """An item just published, with whether it was in time (条例 art 26)."""

    timeliness = TimelinessSerializer(read_only=True)

    class Meta(ItemSerializer.Meta):
        fields = [*ItemSerializer.Meta.fields, "timeliness"]
        read_only_fields = fields


class ReviewInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    result = serializers.ChoiceField(choices=[(r.value, r.label) for r in SecrecyVerdict])
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class WithdrawInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)
