"""条例 art 26 at publication: the outcome of ``publish`` says whether the item was in time."""

from __future__ import annotations

import datetime as dt

import pytest

from gongkai.publications import services
from tests.publications.helpers import make_cleared


@pytest.mark.django_db
def test_publish_warns_when_late_and_never_crashes_on_missing_year(tree, catalogue) -> None:  # type: ignore[no-untyped-def]
    late = make_cleared(tree, catalogue, formed_on=dt.date(2026, 3, 2))
    outcome = services.publish(actor=tree.officer_a, item=late, today=dt.date(2026, 4, 15))
    assert outcome.timeliness.late is True and "条例第二十六条" in outcome.timeliness.message
    unknown = make_cleared(tree, catalogue, title="跨年发布", formed_on=dt.date(2026, 12, 20))
    outcome = services.publish(actor=tree.officer_a, item=unknown, today=dt.date(2027, 1, 15))
    assert outcome.timeliness.message == "无法判断（日历未载入）"
    unknown.refresh_from_db()
    assert unknown.published_on == dt.date(2027, 1, 15)
