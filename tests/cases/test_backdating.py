"""A clock event dated long before the day it is entered is a 补录: refused without a reason, audited with one."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from gongkai.audit.models import AuditEvent
from gongkai.cases import services
from gongkai.cases.errors import CaseInputError
from gongkai.core.fees import FeeMethod
from tests.factories import CASE_DAY, InProgressCase

THREE_WEEKS_LATER = CASE_DAY + dt.timedelta(days=24)


def test_fee_notice_dated_three_weeks_ago_needs_a_reason(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(CaseInputError, match="补录原因"):
        services.send_fee_notice(
            actor=tree.officer_a,
            case=case,
            method=FeeMethod.BY_VOLUME,
            pages=250,
            on=CASE_DAY + dt.timedelta(days=3),
            today=THREE_WEEKS_LATER,
        )
    case.refresh_from_db()
    assert not case.fee_notices.exists()


def test_back_dated_event_with_a_reason_is_audited_as_such(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    case = services.send_fee_notice(
        actor=tree.officer_a,
        case=case,
        method=FeeMethod.BY_VOLUME,
        pages=250,
        on=CASE_DAY + dt.timedelta(days=3),
        today=THREE_WEEKS_LATER,
        backdated_reason="纸质收费通知已于3月5日送达，系统当时停机",
    )
    audit = AuditEvent.objects.filter(object_id=str(case.pk), action="case.send_fee_notice").get()
    assert audit.changes["补录"] == {
        "事项日期": "2026-03-05",
        "登记日期": "2026-03-26",
        "补录原因": "纸质收费通知已于3月5日送达，系统当时停机",
    }
    event = case.events.order_by("-id").first()
    assert event is not None and event.payload["补录"]["补录原因"].startswith("纸质收费通知")


@pytest.mark.parametrize("late", [0, 3])
def test_recent_dates_are_not_back_dating(tree, late: int) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    today = CASE_DAY + dt.timedelta(days=5)
    case = services.request_correction(
        actor=tree.officer_a,
        case=case,
        items="请写明文号",
        reply_by=today + dt.timedelta(days=10),
        on=today - dt.timedelta(days=late),
        today=today,
    )
    audit = AuditEvent.objects.filter(object_id=str(case.pk), action="case.request_correction").get()
    assert "补录" not in audit.changes


def test_the_form_asks_for_the_reason(tree, client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    client.force_login(tree.officer_a)
    with mock.patch("gongkai.clock.today", return_value=THREE_WEEKS_LATER):
        page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
        assert "补录原因" in page
        response = client.post(
            reverse("cases:act", args=[case.pk, "fee_notice"]),
            {"version": case.version, "method": FeeMethod.BY_VOLUME, "pages": 250, "on": "2026-03-05"},
        )
    assert "补录原因" in response.content.decode()
    assert not case.fee_notices.exists()
