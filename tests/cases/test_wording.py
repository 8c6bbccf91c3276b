"""Small wording slips: the case history's fee line, "按按件计收", the deadline page's internal note."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.cases import services
from gongkai.cases.errors import CaseInputError
from gongkai.cases.templatetags.cases_tags import history_payload
from gongkai.core.fees import FeeMethod
from tests.factories import CASE_DAY, InProgressCase


def test_history_payload_joins_lists_and_drops_trailing_stops() -> None:
    line = history_payload({"明细": ["按量计收：本次 250页", "合计：4700元"], "补录原因": "系统停机。", "空": None})
    assert line == "明细：按量计收：本次 250页，合计：4700元；补录原因：系统停机；空：—"


def test_fee_line_in_the_case_history_is_text_not_a_python_list(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=CASE_DAY)
    client.force_login(tree.officer_a)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "明细：按量计收" in page and "[&#x27;" not in page and "['" not in page


def test_free_fee_message_does_not_say_an_twice(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    with pytest.raises(CaseInputError) as caught:
        services.send_fee_notice(actor=tree.officer_a, case=case, method=FeeMethod.BY_PIECE, pieces=1, today=CASE_DAY)
    assert "按按" not in str(caught.value) and str(caught.value).startswith("按件计收，应收 0 元")


def test_printable_deadline_page_has_no_internal_note(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a)
    case = services.send_fee_notice(
        actor=tree.officer_a, case=case, method=FeeMethod.BY_VOLUME, pages=250, today=CASE_DAY + dt.timedelta(days=1)
    )
    client.force_login(tree.officer_a)
    page = client.get(reverse("cases:deadline", args=[case.pk])).content.decode()
    assert "缴费期间" in page and "待法律审核" not in page
