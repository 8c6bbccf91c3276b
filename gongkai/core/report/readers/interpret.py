"""From an extracted :class:`~.document.Document` to an :class:`AnnualReport`.

One interpreter for every file type: the grids are read first (:mod:`.grid`); the text
(:mod:`.stream`) fills what the grids did not hold (a flattened table), and for a PDF, whose grids
and text layer are extracted independently, it also cross-checks them. Then the format
(spec §4), the agency and year (from the title) and the narrative sections.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from types import ModuleType

from gongkai.core import lazyre
from gongkai.core.errors import ReportReadError
from gongkai.core.report import taxonomy as tx
from gongkai.core.report.model import AnnualReport, ReadNote
from gongkai.core.report.readers import stream
from gongkai.core.report.readers.document import Document, Grid
from gongkai.core.report.readers.labels import OTHER_OTHER, OTHER_ROWS, OTHER_SINGLE, Heading, detect_format
from gongkai.core.report.readers.normalize import Got, Unsure, norm, shorten
from gongkai.core.report.readers.regions import headings, regions
from gongkai.core.report.readers.tables import TABLE_TITLES, TableReading, fill_from, merge
from gongkai.core.report.taxonomy import ReportTable

_FOOTER = lazyre.compile(
    r"^\s*(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$"
)
_BOOKMARK = lazyre.compile(r"\[(?:bookmark|image|书签):[^\]]{0,200}\]")
_MIN_T3_ROWS = 3


def _joined() -> ModuleType:
    """The reader of run-together cells (:mod:`.joined`), imported when a table needs it: most
    files never do, and it costs a text parse's start-up ~10 ms (issue 19)."""
    from gongkai.core.report.readers import joined

    return joined


def _grid() -> ModuleType:
    """The reader of tables whose cells are known (:mod:`.grid`), imported for a document that
    has grids: a text file has none, and its parse need not pay the import (issue 19)."""
    from gongkai.core.report.readers import grid

    return grid


def _grid_table3(grids: list[Grid]) -> TableReading:
    return _grid().read_table3(grids) if grids else TableReading(ReportTable.TABLE3)


def _grid_table2(grids: list[Grid], fmt: tx.ReportFormat) -> TableReading:
    return _grid().read_table2(grids, fmt) if grids else TableReading(ReportTable.TABLE2)


def _grid_table4(grids: list[Grid]) -> TableReading:
    return _grid().read_table4(grids) if grids else TableReading(ReportTable.TABLE4)


def clean_lines(lines: Sequence[str]) -> list[str]:
    """Drop page footers ("- 4 -", "第 4 页") and Word export artefacts ("[bookmark: _GoBack]")."""
    out: list[str] = []
    for line in lines:
        if len(line) < 40 and _FOOTER.match(line):
            continue
        out.append(_BOOKMARK.sub("", line) if "[" in line else line)
    return out


def interpret(doc: Document) -> AnnualReport:
    """Read tables 二, 三, 四, the format, agency, year and sections of an extracted document.

    The report of 条例 art 50 in the national format (国办公开办函〔2021〕30号, legal spec §3; the
    2019 trial format, §4). Raises :class:`ReportReadError` when table 三 (the one table every
    report has) is not found.
    """
    lines = clean_lines(doc.lines)
    if not any(line.strip() for line in lines) and not doc.grids:
        raise ReportReadError("文件中没有可读的文字", source=doc.source)
    whole = norm("".join(line for line in lines if len(line) < 2000))
    fmt, format_note = detect_format(whole)
    heads = headings(lines)
    spans = regions(lines, heads)

    t3_grid = _grid_table3(doc.grids)
    t3 = _read(doc, t3_grid, lambda: stream.read_table3(lines, spans.t3) if spans.t3 else None)
    if spans.t3 and not _settled_t3(t3):
        t3 = fill_from(t3, _joined().read_table3(lines, spans.t3, fmt))
    if doc.cross_check and not t3_grid.found and t3.found:
        doc.notes.append("PDF 中表三没有可识别的表格线，只按文字层读取，未能与表格交叉核对")
    t2 = _read(
        doc, _grid_table2(doc.grids, fmt), lambda: stream.read_table2(lines, spans.t2, fmt) if spans.t2 else None
    )
    if doc.more_grids is not None and not _settled(t2, fmt):
        doc.grids.extend(doc.more_grids())
        t2 = _read(
            doc,
            _grid_table2(doc.grids, fmt),
            lambda: stream.read_table2(lines, spans.t2, fmt) if spans.t2 else None,
        )
    if spans.t2 and not _settled(t2, fmt):
        t2 = fill_from(t2, _joined().read_table2(lines, spans.t2, fmt))
    t4 = _read(doc, _grid_table4(doc.grids), lambda: stream.read_table4(lines, spans.t4) if spans.t4 else None)
    if spans.t4 and (not t4.found or not all(isinstance(v, Got) for v in t4.cells.values())):
        t4 = fill_from(t4, _joined().read_table4(lines, spans.t4))
    t3_found = len({row for row, _ in t3.cells}) >= _MIN_T3_ROWS
    if not t3_found and not _any_number(t2) and not _any_number(t4):
        raise ReportReadError(
            f"未找到{TABLE_TITLES[ReportTable.TABLE3]}，这可能不是政府信息公开工作年度报告", source=doc.source
        )
    if not t3_found:
        why = "表格在转换中丢失了单元格边界" if spans.t3 else "文件中没有找到它的行标签和数字"
        t3 = TableReading(ReportTable.TABLE3)
        t3.note(f"表三未能识别：{why}，表中各格留空；表二、表四照常读取")

    agency, year, title_notes = read_title(lines, doc.title_hint, whole)
    report = AnnualReport.empty(fmt, agency=agency, year=year)
    report.notes.extend(ReadNote(message) for message in doc.notes)
    if format_note:
        report.notes.append(ReadNote(format_note))
    report.notes.extend(title_notes)
    _fill_table2(report, t2)
    _fill_table3(report, t3)
    _fill_table4(report, t4)
    report.sections = read_sections(lines, heads, wrapped=doc.wrapped, agency=agency)
    if doc.ocr:
        from gongkai.core.report.readers.verify import keep_what_adds_up  # OCR only: not at start-up

        keep_what_adds_up(report)
    return report


def _read(doc: Document, from_grids: TableReading, from_text: Callable[[], TableReading | None]) -> TableReading:
    """The grid reading, completed (or, for a PDF, cross-checked) by the text reading."""
    complete = from_grids.found and not any(isinstance(v, Unsure) for v in from_grids.cells.values())
    if complete and not doc.cross_check and _covers(from_grids):
        return from_grids
    text_reading = from_text()
    if text_reading is None:
        return from_grids
    return merge(from_grids, text_reading, cross_check=doc.cross_check)


def _settled(reading: TableReading, fmt: tx.ReportFormat) -> bool:
    """Every cell of table 二 read for sure."""
    cells = reading.cells
    return all(isinstance(cells.get((row.key, f.key)), Got) for row in tx.table2_rows(fmt) for f in row.fields)


def _settled_t3(reading: TableReading) -> bool:
    """Every table 三 row found and read for sure (nothing left for the run-together reader)."""
    cells = reading.cells
    return len(reading.rows) >= len(tx.TABLE3_ROWS) - 2 and all(isinstance(v, Got) for v in cells.values())


def _any_number(reading: TableReading) -> bool:
    return any(isinstance(v, Got) and v.value is not None for v in reading.cells.values())


def _covers(reading: TableReading) -> bool:
    if reading.table == ReportTable.TABLE3:
        return len(reading.rows) >= len(tx.TABLE3_ROWS) - 2
    if reading.table == ReportTable.TABLE4:
        return len(reading.cells) == len(tx.TABLE4_GROUPS) * len(tx.TABLE4_FIELDS)
    return len(reading.rows) >= len(tx.TABLE2_ROWS_2021)


# ---------------------------------------------------------------------------------------------
# Filling the report
# ---------------------------------------------------------------------------------------------


def _missing_table(report: AnnualReport, table: ReportTable) -> None:
    report.notes.append(ReadNote(f"未找到{TABLE_TITLES[table]}，表中各格留空", table=table))


def _fill_table2(report: AnnualReport, reading: TableReading) -> None:
    if not reading.found:
        _missing_table(report, ReportTable.TABLE2)
        return
    report.notes.extend(reading.notes)
    for row in tx.table2_rows(report.format):
        missing: list[str] = []
        for f in row.fields:
            cell = reading.cells.get((row.key, f.key))
            if isinstance(cell, Got):
                report.table2[row.key][f.key] = cell.value
                if cell.note:
                    report.notes.append(
                        ReadNote(f"“{row.label}”“{f.label}”：{cell.note}", ReportTable.TABLE2, row.key, f.key)
                    )
            elif isinstance(cell, Unsure):
                report.notes.append(
                    ReadNote(f"“{row.label}”“{f.label}”：{cell.message}", ReportTable.TABLE2, row.key, f.key)
                )
            else:
                missing.append(f.label)
        if len(missing) == len(row.fields):
            report.notes.append(ReadNote(f"未找到“{row.label}”行，留空", ReportTable.TABLE2, row.key))
        elif missing:
            report.notes.append(
                ReadNote(f"“{row.label}”行未读到：{'、'.join(missing)}，留空", ReportTable.TABLE2, row.key)
            )


def _fill_table3(report: AnnualReport, reading: TableReading) -> None:
    if not reading.found:
        report.notes.extend(reading.notes)
        return
    column_notes = {n.column for n in reading.notes if n.row is None and n.column is not None}
    sources = {key: key for key in tx.TABLE3_KEYS}
    other_rows = OTHER_ROWS[:-1]
    explained: set[str] = set()
    if OTHER_SINGLE in reading.rows and not (reading.rows & set(OTHER_ROWS)):
        sources[OTHER_OTHER] = OTHER_SINGLE
        if report.format is tx.ReportFormat.F2021:
            explained.update(other_rows)
    elif report.format is tx.ReportFormat.F2019 and reading.rows & set(other_rows):
        _sum_other_rows(reading)
        sources[OTHER_OTHER] = OTHER_SINGLE
    report.notes.extend(reading.notes)
    report.notes.extend(
        ReadNote("表中“（六）其他处理”只有一行，没有分项：读入“3.其他”，这一项留空", ReportTable.TABLE3, key)
        for key in other_rows
        if key in explained
    )
    for row in tx.TABLE3_ROWS:
        if row.key in explained or (report.format is tx.ReportFormat.F2019 and row.key in tx.ROWS_ABSENT_IN_2019):
            continue
        source = sources[row.key]
        values = [reading.cells.get((source, str(c))) for c in range(tx.COLUMN_COUNT)]
        if all(v is None for v in values):
            report.notes.append(ReadNote(f"未找到“{row.full_label}”行，留空", ReportTable.TABLE3, row.key))
            continue
        missing: list[str] = []
        for c, cell in enumerate(values):
            if isinstance(cell, Got):
                value = cell.value
                report.table3[row.key][c] = value if isinstance(value, int) else None
                if cell.note:
                    report.notes.append(
                        ReadNote(
                            f"“{row.full_label}”行“{tx.COLUMN_LABELS[c]}”列：{cell.note}",
                            ReportTable.TABLE3,
                            row.key,
                            str(c),
                        )
                    )
            elif isinstance(cell, Unsure):
                report.notes.append(
                    ReadNote(
                        f"“{row.full_label}”行“{tx.COLUMN_LABELS[c]}”列：{cell.message}",
                        ReportTable.TABLE3,
                        row.key,
                        str(c),
                    )
                )
            elif str(c) not in column_notes:
                missing.append(tx.COLUMN_LABELS[c])
        if missing:
            report.notes.append(
                ReadNote(f"“{row.full_label}”行未读到：{'、'.join(missing)}，留空", ReportTable.TABLE3, row.key)
            )


def _sum_other_rows(reading: TableReading) -> None:
    """2019 format with （六）的三个分项 printed: its single row is their sum (report-json.md)."""
    for c in range(tx.COLUMN_COUNT):
        cells = [reading.cells.get((key, str(c))) for key in OTHER_ROWS]
        if all(isinstance(cell, Got) for cell in cells):
            numbers = [cell.value for cell in cells if isinstance(cell, Got) and isinstance(cell.value, int)]
            reading.cells[(OTHER_SINGLE, str(c))] = Got(sum(numbers) if numbers else None)
        else:
            reading.cells[(OTHER_SINGLE, str(c))] = Unsure("“（六）其他处理”的分项未全部读到，无法合计")
    reading.rows.add(OTHER_SINGLE)
    reading.note("2019年格式的报告印了“（六）其他处理”的三个分项，按三项之和读入“（六）其他处理”", row=OTHER_OTHER)


def _fill_table4(report: AnnualReport, reading: TableReading) -> None:
    if not reading.found:
        _missing_table(report, ReportTable.TABLE4)
        return
    report.notes.extend(reading.notes)
    for group in tx.TABLE4_GROUPS:
        for name in tx.TABLE4_FIELDS:
            cell = reading.cells.get((group.value, name))
            label = tx.TABLE4_TOTAL_LABEL if name == tx.TABLE4_TOTAL_KEY else tx.ReviewResult(name).label
            if isinstance(cell, Got):
                report.table4[group.value][name] = cell.value if isinstance(cell.value, int) else None
                if cell.note:
                    report.notes.append(
                        ReadNote(f"“{group.label}”“{label}”：{cell.note}", ReportTable.TABLE4, group.value, name)
                    )
            elif isinstance(cell, Unsure):
                report.notes.append(
                    ReadNote(f"“{group.label}”“{label}”：{cell.message}", ReportTable.TABLE4, group.value, name)
                )
            else:
                report.notes.append(
                    ReadNote(f"“{group.label}”“{label}”未读到，留空", ReportTable.TABLE4, group.value, name)
                )


# ---------------------------------------------------------------------------------------------
# Title: agency and year
# ---------------------------------------------------------------------------------------------

_REPORT_WORDS = r"(?:关于)?\s*(?:政府信息公开|政务公开)(?:工作)?\s*(?:年度)?\s*(?:报告|年报)"
_YEAR = r"(?P<year>(?:19|20)\d{2})\s*年\s*度?"
_TITLE_AGENCY_FIRST = lazyre.compile(
    rf"^(?P<agency>[^\d，。,:：；;！!?？]{{2,40}}?)\s*(?:关于)?\s*{_YEAR}\s*{_REPORT_WORDS}"
)
_TITLE_YEAR_FIRST = lazyre.compile(rf"^(?:关于)?\s*{_YEAR}\s*(?P<agency>[^\s\d，。,:：；;]{{0,40}}?)\s*{_REPORT_WORDS}")
_LOCAL = lazyre.compile(r"^[^市省州盟]{1,6}?(?:区|县|旗|镇|乡|街道)")
_PREFIX = lazyre.compile(r"[\u4e00-\u9fff]{1,12}(?:省|自治区|市|州|盟|地区)$")
_FUNCTION_CHARS = set("由与在据向对为将按经及和于是的了请")
_TITLE_LINES = 15


def _plausible_agency(text: str) -> str | None:
    name = re.sub(r"\s+", "", text).removeprefix("关于")
    if not 2 <= len(name) <= 40 or not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return None
    if any(word in name for word in ("报告", "信息公开", "。", "，")):
        return None
    return name


def read_title(lines: Sequence[str], hint: str, whole: str) -> tuple[str | None, int | None, list[ReadNote]]:
    """Agency and year from the document's own title ("XX局2023年政府信息公开工作年度报告", or the
    agency on the line above "2023年政府信息公开年度报告"); ``None`` for what the title does not say.

    The title the file declares (``hint``: a web page's ``<title>``, its article-title meta and
    ``<h1>``) comes before any line of the body, so a sidebar of links to other agencies' reports
    is never taken for the title; without one, the first title line of the body (the first
    heading of a document, the first lines of a PDF). Titles that disagree give a note.
    """
    body = [line.strip() for line in lines[:400] if line.strip()][:_TITLE_LINES]
    hints = [line.strip() for line in hint.splitlines() if line.strip()]
    found = [t for i, line in enumerate(hints) if (t := _title_at(hints, i, None)) is not None]
    if not found:
        found = [t for i in range(len(body)) if (t := _title_at(body, i, body)) is not None][:1]
    if not found:
        return None, None, []
    agency, year, line = found[0]
    notes: list[ReadNote] = []
    for other_agency, other_year, other_line in found[1:]:
        if other_year != year or (other_agency and agency and _squash(other_agency) != _squash(agency)):
            notes.append(
                ReadNote(f"文件的标题不一致：“{shorten(line, 60)}”与“{shorten(other_line, 60)}”，按前者读取机关和年度")
            )
            break
    if agency is not None:
        full = _qualify(agency, whole)
        if full != agency:
            notes.append(ReadNote(f"标题中的机关名称“{agency}”按正文补全为“{full}”"))
            agency = full
    return agency, year, notes


def _squash(text: str) -> str:
    return "".join(text.split())


def _title_at(candidates: Sequence[str], i: int, body: Sequence[str] | None) -> tuple[str | None, int, str] | None:
    """(agency, year, line) when ``candidates[i]`` is a report title; a title without the agency
    takes it from the line above (body lines only)."""
    line = candidates[i]
    if len(line) > 120:
        return None
    match = _TITLE_AGENCY_FIRST.match(line) or _TITLE_YEAR_FIRST.match(line)
    if match is None:
        return None
    agency = _plausible_agency(match.group("agency"))
    if agency is None and body is not None and i > 0:
        agency = _plausible_agency(candidates[i - 1])
    return agency, int(match.group("year")), line


def _qualify(agency: str, whole: str) -> str:
    """ "洪泽区人民政府" → "淮安市洪泽区人民政府" when the text names the agency with its city."""
    if not _LOCAL.match(agency):
        return agency
    prefixes: list[str] = []
    start = whole.find(agency)
    while start >= 0 and len(prefixes) < 20:
        before = whole[max(0, start - 14) : start]
        cut = len(before)  # the run of CJK characters that ends ``before``
        while cut and "\u4e00" <= before[cut - 1] <= "\u9fff":
            cut -= 1
        run = before[cut:]
        if run and _PREFIX.search(run):
            prefixes.append(run)
        start = whole.find(agency, start + len(agency))
    if not prefixes:
        return agency
    if len(prefixes) >= 2:
        common = prefixes[0]
        for other in prefixes[1:]:
            while common and not other.endswith(common):
                common = common[1:]
    else:
        common = prefixes[0]
        cut = max((i for i, ch in enumerate(common) if ch in _FUNCTION_CHARS), default=-1)
        common = common[cut + 1 :]
    match = _PREFIX.search(common)
    if match is None or not 3 <= len(match.group()) <= 10 or match.group() != common:
        return agency
    return common + agency


# ---------------------------------------------------------------------------------------------
# Narrative sections
# ---------------------------------------------------------------------------------------------

_DATE_LINE = lazyre.compile(r"^\s*(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?\s*$")
_SITE_FOOTER = ("版权所有", "网站标识码", "ICP备", "主办单位", "技术支持", "公网安备")
_SUBHEADING = lazyre.compile(r"^\s*[（(][一二三四五六七八九十]+[)）]")
_NARRATIVE = ("overview", "problems", "other")
#: The key of the opening text before section 一 (``writers.layout.PREAMBLE_KEY``).
_PREAMBLE = "preamble"
#: A page number a PDF prints in the text ("— 2 —", "-3-", "第 4 页").
_PAGE_NUMBER = lazyre.compile(
    r"^\s*(?:[—–\-－]+\s*\d{1,3}\s*[—–\-－]+|第\s*\d{1,3}\s*页(?:\s*共\s*\d{1,3}\s*页)?|\d{1,3})\s*$"
)
#: Names a signing body ends with (the 落款 under section 六).
_BODY_SUFFIX = lazyre.compile(r"(?:人民政府|办事处|委员会|办公室|局|厅|署|中心|院|部|所)$")
_PREAMBLE_MAX_LINES = 12


def read_sections(
    lines: Sequence[str], heads: Sequence[Heading], *, wrapped: bool, agency: str | None
) -> dict[str, str]:
    """Text of the opening (前言) and of sections 一, 五 and 六 by ``SECTION_HEADINGS`` key, as
    written: PDF page numbers dropped, the 落款 (agency and date) under the last section left out,
    lines a PDF wrapped joined into their paragraphs (best effort)."""
    sections: dict[str, str] = {}
    preamble = _preamble(lines, heads, agency, wrapped=wrapped)
    if preamble:
        sections[_PREAMBLE] = preamble
    for key in _NARRATIVE:
        for i, head in enumerate(heads):
            if head.key != key:
                continue
            end = heads[i + 1].line if i + 1 < len(heads) else len(lines)
            body = [line.strip() for line in lines[head.line + 1 : end]]
            body = _trim(body, agency, last=i + 1 == len(heads))
            text = _join(body, wrapped=wrapped)
            if text:
                sections[key] = text
                break
    return sections


def _preamble(lines: Sequence[str], heads: Sequence[Heading], agency: str | None, *, wrapped: bool) -> str:
    """The opening paragraph(s) between the title and the first section heading ("依据…第五十条
    规定，编制本报告。"): read back from the heading to the title; only text with a full stop."""
    if not heads:
        return ""
    first = min(h.line for h in heads)
    body: list[str] = []
    for line in reversed(lines[max(0, first - _PREAMBLE_MAX_LINES) : first]):
        text = line.strip()
        if not text:
            continue
        if _is_title_line(text, agency) or any(word in text for word in _SITE_FOOTER):
            break
        if _PAGE_NUMBER.match(text):
            continue
        body.append(text)
    body.reverse()
    joined = _join(body, wrapped=wrapped)
    return joined if "。" in joined else ""


def _is_title_line(text: str, agency: str | None) -> bool:
    """A line of the title block: the agency's name, the report's title, a date."""
    if _DATE_LINE.match(text) or (agency and norm(text) == norm(agency)):
        return True
    short = len(text) <= 60 and "。" not in text
    return short and ("年度报告" in text or "工作报告" in text or bool(_BODY_SUFFIX.search(text)))


def _trim(body: list[str], agency: str | None, *, last: bool) -> list[str]:
    for i, line in enumerate(body):
        if any(word in line for word in _SITE_FOOTER):
            body = body[:i]
            break
    body = [line for line in body if not _PAGE_NUMBER.match(line)]
    if not last:
        return body
    # The 落款: the agency's name and the date, in either order, under the last section.
    for _ in range(2):
        while body and not body[-1]:
            body.pop()
        if body and (_DATE_LINE.match(body[-1]) or _is_signature(body[-1], agency)):
            body.pop()
    while body and not body[-1]:
        body.pop()
    return body


def _is_signature(line: str, agency: str | None) -> bool:
    """The signing body's name on a line of its own (no sentence punctuation)."""
    if agency and norm(line) == norm(agency):
        return True
    return len(line) <= 30 and not any(p in line for p in "。，；：:") and bool(_BODY_SUFFIX.search(line))


def _width(line: str) -> float:
    """Printed width: a CJK character 1, an ASCII one ½."""
    narrow = len(_NARROW.findall(line)) if not line.isascii() else len(line)
    return narrow * 0.5 + (len(line) - narrow)


_NARROW = lazyre.compile("[\x00-\u2e7f]")


def _join(body: list[str], *, wrapped: bool) -> str:
    """Lines into paragraphs. In wrapped text (a PDF) a line continues the paragraph above when
    the line above ran to the full width of the page, less the two-character indent of a first
    line; a shorter line such as "（七）监督保障情况" ends its paragraph, a sub-heading starts one,
    and so does a line indented as a first line after a line that ends a sentence."""
    if not wrapped:
        return "\n".join(line for line in body if line).strip()
    paragraphs: list[str] = []
    widest = max((_width(line) for line in body if line), default=0.0)
    last_full = False
    for line in body:
        if not line:
            continue
        width = _width(line)
        first_line = abs(width - (widest - 2)) <= 0.5
        if (
            paragraphs
            and last_full
            and not _SUBHEADING.match(line)
            and not (paragraphs[-1].endswith("。") and first_line)
        ):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
        last_full = width >= widest - 2.5
    return "\n".join(paragraphs).strip()
