"""Unpacking uploads: limits from the declared sizes and from the inflated bytes (zip bombs)."""

from __future__ import annotations

import io
import zipfile

import pytest

from gongkai.supervision import archives
from gongkai.supervision.archives import Upload, UploadLimitError, expand, is_archive
from tests.supervision.conftest import as_docx, consistent, zipped


def test_plain_files_pass_through_and_a_docx_is_not_unpacked() -> None:
    docx = as_docx(consistent("某机关", 2023))
    assert not is_archive(docx)
    assert expand([("a.txt", b"abc"), ("b.docx", docx)]) == [Upload("a.txt", b"abc"), Upload("b.docx", docx)]


def test_a_zip_is_replaced_by_its_members_hidden_ones_left_out() -> None:
    data = zipped({"2023/甲.txt": b"one", "__MACOSX/._x": b"junk", ".DS_Store": b"junk"})
    assert expand([("all.zip", data)]) == [Upload("all.zip/2023/甲.txt", b"one")]


def test_gbk_member_names_from_windows_are_decoded() -> None:
    data = zipped({"洪泽区2023年报.txt": b"one"}, gbk_names=True)
    assert [u.name for u in expand([("all.zip", data)])] == ["all.zip/洪泽区2023年报.txt"]


def test_a_zip_inside_a_zip_and_a_broken_zip_are_reported_not_dropped() -> None:
    inner = zipped({"x.txt": b"x"})
    items = expand([("outer.zip", zipped({"inner.zip": inner})), ("bad.zip", b"PK\x03\x04 truncated")])
    assert items[0].name == "outer.zip/inner.zip" and "压缩包中的压缩包" in items[0].error
    assert items[1].name == "bad.zip" and items[1].data == b"PK\x03\x04 truncated"  # left to the reader


def test_a_zip_bomb_is_refused_from_its_declared_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 1_000_000)
    bomb = zipped({"a.txt": b"0" * 2_000_000})  # ~2 KB compressed, 2 MB inflated
    assert len(bomb) < 10_000
    with pytest.raises(UploadLimitError, match="解压后"):
        expand([("bomb.zip", bomb)])


def test_a_member_that_lies_about_its_size_is_stopped_while_inflating(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", 1000)
    data = bytearray(zipped({"a.txt": b"0" * 50_000}))
    # Patch the declared uncompressed size (local header and central directory) down to 10 bytes.
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.infolist()[0]
    central = bytes(data).rfind(b"PK\x01\x02")
    data[22:26] = (10).to_bytes(4, "little")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    assert info.file_size == 50_000
    [item] = expand([("liar.zip", bytes(data))])
    assert item.data == b"" and item.error  # refused (too big, or a CRC/size error), never inflated whole


def test_one_file_over_the_size_limit_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", 10)
    items = expand([("big.pdf", b"x" * 11), ("small.txt", b"x")])
    assert items[0].error and items[1] == Upload("small.txt", b"x")


def test_too_many_files_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_FILES", 2)
    with pytest.raises(UploadLimitError):
        expand([("a", b"1"), ("b", b"2"), ("c", b"3")])
