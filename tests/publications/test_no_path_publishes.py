"""No path — back-office view, admin, API, import, service — publishes a 涉密 or unreviewed item."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from gongkai.core.publication_flow import ItemStatus
from gongkai.publications.imports import import_items
from gongkai.publications.models import Item
from tests.publications.helpers import make_classified, make_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def unsafe(tree, catalogue):  # type: ignore[no-untyped-def]
    """A 涉密 item, a draft never reviewed, and one waiting for review (drafted by the officer)."""
    pending = make_draft(tree, catalogue, actor=tree.officer_a, title="起草人自己送审的信息")
    from gongkai.publications import services

    services.submit_for_review(actor=tree.officer_a, item=pending)
    return [make_classified(tree, catalogue), make_draft(tree, catalogue, title="未审查的草稿"), pending]


def assert_none_published() -> None:
    assert not Item.objects.filter(status=ItemStatus.PUBLISHED).exists()


def test_back_office_view(client: Client, tree, unsafe) -> None:  # type: ignore[no-untyped-def]
    for user in (tree.officer_a, tree.leader_a):
        client.force_login(user)
        for item in unsafe:
            response = client.post(reverse("publications:item_publish", args=[item.pk]), follow=True)
            assert response.status_code == 200
            html = response.content.decode()
            assert 'class="msg-error"' in html and ("不能" in html or "不得公开" in html)
    # The author cannot clear their own item through the view either.
    client.force_login(tree.officer_a)
    client.post(reverse("publications:item_review", args=[unsafe[2].pk]), {"result": "not_classified"})
    assert Item.objects.get(pk=unsafe[2].pk).status == ItemStatus.PENDING_REVIEW
    assert_none_published()


def test_admin(client: Client, tree, unsafe) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.admin)
    item = unsafe[0]
    url = reverse("admin:publications_item_change", args=[item.pk])
    assert client.get(url).status_code == 200  # read-only view
    response = client.post(url, {"status": "published", "is_classified": "", "title": item.title})
    assert response.status_code == 403
    assert client.post(reverse("admin:publications_item_add"), {"status": "published"}).status_code == 403
    assert client.post(reverse("admin:publications_item_delete", args=[item.pk]), {"post": "yes"}).status_code == 403
    assert_none_published()


def test_api(client: Client, tree, unsafe) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.leader_a)
    for item in unsafe:
        response = client.post(f"/api/publications/items/{item.pk}/publish/")
        assert response.status_code == 409, response.content
        assert response.json()["code"] == "invalid_transition"
    client.force_login(tree.officer_a)
    response = client.post(f"/api/publications/items/{unsafe[2].pk}/review/", {"result": "not_classified"})
    assert response.status_code == 400 and "起草人以外" in response.json()["detail"]
    client.force_login(tree.officer_b)  # another agency: not even visible
    assert client.post(f"/api/publications/items/{unsafe[1].pk}/publish/").status_code == 404
    assert_none_published()


def test_api_lists_are_scoped_and_workflow_works(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    client.force_login(tree.officer_b)
    assert client.get("/api/publications/items/").json()["count"] == 0
    client.force_login(tree.supervisor)
    assert client.get("/api/publications/items/").json()["count"] == 1
    assert client.post(f"/api/publications/items/{item.pk}/submit/").status_code == 403  # reads, never writes
    client.force_login(tree.clerk_a)
    assert client.post(f"/api/publications/items/{item.pk}/submit/").json()["status"] == "pending_review"
    client.force_login(tree.officer_a)
    assert client.post(f"/api/publications/items/{item.pk}/review/", {"result": "not_classified"}).status_code == 200
    body = client.post(f"/api/publications/items/{item.pk}/publish/").json()
    assert body["status"] == "published" and "timeliness" in body


def test_import(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["公开目录", "标题", "成文日期", "状态", "涉密"])
    ws.append(["预算", "导入的信息", "2023-02-01", "已发布", "否"])
    buf = io.BytesIO()
    wb.save(buf)
    imported = import_items(actor=tree.officer_a, agency=tree.street_a, data=buf.getvalue(), filename="a.xlsx")
    assert [i.status for i in imported] == [ItemStatus.DRAFT]
    assert_none_published()
