"""Back-office pages of 主动公开: the workflow through the views, scoping, forms that never 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.core.publication_flow import ItemStatus
from gongkai.publications.models import Article20Figures, Category, Guide, Item, RegisterDocument
from tests.publications.helpers import make_draft, make_published

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def test_full_workflow_through_the_pages(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.clerk_a)
    response = client.post(
        reverse("publications:item_create"),
        {
            "category": catalogue["预算"].pk,
            "title": "果园街道2026年部门预算",
            "document_number": "",
            "issuer": "",
            "formed_on": "2026-02-02",
            "topic": "finance",
            "body": "<p>预算说明</p><script>x</script>",
        },
    )
    item = Item.objects.get()
    assert response.status_code == 302 and item.status == ItemStatus.DRAFT and "<script>" not in item.body
    client.post(
        reverse("publications:attachment_add", args=[item.pk]),
        {"file": SimpleUploadedFile("预算.pdf", b"%PDF-1.4\n%%EOF\n")},
    )
    assert item.attachments.count() == 1
    bad = client.post(
        reverse("publications:attachment_add", args=[item.pk]),
        {"file": SimpleUploadedFile("病毒.exe", b"MZ")},
        follow=True,
    )
    assert "类型不允许" in bad.content.decode()
    client.post(reverse("publications:item_submit", args=[item.pk]))
    client.force_login(tree.officer_a)
    page = client.get(reverse("publications:item_detail", args=[item.pk])).content.decode()
    assert "保密审查" in page and "记录审查结论" in page
    client.post(reverse("publications:item_review", args=[item.pk]), {"result": "not_classified", "notes": ""})
    response = client.post(reverse("publications:item_publish", args=[item.pk]), follow=True)
    item.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and item.published_on is not None
    assert "已发布" in response.content.decode()


def test_late_publication_warns_in_the_page(client: Client, tree, catalogue, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from tests.publications.helpers import make_cleared

    item = make_cleared(tree, catalogue, formed_on=dt.date(2026, 1, 5))
    monkeypatch.setattr("gongkai.clock.today", lambda: dt.date(2026, 3, 20))
    client.force_login(tree.officer_a)
    html = client.post(reverse("publications:item_publish", args=[item.pk]), follow=True).content.decode()
    assert "超过条例第二十六条规定的20个工作日" in html


def test_unknown_calendar_year_is_shown_not_raised(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    from gongkai.publications import services
    from tests.publications.helpers import make_cleared

    item = make_cleared(tree, catalogue, formed_on=dt.date(2026, 12, 20))
    services.publish(actor=tree.officer_a, item=item, today=dt.date(2027, 2, 1))
    client.force_login(tree.officer_a)
    html = client.get(reverse("publications:item_detail", args=[item.pk])).content.decode()
    assert "无法判断（日历未载入）" in html


def test_other_agency_sees_nothing_and_supervisor_only_reads(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    client.force_login(tree.officer_b)
    assert client.get(reverse("publications:item_detail", args=[item.pk])).status_code == 404
    assert client.post(reverse("publications:item_submit", args=[item.pk])).status_code == 404
    assert "关于2023年部门预算公开的说明" not in client.get(reverse("publications:item_list")).content.decode()
    client.force_login(tree.supervisor)
    assert client.get(reverse("publications:item_detail", args=[item.pk])).status_code == 200
    assert client.post(reverse("publications:item_submit", args=[item.pk])).status_code == 403
    assert client.get(reverse("publications:item_create")).status_code == 403
    assert Item.objects.get(pk=item.pk).status == ItemStatus.DRAFT


def test_list_filters(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    make_published(tree, catalogue, title="已发布的信息")
    make_draft(tree, catalogue, title="草稿信息")
    client.force_login(tree.officer_a)
    html = client.get(reverse("publications:item_list"), {"status": "draft"}).content.decode()
    assert "草稿信息" in html and "已发布的信息" not in html
    assert client.get(reverse("publications:item_list"), {"status": "nonsense", "year": "x"}).status_code == 200


def test_catalogue_seed_and_add(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    assert client.get(reverse("publications:item_create")).status_code == 302  # no catalogue yet
    client.post(reverse("publications:catalogue"), {"seed": "1"})
    assert Category.objects.filter(agency=tree.street_a, name="行政规范性文件").exists()
    parent = Category.objects.get(agency=tree.street_a, name="公共服务")
    client.post(reverse("publications:catalogue"), {"name": "社区服务", "parent": parent.pk})
    assert Category.objects.get(name="社区服务").parent == parent
    dup = client.post(reverse("publications:catalogue"), {"name": "社区服务", "parent": parent.pk}, follow=True)
    assert "已存在" in dup.content.decode()


def test_guide_edit(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    page = client.get(reverse("publications:guide")).content.decode()
    assert "政府信息公开指南" in page and "第三十三条" in page  # the generated first draft
    client.post(reverse("publications:guide"), {"body": "<p>新的指南</p>"})
    assert Guide.objects.get(agency=tree.street_a).body == "<p>新的指南</p>"
    client.force_login(tree.clerk_a)
    assert client.post(reverse("publications:guide"), {"body": "<p>x</p>"}).status_code == 403


def test_register_pages(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    client.post(
        reverse("publications:register"),
        {
            "kind": "normative_documents",
            "title": "关于规范物业管理的办法",
            "document_number": "果政规〔2021〕1号",
            "issued_on": "2021-05-01",
        },
    )
    doc = RegisterDocument.objects.get()
    html = client.get(reverse("publications:register"), {"year": "2023"}).content.decode()
    assert "现行有效件数" in html
    client.post(reverse("publications:register_abolish", args=[doc.pk]), {"abolished_on": "2023-06-01"})
    doc.refresh_from_db()
    assert doc.abolished_on == dt.date(2023, 6, 1)
    bad = client.post(reverse("publications:register_abolish", args=[doc.pk]), {"abolished_on": "x"}, follow=True)
    assert "请填写废止日期" in bad.content.decode()


def test_figures_form_and_import(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    client.post(
        reverse("publications:figures"),
        {
            "year": 2023,
            "licensing": 0,
            "punishment": 2015,
            "coercion": 0,
            "fees_10k_yuan": "0",
            "source_note": "执法平台",
        },
    )
    assert Article20Figures.objects.get(year=2023).punishment == 2015
    csv = "年度,行政许可,行政处罚,行政强制,行政事业性收费（万元）\n2022,x,1,0,0\n".encode()
    response = client.post(reverse("publications:figures_import"), {"file": SimpleUploadedFile("数据.csv", csv)})
    assert response.status_code == 400 and "数据.csv 第2行 B列（行政许可）" in response.content.decode()
    assert not Article20Figures.objects.filter(year=2022).exists()


def test_pages_render_for_every_role(client: Client, tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_published(tree, catalogue)
    for user in (tree.officer_a, tree.clerk_a, tree.leader_a, tree.supervisor, tree.admin):
        client.force_login(user)
        for name in ("item_list", "review_queue", "register", "figures"):
            assert client.get(reverse(f"publications:{name}")).status_code == 200, (user, name)
        expected = 200 if user.agency_id == tree.street_a.pk or user in (tree.supervisor, tree.admin) else 404
        assert client.get(reverse("publications:item_detail", args=[item.pk])).status_code == expected
    client.force_login(tree.officer_a)
    home = client.get(reverse("backoffice:home")).content.decode()
    assert "主动公开" in home and "待保密审查" in home


@pytest.mark.parametrize(
    "path",
    ["99999999999999999999999/", "99999999999999999999999/attachments/1/", "register/99999999999999999999999/abolish/"],
)
def test_absurd_ids_are_404(client: Client, tree, path) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    url = "/office/publications/" + path
    response = client.post(url) if path.endswith("abolish/") else client.get(url)
    assert response.status_code == 404


def test_absurd_figures_are_form_errors(client: Client, tree) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    response = client.post(
        reverse("publications:figures"),
        {
            "year": "99999999999999999999",
            "licensing": "2147483648",
            "punishment": "1e400",
            "coercion": "-1",
            "fees_10k_yuan": "99999999999999999999.12345",
        },
    )
    assert response.status_code == 200 and not Article20Figures.objects.exists()
    assert client.get(reverse("publications:register"), {"year": "99999999999999999999"}).status_code == 200
