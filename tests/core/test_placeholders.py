"""Unfilled placeholders are found and named."""

from __future__ import annotations

import pytest

from gongkai.core.placeholders import placeholder_message, unfilled_placeholders


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("<li>办公地址：（请填写）</li><li>联系电话：（请填写）</li>", ["办公地址", "联系电话"]),
        ("缴纳方式：【请填写缴费账户】。", ["缴费账户"]),
        ("联系电话：010-69041234", []),
        ("请填写申请表后提交。", []),  # the words 请填写 in a sentence are not a placeholder
    ],
)
def test_unfilled_placeholders(text: str, fields: list[str]) -> None:
    assert unfilled_placeholders(text) == fields


def test_message_names_the_fields() -> None:
    assert placeholder_message("指南", ["办公地址"]) == "指南中仍有未填写的内容：办公地址，请填写后再发布"
