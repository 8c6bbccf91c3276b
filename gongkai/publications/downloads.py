"""Serving an attachment's stored file: the back office and the portal answer with the same response."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponseBase

from gongkai.publications.attachments import KINDS
from gongkai.publications.models import Attachment


def attachment_response(attachment: Attachment) -> HttpResponseBase:
    """The file, as a download with its original name (images and PDF open in the browser)."""
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("附件文件不存在") from None
    kind = KINDS.get(attachment.kind)
    inline = attachment.kind in ("pdf", "jpg", "png")
    return FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.original_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
