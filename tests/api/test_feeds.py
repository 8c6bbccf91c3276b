"""The portal's feeds (issue 18 #4): Atom of items and reports, the JSON harvest listing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils.http import http_date
from lxml import etree

from gongkai.publications import services
from gongkai.publications.models import Category, Item
from tests.publications.helpers import make_classified, make_draft, make_published

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def parse(content: bytes) -> Any:
    """Our own feed, parsed without entities or network access."""
    return etree.fromstring(content, parser=etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.fixture
def catalogue(tree: Any) -> dict[str, Category]:
    return {c.name: c for c in services.seed_catalogue(actor=tree.officer_a, agency=tree.street_a)}


def test_items_feed_lists_published_items_only(client: Client, tree: Any, catalogue: dict[str, Category]) -> None:
    public = make_published(tree, catalogue, title="2023年部门预算")
    make_draft(tree, catalogue, title="尚未发布的草稿")
    make_classified(tree, catalogue, title="涉密的部署")
    answer = client.get(f"/a/{tree.street_a.code}/feeds/items.atom")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/atom+xml")
    root = parse(answer.content)
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["2023年部门预算"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith(f"/items/{public.pk}/")
    assert "草稿" not in answer.content.decode() and "涉密" not in answer.content.decode()


def test_feeds_of_an_unknown_agency_are_404(client: Client, tree: Any) -> None:
    assert client.get("/a/NOPE/feeds/items.atom").status_code == 404
    assert client.get("/a/NOPE/feeds/reports.atom").status_code == 404
    assert client.get("/a/NOPE/feeds/items.json").status_code == 404


def test_reports_feed_answers(client: Client, tree: Any) -> None:
    answer = client.get(f"/a/{tree.street_a.code}/feeds/reports.atom")
    assert answer.status_code == 200
    assert parse(answer.content).findtext(f"{ATOM}title").endswith("年度报告")


def test_harvest_pages_in_a_stable_order(
    client: Client, tree: Any, catalogue: dict[str, Category], monkeypatch: Any
) -> None:
    from gongkai.portal import feeds

    monkeypatch.setattr(feeds, "HARVEST_PAGE", 2)
    made = [make_published(tree, catalogue, title=f"第{n}条", today=dt.date(2024, 1, n + 1)) for n in range(3)]
    first = client.get(f"/a/{tree.street_a.code}/feeds/items.json").json()
    assert (first["count"], first["pages"]) == (3, 2)
    assert [r["title"] for r in first["results"]] == ["第0条", "第1条"]
    assert first["next"].endswith("?page=2")
    second = client.get(f"/a/{tree.street_a.code}/feeds/items.json", {"page": 2}).json()
    assert [r["index_number"] for r in second["results"]] == [made[2].index_number] and second["next"] is None
    assert client.get(f"/a/{tree.street_a.code}/feeds/items.json", {"page": 3}).status_code == 404
    assert client.get(f"/a/{tree.street_a.code}/feeds/items.json", {"page": "x"}).status_code == 400


def test_harvest_answers_304_when_nothing_changed(client: Client, tree: Any, catalogue: dict[str, Category]) -> None:
    item = make_published(tree, catalogue)
    url = f"/a/{tree.street_a.code}/feeds/items.json"
    answer = client.get(url)
    stamp = answer["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    older = http_date(item.updated_at.timestamp() - 60)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=older).status_code == 200
    Item.objects.filter(pk=item.pk).update(updated_at=item.updated_at + dt.timedelta(minutes=5))
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=stamp).status_code == 200
