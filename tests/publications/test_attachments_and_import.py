"""Attachments (type, size, content checked) and the import of items as drafts."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from gongkai.core.errors import InvalidTransition
from gongkai.core.publication_flow import ItemStatus
from gongkai.publications import services
from gongkai.publications.errors import AttachmentRejected, ImportFileError
from gongkai.publications.imports import import_items
from gongkai.publications.models import Attachment, Item
from tests.publications.helpers import make_draft, make_published

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def zipped(*members: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for m in members:
            # A fixed time stamp: the bytes name the parametrised test, and xdist workers must agree.
            z.writestr(zipfile.ZipInfo(m, date_time=(2024, 1, 1, 0, 0, 0)), "<x/>")
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("预算表.pdf", PDF),
        ("照片.JPEG", JPG),
        ("图.png", PNG),
        ("说明.docx", zipped("[Content_Types].xml", "word/document.xml")),
        ("明细.xlsx", zipped("[Content_Types].xml", "xl/workbook.xml")),
        ("公文.ofd", zipped("OFD.xml", "Doc_0/Document.xml")),
    ],
)
def test_accepted_files(tree, catalogue, name, data) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    att = services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile(name, data))
    assert att.original_name == name and att.size == len(data) and len(att.sha256) == 64
    assert not att.file.name.endswith(name)  # stored under a random name
    assert att.file.read() == data


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("病毒.exe", b"MZ\x90\x00", "类型不允许：只接受 PDF、Word（.docx）、Excel（.xlsx）、JPG、PNG、OFD"),
        ("旧格式.doc", b"\xd0\xcf\x11\xe0", "类型不允许"),
        ("伪装.pdf", b"<html>not a pdf</html>", "内容不是 PDF 文件"),
        ("伪装.docx", zipped("xl/workbook.xml"), "缺少 word/document.xml"),
        ("坏的.xlsx", b"PK\x03\x04garbage", "已损坏"),
        ("空.png", b"", "空文件"),
    ],
)
def test_refused_files(tree, catalogue, name, data, message) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    with pytest.raises(AttachmentRejected, match=message):
        services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile(name, data))
    assert not Attachment.objects.exists()


def test_size_limit(tree, catalogue, settings) -> None:  # type: ignore[no-untyped-def]
    settings.PUBLICATION_ATTACHMENT_MAX_BYTES = 1024 * 1024
    item = make_draft(tree, catalogue)
    big = PDF + b"0" * (1024 * 1024)
    with pytest.raises(AttachmentRejected, match=r"大小为 1.0 MB，超过上限 1.0 MB"):
        services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("大.pdf", big))


def test_published_item_attachments_are_frozen(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    item = make_published(tree, catalogue)
    with pytest.raises(InvalidTransition):
        services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("a.pdf", PDF))


def test_remove_attachment_deletes_the_file(tree, catalogue, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    item = make_draft(tree, catalogue)
    att = services.add_attachment(actor=tree.clerk_a, item=item, upload=SimpleUploadedFile("a.pdf", PDF))
    storage, name = att.file.storage, att.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(actor=tree.clerk_a, attachment=att)
    assert not storage.exists(name) and not Attachment.objects.exists()


def _sheet(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_items_creates_drafts_only(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    data = _sheet(
        [
            ["公开目录", "标题", "文号", "成文日期", "主题分类", "正文", "状态"],
            ["财政信息/预算", "2023年部门预算", "", "2023-02-01", "财政、金融、审计", "第一段\n第二段", "已发布"],
            ["领导信息", "领导班子分工", "", "2023年1月10日", "", "", "已发布"],
        ]
    )
    items = import_items(actor=tree.clerk_a, agency=tree.street_a, data=data, filename="目录.xlsx")
    assert [i.title for i in items] == ["2023年部门预算", "领导班子分工"]
    assert {i.status for i in Item.objects.all()} == {ItemStatus.DRAFT}  # a 状态 column publishes nothing
    assert items[0].body == "<p>第一段</p><p>第二段</p>" and items[0].topic == "finance"


def test_import_items_is_all_or_nothing(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    data = _sheet(
        [
            ["公开目录", "标题", "成文日期"],
            ["预算", "正确的一行", "2023-02-01"],
            ["不存在的目录", "", "明天"],
        ]
    )
    with pytest.raises(ImportFileError) as info:
        import_items(actor=tree.clerk_a, agency=tree.street_a, data=data, filename="目录.xlsx")
    assert info.value.errors == [
        "目录.xlsx 第3行 A列（公开目录）：“不存在的目录”本机关的公开目录中没有该目录",
        "目录.xlsx 第3行 B列（标题）：为空",
        "目录.xlsx 第3行 C列（成文日期）：应为日期（如 2023-03-15），实为“明天”",
    ]
    assert not Item.objects.exists()
