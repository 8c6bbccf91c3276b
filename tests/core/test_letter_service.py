"""送达 rules (``core.letters.service``) and the letter/receipt PDF layout (``core.letters.pdf``).

Dates are worked out here from the 2026 official calendar (国办发明电〔2025〕7号: 春节 2月15日–23日
off, 2月14日 (Sat) and 2月28日 (Sat) working), not taken from the code under test.
"""

from __future__ import annotations

from datetime import date

import pytest

from gongkai.core.calendar import default_calendar
from gongkai.core.letters import LetterContext, LetterType, compose, letter_text
from gongkai.core.letters.pdf import (
    ReceiptFacts,
    answer_due_sentence,
    letter_html,
    parse_letter_text,
    receipt_html,
    receipt_rows,
)
from gongkai.core.letters.service import (
    ServiceError,
    ServiceMethod,
    ServiceRecord,
    ServiceState,
    check_service,
    service_state,
    unserved_alert_cutoff,
)

CAL = default_calendar()
D = date.fromisoformat
ISSUED = D("2026-03-10")
TODAY = D("2026-03-20")


def rec(method: ServiceMethod, sent: str = "2026-03-10", received: str | None = None, **kw: object) -> ServiceRecord:
    return ServiceRecord(
        method=method,
        issued_on=ISSUED,
        sent_on=D(sent),
        received_on=D(received) if received else None,
        **kw,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize(
    "record",
    [
        rec(ServiceMethod.POST, received="2026-03-12", tracking_number="EA123456789CN"),
        rec(ServiceMethod.POST, tracking_number="EA123456789CN"),  # sent, not yet signed for
        rec(ServiceMethod.DIRECT, received="2026-03-10"),
        rec(ServiceMethod.ELECTRONIC, consent=True),
        rec(ServiceMethod.PUBLIC_NOTICE, received="2026-03-20"),
    ],
    ids=["post", "post-unsigned", "direct", "electronic", "notice"],
)
def test_valid_records_pass(record: ServiceRecord) -> None:
    check_service(record, today=TODAY, place="文书 X")


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (rec(ServiceMethod.POST), "邮寄送达须填写邮件号码"),
        (rec(ServiceMethod.POST, tracking_number="   "), "邮寄送达须填写邮件号码"),
        (rec(ServiceMethod.ELECTRONIC), "电子送达须经申请人同意"),
        (rec(ServiceMethod.DIRECT, sent="2026-03-09"), "发出日期 2026-03-09 早于成文日期 2026-03-10"),
        (rec(ServiceMethod.DIRECT, sent="2026-03-21"), "发出日期 2026-03-21 晚于今天"),
        (rec(ServiceMethod.DIRECT, sent="2026-03-12", received="2026-03-11"), "送达日期 2026-03-11 早于发出日期"),
        (rec(ServiceMethod.DIRECT, received="2026-03-21"), "送达日期 2026-03-21 晚于今天"),
    ],
)
def test_impossible_records_are_refused_with_the_place(record: ServiceRecord, message: str) -> None:
    with pytest.raises(ServiceError, match=message) as info:
        check_service(record, today=TODAY, place="文书 测〔2026〕1号")
    assert str(info.value).startswith("文书 测〔2026〕1号：")


@pytest.mark.parametrize(
    ("sent", "served", "state", "label"),
    [
        (False, False, ServiceState.NOT_SENT, "未发出"),
        (True, False, ServiceState.SENT, "已发出未送达"),
        (True, True, ServiceState.SERVED, "已送达"),
    ],
)
def test_state(sent: bool, served: bool, state: ServiceState, label: str) -> None:
    assert service_state(sent=sent, served=served) is state
    assert state.label == label


@pytest.mark.parametrize(
    ("today", "days", "cutoff"),
    [
        # A letter of D has waited the working days in (D, today].
        # Fri 2026-03-20: a letter of Mon 16 has waited 17, 18, 19, 20 = 4 > 3; one of Tue 17 only 3.
        ("2026-03-20", 3, "2026-03-16"),
        # Mon 2026-03-23: Tue 17 → 18, 19, 20, 23 = 4; Wed 18 → 3 (the weekend does not count).
        ("2026-03-23", 3, "2026-03-17"),
        # Wed 2026-03-25: Thu 19 → 20, 23, 24, 25 = 4; Fri 20 → 3.
        ("2026-03-25", 3, "2026-03-19"),
        # 春节 2026 (15–23 Feb off, Sat 14 Feb working): on Tue 24 Feb a letter of Thu 12 has waited
        # 13, 14, 24 = 3 > 2; one of Fri 13 only 14 and 24.
        ("2026-02-24", 2, "2026-02-12"),
        ("2026-03-20", 0, "2026-03-19"),
    ],
)
def test_unserved_alert_cutoff_counts_working_days(today: str, days: int, cutoff: str) -> None:
    assert unserved_alert_cutoff(D(today), days, CAL) == D(cutoff)


def test_negative_alert_days_refused() -> None:
    with pytest.raises(ServiceError):
        unserved_alert_cutoff(TODAY, -1, CAL)


def test_methods_have_chinese_labels() -> None:
    assert [m.label for m in ServiceMethod] == ["电子送达", "邮寄送达", "直接送达", "公告送达"]


# ---------------------------------------------------------------------------------------------
# PDF layout
# ---------------------------------------------------------------------------------------------


def _context() -> LetterContext:
    return LetterContext(
        agency_name="测试区甲街道办事处",
        letter_number="测甲街公开〔2026〕3号",
        applicant_name="张三",
        case_number="测甲街依申〔2026〕1号",
        received_on=D("2026-03-02"),
        request_summary="2025年老旧小区改造项目清单",
        today=D("2026-03-10"),
        answer_due=D("2026-03-30"),
    )


@pytest.mark.parametrize("kind", [LetterType.RECEIPT, LetterType.EXTENSION])
def test_stored_text_parses_back_to_the_composed_letter(kind: LetterType) -> None:
    ctx = _context()
    if kind is LetterType.EXTENSION:
        from dataclasses import replace

        ctx = replace(ctx, extension_days=10, new_due_date=D("2026-04-14"), reasons="需要调取档案")
    composed = compose(kind, ctx)
    assert parse_letter_text(kind, letter_text(kind, ctx)) == composed


def test_garbled_text_is_refused() -> None:
    with pytest.raises(ValueError, match="格式不对"):
        parse_letter_text(LetterType.RECEIPT, "只有一行")


def test_letter_html_escapes_and_replaces_seal_line_with_image() -> None:
    composed = compose(LetterType.RECEIPT, _context())
    html = letter_html(composed)
    assert "（盖章）" in html and "<img" not in html
    from gongkai.core.letters.pdf import SealImage

    sealed = letter_html(composed, seal=SealImage(b"\x89PNG\r\n\x1a\nxx", "image/png"))
    assert "（盖章）" not in sealed and 'class="seal" src="data:image/png;base64,' in sealed
    assert "size: A4; margin: 37mm 26mm 35mm 28mm" in html


def test_answer_due_sentence() -> None:
    assert answer_due_sentence(D("2026-03-30")) == "自收到申请之日起20个工作日内（即2026年3月30日前）"


def _facts(received: date | None, due: date | None) -> ReceiptFacts:
    return ReceiptFacts(
        agency="测试区甲街道办事处",
        case_number="测甲街依申〔2026〕1号",
        applicant_name="张三<script>",
        channel="当面提交",
        submitted_on=D("2026-03-02"),
        received_on=received,
        due_on=due,
        due_is_provisional=False,
        tracking_code="ABCD2345EFGH",
        tracking_url="http://127.0.0.1/track/?code=ABCD2345EFGH",
        printed_on=D("2026-03-02"),
    )


def test_receipt_states_due_date_or_says_it_waits_for_confirmation() -> None:
    rows = dict(receipt_rows(_facts(D("2026-03-02"), D("2026-03-30"))))
    assert rows["答复期限"] == "自收到申请之日起20个工作日内（即2026年3月30日前）"
    assert rows["收到申请之日"] == "2026年3月2日" and rows["查询码"] == "ABCD2345EFGH"
    pending = dict(receipt_rows(_facts(None, None)))
    assert pending["收到申请之日"].startswith("待确认") and "确认后告知具体日期" in pending["答复期限"]
    html = receipt_html(_facts(None, None), qr_svg="<svg></svg>")
    assert "张三&lt;script&gt;" in html and "<script>" not in html
