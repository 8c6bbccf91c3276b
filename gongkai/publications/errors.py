"""Errors of the 主动公开 app, in the core's hierarchy (``GongkaiError``), so the API and the CLI
map them like every other user error. Messages are Chinese and name the place."""

from __future__ import annotations

from gongkai.core.errors import GongkaiError


class PublicationError(GongkaiError):
    """A 主动公开 request the rules refuse (wrong agency's catalogue, missing reason…)."""


class AttachmentRejected(PublicationError):
    """An attachment of a type, size or content that is not accepted; the message names the file."""


class ImportFileError(PublicationError):
    """An import file with errors; nothing was written. ``errors`` lists every problem found,
    each naming the file, row and column."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        shown = "；".join(errors[:10])
        more = f"；另有{len(errors) - 10}处错误" if len(errors) > 10 else ""
        super().__init__(f"导入失败，未写入任何数据：{shown}{more}")
