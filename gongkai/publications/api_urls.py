"""``/api/publications/``: items scoped by ``visible_to``; the workflow actions call the services
(the same checks as the back office: an API client cannot publish a 涉密 or unreviewed item)."""

from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from gongkai import clock
from gongkai.publications import services
from gongkai.publications.models import Item
from gongkai.publications.serializers import ItemSerializer, ReviewInputSerializer, WithdrawInputSerializer
from gongkai.web.auth import staff


class ItemViewSet(viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = ItemSerializer
    filterset_fields = ["status", "category", "is_classified"]

    def get_queryset(self) -> Any:
        return Item.objects.visible_to(self.request.user).select_related("agency", "category").order_by("-id")

    def _done(self, item: Item) -> Response:
        item.refresh_from_db()
        return Response(ItemSerializer(item).data)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        services.submit_for_review(actor=staff(request), item=item)
        return self._done(item)

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

    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        item = self.get_object()
        outcome = services.publish(actor=staff(request), item=item, today=clock.today())
        response = self._done(item)
        response.data["timeliness"] = {"late": outcome.timeliness.late, "message": outcome.timeliness.message}
        return response

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
