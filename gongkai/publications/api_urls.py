"""``/api/publications/``: items scoped by ``visible_to``; the workflow actions call the services
(the same checks as the back office: an API client cannot publish a 涉密 or unreviewed item)."""

from __future__ import annotations

from typing import Any

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from gongkai import clock
from gongkai.cases.api_urls import IdFilter, StrictBooleanFilter, StrictParameters
from gongkai.core.api_scopes import Scope
from gongkai.publications import services
from gongkai.publications.models import Item
from gongkai.publications.serializers import (
    ItemSerializer,
    PublishedItemSerializer,
    ReviewInputSerializer,
    WithdrawInputSerializer,
)
from gongkai.web.auth import staff


class ItemApiFilter(StrictParameters, django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no stubs
    category = IdFilter(label="目录", field_name="category_id", help_text="目录 id")
    is_classified = StrictBooleanFilter(label="涉密", field_name="is_classified")

    class Meta:
        model = Item
        fields = ["status", "category", "is_classified"]


class ItemViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = ItemSerializer
    filterset_class = ItemApiFilter
    # An API client reads; the workflow (submit, review, publish, withdraw) is for staff only.
    token_scopes = {"GET": Scope.PUBLICATIONS_READ, "HEAD": Scope.PUBLICATIONS_READ}

    def get_queryset(self) -> Any:
        items = Item.objects.all()
        if getattr(self.request.user, "reads_published_only", False):  # another system's token
            items = Item.objects.published()
        return items.visible_to(self.request.user).select_related("agency", "category").order_by("-id")

    def _done(self, item: Item) -> Response:
        item.refresh_from_db()
        return Response(ItemSerializer(item).data)

    @extend_schema(request=None, responses=ItemSerializer, summary="送保密审查")
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        services.submit_for_review(actor=staff(request), item=item)
        return self._done(item)

    @extend_schema(request=ReviewInputSerializer, responses=ItemSerializer, summary="记录保密审查结论")
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = ReviewInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.record_secrecy_review(
            actor=staff(request),
            item=item,
            result=data.validated_data["result"],
            notes=data.validated_data["notes"],
        )
        return self._done(item)

    @extend_schema(request=None, responses=PublishedItemSerializer, summary="发布（条例第二十六条：是否及时）")
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        outcome = services.publish(actor=staff(request), item=item, today=clock.today())
        item.refresh_from_db()
        item.timeliness = outcome.timeliness
        return Response(PublishedItemSerializer(item).data)

    @extend_schema(request=WithdrawInputSerializer, responses=ItemSerializer, summary="撤回已发布的信息")
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        data = WithdrawInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw(
            actor=staff(request),
            item=item,
            reason=data.validated_data["reason"],
            today=clock.today(),
        )
        return self._done(item)


router = SimpleRouter()
router.register("items", ItemViewSet, basename="publication-item")
urlpatterns = router.urls
