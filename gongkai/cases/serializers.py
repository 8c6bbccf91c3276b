"""JSON of cases for the API: identity numbers through the one masking helper."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from gongkai.cases.masking import identity_for
from gongkai.cases.models import Case, CaseEvent, Consultation, Extension, FeeNotice


def _code(help_text: str, *, allow_null: bool = False) -> serializers.CharField:
    """An enum value as a plain string: the codes are defined once in ``gongkai.cases.choices``.

    (drf-spectacular would name one enum per field name, and ``status`` is a field of other apps too.)
    """
    return serializers.CharField(read_only=True, help_text=help_text, allow_null=allow_null)


class CaseListSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    status = _code("状态代码（gongkai.core.case_flow.Status）")
    outcome = _code("办理结果代码（年度报告表三的行，gongkai.core.outcomes.Outcome）；办结前为 null", allow_null=True)
    channel = _code("提交方式代码（gongkai.core.deadlines.Channel）")
    applicant_type = _code("申请人类型代码（表三的列，ApplicantType）")
    agency = serializers.CharField(source="agency.name", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True, default=None, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True, default=None, allow_null=True)
    id_number = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "id",
            "number",
            "agency",
            "department",
            "applicant_type",
            "applicant_name",
            "id_number",
            "channel",
            "received_on",
            "status",
            "status_label",
            "due_on",
            "due_is_provisional",
            "outcome",
            "outcome_label",
            "closed_on",
        ]
        read_only_fields = fields

    def get_id_number(self, obj: Case) -> str:
        return identity_for(self._user(), obj.id_number, listing=True)

    def _user(self) -> Any:
        request = self.context.get("request")
        return getattr(request, "user", None)


class CaseEventSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind = _code("事项代码（core Event 或 CaseNote）")
    status_before = _code("原状态代码")
    status_after = _code("新状态代码")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["on", "kind", "kind_label", "actor_name", "status_before", "status_after", "payload", "note"]
        read_only_fields = fields


class ConsultationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    party = _code("third_party 或 agency")

    class Meta:
        model = Consultation
        fields = ["party", "party_name", "sent_on", "reply_due_on", "ended_on", "replied_on", "consents"]
        read_only_fields = fields


class ExtensionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    decision = _code("pending、approved 或 refused")

    class Meta:
        model = Extension
        fields = ["days", "requested_on", "decision", "decided_on", "notified_on"]
        read_only_fields = fields


class FeeNoticeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    method = _code("by_piece 或 by_volume")

    class Meta:
        model = FeeNotice
        fields = [
            "method",
            "pieces",
            "earlier_pieces",
            "pages",
            "amount",
            "breakdown",
            "notified_on",
            "payment_due_on",
            "paid_on",
            "amount_collected",
            "lapsed_on",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseListSerializer):
    events = CaseEventSerializer(many=True, read_only=True)
    consultations = ConsultationSerializer(many=True, read_only=True)
    extensions = ExtensionSerializer(many=True, read_only=True)
    fee_notices = FeeNoticeSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = [
            *CaseListSerializer.Meta.fields,
            "request_description",
            "document_number",
            "provision_form",
            "delivery_method",
            "pieces",
            "submitted_at",
            "due_note",
            "correction_requested_on",
            "correction_reply_by",
            "correction_received_on",
            "delayed_due_on",
            "version",
            "events",
            "consultations",
            "extensions",
            "fee_notices",
        ]
        read_only_fields = fields

    def get_id_number(self, obj: Case) -> str:
        return identity_for(self._user(), obj.id_number)
