"""API clients of other systems (12345, 政务服务网, 集约化平台): tokens, idempotent intake, webhooks.

The token is shown once and stored as a SHA-256 digest beside a short lookup prefix; the
webhook secret is stored as given (it signs every delivery, so it must be readable).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from gongkai.choices import text_choices
from gongkai.core.api_scopes import DeliveryState, Scope, WebhookEvent

ScopeChoices = text_choices("ScopeChoices", Scope)
WebhookEventChoices = text_choices("WebhookEventChoices", WebhookEvent)
DeliveryStateChoices = text_choices("DeliveryStateChoices", DeliveryState)


class ApiClientQuerySet(models.QuerySet["ApiClient"]):
    def active(self, *, now: object | None = None) -> ApiClientQuerySet:
        moment = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=moment))

    def managed_by(self, user: object) -> ApiClientQuerySet:
        """The clients ``user`` may manage: every client for a system administrator, their own
        agency's for a user of ``API_CLIENT_MANAGER_ROLES``, none otherwise."""
        from gongkai.accounts.models import API_CLIENT_MANAGER_ROLES

        if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
            return self.none()
        if getattr(user, "is_system_admin", False):
            return self.all()
        if getattr(user, "role", None) in API_CLIENT_MANAGER_ROLES and getattr(user, "agency_id", None):
            return self.filter(agency_id=user.agency_id)  # type: ignore[attr-defined]
        return self.none()


class ApiClient(models.Model):
    """Another system that calls the API on behalf of one agency, within its scopes."""

    name = models.CharField("名称", max_length=60, unique=True, help_text="如：12345热线、省政务服务网")
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name="所属机构", on_delete=models.PROTECT, related_name="api_clients"
    )
    scopes = models.JSONField("权限范围", default=list)
    expires_at = models.DateTimeField("有效期至", null=True, blank=True)
    token_prefix = models.CharField("令牌前缀", max_length=16, unique=True, editable=False)
    token_hash = models.CharField("令牌摘要（SHA-256）", max_length=64, editable=False)
    webhook_url = models.URLField("回调地址", max_length=500, blank=True)
    webhook_secret = models.CharField("回调签名密钥", max_length=80, blank=True, editable=False)
    rate_per_minute = models.PositiveIntegerField("每分钟调用上限", default=120)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now, editable=False)
    revoked_at = models.DateTimeField("吊销时间", null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField("最近调用", null=True, blank=True, editable=False)

    objects = ApiClientQuerySet.as_manager()

    class Meta:
        verbose_name = "接口客户端"
        verbose_name_plural = "接口客户端"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_set(self) -> frozenset[str]:
        return frozenset(self.scopes or [])

    def is_usable(self, now: object | None = None) -> bool:
        moment = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)  # type: ignore[operator]

    @property
    def state_label(self) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        if self.expires_at is not None and self.expires_at <= timezone.now():
            return "已过期"
        return "有效"


class IdempotentSubmission(models.Model):
    """One ``Idempotency-Key`` of one client: the request's digest and the answer it got."""

    client = models.ForeignKey(ApiClient, verbose_name="客户端", on_delete=models.CASCADE, related_name="submissions")
    key = models.CharField("幂等键", max_length=200)
    request_digest = models.CharField("请求摘要", max_length=64)
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_reference = models.CharField("来源编号", max_length=100, blank=True)
    response = models.JSONField("应答", default=dict)
    created_at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = "接口申请提交"
        verbose_name_plural = "接口申请提交"
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="api_submission_key_unique")]

    def __str__(self) -> str:
        return f"{self.client} {self.key}"


class ApiCall(models.Model):
    """The access log: one row per authenticated call (reads and writes), with the client's name."""

    client = models.ForeignKey(ApiClient, verbose_name="客户端", on_delete=models.CASCADE, related_name="calls")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    method = models.CharField("方法", max_length=8)
    path = models.CharField("地址", max_length=300)
    status = models.PositiveSmallIntegerField("状态码")

    class Meta:
        verbose_name = "接口调用记录"
        verbose_name_plural = "接口调用记录"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.method} {self.path} {self.status}"


class WebhookDelivery(models.Model):
    """The outbox: one event for one client, sent with retries (``apiclients.webhooks``)."""

    client = models.ForeignKey(ApiClient, verbose_name="客户端", on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField("事件", max_length=40, choices=WebhookEventChoices.choices)
    dedup_key = models.CharField("去重键", max_length=120)
    payload = models.JSONField("内容", default=dict)
    state = models.CharField("状态", max_length=12, choices=DeliveryStateChoices.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    next_attempt_at = models.DateTimeField("下次尝试", null=True, blank=True, db_index=True)
    last_status = models.PositiveSmallIntegerField("最近状态码", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)
    delivered_at = models.DateTimeField("送达时间", null=True, blank=True)
    created_at = models.DateTimeField("产生时间", default=timezone.now)

    class Meta:
        verbose_name = "回调投递"
        verbose_name_plural = "回调投递"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["client", "dedup_key"], name="webhook_delivery_once"),
            models.CheckConstraint(
                condition=Q(state__in=[s.value for s in DeliveryState]), name="webhook_delivery_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client} {self.event} #{self.pk}"
