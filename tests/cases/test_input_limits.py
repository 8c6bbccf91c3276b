"""Out-of-range numbers on the case forms: a form error, never a 500 nor a hung request.

Found by QA: 件数 or 页数 of 10^20 (or 2^31) overflowed the database column (500), a 件数 of
2147483647 kept ``fee_by_piece`` looping for minutes, and an 实收金额 with more than 10 digits
made ``DecimalField`` raise ``InvalidOperation`` (500).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.cases import services
from gongkai.cases.applicants import Applicant
from gongkai.cases.errors import CaseInputError
from gongkai.cases.forms import MAX_PAGES, MAX_PIECES
from gongkai.cases.models import Case, FeeNotice
from gongkai.core.report.taxonomy import ApplicantType
from tests.factories import ConsultingCase, InProgressCase

pytestmark = pytest.mark.django_db

D = dt.date
REGISTER = {
    "channel": "in_person",
    "applicant_type": "natural_person",
    "applicant_name": "刘洋",
    "id_type": "resident_id",
    "phone": "13800000000",
    "request_description": "2025年老旧小区改造资金",
    "provision_form": "paper",
    "delivery_method": "post",
}


@pytest.mark.parametrize("pieces", ["99999999999999999999", "2147483648", str(MAX_PIECES + 1)])
def test_register_refuses_absurd_piece_counts(tree, client: Client, pieces: str) -> None:  # type: ignore[no-untyped-def]
    client.force_login(tree.officer_a)
    page = client.post(reverse("cases:register"), {**REGISTER, "pieces": pieces})
    assert page.status_code == 200
    assert page.context["form"].errors["pieces"]
    assert not Case.objects.exists()


def test_register_service_refuses_absurd_piece_counts(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CaseInputError, match="件数"):
        services.register_application(
            actor=tree.officer_a,
            today=D(2026, 3, 2),
            channel="in_person",
            applicant=Applicant(ApplicantType.NATURAL_PERSON, "刘洋", phone="1"),
            request_description="x",
            pieces=MAX_PIECES + 1,
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pieces", "99999999999999999999"),
        ("pieces", "2147483647"),
        ("pages", "99999999999999999999"),
        ("pages", "2147483648"),
        ("pages", str(MAX_PAGES + 1)),
    ],
)
def test_fee_notice_refuses_absurd_counts(tree, client: Client, on_day, field: str, value: str) -> None:  # type: ignore[no-untyped-def]
    on_day(D(2026, 3, 10))
    case = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2))
    client.force_login(tree.officer_a)
    method = "by_piece" if field == "pieces" else "by_volume"
    page = client.post(
        reverse("cases:act", args=[case.pk, "fee_notice"]), {"version": case.version, "method": method, field: value}
    )
    assert page.status_code == 400
    assert not FeeNotice.objects.exists()


def test_fee_service_refuses_a_case_with_too_many_pieces(tree) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2))
    Case.objects.filter(pk=case.pk).update(pieces=MAX_PIECES + 1)  # e.g. an old import
    case.refresh_from_db()
    with pytest.raises(CaseInputError, match="件数"):
        services.send_fee_notice(actor=tree.officer_a, case=case, method="by_piece", today=D(2026, 3, 10))
    with pytest.raises(CaseInputError, match="页数"):
        services.send_fee_notice(
            actor=tree.officer_a, case=case, method="by_volume", pages=MAX_PAGES + 1, today=D(2026, 3, 10)
        )


@pytest.mark.parametrize("amount", ["1" + "0" * 30, "99999999999", "12345678901.12"])
def test_fee_payment_refuses_an_amount_the_column_cannot_hold(tree, client: Client, on_day, amount: str) -> None:  # type: ignore[no-untyped-def]
    on_day(D(2026, 3, 10))
    case = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2))
    case = services.send_fee_notice(
        actor=tree.officer_a, case=case, method="by_volume", pages=500, today=D(2026, 3, 10)
    )
    client.force_login(tree.officer_a)
    page = client.post(
        reverse("cases:act", args=[case.pk, "fee_payment"]), {"version": case.version, "amount_collected": amount}
    )
    assert page.status_code == 400
    assert FeeNotice.objects.get().paid_on is None


def test_desk_list_scrolls_inside_its_card_on_a_phone(tree, client: Client) -> None:  # type: ignore[no-untyped-def]
    """At 390px the nine-column list pushed the whole page sideways (scrollWidth 555px)."""
    InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2))
    client.force_login(tree.officer_a)
    html = client.get(reverse("cases:desk")).content.decode()
    wrapper, table = html.index('class="scroll-x"'), html.index('<table class="grid">', html.index('id="list-title"'))
    assert wrapper < table
    assert "overflow-x: auto" in html[wrapper - 200 : wrapper + 200]


def test_case_page_says_when_the_answer_is_overdue(tree, client: Client, on_day) -> None:  # type: ignore[no-untyped-def]
    case = InProgressCase(actor=tree.officer_a, today=D(2026, 3, 2))  # due 2026-03-30
    client.force_login(tree.officer_a)
    on_day(D(2026, 3, 30))
    assert "已逾期" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    on_day(D(2026, 3, 31))
    assert "已逾期" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_a_paused_case_is_not_called_overdue(tree, client: Client, on_day) -> None:  # type: ignore[no-untyped-def]
    case = ConsultingCase(actor=tree.officer_a, today=D(2026, 3, 2))
    client.force_login(tree.officer_a)
    on_day(D(2026, 6, 30))
    assert "已逾期" not in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
