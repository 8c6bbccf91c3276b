"""Feeds of the portal for other sites (a 政府网站集约化平台 that mirrors the agency's pages):
Atom feeds of each agency's newest 主动公开 items and published annual reports, and a JSON
listing of every published item for harvesting. Public data only: what the portal shows.

- ``/a/<code>/feeds/items.atom``: the 50 newest published items (newest first);
- ``/a/<code>/feeds/reports.atom``: the published annual reports (newest year first);
- ``/a/<code>/feeds/items.json?page=N``: every published item, 100 a page, in a stable order
  (发布日期, then id, ascending: a new item lands on the last page), with ``Last-Modified``; a
  request with ``If-Modified-Since`` not older than the newest change answers 304.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.http import http_date, parse_http_date_safe

from gongkai.agencies.models import Agency
from gongkai.portal import seams
from gongkai.publications.models import Item

FEED_ITEMS = 50
HARVEST_PAGE = 100


def _agency(code: str) -> Agency:
    if any(ch < " " for ch in code):
        raise Http404("机关不存在")
    return get_object_or_404(Agency.objects.active(), code=code)


def _midnight(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def _published(agency: Agency) -> Any:
    return Item.objects.published().filter(agency=agency)


class ItemsFeed(Feed):  # type: ignore[type-arg]
    """The newest 主动公开 items of one agency."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, code: str) -> Agency:
        return _agency(code)

    def title(self, agency: Agency) -> str:
        return f"{agency.name} 主动公开信息"

    def subtitle(self, agency: Agency) -> str:
        return f"{agency.name}在政府信息公开平台新发布的主动公开信息"

    def link(self, agency: Agency) -> str:
        return reverse("portal:agency", args=[agency.code])

    def items(self, agency: Agency) -> Any:
        return _published(agency).select_related("category").order_by("-published_on", "-id")[:FEED_ITEMS]

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        excerpt = " ".join(strip_tags(item.body).split())[:200]
        return f"{item.category.name}｜索引号 {item.index_number}｜{item.issuer}。{excerpt}"

    def item_link(self, item: Item) -> str:
        return reverse("portal:item", args=[item.pk])

    def item_guid(self, item: Item) -> str:
        return f"gongkai:item:{item.index_number}"

    def item_pubdate(self, item: Item) -> dt.datetime | None:
        return _midnight(item.published_on)

    def item_updateddate(self, item: Item) -> dt.datetime:
        return item.updated_at

    def item_categories(self, item: Item) -> list[str]:
        return [item.category.name]


class ReportsFeed(Feed):  # type: ignore[type-arg]
    """The published annual reports of one agency (条例 art 49)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, code: str) -> Agency:
        return _agency(code)

    def title(self, agency: Agency) -> str:
        return f"{agency.name} 政府信息公开工作年度报告"

    def link(self, agency: Agency) -> str:
        return reverse("portal:reports", args=[agency.code])

    def items(self, agency: Agency) -> list[Any]:
        return [(agency, link) for link in seams.annual_reports(agency)]

    def item_title(self, item: Any) -> str:
        return str(item[1].title)

    def item_description(self, item: Any) -> str:
        formats = "、".join(f.upper() for f in item[1].formats) or "网页"
        return f"{item[1].year}年度报告，可下载：{formats}"

    def item_link(self, item: Any) -> str:
        agency, link = item
        fmt = "html" if "html" in link.formats or not link.formats else link.formats[0]
        return reverse("portal:report_document", args=[agency.code, link.pk, fmt])

    def item_guid(self, item: Any) -> str:
        return f"gongkai:report:{item[0].code}:{item[1].year}:{item[1].pk}"

    def item_pubdate(self, item: Any) -> dt.datetime | None:
        return _midnight(item[1].published_on)


def harvest(request: HttpRequest, code: str) -> HttpResponse:
    """Every published item of one agency as JSON, a page at a time, with ``Last-Modified``."""
    agency = _agency(code)
    items = _published(agency)
    changed = items.aggregate(last=Max("updated_at"))["last"] or agency_epoch()
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if since is not None and int(changed.timestamp()) <= since:
        response: HttpResponse = HttpResponseNotModified()
        response["Last-Modified"] = http_date(changed.timestamp())
        return response
    raw = request.GET.get("page", "1")
    if not (raw.isascii() and raw.isdigit() and 1 <= len(raw) <= 9 and int(raw) >= 1):
        return JsonResponse({"detail": "page 应为从 1 开始的整数"}, status=400)
    paginator = Paginator(items.select_related("category").order_by("published_on", "id"), HARVEST_PAGE)
    try:
        page = paginator.page(int(raw))
    except EmptyPage:
        if int(raw) != 1:
            return JsonResponse({"detail": "页码超出范围"}, status=404)
        page = paginator.page(1)
    base = request.build_absolute_uri(reverse("portal:feed_harvest", args=[agency.code]))
    body = {
        "agency": {"code": agency.code, "name": agency.name},
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": f"{base}?page={page.number + 1}" if page.has_next() else None,
        "last_modified": changed.isoformat(),
        "results": [
            {
                "index_number": item.index_number,
                "title": item.title,
                "category": item.category.name,
                "issuer": item.issuer,
                "document_number": item.document_number,
                "formed_on": item.formed_on.isoformat(),
                "published_on": item.published_on.isoformat() if item.published_on else None,
                "updated_at": item.updated_at.isoformat(),
                "url": request.build_absolute_uri(reverse("portal:item", args=[item.pk])),
            }
            for item in page.object_list
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Last-Modified"] = http_date(changed.timestamp())
    return response


def agency_epoch() -> dt.datetime:
    """``Last-Modified`` of an agency with nothing published yet."""
    return dt.datetime(2008, 5, 1, tzinfo=dt.UTC)


items_feed = ItemsFeed()
reports_feed = ReportsFeed()
