"""Imports from Excel (.xlsx, openpyxl) and CSV: article 20 figures, and items as drafts.

Every import is all-or-nothing: the whole file is read and checked first, every problem is
reported (file, row, column), and only a clean file is written, in one transaction, through the
services. An import never publishes: items arrive as 草稿 and go through 保密审查 like any other.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.db import transaction

from gongkai.core.errors import GongkaiError
from gongkai.core.spreadsheet import SpreadsheetError, TooManyRows, csv_rows, open_xlsx
from gongkai.publications.errors import ImportFileError
from gongkai.publications.models import Article20Figures, Category, FigureSource, Item, Topic
from gongkai.publications.services import Article20Input, create_draft, set_article20_figures

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency

MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_IMPORT_ROWS = 5000
#: Columns read per row; a sheet's cells further right are never looked at.
MAX_IMPORT_COLUMNS = 100
#: Non-blank rows allowed above the header (title lines, notes).
_MAX_HEADING_ROWS = 10


@dataclass(frozen=True, slots=True)
class Cell:
    row: int  # 1-based, as the spreadsheet shows it
    column: int  # 1-based
    header: str
    value: Any


def _column_letter(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class Table:
    """The rows of an uploaded sheet, with the file's name for messages."""

    def __init__(self, name: str, labels: list[str], rows: list[tuple[int, list[Any]]]) -> None:
        self.name = name
        self.labels = labels  # as written in the file, for messages
        self.headers = [_norm_header(label) for label in labels]  # for matching
        self.rows = rows

    def where(self, row: int, column: int | None = None) -> str:
        if column is None:
            return f"{self.name} 第{row}行"
        return f"{self.name} 第{row}行 {_column_letter(column)}列（{self.labels[column - 1]}）"


def _norm_header(text: Any) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text or "")))


def read_table(data: bytes, filename: str) -> Table:
    """The first sheet of an .xlsx file, or a CSV file (UTF-8, or GB18030 as Excel saves it).

    Streamed (``gongkai.core.spreadsheet``): blank rows are skipped as they come, at most
    :data:`MAX_IMPORT_COLUMNS` columns are read, and a file with more than
    :data:`MAX_IMPORT_ROWS` data rows is refused while it is read, in bounded memory.
    """
    name = PurePosixPath(filename.replace("\\", "/")).name or "上传文件"
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError([f"{name}：文件大小超过 {MAX_IMPORT_BYTES // (1024 * 1024)} MB"])
    ext = PurePosixPath(name).suffix.lower()
    if ext not in (".xlsx", ".csv"):
        raise ImportFileError([f"{name}：只接受 Excel（.xlsx）或 CSV（.csv）文件"])
    # Title and header rows above the data count too: the limit is on data rows.
    limit = MAX_IMPORT_ROWS + _MAX_HEADING_ROWS
    try:
        raw_rows = _xlsx_rows(data, name, limit) if ext == ".xlsx" else _csv_rows(data, name, limit)
    except TooManyRows:
        raise ImportFileError([_row_limit_message(name)]) from None
    except SpreadsheetError as exc:
        raise ImportFileError([str(exc)]) from None
    # The header is the first row with two or more cells filled: a title row above it (one merged
    # cell, "果园街道2023年第二十条数据") is skipped.
    filled = [sum(1 for v in values if _present(v)) for _, values in raw_rows]
    header_index = next((i for i, n in enumerate(filled) if n >= 2), None)
    if header_index is None:
        header_index = next((i for i, n in enumerate(filled) if n >= 1), None)
    if header_index is None:
        raise ImportFileError([f"{name}：文件中没有数据"])
    _, header_values = raw_rows[header_index]
    headers = [str(v).strip() if _present(v) else "" for v in header_values]
    while headers and not headers[-1]:
        headers.pop()
    rows = [
        (n, list(values[: len(headers)]) + [None] * (len(headers) - len(values)))
        for n, values in raw_rows[header_index + 1 :]
        if any(_present(v) for v in values)
    ]
    if len(rows) > MAX_IMPORT_ROWS:
        raise ImportFileError([_row_limit_message(name)])
    return Table(name, headers, rows)


def _row_limit_message(name: str) -> str:
    return f"{name}：数据行超过 {MAX_IMPORT_ROWS} 行（上限 {MAX_IMPORT_ROWS} 行），未导入；请分批导入"


def _present(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _xlsx_rows(data: bytes, name: str, limit: int) -> list[tuple[int, tuple[Any, ...]]]:
    with open_xlsx(data, name) as book:
        sheets = book.sheets
        if not sheets:
            raise ImportFileError([f"{name}：文件中没有工作表"])
        return list(book.rows(sheets[0], max_rows=limit, max_cols=MAX_IMPORT_COLUMNS))


def _csv_rows(data: bytes, name: str, limit: int) -> list[tuple[int, tuple[Any, ...]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportFileError([f"{name}：无法识别文件编码（应为 UTF-8 或 GBK）"])
    return list(csv_rows(text, name=name, max_rows=limit, max_cols=MAX_IMPORT_COLUMNS))


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    matches: Callable[[str], bool]
    required: bool = True


def _locate(table: Table, columns: list[Column]) -> tuple[dict[str, int], list[str]]:
    """Map each column to its 1-based position by header; errors for missing or doubled ones."""
    found: dict[str, int] = {}
    errors: list[str] = []
    for col in columns:
        hits = [i + 1 for i, h in enumerate(table.headers) if h and col.matches(h)]
        if len(hits) > 1:
            errors.append(
                f"{table.name}：表头中有多列都像“{col.label}”（{'、'.join(table.labels[i - 1] for i in hits)}）"
            )
        elif hits:
            found[col.key] = hits[0]
        elif col.required:
            errors.append(
                f"{table.name}：表头缺少“{col.label}”列（现有表头：{'、'.join(h for h in table.labels if h)}）"
            )
    return found, errors


def _int_value(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    if isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip().replace(",", "")
        if re.fullmatch(r"-?\d+", text):
            return int(text)
    return None


def _decimal_value(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def _date_value(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    for pattern in _DATE_PATTERNS:
        m = pattern.match(text)
        if m:
            try:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def _shown(value: Any) -> str:
    text = str(value).strip()
    return text if len(text) <= 30 else text[:30] + "…"


# ---------------------------------------------------------------------------------------------
# Article 20 figures
# ---------------------------------------------------------------------------------------------

ARTICLE20_COLUMNS = [
    Column("year", "年度", lambda h: h in ("年度", "年份", "year") or h.startswith("年度")),
    Column("licensing", "行政许可", lambda h: "许可" in h),
    Column("punishment", "行政处罚", lambda h: "处罚" in h),
    Column("coercion", "行政强制", lambda h: "强制" in h),
    Column("fees", "行政事业性收费（万元）", lambda h: "收费" in h),
]


def parse_article20(table: Table) -> list[Article20Input]:
    """Rows of 年度 / 行政许可 / 行政处罚 / 行政强制 / 行政事业性收费（万元）; raises with every error."""
    positions, errors = _locate(table, ARTICLE20_COLUMNS)
    if "fees" in positions:
        fee_header = table.labels[positions["fees"] - 1]
        if "元" in fee_header and "万元" not in fee_header:
            errors.append(
                f"{table.name}：“{fee_header}”列的单位是元，表二要求以万元填报，请换算为万元并将表头改为“（万元）”"
            )
    if errors:
        raise ImportFileError(errors)
    if not table.rows:
        raise ImportFileError([f"{table.name}：表头下没有数据行"])
    result: list[Article20Input] = []
    seen: dict[int, int] = {}
    for row_number, values in table.rows:
        row_errors: list[str] = []
        numbers: dict[str, int] = {}
        for key in ("year", "licensing", "punishment", "coercion"):
            col = positions[key]
            raw = values[col - 1]
            if not _present(raw):
                row_errors.append(f"{table.where(row_number, col)}：为空（没有数据请填 0）")
                continue
            number = _int_value(raw)
            if number is None or number < 0:
                row_errors.append(f"{table.where(row_number, col)}：应为非负整数，实为“{_shown(raw)}”")
                continue
            numbers[key] = number
        if "year" in numbers and not 1990 <= numbers["year"] <= 2200:
            row_errors.append(f"{table.where(row_number, positions['year'])}：年度 {numbers['year']} 无效")
        fee_col = positions["fees"]
        fee_raw = values[fee_col - 1]
        fees = _decimal_value(fee_raw) if _present(fee_raw) else None
        if not _present(fee_raw):
            row_errors.append(f"{table.where(row_number, fee_col)}：为空（没有收费请填 0）")
        elif fees is None or fees < 0:
            row_errors.append(f"{table.where(row_number, fee_col)}：应为非负数（万元），实为“{_shown(fee_raw)}”")
        elif fees != fees.quantize(Decimal("0.0001")):
            row_errors.append(f"{table.where(row_number, fee_col)}：最多保留四位小数（万元），实为“{_shown(fee_raw)}”")
        year = numbers.get("year")
        if year is not None:
            if year in seen:
                row_errors.append(f"{table.where(row_number)}：{year}年已在第{seen[year]}行出现")
            seen.setdefault(year, row_number)
        if row_errors:
            errors.extend(row_errors)
            continue
        assert fees is not None
        result.append(
            Article20Input(
                numbers["year"],
                numbers["licensing"],
                numbers["punishment"],
                numbers["coercion"],
                fees.quantize(Decimal("0.0001")),
            )
        )
    if errors:
        raise ImportFileError(errors)
    return result


def import_article20(*, actor: User, agency: Agency, data: bytes, filename: str) -> list[Article20Figures]:
    """Import ``agency``'s article 20 figures (one row per year) from an .xlsx or .csv file."""
    table = read_table(data, filename)
    rows = parse_article20(table)
    source = FigureSource.EXCEL if table.name.lower().endswith(".xlsx") else FigureSource.CSV
    with transaction.atomic():
        return [
            set_article20_figures(
                actor=actor, agency=agency, values=values, source=source, source_note=f"导入文件：{table.name}"
            )
            for values in rows
        ]


# ---------------------------------------------------------------------------------------------
# Items (as drafts)
# ---------------------------------------------------------------------------------------------

ITEM_COLUMNS = [
    Column("category", "公开目录", lambda h: "目录" in h or h in ("栏目", "分类")),
    Column("title", "标题", lambda h: h in ("标题", "名称", "信息名称", "title")),
    Column("formed_on", "成文日期", lambda h: "成文" in h or h in ("形成日期", "生成日期")),
    Column("document_number", "文号", lambda h: h in ("文号", "发文字号"), required=False),
    Column("topic", "主题分类", lambda h: "主题" in h, required=False),
    Column("issuer", "发布机构", lambda h: h in ("发布机构", "发文机关", "发布单位"), required=False),
    Column("body", "正文", lambda h: h in ("正文", "内容", "内容概述"), required=False),
]
_TOPIC_BY_LABEL = {t.label: t for t in Topic}


def _category_lookup(agency: Agency) -> Callable[[str], tuple[Category | None, str]]:
    """Resolve a catalogue path ("财政信息/预算") or a leaf name that names one node ("预算")."""
    categories = {c.pk: c for c in Category.objects.filter(agency=agency)}
    by_path: dict[str, Category] = {}
    by_name: dict[str, list[Category]] = {}
    for c in categories.values():
        names = [c.name]
        parent = categories.get(c.parent_id) if c.parent_id else None
        while parent is not None:
            names.insert(0, parent.name)
            parent = categories.get(parent.parent_id) if parent.parent_id else None
        by_path["/".join(names)] = c
        by_name.setdefault(c.name, []).append(c)

    def resolve(text: str) -> tuple[Category | None, str]:
        if text in by_path:
            return by_path[text], ""
        found = by_name.get(text, [])
        if len(found) == 1:
            return found[0], ""
        if found:
            return None, "有多个同名目录，请写完整路径（如“财政信息/预算”）"
        return None, "本机关的公开目录中没有该目录"

    return resolve


def import_items(
    *,
    actor: User,
    agency: Agency,
    data: bytes,
    filename: str,
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Item]:
    """Create one 草稿 per row (目录, 标题, 成文日期 required; 文号, 主题分类, 发布机构, 正文 optional).

    ``progress(done, total, message)`` hears how far it got (the background job's page)."""
    report = progress or (lambda done, total, message: None)
    table = read_table(data, filename)
    positions, errors = _locate(table, ITEM_COLUMNS)
    if errors:
        raise ImportFileError(errors)
    if not table.rows:
        raise ImportFileError([f"{table.name}：表头下没有数据行"])
    lookup = _category_lookup(agency)
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row_number, values in table.rows:
        fields: dict[str, Any] = {}

        def cell(key: str, values: list[Any] = values) -> Any:
            return values[positions[key] - 1] if key in positions else None

        raw_category = unicodedata.normalize("NFKC", str(cell("category") or "")).strip().replace(" / ", "/")
        category, why = lookup(raw_category) if raw_category else (None, "")
        if not raw_category:
            errors.append(f"{table.where(row_number, positions['category'])}：为空")
        elif category is None:
            errors.append(f"{table.where(row_number, positions['category'])}：“{_shown(raw_category)}”{why}")
        fields["category"] = category
        title = str(cell("title") or "").strip()
        if not title:
            errors.append(f"{table.where(row_number, positions['title'])}：为空")
        elif len(title) > 300:
            errors.append(f"{table.where(row_number, positions['title'])}：超过300个字符")
        fields["title"] = title
        formed = _date_value(cell("formed_on"))
        if formed is None:
            errors.append(
                f"{table.where(row_number, positions['formed_on'])}：应为日期（如 2023-03-15），实为“{_shown(cell('formed_on') or '')}”"
            )
        fields["formed_on"] = formed
        topic_text = str(cell("topic") or "").strip()
        if topic_text and topic_text not in _TOPIC_BY_LABEL:
            errors.append(f"{table.where(row_number, positions['topic'])}：未知的主题分类“{_shown(topic_text)}”")
        fields["topic"] = _TOPIC_BY_LABEL.get(topic_text, Topic.GENERAL)
        fields["document_number"] = str(cell("document_number") or "").strip()
        fields["issuer"] = str(cell("issuer") or "").strip()
        body = str(cell("body") or "").strip()
        fields["body"] = "".join(f"<p>{_escape(p)}</p>" for p in body.splitlines() if p.strip())
        parsed.append((row_number, fields))
    if errors:
        raise ImportFileError(errors)
    created: list[Item] = []
    report(0, len(parsed), "文件已检查无误，正在写入")
    with transaction.atomic():
        for done, (row_number, fields) in enumerate(parsed):
            report(done, len(parsed), f"正在写入第 {done + 1} 条")
            try:
                created.append(create_draft(actor=actor, agency=agency, **fields))
            except GongkaiError as exc:
                raise ImportFileError([f"{table.where(row_number)}：{exc}"]) from None
    return created


def _escape(text: str) -> str:
    from django.utils.html import escape

    return escape(text)
