"""The trend pages' charts (gongkai.web.charts) built from the selectors' figures; no query here."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from gongkai.core.receipt import CHANNEL_LABELS
from gongkai.core.report.taxonomy import OUTCOME_GROUP_BY_KEY
from gongkai.dashboards.trends_selectors import (
    CHANNELS,
    MIX_GROUPS,
    UNKNOWN_CHANNEL,
    ChannelRow,
    CorrectionRow,
    SimilarityMatrix,
    TrendLine,
    TrendScope,
)
from gongkai.web.charts import Chart, ChartKind, Series

PairLink = Callable[[int, int, int], str]


def trend_chart(scope: TrendScope, lines: Sequence[TrendLine]) -> Chart:
    """The indicator over the years, one line per agency; jumps marked with their change."""
    series = [
        Series(
            line.name,
            list(line.values),
            marked=frozenset(j.index for j in line.jumps),
            notes={j.index: j.note for j in line.jumps},
        )
        for line in lines
    ]
    return Chart(
        "trend",
        f"{scope.indicator.label}（逐年）",
        ChartKind.LINE,
        [f"{y}年" for y in scope.years],
        series,
        unit="",
        category_label="年度",
        caption="标红为同比异常变化（超过阈值）。数据取自系统内签发、发布的年度报告，或上级上传核对的年度报告；空白为无报告。",
    )


def mix_chart(scope: TrendScope, categories: list[str], values: dict[str, list[int | float | None]]) -> Chart:
    per_year = scope.agency is not None
    who = (scope.agency.short_name or scope.agency.name) if scope.agency is not None else f"{scope.year}年"
    return Chart(
        "mix",
        f"办理结果构成（表三）：{who}",
        ChartKind.STACKED,
        categories,
        [Series(OUTCOME_GROUP_BY_KEY[g.key].label[:6], values[g.key]) for g in MIX_GROUPS],
        unit="件",
        category_label="年度" if per_year else "机关",
        horizontal=not per_year,
        height=max(240, 40 + 32 * len(categories)) if not per_year else 320,
        caption="表三“本年度办理结果”各类的总计列；（三）至（六）为其下各项之和。",
    )


def channel_chart(scope: TrendScope, rows: Sequence[ChannelRow]) -> Chart:
    used = [c for c in CHANNELS if any(r.by_channel.get(c.value) for r in rows)]
    series = [Series(CHANNEL_LABELS[c], [r.by_channel.get(c.value, 0) for r in rows]) for c in used]
    if any(r.report_total is not None for r in rows):
        series.append(Series(UNKNOWN_CHANNEL, [r.report_total for r in rows]))
    return Chart(
        "channels",
        f"{scope.year}年依申请公开收件渠道",
        ChartKind.STACKED,
        [r.agency.short_name or r.agency.name for r in rows],
        series,
        unit="件",
        category_label="机关",
        horizontal=True,
        height=max(240, 40 + 32 * len(rows)),
        caption="在本系统办理的机关按申请记录的提交方式统计；只有上传年报的机关，年报只有本年新收总数，没有渠道分项。",
    )


def correction_chart(scope: TrendScope, rows: Sequence[CorrectionRow]) -> Chart:
    return Chart(
        "correction",
        f"{scope.year}年行政复议、行政诉讼纠错率",
        ChartKind.BAR,
        [r.agency.short_name or r.agency.name for r in rows],
        [
            Series("行政复议纠错率", [r.reconsideration.percent for r in rows]),
            Series("同级复议纠错率中位数", [r.peer_reconsideration for r in rows]),
            Series("行政诉讼纠错率", [r.litigation.percent for r in rows]),
            Series("同级诉讼纠错率中位数", [r.peer_litigation for r in rows]),
        ],
        unit="%",
        category_label="机关",
        horizontal=True,
        height=max(240, 40 + 48 * len(rows)),
        totals=False,  # rates do not add up
        caption="纠错率 = 结果纠正 ÷ 已审结（维持 + 纠正 + 其他结果），表四；中位数取同一层级其他机关（本人可查看范围内）。空白为当年无审结案件。",
    )


def similarity_chart(year: int, matrix: SimilarityMatrix, link: PairLink) -> Chart:
    names = [a.short_name or a.name for a in matrix.agencies]
    series = []
    for row_agency, row in zip(matrix.agencies, matrix.shares, strict=True):
        values: list[int | float | None] = [None if s is None else round(s * 100, 1) for s in row]
        links: list[str | None] = [
            None if s is None else link(year, row_agency.pk, col.pk)
            for s, col in zip(row, matrix.agencies, strict=True)
        ]
        series.append(Series(row_agency.short_name or row_agency.name, values, links=links))
    return Chart(
        "similarity",
        f"{year}年同级机关年报正文雷同矩阵",
        ChartKind.HEATMAP,
        names,
        series,
        unit="%",
        category_label="被比对机关（各列为本机关）",
        height=max(280, 120 + 36 * len(names)),
        caption="每格为该行机关正文中与该列机关相同或几乎相同的文字所占比例（法定表述、标题、系统生成句式不计）；点击查看两份正文对照。",
    )
