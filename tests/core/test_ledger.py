"""The 依申请公开台账: written as .xlsx, read back from .xlsx and .csv, every error placed by row and column.

Workbooks for the reading tests are built here with openpyxl, cell by cell, so a test states
exactly what an office's file contains.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from gongkai.core.deadlines import Channel
from gongkai.core.ledger import (
    NOTHING_IMPORTED,
    LedgerReadResult,
    LedgerRow,
    mask_id_number,
    parse_date,
    read_ledger,
    write_ledger,
)
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ApplicantType

HEADER = [
    "序号",
    "申请编号",
    "收到申请日期",
    "申请方式/渠道",
    "申请人类型",
    "申请人姓名/名称",
    "证件号码",
    "联系方式",
    "申请内容",
    "答复期限",
    "是否延期",
    "答复日期",
    "办理结果",
    "是否收费",
    "收费金额",
    "备注",
]
ID = "110101199003071234"


def _row(n: int, **changes: object) -> LedgerRow:
    values: dict[str, object] = {
        "case_number": f"2026-{n:03d}",
        "received_on": date(2026, 3, 2),
        "channel": Channel.INTERNET,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": f"申请人{n}",
        "request": f"申请内容{n}",
    }
    values.update(changes)
    return LedgerRow(**values)  # type: ignore[arg-type]


def _rows() -> list[LedgerRow]:
    """Every channel, applicant type and outcome at least once, and the optional columns filled."""
    channels, types, outcomes = list(Channel), list(ApplicantType), list(Outcome)
    rows = []
    for i, outcome in enumerate(outcomes):
        rows.append(
            _row(
                i + 1,
                received_on=date(2026, 1, 5 + i),
                channel=channels[i % len(channels)],
                applicant_type=types[i % len(types)],
                id_number=ID if i % 2 == 0 else "",
                contact="13800000000" if i % 3 == 0 else "",
                due_on=date(2026, 2, 20 + i % 5),
                extended=i % 4 == 0,
                answered_on=date(2026, 2, 10 + i % 5),
                outcome=outcome,
                fee_charged=i == 3,
                fee_amount=300 if i == 3 else None,
                note="备注" if i == 5 else "",
            )
        )
    rows.append(_row(99, received_on=date(2026, 3, 2)))  # still open: no answer, no outcome
    return rows


def _xlsx(rows: Sequence[Sequence[object]], *, title_rows: Sequence[Sequence[object]] = ()) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for values in [*title_rows, *rows]:
        sheet.append(list(values))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _good(n: int = 1, **changes: object) -> list[object]:
    """One valid data row, as an office would type it."""
    cells: dict[str, object] = dict(
        zip(
            HEADER,
            [
                n,
                f"2026-{n:03d}",
                "2026-03-02",
                "互联网",
                "自然人",
                f"申请人{n}",
                "",
                "",
                "申请内容",
                "2026-03-30",
                "否",
                "2026-03-20",
                "予以公开",
                "否",
                "",
                "",
            ],
            strict=True,
        )
    )
    cells.update(changes)
    return [cells[h] for h in HEADER]


def _errors(result: LedgerReadResult) -> list[str]:
    return [str(e) for e in result.errors]


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def test_written_workbook_has_header_widths_frozen_header_and_dates() -> None:
    rows = _rows()
    sheet = load_workbook(io.BytesIO(write_ledger(rows, unmasked=True))).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["I"].width == 40  # 申请内容
    assert sheet.column_dimensions["B"].width > 10
    assert sheet.max_row == len(rows) + 1
    first = sheet[2]
    assert [first[0].value, first[1].value] == [1, "2026-001"]
    assert first[2].is_date and first[2].value == datetime(2026, 1, 5)
    assert first[9].is_date and first[11].is_date
    assert first[12].value == "予以公开"
    assert sheet[4][12].value == "不予公开-属于国家秘密"
    assert sheet[4][3].value == "邮寄（签收）"  # third data row: the third channel
    assert first[10].value == "是" and sheet[3][10].value == "否"
    assert sheet.auto_filter.ref == f"A1:P{len(rows) + 1}"


def test_written_workbook_offers_drop_down_lists() -> None:
    workbook = load_workbook(io.BytesIO(write_ledger(_rows())))
    assert workbook["选项"].sheet_state == "hidden"
    ranges = {str(v.sqref).split(":")[0] for v in workbook.worksheets[0].data_validations.dataValidation}
    assert ranges == {"D2", "E2", "M2", "K2", "N2"}  # channel, applicant type, outcome, yes/no columns
    outcomes = [c.value for c in workbook["选项"]["C"][1:] if c.value]
    assert len(outcomes) == len(list(Outcome))


def test_identity_numbers_are_masked_unless_asked() -> None:
    rows = [_row(1, id_number=ID)]
    masked = load_workbook(io.BytesIO(write_ledger(rows))).worksheets[0]["G2"].value
    plain = load_workbook(io.BytesIO(write_ledger(rows, unmasked=True))).worksheets[0]["G2"].value
    assert masked == "110***********1234"
    assert plain == ID


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        (ID, "110***********1234"),
        ("91110000MA01ABCD2X", "911***********CD2X"),
        (" 110101 199003071234 ", "110***********1234"),
        ("", ""),
        ("A1234567", "****4567"),
        ("123", "***"),
    ],
)
def test_mask_id_number(value: str, masked: str) -> None:
    assert mask_id_number(value) == masked


def test_empty_ledger_is_a_header_only_workbook() -> None:
    sheet = load_workbook(io.BytesIO(write_ledger([]))).worksheets[0]
    assert [c.value for c in sheet[1]] == HEADER and sheet.max_row == 1


# ---------------------------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------------------------


def test_round_trip_gives_the_same_rows() -> None:
    rows = _rows()
    result = read_ledger(write_ledger(rows, unmasked=True), "台账.xlsx")
    assert result.ok, _errors(result)
    assert result.rows == tuple(rows)
    assert [r.line for r in result.rows] == list(range(2, len(rows) + 2))
    assert result.warnings == ()
    assert "共 22 条记录" in result.summary()


def test_round_trip_of_a_masked_export_keeps_the_mask_and_warns() -> None:
    result = read_ledger(write_ledger([_row(1, id_number=ID)]), "台账.xlsx")
    assert result.ok
    assert result.rows[0].id_number == "110***********1234"
    assert [str(w) for w in result.warnings] == ["第 2 行，“证件号码”列：证件号码已打码，导入后只保存打码后的号码"]


# ---------------------------------------------------------------------------------------------
# Accepted spellings
# ---------------------------------------------------------------------------------------------


def test_header_variants_and_a_title_row_are_accepted() -> None:
    header = [
        " 序 号",
        "申请编号 ",
        "收到申请日期",
        "申请方式／渠道",
        "申请人类型",
        "申请人姓名（名称）",
        "身份证号码",
        "联系电话",
        "申请内容",
        "答复期限",
        "是否延期",
        "答复日期",
        "办理结果",
        "是否收费",
        "收费金额（元）",
        "备注",
    ]
    data = _xlsx([header, _good(1)], title_rows=[["2026年依申请公开台账"], []])
    result = read_ledger(data, "台账.xlsx")
    assert result.ok, _errors(result)
    assert result.rows[0].case_number == "2026-001" and result.rows[0].line == 4


def test_unknown_extra_columns_are_ignored_with_a_warning() -> None:
    data = _xlsx([[*HEADER, "承办人"], [*_good(1), "李四"]])
    result = read_ledger(data, "台账.xlsx")
    assert result.ok
    assert [str(w) for w in result.warnings] == ["第 1 行：无法识别的列“承办人”，已忽略"]


def test_columns_in_another_order_and_optional_columns_left_out() -> None:
    header = ["申请人姓名/名称", "申请内容", "申请编号", "申请人类型", "申请方式/渠道", "收到申请日期"]
    result = read_ledger(
        _xlsx([header, ["某律所", "执法案卷", "A-1", "法律服务机构", "当面提交", "2026/3/2"]]), "a.xlsx"
    )
    assert result.ok, _errors(result)
    assert result.rows == (
        LedgerRow("A-1", date(2026, 3, 2), Channel.IN_PERSON, ApplicantType.LEGAL_SERVICE_ORG, "某律所", "执法案卷"),
    )


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-02",
        "2026/3/2",
        "2026年3月2日",
        "2026.3.2",
        "20260302",
        "2026-03-02 00:00:00",
        "２０２６－０３－０２",
        datetime(2026, 3, 2),
        date(2026, 3, 2),
        46083,  # the Excel serial of 2026-03-02, in a cell that lost its date format
    ],
)
def test_date_spellings(value: object) -> None:
    assert parse_date(value) == date(2026, 3, 2)
    result = read_ledger(_xlsx([HEADER, _good(1, 收到申请日期=value)]), "a.xlsx")
    assert result.ok, _errors(result)
    assert result.rows[0].received_on == date(2026, 3, 2)


@pytest.mark.parametrize("value", ["2026/13/01", "2026-02-30", "3月2日", "明天", "1899-12-31", 5, "2026-3"])
def test_bad_dates(value: object) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("spelling", "outcome"),
    [
        ("予以公开", Outcome.GRANTED),
        ("（一）予以公开", Outcome.GRANTED),
        ("部分公开", Outcome.PARTIAL),
        ("部分公开（区分处理的，只计这一情形，不计其他情形）", Outcome.PARTIAL),
        ("不予公开-属于国家秘密", Outcome.WITHHELD_STATE_SECRET),
        ("不予公开—属于国家秘密", Outcome.WITHHELD_STATE_SECRET),
        ("不予公开：属于国家秘密", Outcome.WITHHELD_STATE_SECRET),
        ("属于国家秘密", Outcome.WITHHELD_STATE_SECRET),
        ("（三）不予公开 1.属于国家秘密", Outcome.WITHHELD_STATE_SECRET),
        ("危及三安全一稳定", Outcome.WITHHELD_SECURITY_STABILITY),
        ("不予公开-危及“三安全一稳定”", Outcome.WITHHELD_SECURITY_STABILITY),
        ("无法提供-本机关不掌握相关政府信息", Outcome.UNAVAILABLE_NOT_HELD),
        ("不予处理-重复申请", Outcome.REJECTED_REPEATED),
        ("其他处理-其他", Outcome.OTHER_OTHER),
        ("其他", Outcome.OTHER_OTHER),
        ("申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Outcome.OTHER_FEE_UNPAID),
    ],
)
def test_outcome_spellings(spelling: str, outcome: Outcome) -> None:
    result = read_ledger(_xlsx([HEADER, _good(1, 办理结果=spelling)]), "a.xlsx")
    assert result.ok, _errors(result)
    assert result.rows[0].outcome is outcome


@pytest.mark.parametrize(
    ("column", "spelling", "attribute", "expected"),
    [
        ("申请方式/渠道", "当面", "channel", Channel.IN_PERSON),
        ("申请方式/渠道", "口头提出（代为填写）", "channel", Channel.ORAL),
        ("申请方式/渠道", "邮寄（签收）", "channel", Channel.POST_SIGNED),
        ("申请方式/渠道", "传真", "channel", Channel.FAX),
        ("申请人类型", "法人或其他组织-商业企业", "applicant_type", ApplicantType.COMMERCIAL_ENTERPRISE),
        ("申请人类型", "公民", "applicant_type", ApplicantType.NATURAL_PERSON),
        ("申请人类型", "社会公益组织", "applicant_type", ApplicantType.PUBLIC_WELFARE_ORG),
        ("是否延期", "是", "extended", True),
        ("是否延期", "", "extended", False),
        ("是否延期", "Y", "extended", True),
    ],
)
def test_choice_spellings(column: str, spelling: str, attribute: str, expected: object) -> None:
    result = read_ledger(_xlsx([HEADER, _good(1, **{column: spelling})]), "a.xlsx")
    assert result.ok, _errors(result)
    assert getattr(result.rows[0], attribute) == expected


@pytest.mark.parametrize(
    ("value", "amount"), [(300, 300), ("300", 300), ("300元", 300), ("1,200.00", 1200), (300.0, 300)]
)
def test_fee_amounts(value: object, amount: int) -> None:
    result = read_ledger(_xlsx([HEADER, _good(1, 是否收费="是", 收费金额=value)]), "a.xlsx")
    assert result.ok, _errors(result)
    assert result.rows[0].fee_charged and result.rows[0].fee_amount == amount


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------


def _csv(rows: Sequence[Sequence[object]]) -> str:
    return "\r\n".join(",".join(str(v) for v in row) for row in rows) + "\r\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(encoding: str) -> None:
    text = _csv([HEADER, _good(1, 办理结果="不予公开-属于国家秘密"), _good(2, 收到申请日期="2026年3月2日")])
    result = read_ledger(text.encode(encoding), "台账.csv")
    assert result.ok, _errors(result)
    assert [r.case_number for r in result.rows] == ["2026-001", "2026-002"]
    assert result.rows[0].outcome is Outcome.WITHHELD_STATE_SECRET
    assert result.rows[1].applicant_name == "申请人2"


def test_csv_errors_name_the_line() -> None:
    text = _csv([HEADER, _good(1), _good(2, 收到申请日期="2026/13/01")])
    result = read_ledger(text.encode("gbk"), "台账.csv")
    assert _errors(result) == ["第 3 行，“收到申请日期”列：无法识别的日期“2026/13/01”"]


# ---------------------------------------------------------------------------------------------
# A broken ledger: every error, placed; nothing accepted
# ---------------------------------------------------------------------------------------------


def test_broken_ledger_lists_every_error_and_accepts_nothing() -> None:
    rows = [
        HEADER,
        _good(1),  # row 2: fine
        _good(2, 收到申请日期="2026/13/01"),  # row 3
        _good(3, 办理结果="部分同意"),  # row 4
        _good(4, **{"申请人姓名/名称": ""}),  # row 5
        _good(5, 收到申请日期="2026-03-10", 答复日期="2026-03-09"),  # row 6
        _good(1),  # row 7: duplicate of row 2
        [None] * len(HEADER),  # row 8: blank, skipped
        _good(8, 申请人类型="外国人", 答复期限="下周", 是否收费="是"),  # row 9: three problems
        _good(9, 答复日期="", 收费金额=12.5, 是否收费="是"),  # row 10
        _good(10, 是否延期="可能"),  # row 11
    ]
    result = read_ledger(_xlsx(rows), "broken.xlsx")
    assert _errors(result) == [
        "第 3 行，“收到申请日期”列：无法识别的日期“2026/13/01”",
        "第 4 行，“办理结果”列：无法识别的办理结果“部分同意”；可填写：年度报告表三的项目，如“予以公开”“不予公开-属于国家秘密”",
        "第 5 行，“申请人姓名/名称”列：不能为空",
        "第 6 行，“答复日期”列：答复日期 2026-03-09 早于收到申请日期 2026-03-10",
        "第 7 行，“申请编号”列：申请编号“2026-001”与第 2 行重复",
        "第 9 行，“申请人类型”列：无法识别的申请人类型“外国人”；可填写：自然人、商业企业、科研机构、社会公益组织、法律服务机构、其他",
        "第 9 行，“答复期限”列：无法识别的日期“下周”",
        "第 9 行，“收费金额”列：“是否收费”为“是”，但没有填写收费金额",
        "第 10 行，“收费金额”列：金额应为不小于0的整数元，实为“12.5”",
        "第 10 行，“答复日期”列：已填写办理结果，但没有答复日期",
        "第 11 行，“是否延期”列：应填“是”或“否”，实为“可能”",
    ]
    assert result.rows == ()  # row 2 was fine, and still nothing is accepted
    assert not result.ok
    assert NOTHING_IMPORTED in result.summary()
    assert "11 处错误" in result.summary()
    assert result.checked_rows == 9  # row 8 is blank


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"答复日期": "2026-03-20", "办理结果": ""}, "第 2 行，“办理结果”列：已填写答复日期，但没有办理结果"),
        ({"收费金额": 100}, "第 2 行，“是否收费”列：填写了收费金额 100 元，但“是否收费”不是“是”"),
        ({"答复期限": "2026-03-01"}, "第 2 行，“答复期限”列：答复期限 2026-03-01 早于收到申请日期 2026-03-02"),
        (
            {"申请方式/渠道": "飞鸽传书"},
            "第 2 行，“申请方式/渠道”列：无法识别的申请方式“飞鸽传书”；可填写：当面提交、口头提出（代为填写）、邮寄（签收）、平常信函、互联网、传真",
        ),
        ({"申请编号": None}, "第 2 行，“申请编号”列：不能为空"),
        ({"收到申请日期": None}, "第 2 行，“收到申请日期”列：不能为空"),
        ({"收费金额": "-5", "是否收费": "是"}, "第 2 行，“收费金额”列：金额应为不小于0的整数元，实为“-5”"),
        ({"收费金额": 0, "是否收费": "是"}, "第 2 行，“收费金额”列：“是否收费”为“是”，收费金额不能为 0 元"),
    ],
)
def test_row_checks(changes: dict[str, object], message: str) -> None:
    result = read_ledger(_xlsx([HEADER, _good(1, **changes)]), "a.xlsx")
    assert message in _errors(result)
    assert result.rows == ()


def test_identity_number_typed_as_a_number_warns() -> None:
    result = read_ledger(_xlsx([HEADER, _good(1, 证件号码=110101199003071234)]), "a.xlsx")
    assert result.ok
    assert "证件号码保存为数字格式" in str(result.warnings[0])


# ---------------------------------------------------------------------------------------------
# Files that are not ledgers
# ---------------------------------------------------------------------------------------------


def _zip_without_workbook() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return out.getvalue()


def _empty_workbook() -> bytes:
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "a.xlsx", "文件“a.xlsx”是空文件"),
        (b"%PDF-1.4 not a spreadsheet", "a.xlsx", "文件“a.xlsx”不是有效的 Excel（.xlsx）文件"),
        (b"PK\x03\x04" + b"\x00" * 100, "a.xlsx", "文件“a.xlsx”不是有效的 Excel（.xlsx）文件"),
        (_zip_without_workbook(), "a.xlsx", "文件“a.xlsx”不是有效的 Excel（.xlsx）文件"),
        (b"\xd0\xcf\x11\xe0 old excel", "a.xls", "旧版 Excel（.xls）格式"),
        (b"%PDF-1.4", "a.pdf", "不支持的文件类型“a.pdf”"),
        (b"\x00\x01\x02binary", "a.csv", "不是文本格式的 CSV 文件"),
        (b"\xff\xfe\xfa\xfb" * 10, "a.csv", "编码无法识别"),
        (_empty_workbook(), "a.xlsx", "没有数据（工作表为空）"),
        (b"", "a.csv", "是空文件"),
        ("随便写的一段话\n第二行\n".encode(), "a.csv", "没有找到台账表头"),
        (
            _csv([["申请编号", "申请人姓名/名称"], ["1", "张三"]]).encode(),
            "a.csv",
            "缺少必需的列 “收到申请日期”、“申请方式/渠道”、“申请人类型”、“申请内容”",
        ),
        (_csv([HEADER]).encode(), "a.csv", "只有表头，没有任何申请记录"),
        (_csv([[*HEADER, "申请编号"]]).encode(), "a.csv", "“申请编号”列出现了不止一次"),
    ],
    ids=[
        "empty",
        "pdf-named-xlsx",
        "zip-garbage",
        "zip-without-workbook",
        "xls",
        "pdf",
        "binary-csv",
        "undecodable-csv",
        "empty-sheet",
        "empty-csv",
        "no-header",
        "missing-columns",
        "header-only",
        "duplicate-header",
    ],
)
def test_files_that_are_not_ledgers_give_one_clear_error(data: bytes, filename: str, message: str) -> None:
    result = read_ledger(data, filename)
    assert len(result.errors) == 1, _errors(result)
    assert message in str(result.errors[0])
    assert result.rows == ()
    assert NOTHING_IMPORTED in result.summary()


def test_hidden_sheets_are_not_read() -> None:
    workbook = Workbook()
    visible = workbook.active
    assert visible is not None
    visible.append(["说明：本工作簿的台账在另一张表中"])
    hidden = workbook.create_sheet("旧台账")
    hidden.append(HEADER)
    hidden.append(_good(1))
    hidden.sheet_state = "hidden"
    ledger = workbook.create_sheet("台账")
    ledger.append(HEADER)
    ledger.append(_good(2))
    out = io.BytesIO()
    workbook.save(out)
    result = read_ledger(out.getvalue(), "a.xlsx")
    assert result.ok, _errors(result)
    assert [r.case_number for r in result.rows] == ["2026-002"]
