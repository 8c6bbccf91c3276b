"""``POST /api/v1/cases/applications/``: another system passes on an application (12345, 政务服务网).

The case is made by the portal's own use case (``cases.services.submit_online_application``):
channel 互联网 unless the client states 传真 or 平常信函, the original submission time, the
source system's reference, and it waits for the agency to confirm receipt with the applicant
(条例 art 31(3)), so the answer period (and ``due_on``) starts then.

``Idempotency-Key`` (required) makes a retried call safe: the key is stored per client with a
digest of the body in the same transaction as the case (a unique constraint, so two concurrent
calls with one key make one case). The same key with the same body answers the first answer
again; with another body it is a 409.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gongkai.apiclients.models import ApiClient, IdempotentSubmission
from gongkai.cases.applicants import Applicant
from gongkai.cases.choices import DeliveryMethod, IdentityDocument, ProvisionForm
from gongkai.cases.models import Case
from gongkai.cases.services import submit_online_application
from gongkai.core.api_scopes import Scope
from gongkai.core.deadlines import Channel
from gongkai.core.report.taxonomy import ApplicantType

#: A stated submission time may run this far ahead of our clock (the other system's clock drifts).
CLOCK_SKEW = dt.timedelta(minutes=5)
#: No application under the 条例 predates its promulgation year.
EARLIEST_SUBMISSION = dt.datetime(2007, 1, 1, tzinfo=dt.UTC)
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]{1,200}$"
#: Text that must say something: at least one non-blank character, no NUL.
_SAYS_SOMETHING = r"^[^\x00]*[^\x00\s][^\x00]*$"
_NO_NUL = r"^[^\x00]*$"
#: An e-mail address Django's ``EmailValidator`` accepts, or nothing (the schema states the same).
_EMAIL = (
    r"^([A-Za-z0-9_%+-]{1,30}(\.[A-Za-z0-9_%+-]{1,30}){0,3}@"
    r"([A-Za-z0-9]([A-Za-z0-9-]{0,20}[A-Za-z0-9])?\.){1,4}[A-Za-z]{2,20})?$"
)
API_CHANNELS = [c for c in Channel if c.needs_confirmation]


class StrictText(serializers.RegexField):
    """Text that is a JSON string (DRF would turn ``0`` into ``"0"``: the schema says string)."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))


class StrictInteger(serializers.IntegerField):
    """A JSON integer (not ``"1"``, ``1.0`` or ``true``)."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return int(super().to_internal_value(data))


def _text(label: str, max_length: int, *, required: bool = False, help_text: str = "") -> serializers.CharField:
    if required:
        return StrictText(
            _SAYS_SOMETHING, max_length=max_length, label=label, help_text=help_text or label, trim_whitespace=False
        )
    return StrictText(
        _NO_NUL,
        max_length=max_length,
        required=False,
        allow_blank=True,
        default="",
        label=label,
        help_text=help_text or label,
        trim_whitespace=False,
    )


class ApplicantInput(serializers.Serializer):  # type: ignore[type-arg]
    applicant_type = serializers.ChoiceField(
        choices=[(t.value, t.label) for t in ApplicantType], help_text="申请人类型（年度报告表三的列）"
    )
    applicant_name = _text("申请人姓名或名称", 200, required=True)
    id_type = serializers.ChoiceField(
        choices=IdentityDocument.choices, default=IdentityDocument.RESIDENT_ID, help_text="身份证明类型"
    )
    id_number = _text("身份证明号码", 64)
    org_credit_code = _text("统一社会信用代码", 18)
    legal_representative = _text("法定代表人或负责人", 60)
    contact_person = _text("联系人", 60)
    phone = _text("联系电话", 40)
    email = StrictText(_EMAIL, max_length=120, required=False, allow_blank=True, default="", help_text="电子邮箱")
    address = _text("通信地址", 200)
    postal_code = _text("邮政编码", 10)


class ApplicationInput(serializers.Serializer):  # type: ignore[type-arg]
    applicant = ApplicantInput(help_text="申请人（条例第二十九条第二款第（一）项）")
    request_description = _text("所需信息的名称或特征性描述", 5000, required=True)
    document_number = _text("文号", 200)
    provision_form = serializers.ChoiceField(
        choices=ProvisionForm.choices, default=ProvisionForm.ELECTRONIC, help_text="指定的提供形式"
    )
    delivery_method = serializers.ChoiceField(
        choices=DeliveryMethod.choices, default=DeliveryMethod.EMAIL, help_text="获取信息的方式"
    )
    pieces = StrictInteger(min_value=1, max_value=99, default=1, help_text="件数（一事一申请）")
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in API_CHANNELS],
        default=Channel.INTERNET.value,
        help_text="提交方式：互联网（默认）、传真或平常信函；收到申请之日为与申请人确认之日（条例第三十一条）",
    )
    submitted_at = serializers.DateTimeField(
        required=False, help_text="申请人在来源系统提交的时间（ISO 8601）；缺省为现在；不得晚于现在"
    )
    source_reference = _text("来源系统的编号（如 12345 工单号）", 100)

    def validate_submitted_at(self, value: dt.datetime) -> dt.datetime:
        if value > timezone.now() + CLOCK_SKEW:
            raise serializers.ValidationError("提交时间晚于现在")
        if value < EARLIEST_SUBMISSION:
            raise serializers.ValidationError("提交时间早于 2007 年")
        return value


class ApplicationAccepted(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField(help_text="案件 id（GET /api/v1/cases/{id}/）")
    number = serializers.CharField(help_text="案件编号")
    tracking_code = serializers.CharField(help_text="查询码：申请人在门户查询办理进度")
    status = serializers.CharField(help_text="状态代码（待确认：awaiting_confirmation）")
    status_label = serializers.CharField(help_text="状态")
    channel = serializers.CharField(help_text="提交方式代码")
    submitted_at = serializers.DateTimeField(help_text="提交时间")
    received_on = serializers.DateField(allow_null=True, help_text="收到申请之日：与申请人确认之前为 null")
    due_on = serializers.DateField(allow_null=True, help_text="答复期限：确认收到申请之后才开始计算，此前为 null")
    source_reference = serializers.CharField(help_text="来源系统的编号")


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "idempotency_key_reused"
    default_detail = "Idempotency-Key 已用于内容不同的另一次提交：同一个键只能重发同一份申请"


def _digest(data: Any) -> str:
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _answer(case: Case, reference: str) -> dict[str, Any]:
    return dict(
        ApplicationAccepted(
            {
                "id": case.pk,
                "number": case.number,
                "tracking_code": case.tracking_code,
                "status": case.status,
                "status_label": case.get_status_display(),
                "channel": case.channel,
                "submitted_at": case.submitted_at,
                "received_on": case.received_on,
                "due_on": case.due_on,
                "source_reference": reference,
            }
        ).data
    )


class ApplicationIntakeView(APIView):
    """Register an application passed on by another system (needs the scope ``cases:submit``)."""

    parser_classes = [JSONParser]
    token_scopes = {"POST": Scope.CASES_SUBMIT}

    @extend_schema(
        operation_id="cases_applications_create",
        summary="提交政府信息公开申请（来自其他系统）",
        description=(
            "以令牌所属机构的名义登记一件网上申请，如同申请人在门户提交：案件进入“待确认”，"
            "与申请人确认之日为收到申请之日（条例第三十一条），答复期限自此起算。"
            "需要权限范围 cases:submit 和 Idempotency-Key 请求头：同一键、同一内容的重发得到同一答复，"
            "同一键、不同内容答 409。仅限接口令牌调用。"
        ),
        request=ApplicationInput,
        responses={201: ApplicationAccepted},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                {"type": "string", "pattern": IDEMPOTENCY_KEY_PATTERN, "minLength": 1, "maxLength": 200},
                OpenApiParameter.HEADER,
                required=True,
                description="幂等键：来源系统为每份申请生成的唯一值（如 UUID），重试时不变",
            )
        ],
    )
    def post(self, request: Request) -> Response:
        client = request.auth
        if not isinstance(client, ApiClient):
            raise exceptions.PermissionDenied("仅限接口令牌调用：工作人员请在后台登记申请")
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            raise exceptions.ValidationError({"Idempotency-Key": ["缺少 Idempotency-Key 请求头"]})
        if not (1 <= len(key) <= 200 and all("!" <= ch <= "~" for ch in key)):
            raise exceptions.ValidationError({"Idempotency-Key": ["应为 1 至 200 个可见 ASCII 字符"]})
        digest = _digest(request.data)
        earlier = IdempotentSubmission.objects.filter(client=client, key=key).first()
        if earlier is not None:
            return self._replay(earlier, digest)
        data = ApplicationInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            return self._submit(request, client, key, digest, data.validated_data)
        except IntegrityError:
            # A concurrent call with the same key won the unique constraint: answer as it did.
            earlier = IdempotentSubmission.objects.filter(client=client, key=key).first()
            if earlier is None:
                raise
            return self._replay(earlier, digest)

    @staticmethod
    def _replay(earlier: IdempotentSubmission, digest: str) -> Response:
        if earlier.request_digest != digest:
            raise IdempotencyKeyReused()
        return Response(earlier.response, status=status.HTTP_201_CREATED, headers={"Idempotent-Replayed": "true"})

    @staticmethod
    @transaction.atomic
    def _submit(request: Request, client: ApiClient, key: str, digest: str, data: dict[str, Any]) -> Response:
        reference = data["source_reference"].strip()
        # The key first: a concurrent twin blocks here on the unique index, then fails.
        submission = IdempotentSubmission.objects.create(
            client=client, key=key, request_digest=digest, source_reference=reference
        )
        case = submit_online_application(
            agency=client.agency,
            applicant=Applicant(**data["applicant"]),
            request_description=data["request_description"],
            submitted_at=data.get("submitted_at") or timezone.now(),
            client_ip=None,
            document_number=data["document_number"],
            provision_form=data["provision_form"],
            delivery_method=data["delivery_method"],
            pieces=data["pieces"],
            channel=Channel(data["channel"]),
            source=f"接口：{client.name}",
            source_reference=reference,
        )
        submission.case = case
        submission.response = _answer(case, reference)
        submission.save(update_fields=["case", "response"])
        return Response(submission.response, status=status.HTTP_201_CREATED)
