"""A zip written entry by entry to a file, hashing as it goes, with a manifest at the end.

Bounded memory: each entry is streamed into the zip (``ZipFile.open(…, "w")``) in chunks while
its SHA-256 and size are computed; nothing keeps the whole archive in memory. Every entry gets
the same timestamp (the export's ``generated_at``) and permissions, so that the same records
exported with the same ``generated_at`` give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

CHUNK = 1 << 16
MANIFEST_NAME = "manifest.json"


@dataclass(frozen=True, slots=True)
class Entry:
    path: str
    sha256: str
    size: int


class ArchiveWriter:
    """Entries added in the caller's (deterministic) order; names made unique, never reused."""

    def __init__(self, target: IO[bytes], *, stamp: dt.datetime) -> None:
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True)
        local = stamp.replace(tzinfo=None)
        self._date_time = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)
        self.entries: list[Entry] = []
        self._names: set[str] = set()

    def unique(self, path: str) -> str:
        """``path``, or ``stem（2）.ext`` … when it is taken (two uploads of the same name)."""
        if path not in self._names:
            return path
        folder, _, name = path.rpartition("/")
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        n = 2
        while True:
            candidate = f"{folder + '/' if folder else ''}{stem}（{n}）{'.' + ext if ext else ''}"
            if candidate not in self._names:
                return candidate
            n += 1

    def _info(self, path: str) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o100644 << 16
        return info

    def add_bytes(self, path: str, data: bytes) -> Entry:
        return self.add_chunks(path, [data])

    def add_file(self, path: str, handle: IO[bytes]) -> Entry:
        """Copy an open file into the archive in chunks."""
        return self.add_chunks(path, iter(lambda: handle.read(CHUNK), b""))

    def add_chunks(self, path: str, chunks: Iterable[bytes]) -> Entry:
        path = self.unique(path)
        digest = hashlib.sha256()
        size = 0
        with self._zip.open(self._info(path), "w", force_zip64=True) as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self._names.add(path)
        entry = Entry(path, digest.hexdigest(), size)
        self.entries.append(entry)
        return entry

    def finish(self, manifest: dict[str, Any]) -> bytes:
        """Write ``manifest`` (with the file list, sorted by path) last and close the zip."""
        body = {
            **manifest,
            "files": [
                {"path": e.path, "sha256": e.sha256, "size": e.size} for e in sorted(self.entries, key=lambda e: e.path)
            ],
        }
        data = json.dumps(body, ensure_ascii=False, indent=2, sort_keys=False).encode("utf-8") + b"\n"
        info = self._info(MANIFEST_NAME)
        self._zip.writestr(info, data)
        self._zip.close()
        return data
