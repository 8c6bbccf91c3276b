"""Reading an uploaded ledger (.xlsx, or .csv in UTF-8/GBK) into typed rows, all or nothing.

Every problem is reported with its row and column ("第 7 行，“收到申请日期”列：无法识别的日期
“2026/13/01”"). :func:`read_ledger` never raises on a bad file, and when anything is wrong it
returns no rows at all.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from itertools import islice
from typing import Any

from openpyxl.utils.datetime import from_excel

from gongkai.core.deadlines import Channel
from gongkai.core.ledger.columns import COLUMNS, HEADER_LABELS, LedgerColumn, LedgerRow, outcome_ledger_label
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import OUTCOME_GROUP_BY_KEY, ApplicantType
from gongkai.core.spreadsheet import SpreadsheetError, TooManyRows, csv_rows, open_xlsx, unquote_cell

#: Rows above the header a sheet may have (a title line, a note) before the header is found.
HEADER_SCAN_ROWS = 10
MAX_DATA_ROWS = 20_000
#: Columns read per row (the ledger has 16; a sheet's cells further right are never looked at).
MAX_COLUMNS = 100
NOTHING_IMPORTED = "未导入任何记录"


@dataclass(frozen=True, slots=True)
class LedgerIssue:
    """A problem found in an uploaded ledger; ``row`` is the sheet's row number (1-based)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = []
        if self.row is not None:
            place.append(f"第 {self.row} 行")
        if self.column is not None:
            place.append(f"“{self.column}”列")
        return f"{'，'.join(place)}：{self.message}" if place else self.message


@dataclass(frozen=True, slots=True)
class LedgerReadResult:
    """What :func:`read_ledger` found. ``rows`` is empty whenever ``errors`` is not."""

    filename: str
    rows: tuple[LedgerRow, ...] = ()
    errors: tuple[LedgerIssue, ...] = ()
    warnings: tuple[LedgerIssue, ...] = ()
    checked_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One sentence for the page: how many rows, or how many errors and that nothing was imported."""
        if self.errors:
            return f"“{self.filename}”中发现 {len(self.errors)} 处错误，{NOTHING_IMPORTED}；请改正后重新上传。"
        return f"“{self.filename}”共 {len(self.rows)} 条记录，检查通过。"

    def messages(self) -> list[str]:
        return [str(issue) for issue in self.errors]


_APPLICANT_GROUP = "法人或其他组织"


def _norm(text: str) -> str:
    """Compare spellings: NFKC (full-width → half-width), no spaces, quotes, markers or separators."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\s\"'“”‘’*]", "", text)
    return text


def _header_key(text: str) -> str:
    return re.sub(r"[()（）/、:：\-]", "", _norm(text))


_MARKERS = re.compile(r"^\([一二三四五六七八九十]+\)|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.、]")
_SEPARATORS = re.compile(r"[-—–−:/|·_]")
_PAREN = re.compile(r"\(.*\)$")


def _choice_key(text: str) -> str:
    return _SEPARATORS.sub("", _MARKERS.sub("", _norm(text)))


def _build_lookup(entries: Iterable[tuple[str, Any]], what: str) -> dict[str, Any]:
    lookup: dict[str, Any] = {}
    for spelling, value in entries:
        key = _choice_key(spelling)
        if lookup.get(key, value) is not value:  # pragma: no cover - import guard
            raise RuntimeError(f"ambiguous {what} spelling {spelling!r}")
        lookup[key] = value
    return lookup


def _outcome_spellings() -> Iterator[tuple[str, Outcome]]:
    for outcome in Outcome:
        row = outcome.row
        names = {row.label, _PAREN.sub("", unicodedata.normalize("NFKC", row.label))}
        for name in names:
            yield name, outcome
            if row.group_key is not None:
                group = OUTCOME_GROUP_BY_KEY[row.group_key].label
                yield group + name, outcome
        yield outcome.full_label, outcome
        yield outcome_ledger_label(outcome), outcome
        yield outcome.value, outcome


# Channel spellings beyond the labels: the usual words of office ledgers [D].
_CHANNEL_ALIASES: dict[str, Channel] = {
    "当面": Channel.IN_PERSON,
    "现场": Channel.IN_PERSON,
    "口头": Channel.ORAL,
    "口头申请": Channel.ORAL,
    "邮寄": Channel.POST_SIGNED,
    "信函": Channel.POST_SIGNED,
    "挂号信": Channel.POST_SIGNED,
    "平信": Channel.POST_UNSIGNED,
    "网络": Channel.INTERNET,
    "网上申请": Channel.INTERNET,
    "在线申请": Channel.INTERNET,
    "电子邮件": Channel.INTERNET,
}
_APPLICANT_ALIASES: dict[str, ApplicantType] = {
    "公民": ApplicantType.NATURAL_PERSON,
    "个人": ApplicantType.NATURAL_PERSON,
    "企业": ApplicantType.COMMERCIAL_ENTERPRISE,
    "其他组织": ApplicantType.OTHER_ORG,
}

_OUTCOMES: dict[str, Outcome] = _build_lookup(_outcome_spellings(), "outcome")
_CHANNELS: dict[str, Channel] = _build_lookup(
    [*((c.label, c) for c in Channel), *((c.value, c) for c in Channel), *_CHANNEL_ALIASES.items()], "channel"
)
_APPLICANTS: dict[str, ApplicantType] = _build_lookup(
    [
        *((a.label, a) for a in ApplicantType),
        *((f"{_APPLICANT_GROUP}{a.label}", a) for a in ApplicantType if a.is_organisation),
        *((a.value, a) for a in ApplicantType),
        *_APPLICANT_ALIASES.items(),
    ],
    "applicant type",
)
_YES = frozenset({"是", "y", "yes", "true", "1", "有", "√", "✓"})
_NO = frozenset({"否", "n", "no", "false", "0", "无", "×", "✗"})


class _FileProblem(Exception):
    """A file-level problem; becomes one :class:`LedgerIssue` without a row."""


#: Non-blank rows of a sheet, each with its row number in the file.
Table = list[tuple[int, tuple[object, ...]]]


def read_ledger(data: bytes, filename: str) -> LedgerReadResult:
    """Parse an uploaded ledger (.xlsx, or .csv in UTF-8/GBK); never raises on a bad file.

    Every error names its row and column; a file with any error yields no rows
    (:attr:`LedgerReadResult.rows` is empty and :meth:`~LedgerReadResult.summary` says
    "未导入任何记录"). The file is streamed (``gongkai.core.spreadsheet``): at most
    :data:`MAX_COLUMNS` columns of a row are read, blank rows are skipped, and more than
    :data:`MAX_DATA_ROWS` rows are refused while reading, in bounded memory.
    """
    name = filename or "上传的文件"
    try:
        header_row, table, mapping, warnings = _load(data, name)
    except _FileProblem as problem:
        return LedgerReadResult(name, errors=(LedgerIssue(str(problem)),))
    except SpreadsheetError as problem:
        return LedgerReadResult(name, errors=(LedgerIssue(str(problem)),))
    return _parse_rows(name, table, header_row, mapping, warnings)


_Found = tuple[int, Table, dict[LedgerColumn, int], list[LedgerIssue]]


def _load(data: bytes, name: str) -> _Found:
    """The header's row number, the data rows below it, and which column is which."""
    if not data:
        raise _FileProblem(f"文件“{name}”是空文件")
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix == "xls":
        raise _FileProblem(f"文件“{name}”是旧版 Excel（.xls）格式，请在 Excel 中另存为 .xlsx 后上传")
    is_zip = data[:4] == b"PK\x03\x04"
    if suffix in ("xlsx", "xlsm") or (suffix not in ("csv", "txt") and is_zip):
        return _load_xlsx(data, name)
    if suffix in ("csv", "txt"):
        rows = _load_csv(data, name)
        _sheet, position, mapping, warnings = _find_header([(name, rows[:HEADER_SCAN_ROWS])], name)
        return rows[position][0], rows[position + 1 :], mapping, warnings
    raise _FileProblem(f"不支持的文件类型“{name}”，请上传 Excel（.xlsx）或 CSV 文件")


def _load_xlsx(data: bytes, name: str) -> _Found:
    """First the head of every visible sheet to find the ledger's header, then that sheet, streamed."""
    with open_xlsx(data, name) as book:
        sheets = [sheet for sheet in book.sheets if sheet.visible]
        heads: list[tuple[str, Table]] = []
        for sheet in sheets:
            rows = book.rows(sheet, max_rows=HEADER_SCAN_ROWS, max_cols=MAX_COLUMNS)
            try:
                heads.append((sheet.title, list(islice(rows, HEADER_SCAN_ROWS))))
            finally:
                rows.close()
        index, position, mapping, warnings = _find_header(heads, name)
        sheet = sheets[index]
        try:
            table = list(book.rows(sheet, max_rows=MAX_DATA_ROWS + HEADER_SCAN_ROWS, max_cols=MAX_COLUMNS))
        except TooManyRows:
            raise _FileProblem(
                f"文件“{name}”的工作表“{sheet.title}”超过 {MAX_DATA_ROWS} 行（上限 {MAX_DATA_ROWS} 行），"
                "未导入；请分批导入"
            ) from None
    return table[position][0], table[position + 1 :], mapping, warnings


def _load_csv(data: bytes, name: str) -> Table:
    if b"\x00" in data[:4096]:
        raise _FileProblem(f"文件“{name}”不是文本格式的 CSV 文件")
    text: str | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise _FileProblem(f"文件“{name}”的编码无法识别，请保存为 UTF-8 或 GBK 编码的 CSV 文件")
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(
            csv_rows(text, name=name, max_rows=MAX_DATA_ROWS + HEADER_SCAN_ROWS, max_cols=MAX_COLUMNS, dialect=dialect)
        )
    except TooManyRows:
        raise _FileProblem(
            f"文件“{name}”超过 {MAX_DATA_ROWS} 行（上限 {MAX_DATA_ROWS} 行），未导入；请分批导入"
        ) from None


_HEADER_LOOKUP: dict[str, LedgerColumn] = {
    _header_key(spelling): spec.key for spec in COLUMNS for spelling in (spec.label, *spec.aliases)
}


@dataclass
class _Header:
    """A candidate header row: its sheet, its place among the sheet's rows, which column is where."""

    sheet: int
    position: int
    line: int
    mapping: dict[LedgerColumn, int] = field(default_factory=dict)
    warnings: list[LedgerIssue] = field(default_factory=list)
    duplicate: str | None = None


def _find_header(
    heads: Sequence[tuple[str, Table]], name: str
) -> tuple[int, int, dict[LedgerColumn, int], list[LedgerIssue]]:
    """The first sheet with a header row among its first rows: (sheet, position, columns, warnings)."""
    if not any(rows for _title, rows in heads):
        raise _FileProblem(f"文件“{name}”中没有数据（工作表为空）")
    best: _Header | None = None
    for sheet_index, (_title, rows) in enumerate(heads):
        for position, (line, values) in enumerate(rows[:HEADER_SCAN_ROWS]):
            candidate = _Header(sheet_index, position, line)
            for column, value in enumerate(values):
                if not isinstance(value, str) or not value.strip():
                    continue
                key = _HEADER_LOOKUP.get(_header_key(value))
                if key is None:
                    candidate.warnings.append(LedgerIssue(f"无法识别的列“{value.strip()}”，已忽略", line))
                elif key in candidate.mapping:
                    candidate.duplicate = key.label
                else:
                    candidate.mapping[key] = column
            if best is None or len(candidate.mapping) > len(best.mapping):
                best = candidate
        if best is not None and all(c.key in best.mapping for c in COLUMNS if c.required):
            break
    if best is None or not best.mapping:
        raise _FileProblem(
            f"文件“{name}”的前 {HEADER_SCAN_ROWS} 行中没有找到台账表头；表头应包括：{'、'.join(HEADER_LABELS)}"
        )
    if best.duplicate is not None:
        raise _FileProblem(f"第 {best.line} 行（表头）：“{best.duplicate}”列出现了不止一次")
    missing = [c.label for c in COLUMNS if c.required and c.key not in best.mapping]
    if missing:
        listed = "、".join(f"“{label}”" for label in missing)
        raise _FileProblem(f"第 {best.line} 行（表头）：缺少必需的列 {listed}")
    return best.sheet, best.position, best.mapping, best.warnings


def _present(value: object) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _parse_rows(
    name: str, table: Table, header_row: int, mapping: dict[LedgerColumn, int], warnings: list[LedgerIssue]
) -> LedgerReadResult:
    errors: list[LedgerIssue] = []
    rows: list[LedgerRow] = []
    seen: dict[str, int] = {}
    checked = 0
    for line, values in table:
        cells = {key: (unquote_cell(values[pos]) if pos < len(values) else None) for key, pos in mapping.items()}
        if not any(_present(v) for key, v in cells.items() if key is not LedgerColumn.SERIAL):
            continue
        checked += 1
        parsed = _RowParser(line, cells)
        row = parsed.build()
        errors.extend(parsed.errors)
        warnings.extend(parsed.warnings)
        if row is None:
            continue
        first = seen.get(row.case_number)
        if first is not None:
            errors.append(
                LedgerIssue(f"申请编号“{row.case_number}”与第 {first} 行重复", line, LedgerColumn.CASE_NUMBER.label)
            )
            continue
        seen[row.case_number] = line
        rows.append(row)
    if checked == 0 and not errors:
        errors.append(LedgerIssue(f"文件“{name}”只有表头，没有任何申请记录"))
    if errors:
        return LedgerReadResult(name, (), tuple(errors), tuple(warnings), checked)
    return LedgerReadResult(name, tuple(rows), (), tuple(warnings), checked)


class _RowParser:
    """Parse and check one data row, collecting every problem."""

    def __init__(self, line: int, cells: dict[LedgerColumn, object]) -> None:
        self.line = line
        self.cells = cells
        self.errors: list[LedgerIssue] = []
        self.warnings: list[LedgerIssue] = []

    def error(self, column: LedgerColumn, message: str) -> None:
        self.errors.append(LedgerIssue(message, self.line, column.label))

    # -- cells -----------------------------------------------------------------------------------

    def raw(self, column: LedgerColumn) -> object:
        value = self.cells.get(column)
        return None if not _present(value) else value

    def text(self, column: LedgerColumn) -> str:
        value = self.raw(column)
        if value is None:
            if column.spec.required:
                self.error(column, "不能为空")
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if column is LedgerColumn.ID_NUMBER and isinstance(value, int | float):
            self.warnings.append(
                LedgerIssue(
                    "证件号码保存为数字格式，长号码可能已丢失末几位，请把该列设为文本格式", self.line, column.label
                )
            )
        if isinstance(value, datetime | date):
            value = value.strftime("%Y-%m-%d")
        return str(value).strip()

    def day(self, column: LedgerColumn) -> date | None:
        value = self.raw(column)
        if value is None:
            if column.spec.required:
                self.error(column, "不能为空")
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.error(column, f"无法识别的日期“{_shown(value)}”")
        return parsed

    def choice(self, column: LedgerColumn, lookup: dict[str, Any], what: str, examples: str) -> Any:
        value = self.raw(column)
        if value is None:
            if column.spec.required:
                self.error(column, "不能为空")
            return None
        found = lookup.get(_choice_key(str(value)))
        if found is None:
            self.error(column, f"无法识别的{what}“{_shown(value)}”；可填写：{examples}")
        return found

    def yes_no(self, column: LedgerColumn) -> bool:
        value = self.raw(column)
        if value is None:
            return False
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        key = _norm(str(value))
        if key in _YES:
            return True
        if key in _NO:
            return False
        self.error(column, f"应填“是”或“否”，实为“{_shown(value)}”")
        return False

    def amount(self, column: LedgerColumn) -> int | None:
        value = self.raw(column)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            if isinstance(value, int | float):
                number = Decimal(str(value))
            else:
                cleaned = re.sub(r"[\s,，元¥￥]", "", unicodedata.normalize("NFKC", str(value)))
                number = Decimal(cleaned)
        except InvalidOperation:
            self.error(column, f"无法识别的金额“{_shown(value)}”")
            return None
        if not number.is_finite() or number < 0 or number != number.to_integral_value():
            self.error(column, f"金额应为不小于0的整数元，实为“{_shown(value)}”")
            return None
        return int(number)

    # -- the row ---------------------------------------------------------------------------------

    def build(self) -> LedgerRow | None:
        C = LedgerColumn
        case_number = self.text(C.CASE_NUMBER)
        received_on = self.day(C.RECEIVED_ON)
        channel = self.choice(C.CHANNEL, _CHANNELS, "申请方式", "、".join(c.label for c in Channel))
        applicant_type = self.choice(
            C.APPLICANT_TYPE, _APPLICANTS, "申请人类型", "、".join(a.label for a in ApplicantType)
        )
        applicant_name = self.text(C.APPLICANT_NAME)
        id_number = self.text(C.ID_NUMBER)
        contact = self.text(C.CONTACT)
        request = self.text(C.REQUEST)
        due_on = self.day(C.DUE_ON)
        extended = self.yes_no(C.EXTENDED)
        answered_on = self.day(C.ANSWERED_ON)
        outcome = self.choice(
            C.OUTCOME, _OUTCOMES, "办理结果", "年度报告表三的项目，如“予以公开”“不予公开-属于国家秘密”"
        )
        fee_charged = self.yes_no(C.FEE_CHARGED)
        fee_amount = self.amount(C.FEE_AMOUNT)
        note = self.text(C.NOTE)
        outcome_given = self.raw(C.OUTCOME) is not None

        if received_on is not None:
            if answered_on is not None and answered_on < received_on:
                self.error(
                    C.ANSWERED_ON,
                    f"答复日期 {answered_on.isoformat()} 早于收到申请日期 {received_on.isoformat()}",
                )
            if due_on is not None and due_on < received_on:
                self.error(C.DUE_ON, f"答复期限 {due_on.isoformat()} 早于收到申请日期 {received_on.isoformat()}")
        if outcome_given and self.raw(C.ANSWERED_ON) is None:
            self.error(C.ANSWERED_ON, "已填写办理结果，但没有答复日期")
        if self.raw(C.ANSWERED_ON) is not None and not outcome_given:
            self.error(C.OUTCOME, "已填写答复日期，但没有办理结果")
        if fee_charged and self.raw(C.FEE_AMOUNT) is None:
            self.error(C.FEE_AMOUNT, "“是否收费”为“是”，但没有填写收费金额")
        elif fee_charged and fee_amount == 0:
            self.error(C.FEE_AMOUNT, "“是否收费”为“是”，收费金额不能为 0 元")
        if fee_amount and not fee_charged:
            self.error(C.FEE_CHARGED, f"填写了收费金额 {fee_amount} 元，但“是否收费”不是“是”")
        if "*" in id_number:
            self.warnings.append(LedgerIssue("证件号码已打码，导入后只保存打码后的号码", self.line, C.ID_NUMBER.label))

        if self.errors or received_on is None or channel is None or applicant_type is None:
            return None
        return LedgerRow(
            case_number=case_number,
            received_on=received_on,
            channel=channel,
            applicant_type=applicant_type,
            applicant_name=applicant_name,
            request=request,
            id_number=id_number,
            contact=contact,
            due_on=due_on,
            extended=extended,
            answered_on=answered_on,
            outcome=outcome,
            fee_charged=fee_charged,
            fee_amount=fee_amount,
            note=note,
            line=self.line,
        )


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_TIME_SUFFIX = re.compile(r"[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")
#: Plausible ledger dates: the 条例 dates from 2008; Excel serials outside this are numbers, not dates.
MIN_YEAR, MAX_YEAR = 2000, 2100


def parse_date(value: object) -> date | None:
    """A ledger date: an Excel date cell, an Excel serial number, "2026-03-02", "2026/3/2",
    "2026.3.2", "2026年3月2日" or "20260302"; None when it is not a real date in 2000–2100."""
    result: date | None = None
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            return None
        result = converted.date() if isinstance(converted, datetime) else None
    elif isinstance(value, str):
        text = _TIME_SUFFIX.sub("", unicodedata.normalize("NFKC", value).strip()).replace(" ", "")
        for pattern in _DATE_PATTERNS:
            match = pattern.match(text)
            if match:
                try:
                    result = date(int(match[1]), int(match[2]), int(match[3]))
                except ValueError:
                    return None
                break
    if result is None or not MIN_YEAR <= result.year <= MAX_YEAR:
        return None
    return result


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value).strip()
