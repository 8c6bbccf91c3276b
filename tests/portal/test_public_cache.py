"""The portal's cached pages and catalogue counts (issue 19): served from the cache to visitors
without a session, invalidated by every change the public can see, never mixed across display
modes or shown to a signed-in user."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.core.publication_flow import SecrecyVerdict
from gongkai.portal.display import COOKIE, LARGE
from gongkai.publications import services
from gongkai.publications.public_cache import bump, versions
from gongkai.publications.selectors import catalogue_tree
from tests.publications.helpers import make_cleared, make_published

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str, **extra: str) -> tuple[int, str]:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_a_cached_page_is_served_with_a_few_queries_and_no_cookie(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="果园街道冬季供暖通知")
    url = reverse("portal:catalogue", args=[tree.street_a.code])
    first, html = _queries(client, url)
    again, cached = _queries(client, url)
    assert cached == html and "果园街道冬季供暖通知" in cached
    assert again <= 3 < first  # the versions (and nothing else) are read for a cached page
    response = client.get(url)
    assert not response.cookies and "Cookie" in response["Vary"]
    assert "csrfmiddlewaretoken" not in cached


def test_publishing_and_withdrawing_change_the_cached_pages(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    notice = catalogue["通知公告"]
    make_published(tree, catalogue, title="第一份通知", category=notice)
    urls = [
        reverse("portal:catalogue", args=[tree.street_a.code]),
        reverse("portal:category", args=[tree.street_a.code, notice.pk]),
        reverse("portal:agency", args=[tree.street_a.code]),
        reverse("portal:index"),
    ]
    for url in urls:
        assert "第一份通知" in client.get(url).content.decode()
        assert "第二份通知" not in client.get(url).content.decode()  # now cached
    second = make_published(tree, catalogue, title="第二份通知", category=notice)
    for url in urls:
        assert "第二份通知" in client.get(url).content.decode(), url
    item_url = reverse("portal:item", args=[second.pk])
    assert client.get(item_url).status_code == 200
    services.withdraw(actor=tree.officer_a, item=second, reason="有误", today=dt.date.today())
    for url in urls:
        assert "第二份通知" not in client.get(url).content.decode(), url
    assert client.get(item_url).status_code == 404


def test_the_catalogue_counts_follow_publication_withdrawal_and_recategorising(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    notice, leaders = catalogue["通知公告"], catalogue["领导信息"]

    def counts() -> tuple[int, int]:
        tree_ = catalogue_tree(tree.street_a, with_counts=True)
        return tree_.by_id[notice.pk].count, tree_.by_id[leaders.pk].count

    assert counts() == (0, 0)
    item = make_published(tree, catalogue, title="一份通知", category=notice)
    assert counts() == (1, 0)
    assert counts() == (1, 0)  # from the cache
    # Re-categorised while published (the admin site saves the row directly): the counts follow.
    item.category = leaders
    item.save(update_fields=["category"])
    assert counts() == (0, 1)
    item.refresh_from_db()
    services.withdraw(actor=tree.officer_a, item=item, reason="过时", today=dt.date.today())
    assert counts() == (0, 0)
    # Through the services: withdrawn, moved back, reviewed and published again.
    services.update_item(actor=tree.officer_a, item=item, category=notice)
    assert counts() == (0, 0)
    item.refresh_from_db()
    services.submit_for_review(actor=tree.officer_a, item=item)
    services.record_secrecy_review(actor=tree.officer_a, item=item, result=SecrecyVerdict.NOT_CLASSIFIED)
    item.refresh_from_db()
    services.publish(actor=tree.officer_a, item=item, today=dt.date.today())
    assert counts() == (1, 0)


def test_an_unpublished_item_changes_nothing_the_public_sees_but_its_version_moves(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    before = versions(tree.street_a.pk), versions(tree.street_b.pk)
    make_cleared(tree, catalogue, title="审查通过未发布")
    after = versions(tree.street_a.pk), versions(tree.street_b.pk)
    assert after[0] != before[0]  # conservative: any save of an agency's item
    assert after[1] == before[1]  # another agency's pages stay cached


def test_each_display_mode_gets_its_own_page(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="一份通知")
    url = reverse("portal:agency", args=[tree.street_a.code])
    normal = client.get(url).content.decode()
    client.cookies[COOKIE] = LARGE
    large = client.get(url).content.decode()
    assert "large-mode" in large and "large-mode" not in normal
    del client.cookies[COOKIE]
    assert "large-mode" not in client.get(url).content.decode()


def test_a_signed_in_user_never_gets_or_leaves_a_cached_page(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="一份通知")
    url = reverse("portal:index")
    client.force_login(tree.officer_a)
    client.get(url)  # the first request after sign-in renews the session (a write); the next ones do not
    signed_in_first, _ = _queries(client, url)
    signed_in_again, _ = _queries(client, url)
    assert signed_in_again == signed_in_first  # rendered every time, never from the cache
    anonymous = Client()
    first, _ = _queries(anonymous, url)
    again, _ = _queries(anonymous, url)
    assert again < first  # the first anonymous request rendered: nothing was stored for the user
    assert again < signed_in_again


def test_an_agency_renamed_or_a_bump_refreshes_its_pages(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    url = reverse("portal:agency", args=[tree.street_a.code])
    assert tree.street_a.name in client.get(url).content.decode()
    tree.street_a.name = "改名后的街道办事处"
    tree.street_a.save()
    assert "改名后的街道办事处" in client.get(url).content.decode()
    before = versions()
    bump([tree.street_b.pk])
    assert versions() != before


def test_a_cached_search_finds_an_item_published_after_it(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="供暖通知第一份")
    url = reverse("portal:search") + "?q=供暖通知"
    for query in (url, url + f"&agency={tree.street_a.code}"):
        html = client.get(query).content.decode()
        assert "供暖通知第一份" in html and "供暖通知第二份" not in html
        assert client.get(query).content.decode() == html  # count and ids from the cache
    second = make_published(tree, catalogue, title="供暖通知第二份")
    for query in (url, url + f"&agency={tree.street_a.code}"):
        assert "供暖通知第二份" in client.get(query).content.decode()
    services.withdraw(actor=tree.officer_a, item=second, reason="有误", today=dt.date.today())
    for query in (url, url + f"&agency={tree.street_a.code}"):
        assert "供暖通知第二份" not in client.get(query).content.decode()


def test_the_search_pages_agency_list_is_read_once_and_follows_an_agency_change(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    def agency_list_reads(query: str) -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(reverse("portal:search"), {"q": query}).content.decode()
        return sum('FROM "agencies_agency"' in q["sql"] and "path" in q["sql"] for q in ctx.captured_queries), html

    reads, html = agency_list_reads("供暖")
    assert reads == 1 and f'<option value="{tree.street_a.code}">{tree.street_a.name}</option>' in html
    reads, html = agency_list_reads("防汛")  # another search (not the cached page): the list is kept
    assert reads == 0 and tree.street_a.name in html
    tree.street_a.name = "改名后的<街道>办事处"
    tree.street_a.save()
    reads, html = agency_list_reads("预算")
    assert reads == 1 and "改名后的&lt;街道&gt;办事处" in html
    selected = client.get(reverse("portal:search"), {"q": "预算", "agency": tree.street_a.code}).content.decode()
    assert f'<option value="{tree.street_a.code}" selected>改名后的&lt;街道&gt;办事处</option>' in selected
