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


def test_a_zip_bomb_member_is_refused_alone_the_others_are_read() -> None:
    bomb = zipped({"甲.txt": b"report one", "bomb.txt": b"0" * 5_000_000, "乙.txt": b"report two"})
    assert len(bomb) < 20_000  # ~5 KB packed, 5 MB inflated: a ratio of about 1000
    items = expand([("all.zip", bomb)])
    assert [i.name for i in items] == ["all.zip/甲.txt", "all.zip/bomb.txt", "all.zip/乙.txt"]
    assert items[0] == Upload("all.zip/甲.txt", b"report one") and items[2].data == b"report two"
    assert items[1].data == b"" and "压缩炸弹" in items[1].error and "倍" in items[1].error


def test_a_member_declaring_more_than_the_file_limit_is_refused_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_FILE_BYTES", 1_000)
    items = expand([("all.zip", zipped({"big.txt": bytes(range(256)) * 20, "ok.txt": b"fine"}))])
    assert "超过" in items[0].error and items[1] == Upload("all.zip/ok.txt", b"fine")


def test_a_high_ratio_below_the_floor_is_a_normal_file() -> None:
    [item] = expand([("all.zip", zipped({"blank.txt": b" " * 500_000}))])  # 500 KB of spaces: not a bomb
    assert item.error == "" and len(item.data) == 500_000


def test_members_that_together_exceed_the_batch_limit_refuse_the_archive(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_TOTAL_BYTES", 1_000_000)
    data = zipped({f"{i}.txt": bytes(range(256)) * 1_000 for i in range(5)})  # 5 × 256 KB, ratio ~ 100 / 5
    with pytest.raises(UploadLimitError, match="解压后"):
        expand([("many.zip", data)])


def test_members_are_stored_as_they_are_unpacked_and_discarded_on_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    storage: dict[str, bytes] = {}

    def store(data: bytes) -> str:
        path = f"p{len(storage)}"
        storage[path] = data
        return path

    items = expand([("a.txt", b"one"), ("b.zip", zipped({"c.txt": b"two"}))], store=store, discard=storage.pop)
    assert items == [Upload("a.txt", path="p0"), Upload("b.zip/c.txt", path="p1")]
    assert storage == {"p0": b"one", "p1": b"two"}
    storage.clear()
    monkeypatch.setattr(archives, "MAX_FILES", 2)
    with pytest.raises(UploadLimitError):
        expand(
            [("a.txt", b"one"), ("b.zip", zipped({"c.txt": b"two", "d.txt": b"three"}))],
            store=store,
            discard=storage.pop,
        )
    assert storage == {}  # stored before the refusal, removed by it


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
