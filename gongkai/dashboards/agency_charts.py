"""The agency dashboard's charts (gongkai.web.charts) from its figures: the page and the .xlsx share them."""

from __future__ import annotations

from gongkai.core.publication_timeliness import PUBLICATION_WORKING_DAYS
from gongkai.core.stats_agency import ON_TIME_EXPLANATION, Timeliness
from gongkai.dashboards.agency_selectors import CaseFigures, PublicationFigures
from gongkai.web.charts import Chart, ChartKind, Series

MONTH = "月份"


def _by_month(
    months: list[str], *, key: str, title: str, kind: ChartKind, series: list[Series], unit: str, caption: str
) -> Chart:
    """A chart with one category per month shown."""
    return Chart(
        key=key,
        title=title,
        kind=kind,
        categories=months,
        series=series,
        unit=unit,
        category_label=MONTH,
        caption=caption,
    )


def case_charts(figures: CaseFigures) -> list[Chart]:
    """Received and closed by month, timeliness by month, on-time rate, month-end overdue, outcome mix."""
    months = [p.label for p in figures.months]
    timeliness_kinds = (Timeliness.IN_PERIOD, Timeliness.IN_EXTENSION, Timeliness.LATE)
    outcomes = [(o, n) for o, n in figures.outcomes if n]
    return [
        _by_month(
            months,
            key="received_closed",
            title="每月收到与办结的申请",
            kind=ChartKind.BAR,
            series=[Series("收到申请", list(figures.received)), Series("办结", list(figures.closed))],
            unit="件",
            caption="收到：按收到申请之日（条例第三十一条）计；办结：按办结日期计。",
        ),
        _by_month(
            months,
            key="timeliness",
            title="每月办结的按时情况",
            kind=ChartKind.STACKED,
            series=[Series(k.label, list(figures.by_timeliness[k])) for k in timeliness_kinds],
            unit="件",
            caption=ON_TIME_EXPLANATION,
        ),
        _by_month(
            months,
            key="on_time_rate",
            title="每月按时办结率",
            kind=ChartKind.LINE,
            series=[Series("按时办结率", list(figures.monthly_rate()))],
            unit="%",
            caption="当月办结案件中按时办结的比例；当月没有有答复期限的办结案件时为空。",
        ),
        _by_month(
            months,
            key="overdue",
            title="逾期未办结的申请（每月末）",
            kind=ChartKind.LINE,
            series=[Series("逾期未办结", list(figures.overdue))],
            unit="件",
            caption="每月最后一天（本月为今天）已超过答复期限仍未办结的申请数；期限以案件现存的答复期限为准。",
        ),
        Chart(
            key="outcomes",
            title="办理结果（表三）",
            kind=ChartKind.BAR,
            categories=[o.full_label for o, _ in outcomes],
            series=[Series("件数", [n for _, n in outcomes])],
            unit="件",
            category_label="办理结果",
            horizontal=True,
            height=max(240, 36 * len(outcomes) + 80),
            caption="本年度办结的申请按年度报告表三的办理结果分列（与年度报告同一口径）。",
        ),
    ]


def publication_charts(figures: PublicationFigures) -> list[Chart]:
    """主动公开 items by month (in time / late / not judged) and by catalogue."""
    months = [p.label for p in figures.months]
    monthly = [
        Series(f"{PUBLICATION_WORKING_DAYS}个工作日内公开", list(figures.in_time)),
        Series(f"超过{PUBLICATION_WORKING_DAYS}个工作日", list(figures.late)),
    ]
    if any(figures.unknown):
        monthly.append(Series("无法判断（日历未载入）", list(figures.unknown)))
    return [
        _by_month(
            months,
            key="items_month",
            title="每月主动公开的信息",
            kind=ChartKind.STACKED,
            series=monthly,
            unit="条",
            caption=(
                f"按发布日期计（含其后撤回的）。条例第二十六条：自信息形成或者变更之日起"
                f"{PUBLICATION_WORKING_DAYS}个工作日内公开；成文日期不计，按官方工作日历计算。"
            ),
        ),
        Chart(
            key="items_catalogue",
            title="各公开目录本年公开的信息",
            kind=ChartKind.BAR,
            categories=[c.name for c in figures.catalogue],
            series=[
                Series("公开条数", [c.published for c in figures.catalogue]),
                Series(f"其中超过{PUBLICATION_WORKING_DAYS}个工作日", [c.late for c in figures.catalogue]),
            ],
            unit="条",
            category_label="公开目录",
            horizontal=True,
            height=max(240, 40 * len(figures.catalogue) + 80),
        ),
    ]
