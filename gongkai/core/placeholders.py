"""Unfilled placeholders ("（请填写）") left in a text that is about to go out.

A 政府信息公开指南 (条例 art 12 ¶2) must state the 工作机构's address and phone; a letter states
facts the applicant relies on. A text that still says "办公地址：（请填写）" is not ready: the
publishing or issuing service refuses it and names the field.
"""

from __future__ import annotations

import re

#: "（请填写）", "（请填写联系电话）", "【请填写】", "[请填写]".
PLACEHOLDER = re.compile(r"[（(【\[]\s*请填写[^）)】\]]{0,30}[）)】\]]")
_TAG = re.compile(r"<[^>]+>")
_BOUNDARY = re.compile(r"[\n。；;！？]")


def unfilled_placeholders(text: str) -> list[str]:
    """The fields still holding a placeholder, named by the words before it ("办公地址")."""
    plain = _TAG.sub("\n", text)
    found: list[str] = []
    for match in PLACEHOLDER.finditer(plain):
        head = _BOUNDARY.split(plain[: match.start()])[-1].strip().rstrip("：:").strip()
        head = re.split(r"[：:，,]", head)[-1].strip()  # "缴纳方式：缴款账户：（请填写）" → 缴款账户
        inner = match.group(0)[1:-1].strip().removeprefix("请填写").strip()
        name = inner or head[-20:] or "（未命名字段）"
        if name not in found:
            found.append(name)
    return found


def placeholder_message(what: str, fields: list[str]) -> str:
    """ "指南中仍有未填写的内容：办公地址、联系电话"."""
    return f"{what}中仍有未填写的内容：{'、'.join(fields)}，请填写后再发布"
