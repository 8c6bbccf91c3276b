"""The public portal's reading pages: only published, never 涉密; Chinese search; local assets."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.portal import seams
from gongkai.publications import services
from gongkai.publications.models import Guide
from tests.publications.helpers import make_classified, make_cleared, make_draft, make_published

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def items(tree, catalogue):  # type: ignore[no-untyped-def]
    published = make_published(tree, catalogue, title="果园街道2023年部门预算公开")
    leaders = make_published(
        tree,
        catalogue,
        title="领导班子分工",
        category=catalogue["领导信息"],
        document_number="",
        body="<p>班子成员分工如下。</p>",
    )
    secret = make_classified(tree, catalogue, title="涉密的维稳预案预算")
    draft = make_draft(tree, catalogue, title="尚未审查的预算草稿")
    cleared = make_cleared(tree, catalogue, title="审查通过未发布的预算")
    withdrawn = make_published(tree, catalogue, title="已撤回的预算通知")
    services.withdraw(actor=tree.officer_a, item=withdrawn, reason="有误", today=dt.date(2023, 4, 1))
    return {
        "published": published,
        "leaders": leaders,
        "secret": secret,
        "draft": draft,
        "cleared": cleared,
        "withdrawn": withdrawn,
    }


def test_home_and_agency_pages(client: Client, tree, items) -> None:  # type: ignore[no-untyped-def]
    home = client.get("/")
    html = home.content.decode()
    assert home.status_code == 200 and '<html lang="zh-Hans">' in html
    assert "测试区甲街道办事处" in html and "果园街道2023年部门预算公开" in html
    page = client.get(reverse("portal:agency", args=[tree.street_a.code])).content.decode()
    assert "政府信息公开指南" in page and '领导信息 <span class="n">(1)</span>' in page
    assert '财政信息 <span class="n">(1)</span>' in page  # counts include sub-categories, published only


def test_unknown_agency_is_404(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/a/NOPE/").status_code == 404
    assert client.get("/a/%00/").status_code == 404
    assert client.get("/search/", {"q": "预算", "agency": "\x00"}).status_code == 400  # NUL: web.middleware


def test_only_published_items_are_shown(client: Client, tree, items) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("portal:item", args=[items["published"].pk])).status_code == 200
    for key in ("secret", "draft", "cleared", "withdrawn"):
        assert client.get(reverse("portal:item", args=[items[key].pk])).status_code == 404, key
    listing = client.get(reverse("portal:catalogue", args=[tree.street_a.code])).content.decode()
    assert "果园街道2023年部门预算公开" in listing and "领导班子分工" in listing
    for title in ("涉密的维稳预案预算", "尚未审查的预算草稿", "审查通过未发布的预算", "已撤回的预算通知"):
        assert title not in listing


def test_category_includes_subcategories(client: Client, tree, catalogue, items) -> None:  # type: ignore[no-untyped-def]
    page = client.get(reverse("portal:category", args=[tree.street_a.code, catalogue["财政信息"].pk])).content.decode()
    assert "果园街道2023年部门预算公开" in page and "领导班子分工" not in page
    assert client.get(reverse("portal:category", args=[tree.street_a.code, 999999])).status_code == 404


def test_item_page_shows_the_publication_facts_and_attachments(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue, title="2023年部门预算")
    services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("预算表.pdf", PDF))
    services.submit_for_review(actor=tree.clerk_a, item=item)
    from gongkai.core.publication_flow import SecrecyVerdict

    services.record_secrecy_review(actor=tree.officer_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
    services.publish(actor=tree.officer_a, item=item, today=dt.date(2023, 3, 8))
    html = client.get(reverse("portal:item", args=[item.pk])).content.decode()
    for text in (
        "索引号",
        "D1-A/2023-00001",
        "主题分类",
        "发布机构",
        "成文日期",
        "2023年3月1日",
        "文号",
        "果政发〔2023〕3号",
        "发布日期",
        "2023年3月8日",
        "预算表.pdf",
    ):
        assert text in html, text
    att = item.attachments.get()
    response = client.get(reverse("portal:attachment", args=[item.pk, att.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"


def test_attachments_of_unpublished_items_are_not_served(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    att = services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("内部.pdf", PDF))
    assert client.get(reverse("portal:attachment", args=[item.pk, att.pk])).status_code == 404


def test_search_two_characters_and_never_classified(client: Client, tree, items) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("portal:search"), {"q": "预算"}).content.decode()
    assert "找到 1 条" in html and "果园街道2023年部门预算公开" in html
    for title in ("涉密的维稳预案预算", "尚未审查的预算草稿", "审查通过未发布的预算", "已撤回的预算通知"):
        assert title not in html
    other = client.get(reverse("portal:search"), {"q": "预算", "agency": tree.street_b.code}).content.decode()
    assert "找到 0 条" in other


def test_a_common_word_stops_counting_at_the_cap(client: Client, tree, catalogue, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Past SEARCH_COUNT_CAP matches the page says "N 条以上" and lists the newest (issue 16 item 7:
    at 1,000,000 items the cap is 1000, so a common word reads ~1,000 rows, not 5,000)."""
    from gongkai.publications import selectors

    assert selectors.SEARCH_COUNT_CAP == 1000
    monkeypatch.setattr(selectors, "SEARCH_COUNT_CAP", 3)
    for n in range(5):
        make_published(tree, catalogue, title=f"防汛通知第{n}期", formed_on=dt.date(2024, 5, 1 + n), document_number="")
    html = client.get(reverse("portal:search"), {"q": "防汛"}).content.decode()
    assert "找到 3 条以上" in html and "只列出最新的 3 条" in html
    assert "防汛通知第4期" in html and "防汛通知第0期" not in html
    html = client.get(reverse("portal:search"), {"q": "通知第2"}).content.decode()
    assert "找到 1 条" in html and "条以上" not in html


@pytest.mark.parametrize("query", ["", "%", "'; DROP TABLE x; --", "x" * 500, "\x00"])
def test_search_never_fails(client: Client, tree, items, query) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("portal:search"), {"q": query}).status_code == (400 if "\x00" in query else 200)


def test_guide_default_then_edited(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    url = reverse("portal:guide", args=[tree.street_a.code])
    html = client.get(url).content.decode()
    assert "测试区甲街道办事处政府信息公开指南" in html and "二十个工作日" not in html and "20个工作日" in html
    services.update_guide(
        actor=tree.officer_a,
        agency=tree.street_a,
        body="<h2>一、主动公开</h2><p>本街道的指南。</p><script>alert(1)</script>",
    )
    html = client.get(url).content.decode()
    assert "本街道的指南" in html and "alert(1)" not in html
    assert Guide.objects.get(agency=tree.street_a).body.startswith("<h2>")


def test_annual_reports_section_uses_the_reports_seam(client: Client, tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    link = seams.ReportLink(
        pk=7,
        year=2023,
        title="测试区甲街道办事处2023年政府信息公开工作年度报告",
        published_on=dt.date(2024, 1, 6),
        formats=("pdf", "docx"),
    )
    monkeypatch.setattr(seams, "annual_reports", lambda agency: [link])
    html = client.get(reverse("portal:reports", args=[tree.street_a.code])).content.decode()
    assert "2023年政府信息公开工作年度报告" in html
    assert reverse("portal:report_document", args=[tree.street_a.code, 7, "pdf"]) in html


def test_reports_section_empty_without_reports(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    html = client.get(reverse("portal:reports", args=[tree.street_a.code])).content.decode()
    assert "暂无已发布的年度报告" in html
    assert client.get(reverse("portal:report_document", args=[tree.street_a.code, 1, "pdf"])).status_code == 404


def test_every_asset_is_local(client: Client, tree, items) -> None:  # type: ignore[no-untyped-def]
    for url in (
        "/",
        reverse("portal:agency", args=[tree.street_a.code]),
        reverse("portal:search") + "?q=预算",
        reverse("portal:item", args=[items["published"].pk]),
        reverse("portal:apply", args=[tree.street_a.code]),
    ):
        html = client.get(url).content.decode()
        for attr in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not re.match(r"^(https?:)?//", attr), (url, attr)
        assert "<script" not in html  # works without JavaScript


@pytest.mark.parametrize("extra", [0, 25])
def test_list_pages_use_a_constant_number_of_queries(
    client: Client, tree, catalogue, extra, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for n in range(extra):
        make_published(tree, catalogue, title=f"社区通知第{n}号", category=catalogue["通知公告"], document_number="")
    for url in (
        reverse("portal:catalogue", args=[tree.street_a.code]),
        reverse("portal:search") + "?q=通知",
        reverse("portal:agency", args=[tree.street_a.code]),
    ):
        # A first (uncached) request: the page's own queries and the public versions of its
        # cache keys (gongkai.portal.caching); a cached one is far fewer (test_public_cache.py).
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_query_counts_do_not_grow_with_items(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url)
        return len(ctx.captured_queries)

    url = reverse("portal:catalogue", args=[tree.street_a.code])
    make_published(tree, catalogue, title="一条")
    before = count(url)
    for n in range(10):
        make_published(tree, catalogue, title=f"又一条{n}")
    assert count(url) == before


@pytest.mark.parametrize(
    "path",
    [
        "/items/99999999999999999999999/",
        "/items/1/files/99999999999999999999999/",
        "/a/D1-A/catalogue/99999999999999999999999/",
        "/a/D1-A/reports/99999999999999999999999.pdf",
        "/search/?q=预算&page=99999999999999999999999",
        "/a/D1-A/catalogue/?page=-1",
    ],
)
def test_absurd_numbers_are_404_or_a_page_never_500(client: Client, tree, items, path) -> None:  # type: ignore[no-untyped-def]
    assert client.get(path).status_code in (200, 404)


def test_a_body_written_around_the_service_is_still_cleaned(client: Client, tree, items) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications.models import Item

    Item.objects.filter(pk=items["published"].pk).update(
        body='<p>正文</p><script>alert("x")</script><img src=x onerror=alert(1)>'
    )
    html = client.get(reverse("portal:item", args=[items["published"].pk])).content.decode()
    assert "正文" in html and "alert" not in html and "onerror" not in html
