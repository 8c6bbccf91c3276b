"""The annual report as data: ``gongkai.annual-report/1`` (shared/spec/report-json.md).

One type, whether computed from our own cases or read from a published document. Checks and
writers take it and never care where it came from. ``None`` is a blank or "/" cell, not 0.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from gongkai.core.errors import ReportFormatError
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    ROWS_ABSENT_IN_2019,
    SCHEMA,
    TABLE3_KEYS,
    TABLE4_FIELDS,
    TABLE4_GROUPS,
    ReportFormat,
    ValueType,
    table2_rows,
)

Cell = int | None
MoneyCell = Decimal | None
Table2Value = int | Decimal | None


@dataclass(frozen=True, slots=True)
class ReadNote:
    """Something a reader could not read for sure, or fixed up; where and why.

    ``table`` is "二"/"三"/"四" or None for the document as a whole; ``row`` and ``column`` are
    JSON keys (row key, column index or field name) so a program can point at the cell.
    """

    message: str
    table: str | None = None
    row: str | None = None
    column: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"table": self.table, "row": self.row, "column": self.column, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReadNote:
        return cls(
            message=str(data.get("message", "")),
            table=data.get("table"),
            row=data.get("row"),
            column=None if data.get("column") is None else str(data.get("column")),
        )


def empty_table2(fmt: ReportFormat) -> dict[str, dict[str, Table2Value]]:
    return {row.key: {f.key: None for f in row.fields} for row in table2_rows(fmt)}


def empty_table3() -> dict[str, list[Cell]]:
    return {key: [None] * COLUMN_COUNT for key in TABLE3_KEYS}


def empty_table4() -> dict[str, dict[str, Cell]]:
    return {group.value: dict.fromkeys(TABLE4_FIELDS) for group in TABLE4_GROUPS}


@dataclass(slots=True)
class AnnualReport:
    """A 政府信息公开工作年度报告's agency, year, format and tables 二, 三, 四.

    ``sections`` holds narrative text by section key (``taxonomy.SECTION_HEADINGS``) where known;
    ``notes`` what a reader was unsure of. Both are extra keys of the JSON form.
    """

    agency: str | None
    year: int | None
    format: ReportFormat
    table2: dict[str, dict[str, Table2Value]] = field(default_factory=dict)
    table3: dict[str, list[Cell]] = field(default_factory=empty_table3)
    table4: dict[str, dict[str, Cell]] = field(default_factory=empty_table4)
    sections: dict[str, str] = field(default_factory=dict)
    notes: list[ReadNote] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.table2:
            self.table2 = empty_table2(self.format)

    @classmethod
    def empty(
        cls, fmt: ReportFormat = ReportFormat.F2021, *, agency: str | None = None, year: int | None = None
    ) -> AnnualReport:
        """A report with every cell blank (``None``)."""
        return cls(agency=agency, year=year, format=fmt)

    @classmethod
    def zero(
        cls, fmt: ReportFormat = ReportFormat.F2021, *, agency: str | None = None, year: int | None = None
    ) -> AnnualReport:
        """A report with every cell 0 (the 2019 format's absent （六） sub-rows stay ``None``)."""
        report = cls.empty(fmt, agency=agency, year=year)
        for row in table2_rows(fmt):
            for f in row.fields:
                report.table2[row.key][f.key] = Decimal("0") if f.value_type is ValueType.MONEY else 0
        for key in TABLE3_KEYS:
            if not (fmt is ReportFormat.F2019 and key in ROWS_ABSENT_IN_2019):
                report.table3[key] = [0] * COLUMN_COUNT
        for group in report.table4.values():
            for name in group:
                group[name] = 0
        return report

    # -- JSON ------------------------------------------------------------------------------

    def to_dict(self, *, include_extras: bool = True) -> dict[str, Any]:
        """The JSON form. Money becomes a decimal string; ``None`` stays ``null``."""
        table2: dict[str, dict[str, Any]] = {}
        for row_key, values in self.table2.items():
            table2[row_key] = {k: _money_str(v) if isinstance(v, Decimal) else v for k, v in values.items()}
        data: dict[str, Any] = {
            "schema": SCHEMA,
            "agency": self.agency,
            "year": self.year,
            "format": self.format.value,
            "table2": table2,
            "table3": {key: list(self.table3[key]) for key in TABLE3_KEYS},
            "table4": {g: dict(v) for g, v in self.table4.items()},
        }
        if include_extras:
            if self.sections:
                data["sections"] = dict(self.sections)
            if self.notes:
                data["notes"] = [n.to_dict() for n in self.notes]
        return data

    def to_json(self, *, indent: int | None = 2, include_extras: bool = True) -> str:
        return json.dumps(self.to_dict(include_extras=include_extras), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: Any) -> AnnualReport:
        """Parse the JSON form, naming the key of any value that does not fit."""
        if not isinstance(data, dict):
            raise ReportFormatError("年度报告数据应为 JSON 对象")
        if data.get("schema", SCHEMA) != SCHEMA:
            raise ReportFormatError(f"schema 应为 {SCHEMA}，实为 {data.get('schema')!r}")
        try:
            fmt = ReportFormat(str(data.get("format", ReportFormat.F2021.value)))
        except ValueError:
            raise ReportFormatError(f"format 应为 2019 或 2021，实为 {data.get('format')!r}") from None
        year = data.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise ReportFormatError(f"year 应为整数或 null，实为 {year!r}")
        agency = data.get("agency")
        if agency is not None and not isinstance(agency, str):
            raise ReportFormatError(f"agency 应为字符串或 null，实为 {agency!r}")
        report = cls.empty(fmt, agency=agency, year=year)

        table2 = data.get("table2") or {}
        if not isinstance(table2, dict):
            raise ReportFormatError("table2 应为对象")
        for row in table2_rows(fmt):
            values = table2.get(row.key) or {}
            if not isinstance(values, dict):
                raise ReportFormatError(f"table2.{row.key} 应为对象")
            for f in row.fields:
                where = f"table2.{row.key}.{f.key}"
                raw = values.get(f.key)
                if f.value_type is ValueType.MONEY:
                    report.table2[row.key][f.key] = _parse_money(raw, where)
                else:
                    report.table2[row.key][f.key] = _parse_count(raw, where)

        table3 = data.get("table3") or {}
        if not isinstance(table3, dict):
            raise ReportFormatError("table3 应为对象")
        for key in TABLE3_KEYS:
            raw_row = table3.get(key)
            if raw_row is None:
                continue
            if not isinstance(raw_row, list) or len(raw_row) != COLUMN_COUNT:
                raise ReportFormatError(f"table3.{key} 应为 {COLUMN_COUNT} 个数的数组")
            report.table3[key] = [_parse_count(v, f"table3.{key}[{i}]") for i, v in enumerate(raw_row)]

        table4 = data.get("table4") or {}
        if not isinstance(table4, dict):
            raise ReportFormatError("table4 应为对象")
        for group in TABLE4_GROUPS:
            values = table4.get(group.value) or {}
            if not isinstance(values, dict):
                raise ReportFormatError(f"table4.{group.value} 应为对象")
            for name in TABLE4_FIELDS:
                report.table4[group.value][name] = _parse_count(values.get(name), f"table4.{group.value}.{name}")

        sections = data.get("sections") or {}
        if isinstance(sections, dict):
            report.sections = {str(k): str(v) for k, v in sections.items()}
        notes = data.get("notes") or []
        if isinstance(notes, list):
            report.notes = [ReadNote.from_dict(n) for n in notes if isinstance(n, dict)]
        return report

    @classmethod
    def from_json(cls, text: str) -> AnnualReport:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReportFormatError(f"JSON 无法解析：第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}") from None
        return cls.from_dict(data)

    def same_numbers(self, other: AnnualReport) -> bool:
        """True when both reports have the same agency, year, format and every cell."""
        return self.to_dict(include_extras=False) == other.to_dict(include_extras=False)


def _money_str(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text


def _parse_count(raw: Any, where: str) -> Cell:
    """An integer cell. A negative count is kept as published: the checks flag it (T2-NEGATIVE)."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise ReportFormatError(f"{where} 应为整数或 null，实为 {raw!r}")
    return int(raw)


def _parse_money(raw: Any, where: str) -> MoneyCell:
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ReportFormatError(f"{where} 应为十进制字符串或 null，实为 {raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        raise ReportFormatError(f"{where} 不是数字：{raw!r}") from None
    if not value.is_finite():
        raise ReportFormatError(f"{where} 不是有限数字：{raw!r}")
    return value
