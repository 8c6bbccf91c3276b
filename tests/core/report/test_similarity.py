"""内容雷同 measured section by section, sentence by sentence (core, no database)."""

from __future__ import annotations

import pytest

from gongkai.core.report.similarity import (
    DEFAULT_THRESHOLDS,
    Thresholds,
    compare_reports,
    compare_section,
    highlight,
    is_boilerplate,
)
from tests.core.report.similarity_corpus import (
    CORPUS,
    PREAMBLE,
    PROBLEMS_2023,
    PROBLEMS_COPIED_269,
    Case,
)


@pytest.mark.parametrize("case", CORPUS, ids=[c.name for c in CORPUS])
def test_the_corpus_is_classified_right(case: Case) -> None:
    result = compare_section(case.section, case.draft, "上年报告", [case.source], names=case.names)
    assert result.flagged is case.copied, (case.name, result.share, result.copied_chars)


def test_the_defaults_leave_a_margin_on_the_corpus() -> None:
    """Copied sections score well above the section threshold, genuine ones well below it."""
    shares = {c.name: compare_section(c.section, c.draft, "上年", [c.source], names=c.names).share for c in CORPUS}
    copied = [shares[c.name] for c in CORPUS if c.copied]
    genuine = [shares[c.name] for c in CORPUS if not c.copied]
    assert min(copied) >= 0.6 > DEFAULT_THRESHOLDS.section_share > 0.25 >= max(genuine)


def test_the_269_character_paragraph_is_flagged_with_its_sentences_marked() -> None:
    assert len("".join(PROBLEMS_COPIED_269.split())) == 269
    [case] = [c for c in CORPUS if c.name.startswith("269")]
    result = compare_section("problems", case.draft, "上年（2023年）报告", [PROBLEMS_2023])
    assert result.flagged and result.share > 0.6
    copied = [case.draft[m.start : m.end] for m in result.matches]
    # every sentence of the paragraph long enough to compare is marked, and nothing else
    long_ones = [s + "。" for s in PROBLEMS_COPIED_269.split("。") if len(s) >= 12]
    assert copied == long_ones
    assert all(m.source_start >= 0 and PROBLEMS_2023[m.source_start : m.source_end] for m in result.matches)


def test_the_preamble_is_never_counted() -> None:
    assert is_boilerplate(PREAMBLE)
    result = compare_section("preamble", PREAMBLE, "上年", [PREAMBLE])
    assert (result.counted_chars, result.copied_chars, result.flagged) == (0, 0, False)
    assert is_boilerplate("（二）主动公开情况") and is_boilerplate("一、总体情况")
    assert not is_boilerplate("一是公开工作落实力度有待加强。")


def test_a_paragraph_moved_to_another_section_is_still_copied() -> None:
    results = compare_reports(
        {"other": PROBLEMS_COPIED_269},
        [("上年报告", {"problems": PROBLEMS_2023})],
        keys=["other"],
    )
    [result] = results
    assert result.flagged and all(m.source_start == -1 for m in result.matches)


def test_thresholds_are_parameters() -> None:
    [case] = [c for c in CORPUS if c.name == "one copied sentence in a long genuine section"]
    strict = Thresholds(section_share=0.2, min_copied_chars=20)
    assert compare_section("problems", case.draft, "上年", [case.source], thresholds=strict).flagged
    assert not compare_section("problems", case.draft, "上年", [case.source]).flagged


def test_highlight_cuts_text_into_runs() -> None:
    assert highlight("甲乙丙丁戊", [(1, 3)]) == [("甲", False), ("乙丙", True), ("丁戊", False)]
    assert highlight("甲乙", [(0, 2), (1, 2)]) == [("甲乙", True)]
    assert highlight("甲乙", []) == [("甲乙", False)]
