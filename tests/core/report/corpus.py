"""A corpus of annual reports built in code and written in every published format.

Each report is random but seeded, so the corpus is the same on every run. Consistent reports
are built by distributing counts, so every 勾稽 rule of legal spec §3.7 holds (V1 column
balance, V2 （七）总计 row, V3 总计 column, V5 table 四 totals); the ``e*`` reports break one rule
each on purpose (or several, ``e08``), and :func:`violations` is the plain-arithmetic oracle
that says where. Files: ``.json``, ``.txt`` (Word text export layout, like
``shared/samples/miyun-guoyuan-2023.txt``), ``.html``, ``.docx``, ``.pdf``, plus layout-quirk
variants (half-width brackets, "2、" headings, labels broken over lines, a stray
"[bookmark: _GoBack]", thousands separators, the title on two lines).

``python -m tests.core.report.corpus OUTDIR`` writes the whole corpus for a look; tests write
it into a pytest tmp dir (``conftest.py``), each file when first needed.
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from io import BytesIO
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import (
    COLUMN_COUNT,
    OUTCOME_ROWS,
    ROWS_ABSENT_IN_2019,
    SECTION_HEADINGS,
    TABLE4_FIELDS,
    TABLE4_TOTAL_KEY,
    ReportFormat,
    ValueType,
    table2_rows,
    table3_rows,
)
from gongkai.core.report.writers import html_to_pdf, render_docx, render_html, render_pdf, render_text

TOTAL = COLUMN_COUNT - 1  # index of the 总计 column


class Error(StrEnum):
    """A deliberate inconsistency (legal spec §3.7) or impossible value."""

    COLUMN_BALANCE = "column_balance"  # V1: 一 + 二 ≠ （七）总计 + 四 in a column
    TOTAL_ROW = "total_row"  # V2: （七）总计 ≠ sum of the outcome rows
    TOTAL_COLUMN = "total_column"  # V3: 总计 column ≠ sum of the six applicant columns
    TABLE4_TOTAL = "table4_total"  # V5: a table 四 总计 ≠ 维持 + 纠正 + 其他 + 尚未审结
    NEGATIVE_TABLE2 = "negative_table2"  # a count below zero in table 二


class Quirk(StrEnum):
    """Layout oddities of real published files that a reader must survive."""

    HALF_WIDTH_BRACKETS = "brackets"  # "(一)" for "（一）"
    ARABIC_HEADINGS = "arabic"  # "2、 主动公开政府信息情况" for "二、主动公开政府信息情况"
    BROKEN_LABELS = "broken"  # "商业\n企业": a line break inside a header cell
    BOOKMARK = "bookmark"  # "[bookmark: _GoBack]" (txt) / a real _GoBack bookmark (docx)
    THOUSANDS = "thousands"  # "12,345"
    SPLIT_TITLE = "title"  # agency on one line, "2023年政府信息公开年度报告" on the next (txt)


#: One violation: (rule, row or group key or "column", column index or field).
Violation = tuple[str, str, str]


@dataclass(frozen=True)
class CorpusReport:
    name: str
    report: AnnualReport
    description: str
    errors: frozenset[Error] = frozenset()
    #: Where the rules are broken, as :func:`violations` reports it (empty for consistent reports).
    expected_violations: frozenset[Violation] = frozenset()


@dataclass(frozen=True)
class CorpusFile:
    """One written file: which report it shows, in which format, with which quirks."""

    report: str
    format: str  # txt / html / docx / pdf / json
    quirks: frozenset[Quirk] = frozenset()

    @property
    def name(self) -> str:
        tag = "" if not self.quirks else "." + "-".join(sorted(q.value for q in self.quirks))
        return f"{self.report}{tag}.{self.format}"


DOCUMENT_FORMATS: tuple[str, ...] = ("txt", "html", "docx", "pdf")


# ---------------------------------------------------------------------------------------------
# Building consistent reports
# ---------------------------------------------------------------------------------------------

_OUTCOME_WEIGHTS: dict[str, int] = {
    "granted": 40,
    "partial": 10,
    "unavailable_not_held": 15,
    "unavailable_needs_creation": 3,
    "unavailable_still_unclear": 2,
    "other_no_correction": 3,
    "other_fee_unpaid": 2,
    "other_other": 3,
}
_DEFAULT_WEIGHT = 1


@dataclass
class Spec:
    """How to draw a consistent report."""

    seed: int
    fmt: ReportFormat
    agency: str
    year: int
    natural_scale: int = 40  # new applications by natural persons: up to this many
    org_scale: int = 6  # per organisation column; 0 = none
    table2_scale: int = 50
    table4_scale: int = 3
    money_max: Decimal = Decimal("50")
    blank_zeros: float = 0.0  # share of zero cells left blank (None)
    sections: bool = True
    extra: dict[str, int] = field(default_factory=dict)


def consistent_report(spec: Spec) -> AnnualReport:
    """A report whose tables satisfy V1, V2, V3 and V5 (legal spec §3.7) by construction."""
    rng = random.Random(spec.seed)
    report = AnnualReport.zero(spec.fmt, agency=spec.agency, year=spec.year)
    rows = table3_rows(spec.fmt)
    outcome_keys = [r.key for r in rows if r in OUTCOME_ROWS]
    weights = [_OUTCOME_WEIGHTS.get(k, _DEFAULT_WEIGHT) for k in outcome_keys]
    for col in range(TOTAL):
        scale = spec.natural_scale if col == 0 else (spec.org_scale if rng.random() < 0.6 else 0)
        new = rng.randint(scale // 3, scale) if scale else 0
        carried_over = rng.randint(0, max(0, new // 8))
        carried_forward = rng.randint(0, (new + carried_over) // 6)
        handled = new + carried_over - carried_forward
        counts = dict.fromkeys(outcome_keys, 0)
        for key in rng.choices(outcome_keys, weights, k=handled):
            counts[key] += 1
        _cell(report, "new", col, new)
        _cell(report, "carried_over", col, carried_over)
        _cell(report, "carried_forward", col, carried_forward)
        for key, count in counts.items():
            _cell(report, key, col, count)
        _cell(report, "total", col, handled)
    for row in rows:
        values = report.table3[row.key]
        values[TOTAL] = sum(v or 0 for v in values[:TOTAL])

    for group in report.table4.values():
        for name in TABLE4_FIELDS:
            if name != TABLE4_TOTAL_KEY:
                group[name] = rng.randint(0, spec.table4_scale) if rng.random() < 0.5 else 0
        group[TABLE4_TOTAL_KEY] = sum(v or 0 for k, v in group.items() if k != TABLE4_TOTAL_KEY)

    for row2 in table2_rows(spec.fmt):
        for f in row2.fields:
            if f.value_type is ValueType.MONEY:
                cents = rng.randint(0, int(spec.money_max * 10000))
                report.table2[row2.key][f.key] = (Decimal(cents) / 10000).quantize(Decimal("0.0001"))
            elif f.value_type is ValueType.SIGNED:
                report.table2[row2.key][f.key] = rng.randint(-5, 5)
            else:
                report.table2[row2.key][f.key] = rng.randint(0, spec.table2_scale) if rng.random() < 0.7 else 0
    for path, value in spec.extra.items():
        table, row_key, name = path.split(".")
        if table == "table2":
            report.table2[row_key][name] = value
    if spec.blank_zeros:
        _blank_zeros(report, rng, spec.blank_zeros)
    if spec.sections:
        report.sections = _sections(report, rng)
    return report


def _cell(report: AnnualReport, key: str, col: int, value: int) -> None:
    report.table3[key][col] = value


def _blank_zeros(report: AnnualReport, rng: random.Random, share: float) -> None:
    """Leave a share of the zero cells blank, as many documents do ("" / "/" in the file)."""
    for key, values in report.table3.items():
        if report.format is ReportFormat.F2019 and key in ROWS_ABSENT_IN_2019:
            continue
        for i, v in enumerate(values):
            if v == 0 and rng.random() < share:
                values[i] = None
    for group in report.table4.values():
        for name, v in group.items():
            if v == 0 and rng.random() < share:
                group[name] = None
    for fields in report.table2.values():
        for name, v in fields.items():
            if v == 0 and rng.random() < share:
                fields[name] = None


_AGENCY_SHORT = re.compile(r"^(示例市|样本县|示范市|试点县|北京市密云区)")


def _sections(report: AnnualReport, rng: random.Random) -> dict[str, str]:
    """Narrative like a real report's, quoting some of its numbers."""
    new = report.table3["new"][TOTAL] or 0
    done = report.table3["total"][TOTAL] or 0
    short = _AGENCY_SHORT.sub("", report.agency or "本机关") or "本机关"
    items = rng.randint(50, 900)
    return {
        "preamble": "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条规定编制。"
        "报告中所列数据的统计期限自当年1月1日起至12月31日止。",
        "overview": "\n".join(
            [
                "（一）主动公开情况",
                f"{short}严格落实《条例》规定，通过政府网站等平台主动公开政府信息{items}条，及时更新机构职能、政策文件、财政预决算等信息。",
                "（二）依申请公开情况",
                f"本年度新收政府信息公开申请{new}件，办结{done}件，均在法定期限内答复。",
                "（三）政府信息管理",
                "建立健全政府信息公开保密审查机制，做到“上网信息不涉密、涉密信息不上网”。",
                "（四）政府信息公开平台建设",
                "充分发挥政府网站第一平台作用，优化栏目设置，提升检索和无障碍浏览功能。",
                "（五）监督保障",
                "将政府信息公开工作纳入年度考核，本年度未发生因政府信息公开工作被追究责任的情况。",
            ]
        ),
        "problems": "\n".join(
            [
                "（一）主要问题",
                "一是主动公开的深度和广度有待加强；二是工作人员业务能力仍需提升。",
                "（二）改进情况",
                "一是加强业务培训；二是规范依申请公开办理流程，提高答复质量。",
            ]
        ),
        "other": f"依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度发出收费通知{rng.randint(0, 3)}件，实际收取信息处理费0元。",
    }


# ---------------------------------------------------------------------------------------------
# Deliberate errors
# ---------------------------------------------------------------------------------------------


def _break_column_balance(report: AnnualReport, rng: random.Random) -> None:
    """V1 only: more 结转下年度 in one column (and its 总计) than the intake allows."""
    col = 0
    k = rng.randint(1, 3)
    _add(report, "carried_forward", col, k)
    _add(report, "carried_forward", TOTAL, k)


def _break_total_row(report: AnnualReport, rng: random.Random) -> None:
    """V2 only: （一）予以公开 loses some applications that （七）总计 still counts."""
    col = 0
    granted = report.table3["granted"][col] or 0
    k = min(granted, rng.randint(1, 3))
    if k == 0:
        raise ValueError("corpus seed gives no 予以公开 to remove; choose another seed")
    _add(report, "granted", col, -k)
    _add(report, "granted", TOTAL, -k)


def _break_total_column(report: AnnualReport, rng: random.Random) -> None:
    """V3 only: two rows' 总计 moved by the same amount in opposite directions (V2 still holds)."""
    donor = next(k for k in ("unavailable_not_held", "partial", "granted") if (report.table3[k][TOTAL] or 0) > 0)
    k = min(report.table3[donor][TOTAL] or 0, rng.randint(1, 3))
    receiver = "granted" if donor != "granted" else "partial"
    _add(report, donor, TOTAL, -k)
    _add(report, receiver, TOTAL, k)


def _break_table4_total(report: AnnualReport, rng: random.Random) -> None:
    """V5 only: 行政复议 总计 one off."""
    group = report.table4["reconsideration"]
    group[TABLE4_TOTAL_KEY] = (group[TABLE4_TOTAL_KEY] or 0) + rng.randint(1, 2)


def _zero_table4_totals(report: AnnualReport, rng: random.Random) -> None:
    """V5: 总计 printed as 0 though the cells beside it are not (洪泽区 2023 as published)."""
    for group in report.table4.values():
        group["upheld"] = (group["upheld"] or 0) + 1
        group[TABLE4_TOTAL_KEY] = 0


def _negative_table2(report: AnnualReport, rng: random.Random) -> None:
    """A negative count where only 本年增/减 may be negative."""
    row = "normative_documents"
    name = "in_force" if report.format is ReportFormat.F2021 else "total_public"
    report.table2[row][name] = -rng.randint(1, 9)


def _add(report: AnnualReport, key: str, col: int, delta: int) -> None:
    report.table3[key][col] = (report.table3[key][col] or 0) + delta


_BREAKERS: dict[Error, Callable[[AnnualReport, random.Random], None]] = {
    Error.COLUMN_BALANCE: _break_column_balance,
    Error.TOTAL_ROW: _break_total_row,
    Error.TOTAL_COLUMN: _break_total_column,
    Error.TABLE4_TOTAL: _break_table4_total,
    Error.NEGATIVE_TABLE2: _negative_table2,
}


def violations(report: AnnualReport) -> frozenset[Violation]:
    """Where ``report`` breaks legal spec §3.7 V1, V2, V3, V5 or has a negative table 二 count.

    Plain arithmetic, ``None`` counted as 0: the oracle the corpus is checked against.
    """

    def v(key: str, col: int) -> int:
        return report.table3[key][col] or 0

    found: set[Violation] = set()
    rows = table3_rows(report.format)
    outcomes = [r.key for r in rows if r in OUTCOME_ROWS]
    for col in range(COLUMN_COUNT):
        if v("new", col) + v("carried_over", col) != v("total", col) + v("carried_forward", col):
            found.add(("V1", "column", str(col)))
        if v("total", col) != sum(v(k, col) for k in outcomes):
            found.add(("V2", "total", str(col)))
    for row in rows:
        if v(row.key, TOTAL) != sum(v(row.key, c) for c in range(TOTAL)):
            found.add(("V3", row.key, str(TOTAL)))
    for name, group in report.table4.items():
        if (group[TABLE4_TOTAL_KEY] or 0) != sum(group[k] or 0 for k in TABLE4_FIELDS if k != TABLE4_TOTAL_KEY):
            found.add(("V5", name, TABLE4_TOTAL_KEY))
    for row2 in table2_rows(report.format):
        for f in row2.fields:
            value = report.table2[row2.key][f.key]
            if f.value_type is ValueType.COUNT and isinstance(value, int) and value < 0:
                found.add(("negative", row2.key, f.key))
    return frozenset(found)


# ---------------------------------------------------------------------------------------------
# The corpus
# ---------------------------------------------------------------------------------------------

F21, F19 = ReportFormat.F2021, ReportFormat.F2019


def _miyun_2023() -> AnnualReport:
    """The numbers of 北京市密云区果园街道办事处 2023 as published (shared/samples)."""
    report = AnnualReport.zero(F21, agency="北京市密云区果园街道办事处", year=2023)
    report.table2["normative_documents"]["in_force"] = 4
    report.table2["punishment"]["decisions"] = 2015
    for key, n in {
        "new": 29,
        "granted": 12,
        "partial": 4,
        "withheld_administrative_query": 1,
        "unavailable_not_held": 9,
        "other_no_correction": 1,
        "other_fee_unpaid": 2,
        "total": 29,
    }.items():
        report.table3[key] = [n, 0, 0, 0, 0, 0, n]
    report.table4["reconsideration"].update(upheld=1, corrected=1, total=2)
    report.sections = {
        "overview": "（一）政府信息公开工作组织机构建设情况\n果园街道高度重视政府信息公开工作，持续规范政府信息依申请公开，优化网站建设管理。",
        "problems": "（一）主要问题\n一是公开工作落实力度有待加强。二是队伍能力有所不足。",
        "other": "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），发出收费通知2件，总金额38280元，实际收取的总金额0元。",
    }
    return report


def build_reports() -> tuple[CorpusReport, ...]:
    """The corpus reports, in a fixed order (≥ 15; consistent ones first, then ``e*``)."""
    consistent: list[tuple[str, str, Spec | AnnualReport]] = [
        ("r01-2021-basic", "2021 format, small counts, full narrative", Spec(101, F21, "示例市生态环境局", 2023)),
        ("r02-2021-miyun", "the published numbers of the sample report", _miyun_2023()),
        (
            "r03-2021-orgs",
            "applications from every kind of organisation",
            Spec(103, F21, "示例市江北区市场监督管理局", 2022, natural_scale=60, org_scale=25),
        ),
        (
            "r04-2021-big",
            "big numbers (thousands) in tables 二, 三 and money with 4 decimals",
            Spec(
                104,
                F21,
                "示范市公安局",
                2024,
                natural_scale=14000,
                org_scale=900,
                table2_scale=4000,
                table4_scale=40,
                money_max=Decimal("9999"),
                extra={"table2.punishment.decisions": 123456},
            ),
        ),
        (
            "r05-2021-blank-zeros",
            "every zero cell left blank",
            Spec(105, F21, "样本县白沙镇人民政府", 2021, natural_scale=6, org_scale=0, blank_zeros=1.0),
        ),
        (
            "r06-2021-some-blank",
            "some zero cells blank",
            Spec(106, F21, "样本县自然资源局", 2025, natural_scale=20, org_scale=3, blank_zeros=0.4),
        ),
        (
            "r07-2021-no-narrative",
            "headings and tables only",
            Spec(107, F21, "示例市人民政府办公室", 2022, natural_scale=120, org_scale=10, sections=False),
        ),
        ("r08-2019-basic", "2019 trial format, 2019 report", Spec(108, F19, "示例市教育局", 2019)),
        (
            "r09-2019-2020",
            "2019 format for a 2020 report; 本年增/减 negative",
            Spec(109, F19, "试点县人民政府", 2020, natural_scale=80, org_scale=8),
        ),
        (
            "r10-2019-in-2023",
            "an agency still on the 2019 table in 2023 (spec §3.1)",
            Spec(110, F19, "样本县水利局", 2023, natural_scale=15, org_scale=2),
        ),
        (
            "r11-2019-blank",
            "2019 format, zero cells blank",
            Spec(111, F19, "示范市卫生健康委员会", 2020, natural_scale=30, org_scale=4, blank_zeros=1.0),
        ),
        (
            "r12-2021-all-zero",
            "nothing happened all year: every cell 0",
            AnnualReport.zero(F21, agency="试点县石桥乡人民政府", year=2024),
        ),
    ]
    errors: list[tuple[str, str, Spec, frozenset[Error], Callable[[AnnualReport, random.Random], None] | None]] = [
        (
            "e01-2021-column-balance",
            "V1 broken",
            Spec(201, F21, "示例市住房和城乡建设局", 2023),
            frozenset({Error.COLUMN_BALANCE}),
            None,
        ),
        (
            "e02-2021-total-row",
            "V2 broken",
            Spec(202, F21, "示例市交通运输局", 2023),
            frozenset({Error.TOTAL_ROW}),
            None,
        ),
        (
            "e03-2021-total-column",
            "V3 broken",
            Spec(203, F21, "示例市民政局", 2022),
            frozenset({Error.TOTAL_COLUMN}),
            None,
        ),
        (
            "e04-2021-table4-total",
            "V5 broken",
            Spec(204, F21, "示例市司法局", 2024, table4_scale=6),
            frozenset({Error.TABLE4_TOTAL}),
            None,
        ),
        (
            "e05-2021-table4-zero-totals",
            "table 四 totals printed 0 (洪泽 2023)",
            Spec(205, F21, "样本县财政局", 2023),
            frozenset({Error.TABLE4_TOTAL}),
            _zero_table4_totals,
        ),
        (
            "e06-2021-negative-table2",
            "negative table 二 count",
            Spec(206, F21, "示例市商务局", 2023),
            frozenset({Error.NEGATIVE_TABLE2}),
            None,
        ),
        (
            "e07-2019-column-balance",
            "2019 format, V1 broken",
            Spec(207, F19, "示范市审计局", 2019),
            frozenset({Error.COLUMN_BALANCE}),
            None,
        ),
        (
            "e08-2021-several",
            "V1, V3, V5 and a negative count at once",
            Spec(208, F21, "示例市城市管理局", 2025, natural_scale=200, org_scale=20),
            frozenset({Error.COLUMN_BALANCE, Error.TOTAL_COLUMN, Error.TABLE4_TOTAL, Error.NEGATIVE_TABLE2}),
            None,
        ),
    ]
    out: list[CorpusReport] = []
    for name, description, source in consistent:
        report = source if isinstance(source, AnnualReport) else consistent_report(source)
        out.append(CorpusReport(name, report, description))
    for name, description, spec, kinds, breaker in errors:
        report = consistent_report(spec)
        rng = random.Random(spec.seed * 7)
        if breaker is not None:
            breaker(report, rng)
        else:
            for kind in sorted(kinds):
                _BREAKERS[kind](report, rng)
        out.append(CorpusReport(name, report, description, kinds, violations(report)))
    return tuple(out)


#: Quirk variants: (report, format, quirks).
QUIRK_VARIANTS: tuple[tuple[str, str, frozenset[Quirk]], ...] = (
    # The sample's own oddities, all at once.
    ("r02-2021-miyun", "txt", frozenset(Quirk)),
    ("r03-2021-orgs", "txt", frozenset({Quirk.HALF_WIDTH_BRACKETS})),
    ("r01-2021-basic", "txt", frozenset({Quirk.ARABIC_HEADINGS})),
    ("r03-2021-orgs", "txt", frozenset({Quirk.BROKEN_LABELS})),
    ("r01-2021-basic", "txt", frozenset({Quirk.BOOKMARK})),
    ("r04-2021-big", "txt", frozenset({Quirk.THOUSANDS})),
    ("r08-2019-basic", "txt", frozenset({Quirk.HALF_WIDTH_BRACKETS, Quirk.ARABIC_HEADINGS, Quirk.SPLIT_TITLE})),
    ("r04-2021-big", "html", frozenset({Quirk.THOUSANDS, Quirk.BROKEN_LABELS})),
    ("r01-2021-basic", "html", frozenset({Quirk.HALF_WIDTH_BRACKETS, Quirk.ARABIC_HEADINGS})),
    ("r04-2021-big", "docx", frozenset({Quirk.THOUSANDS, Quirk.BROKEN_LABELS, Quirk.BOOKMARK})),
    ("r08-2019-basic", "docx", frozenset({Quirk.HALF_WIDTH_BRACKETS, Quirk.ARABIC_HEADINGS})),
    ("r04-2021-big", "pdf", frozenset({Quirk.THOUSANDS, Quirk.BROKEN_LABELS})),
)


def corpus_files(reports: Iterable[CorpusReport] | None = None) -> tuple[CorpusFile, ...]:
    """Every file of the corpus: each report in every document format, then the quirk variants."""
    names = [r.name for r in (reports if reports is not None else build_reports())]
    files = [CorpusFile(name, fmt) for name in names for fmt in DOCUMENT_FORMATS]
    files += [CorpusFile(name, fmt, quirks) for name, fmt, quirks in QUIRK_VARIANTS]
    return tuple(files)


class Corpus:
    """The corpus in ``directory``: each file is rendered the first time it is asked for.

    Lazy so that one test (or one xdist worker) renders only the files it reads: a PDF takes
    about half a second.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.reports: dict[str, CorpusReport] = {r.name: r for r in build_reports()}
        self.files: tuple[CorpusFile, ...] = corpus_files(self.reports.values())

    def path(self, file: CorpusFile) -> Path:
        target = self.directory / file.name
        if not target.exists():
            data = render_file(self.reports[file.report].report, file.format, file.quirks)
            partial = target.with_name(target.name + ".part")
            partial.write_bytes(data)
            partial.replace(target)
        return target

    def json_path(self, name: str) -> Path:
        target = self.directory / f"{name}.json"
        if not target.exists():
            target.write_text(self.reports[name].report.to_json(), encoding="utf-8")
        return target

    def write_all(self) -> list[Path]:
        """Every file and every report's ``.json``."""
        return [self.json_path(name) for name in self.reports] + [self.path(f) for f in self.files]


def render_file(report: AnnualReport, fmt: str, quirks: frozenset[Quirk] = frozenset()) -> bytes:
    """One file's bytes: the writer's output with ``quirks`` applied."""
    if fmt == "txt":
        return apply_text_quirks(render_text(report), report, quirks).encode("utf-8")
    if fmt == "html":
        return apply_html_quirks(render_html(report), quirks).encode("utf-8")
    if fmt == "pdf":
        return html_to_pdf(apply_html_quirks(render_html(report), quirks)) if quirks else render_pdf(report)
    if fmt == "docx":
        return apply_docx_quirks(render_docx(report), quirks)
    raise ValueError(f"unknown corpus format {fmt!r}")


# ---------------------------------------------------------------------------------------------
# Quirks
# ---------------------------------------------------------------------------------------------

BROKEN_LABELS: dict[str, str] = {
    "商业企业": "商业\n企业",
    "科研机构": "科研\n机构",
    "社会公益组织": "社会公益\n组织",
    "法律服务机构": "法律服务\n机构",
    "结果维持": "结果\n维持",
    "结果纠正": "结果\n纠正",
    "其他结果": "其他\n结果",
    "尚未审结": "尚未\n审结",
    "一、本年新收政府信息公开申请数量": "一、本年新收政府信息\n公开申请数量",
}
BOOKMARK_TEXT = "[bookmark: _GoBack]"
_HALF_WIDTH = str.maketrans({"（": "(", "）": ")"})
_DIGITS = "一二三四五六"
_NUMBER = re.compile(r"^(-?)(\d{4,})(\.\d+)?$")


def thousands(text: str) -> str:
    """ "12345.6789" → "12,345.6789"; other text unchanged."""
    match = _NUMBER.match(text)
    if not match:
        return text
    sign, whole, fraction = match.groups()
    return f"{sign}{int(whole):,}{fraction or ''}"


def arabic_heading(heading: str) -> str:
    """ "二、主动公开政府信息情况" → "2、 主动公开政府信息情况" (as in the sample)."""
    return f"{_DIGITS.index(heading[0]) + 1}、 {heading[2:]}"


def apply_text_quirks(text: str, report: AnnualReport, quirks: frozenset[Quirk]) -> str:
    lines = text.split("\n")
    headings = set(SECTION_HEADINGS.values())
    problems_heading = SECTION_HEADINGS["problems"]
    out: list[str] = []
    bookmark_pending = False
    title_end = lines.index("")  # the title is the first paragraph
    for index, line in enumerate(lines):
        if Quirk.SPLIT_TITLE in quirks and index < title_end:
            if index == 0:  # the sample's wording: "年度报告" without "工作"
                out += [report.agency or "", f"{report.year}年政府信息公开年度报告"]
            continue
        if Quirk.BOOKMARK in quirks and bookmark_pending and line and not line.startswith("\t"):
            line = BOOKMARK_TEXT + line
            bookmark_pending = False
        if line == problems_heading:
            bookmark_pending = True
        if Quirk.ARABIC_HEADINGS in quirks and line in headings and line != SECTION_HEADINGS["overview"]:
            line = arabic_heading(line)
        if line.startswith("\t"):
            cell = line[1:]
            if Quirk.THOUSANDS in quirks:
                cell = thousands(cell)
            if Quirk.BROKEN_LABELS in quirks:
                cell = BROKEN_LABELS.get(cell, cell)
            line = "\t" + cell
        out.append(line)
    result = "\n".join(out)
    if Quirk.HALF_WIDTH_BRACKETS in quirks:
        result = result.translate(_HALF_WIDTH)
    return result


_TD_NUMBER = re.compile(r"(<td[^>]*>)([^<]*)(</td>)")
_TH_TEXT = re.compile(r"(<th[^>]*>)([^<]*)(</th>)")
_H2 = re.compile(r"(<h2[^>]*>)([^<]*)(</h2>)")


def apply_html_quirks(html: str, quirks: frozenset[Quirk]) -> str:
    if Quirk.THOUSANDS in quirks:
        html = _TD_NUMBER.sub(lambda m: m.group(1) + thousands(m.group(2)) + m.group(3), html)
    if Quirk.BROKEN_LABELS in quirks:
        html = _TH_TEXT.sub(
            lambda m: m.group(1) + BROKEN_LABELS.get(m.group(2), m.group(2)).replace("\n", "<br>") + m.group(3), html
        )
    if Quirk.ARABIC_HEADINGS in quirks:
        html = _H2.sub(
            lambda m: m.group(1)
            + (arabic_heading(m.group(2)) if m.group(2)[0] in _DIGITS[1:] else m.group(2))
            + m.group(3),
            html,
        )
    if Quirk.HALF_WIDTH_BRACKETS in quirks:
        html = html.translate(_HALF_WIDTH)
    return html


def apply_docx_quirks(data: bytes, quirks: frozenset[Quirk]) -> bytes:
    if not quirks:
        return data
    document = Document(BytesIO(data))
    # A merged cell appears once per grid column it covers in row.cells: keep one per <w:tc>.
    cells = list({cell._tc: cell for table in document.tables for row in table.rows for cell in row.cells}.values())
    for cell in cells:
        text = cell.text
        new = text
        if Quirk.THOUSANDS in quirks:
            new = thousands(new)
        if Quirk.BROKEN_LABELS in quirks:
            new = BROKEN_LABELS.get(new, new)
        if new != text and cell.paragraphs[0].runs:
            cell.paragraphs[0].runs[0].text = new  # "\n" becomes <w:br/>
    headings = set(SECTION_HEADINGS.values()) - {SECTION_HEADINGS["overview"]}
    paragraphs = list(document.paragraphs) + [p for c in cells for p in c.paragraphs]
    for paragraph in paragraphs:
        for run in paragraph.runs:
            if Quirk.ARABIC_HEADINGS in quirks and run.text in headings:
                run.text = arabic_heading(run.text)
            if Quirk.HALF_WIDTH_BRACKETS in quirks:
                run.text = run.text.translate(_HALF_WIDTH)
    if Quirk.BOOKMARK in quirks:
        # Word leaves a hidden "_GoBack" bookmark where the cursor last was.
        target = next((p for p in document.paragraphs if p.text.startswith("（一）主要问题")), document.paragraphs[1])
        start = OxmlElement("w:bookmarkStart")
        start.set(qn("w:id"), "0")
        start.set(qn("w:name"), "_GoBack")
        end = OxmlElement("w:bookmarkEnd")
        end.set(qn("w:id"), "0")
        target._p.insert(1 if target._p.pPr is not None else 0, start)
        start.addnext(end)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.core.report.corpus OUTDIR", file=sys.stderr)
        return 2
    for path in Corpus(Path(argv[0])).write_all():
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


__all__ = [
    "DOCUMENT_FORMATS",
    "Corpus",
    "CorpusFile",
    "CorpusReport",
    "Error",
    "Quirk",
    "build_reports",
    "consistent_report",
    "corpus_files",
    "render_file",
    "violations",
]
