"""Checks across reports (gongkai.core.report.crosscheck): table-driven, no database."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from gongkai.core.report.crosscheck import (
    REGION_CAVEAT,
    Entry,
    Figure,
    audit_reports,
    check_narrative,
    check_region_sum,
    children_by_name,
    compare_years,
    infer_children,
    narrative_numbers,
    same_agency,
)
from gongkai.core.report.findings import Rule, Severity, Verdict
from gongkai.core.report.model import AnnualReport
from gongkai.core.report.taxonomy import ReportTable, ReviewResult

TOTAL = "6"


def consistent(
    agency: str = "测试区甲街道办事处",
    year: int = 2023,
    *,
    new: int = 10,
    carried_over: int = 0,
    carried_forward: int = 0,
) -> AnnualReport:
    """A consistent report: ``new`` natural-person applications, all 予以公开 but ``carried_forward``."""
    report = AnnualReport.zero(agency=agency, year=year)
    closed = new + carried_over - carried_forward
    for key, value in (
        ("new", new),
        ("carried_over", carried_over),
        ("granted", closed),
        ("total", closed),
        ("carried_forward", carried_forward),
    ):
        report.table3[key] = [value, 0, 0, 0, 0, 0, value]
    return report


def with_text(report: AnnualReport, text: str) -> AnnualReport:
    report.sections = {"overview": text}
    return report


# ---------------------------------------------------------------------------------------------
# Narrative numbers: extraction on real sentence variants
# ---------------------------------------------------------------------------------------------

EXTRACTION = [
    # (sentence, expected (figure, result, value) triples)
    ("本年度新收政府信息公开申请数量29件。", [(Figure.NEW, None, 29)]),
    ("本年度新收政府信息公开申请数量２９件。", [(Figure.NEW, None, 29)]),  # 全角 digits
    ("本年度共计收到政府信息公开申请 29 份。", [(Figure.NEW, None, 29)]),
    ("本年新收政府信息公开申请共计29件。", [(Figure.NEW, None, 29)]),
    ("2024 年，全市共受理政府信息公开申请 3,119 件。", [(Figure.NEW, None, 3119)]),
    ("本年度主动公开信息325条。", [(Figure.PUBLISHED, None, 325)]),
    ("市政府网站主动公开各类政府信息 5500 余条。", [(Figure.PUBLISHED, None, 5500)]),
    ("依据《办法》，发出收费通知2件，总金额38280元。", [(Figure.FEE_NOTICES, None, 2)]),
    ("被申请行政复议2件，行政诉讼0件。", [(Figure.RECONSIDERATION, None, 2), (Figure.LITIGATION, None, 0)]),
    ("发生政府信息公开行政复议两件。", [(Figure.RECONSIDERATION, None, 2)]),
    (
        "上年结转政府信息公开申请数量0件，结转下年度继续办理政府信息公开申请数量0件，本年政府信息公开申请办结数29件。",
        [(Figure.CARRIED_OVER, None, 0), (Figure.CARRIED_FORWARD, None, 0), (Figure.CLOSED, None, 29)],
    ),
    (
        "答复 3050 件（含上年度结转申请 34 件，另有 103 件顺延到下年度答复）。",
        [(Figure.CLOSED, None, 3050), (Figure.CARRIED_OVER, None, 34), (Figure.CARRIED_FORWARD, None, 103)],
    ),
    (
        "政府信息公开行政复议 351件，其中结果维持 72 件，结果纠正 64 件，其他结果 178 件，尚未审结 37 件。",
        [
            (Figure.RECONSIDERATION, None, 351),
            (Figure.RECONSIDERATION, ReviewResult.UPHELD, 72),
            (Figure.RECONSIDERATION, ReviewResult.CORRECTED, 64),
            (Figure.RECONSIDERATION, ReviewResult.OTHER, 178),
            (Figure.RECONSIDERATION, ReviewResult.PENDING, 37),
        ],
    ),
    # Parts, not the whole: channels, "其中", a 复议 application, documents published.
    ("其中，收到11份网页依申请，已在法定时限内给予答复。", []),
    ("本年收到申请29件，其中网上受理申请11件。", [(Figure.NEW, None, 29)]),
    ("收到行政复议申请2件。", [(Figure.RECONSIDERATION, None, 2)]),
    ("主动公开规范性文件 3 件。", []),
    ("一是扎实推进依申请公开工作。", []),
]


@pytest.mark.parametrize(("sentence", "expected"), EXTRACTION)
def test_narrative_numbers_are_found_in_real_sentence_variants(sentence: str, expected: list[tuple]) -> None:  # type: ignore[type-arg]
    report = with_text(AnnualReport.zero(), sentence)
    found = [(n.figure, n.result, n.value) for n in narrative_numbers(report)]
    assert found == expected


def test_an_approximate_figure_is_marked_and_never_compared() -> None:
    report = with_text(consistent(new=29), "本年受理政府信息公开申请30余件。")
    [number] = narrative_numbers(report)
    assert number.approximate and number.value == 30
    assert check_narrative(report) == []


# ---------------------------------------------------------------------------------------------
# Narrative vs tables
# ---------------------------------------------------------------------------------------------


def _set(key: str, value: int) -> Callable[[AnnualReport], None]:
    def apply(report: AnnualReport) -> None:
        report.table3[key] = [value, 0, 0, 0, 0, 0, value]

    return apply


def _t4(group: str, **values: int) -> Callable[[AnnualReport], None]:
    def apply(report: AnnualReport) -> None:
        report.table4[group].update(values)

    return apply


NARRATIVE_CASES = [
    # (text, change to a consistent 29-application report, expected (rule, table, row, column, stated, cell) or None)
    ("本年度新收政府信息公开申请数量29件。", None, None),
    ("本年度新收政府信息公开申请数量30件。", None, (Rule.NARRATIVE, ReportTable.TABLE3, "new", TOTAL, 30, 29)),
    ("本年政府信息公开申请办结数28件。", None, (Rule.NARRATIVE, ReportTable.TABLE3, "total", TOTAL, 28, 29)),
    ("上年结转政府信息公开申请数量3件。", None, (Rule.NARRATIVE, ReportTable.TABLE3, "carried_over", TOTAL, 3, 0)),
    ("另有 2 件顺延到下年度答复。", None, (Rule.NARRATIVE, ReportTable.TABLE3, "carried_forward", TOTAL, 2, 0)),
    ("行政复议2件。", _t4("reconsideration", upheld=2, total=2), None),
    (
        "行政复议2件。",
        _t4("reconsideration", upheld=1, total=1),
        (Rule.NARRATIVE, ReportTable.TABLE4, "reconsideration", "total", 2, 1),
    ),
    (
        "行政复议2件，其中结果维持1件，结果纠正1件。",
        _t4("reconsideration", upheld=1, other=1, total=2),
        (Rule.NARRATIVE, ReportTable.TABLE4, "reconsideration", "corrected", 1, 0),
    ),
    (
        "行政诉讼3件。",
        _t4("litigation_direct", upheld=1, total=1),
        (Rule.NARRATIVE, ReportTable.TABLE4, None, "total", 3, 1),
    ),
    (
        "行政诉讼3件。",
        lambda r: (
            _t4("litigation_direct", upheld=1, total=1)(r),
            _t4("litigation_after_reconsideration", other=2, total=2)(r),
        ),
        None,
    ),
    ("发出收费通知2件。", _set("other_fee_unpaid", 2), None),
    (
        "发出收费通知1件。",
        _set("other_fee_unpaid", 2),
        (Rule.NARRATIVE_FEE, ReportTable.TABLE3, "other_fee_unpaid", TOTAL, 1, 2),
    ),
    ("主动公开信息325条。", None, None),  # no table cell counts it
]


@pytest.mark.parametrize(("text", "change", "expected"), NARRATIVE_CASES)
def test_narrative_numbers_are_compared_with_the_cells_they_name(text, change, expected) -> None:  # type: ignore[no-untyped-def]
    report = consistent(new=29)
    if change is not None:
        change(report)
    findings = check_narrative(with_text(report, text))
    if expected is None:
        assert findings == []
        return
    [finding] = findings
    rule, table, row, column, stated, cell = expected
    assert (finding.rule, finding.table, finding.row, finding.column) == (rule, table, row, column)
    assert (finding.expected, finding.actual) == (stated, cell)
    assert finding.severity is finding.rule.severity
    assert str(stated) in finding.message and str(cell) in finding.message
    assert text.rstrip("。") in finding.message  # the sentence is quoted


def test_a_narrative_finding_carries_its_sentence_in_json() -> None:
    """One finding type for every check: only the narrative's findings have a ``quote``."""
    text = "本年度新收政府信息公开申请数量30件。"
    [finding] = check_narrative(with_text(consistent(new=29), text))
    assert finding.to_dict()["quote"] == text.rstrip("。")
    assert finding.to_dict()["rule"] == "X-NARRATIVE" and finding.to_dict()["row"] == "new"
    [region] = [f for f in check_region_sum(consistent(new=3), [consistent(new=1)]) if f.row == "new"][:1]
    assert "quote" not in region.to_dict()


def test_a_blank_cell_is_not_compared_with_the_narrative() -> None:
    report = AnnualReport.empty(year=2023)
    assert check_narrative(with_text(report, "本年度新收政府信息公开申请数量29件。")) == []


# ---------------------------------------------------------------------------------------------
# A region against its parts
# ---------------------------------------------------------------------------------------------


def test_a_parent_equal_to_the_sum_of_its_children_passes() -> None:
    parent = consistent("测试区人民政府", new=5)
    parent.table3["new"] = [5, 0, 0, 0, 0, 0, 5]
    children = [consistent("测试区甲街道办事处", new=2), consistent("测试区乙街道办事处", new=3)]
    assert check_region_sum(parent, children) == []


def test_a_parent_unequal_to_its_children_is_warned_cell_by_cell() -> None:
    parent = consistent("测试区人民政府", new=4)
    parent.table4["reconsideration"].update(upheld=1, total=1)
    children = [consistent("测试区甲街道办事处", new=2), consistent("测试区乙街道办事处", new=3)]
    findings = check_region_sum(parent, children)
    places = {(f.table, f.row, f.column) for f in findings}
    assert (ReportTable.TABLE3, "new", "0") in places and (ReportTable.TABLE3, "new", TOTAL) in places
    assert (ReportTable.TABLE4, "reconsideration", "total") in places
    new_total = next(f for f in findings if (f.row, f.column) == ("new", TOTAL))
    assert (new_total.expected, new_total.actual) == (5, 4)
    assert all(f.rule is Rule.REGION_SUM and f.severity is Severity.WARNING for f in findings)
    assert REGION_CAVEAT in new_total.message and "本级报告填报为 4" in new_total.message


def test_children_of_another_year_are_left_out() -> None:
    parent = consistent("测试区人民政府", 2024, new=4)
    assert check_region_sum(parent, [consistent("测试区甲街道办事处", 2023, new=2)]) == []


def test_children_are_inferred_by_name_one_level_down() -> None:
    city = consistent("淮安市人民政府", 2024)
    district = consistent("淮安市洪泽区人民政府", 2024)
    street = consistent("淮安市洪泽区高良涧街道办事处", 2024)
    bureau = consistent("淮安市教育局", 2024)
    other_year = consistent("淮安市财政局", 2023)
    pool = [city, district, street, bureau, other_year]
    assert infer_children(city, pool) == [district, bureau]
    assert infer_children(district, pool) == [street]
    assert infer_children(street, pool) == []


# ---------------------------------------------------------------------------------------------
# Many reports: cross-year through check_report, duplicates
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("last_forward", "this_over", "errors"), [(2, 2, 0), (2, 0, 1), (0, 3, 1)])
def test_cross_year_carry_over_is_checked_through_check_report(last_forward: int, this_over: int, errors: int) -> None:
    last = consistent(year=2022, new=5, carried_forward=last_forward)
    this = consistent(year=2023, new=5, carried_over=this_over)
    [result] = audit_reports([Entry("2023.pdf", this)], [Entry("2022.pdf", last)])
    assert result.previous is not None and result.previous.name == "2022.pdf"
    carry = [f for f in result.findings if f.rule is Rule.T3_CARRY]
    assert len(carry) == errors * 2  # the 自然人 column and the 总计 column
    assert result.verdict is (Verdict.ERRORS if errors else Verdict.CONSISTENT)


def test_in_force_continuity_comes_from_check_report() -> None:
    last = consistent(year=2022)
    last.table2["normative_documents"]["in_force"] = 4
    this = consistent(year=2023)
    this.table2["normative_documents"].update(issued=2, abolished=1, in_force=4)  # expected 5
    [result, _] = audit_reports([Entry("b", this), Entry("a", last)])
    [finding] = [f for f in result.findings if f.rule is Rule.T2_IN_FORCE]
    assert (finding.expected, finding.actual) == (5, 4)


def test_only_the_year_before_is_used_and_names_may_differ_in_the_prefix() -> None:
    this = consistent("淮安市洪泽区人民政府", 2024)
    older = consistent("洪泽区人民政府", 2022)
    last = consistent("洪泽区人民政府", 2023)
    results = audit_reports([Entry("2024", this), Entry("2022", older), Entry("2023", last)])
    assert results[0].previous is not None and results[0].previous.name == "2023"
    assert results[2].previous is not None and results[2].previous.name == "2022"
    assert results[1].previous is None


def test_region_sum_runs_only_when_asked_for_children() -> None:
    parent = consistent("测试区人民政府", new=9)
    child = consistent("测试区甲街道办事处", new=1)
    entries = [Entry("p", parent), Entry("c", child)]
    without = audit_reports(entries)
    assert not any(f.rule is Rule.REGION_SUM for f in without[0].findings)
    with_children = audit_reports(entries, children_of=children_by_name)
    assert any(f.rule is Rule.REGION_SUM for f in with_children[0].findings)
    assert [c.name for c in with_children[0].children] == ["c"]


def test_two_files_of_one_agency_and_year_with_different_numbers_are_flagged() -> None:
    a, b, same = consistent(new=3), consistent(new=4), consistent(new=3)
    results = audit_reports([Entry("a.pdf", a), Entry("b.pdf", b), Entry("copy.pdf", same)])
    assert [f.rule for f in results[0].findings] == [Rule.DUPLICATE]
    assert "b.pdf" in results[0].findings[0].message
    assert len(results[1].findings) == 2  # differs from a.pdf and from copy.pdf


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("淮安市洪泽区人民政府", "洪泽区人民政府", True),
        ("淮安市洪泽区 人民政府", "淮安市洪泽区人民政府", True),
        ("淮安市洪泽区人民政府", "淮安市人民政府", False),
        ("北京市密云区果园街道办事处", "北京市密云区鼓楼街道办事处", False),
        ("人民政府", "淮安市人民政府", False),
        (None, "淮安市人民政府", False),
    ],
)
def test_same_agency(a: str | None, b: str | None, same: bool) -> None:
    assert same_agency(a, b) is same


# ---------------------------------------------------------------------------------------------
# Years compared
# ---------------------------------------------------------------------------------------------


def test_key_figures_by_year_with_change() -> None:
    y2022 = with_text(consistent(year=2022, new=10), "主动公开信息300条。")
    y2023 = with_text(consistent(year=2023, new=15), "主动公开信息330条。")
    y2023.table4["reconsideration"].update(upheld=1, total=1)
    y2021 = consistent(year=2021, new=0)
    comparison = compare_years([y2023, y2021, y2022])
    assert comparison.years == (2021, 2022, 2023)
    rows = {r.key: r for r in comparison.rows}
    assert rows["new"].values == (0, 10, 15)
    assert rows["new"].changes == (None, 10, 5)
    assert rows["new"].percents == (None, None, Decimal("50.0"))  # from 0: no percentage
    assert rows["reconsideration"].values == (0, 0, 1)
    assert rows["published"].values == (None, 300, 330)
    assert rows["published"].changes == (None, None, 30)
    assert comparison.to_dict()["rows"][0]["label"] == "本年新收申请"
