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


class ReviewInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    result = serializers.ChoiceField(choices=[(r.value, r.label) for r in SecrecyVerdict])
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class WithdrawInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=2000)
