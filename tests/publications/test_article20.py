"""Article 20 figures: entered or imported (Excel/CSV, all-or-nothing), read by the annual report."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook

from gongkai.audit.models import AuditEvent
from gongkai.publications import services
from gongkai.publications.errors import ImportFileError, PublicationError
from gongkai.publications.imports import import_article20
from gongkai.publications.models import Article20Figures, FigureSource
from gongkai.publications.selectors import article20_figures, table2_figures

pytestmark = pytest.mark.django_db

HEADER = ["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"]


def xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_form_entry_and_correction_are_audited(tree) -> None:  # type: ignore[no-untyped-def]
    values = services.Article20Input(2023, 0, 2015, 0, Decimal("0"))
    services.set_article20_figures(
        actor=tree.officer_a, agency=tree.street_a, values=values, source_note="区综合执法平台导出"
    )
    services.set_article20_figures(
        actor=tree.officer_a, agency=tree.street_a, values=services.Article20Input(2023, 0, 2016, 0, Decimal("1.25"))
    )
    figures = article20_figures(tree.street_a, 2023)
    assert figures is not None
    assert (figures.punishment, figures.fees_10k_yuan, figures.source) == (2016, Decimal("1.25"), FigureSource.FORM)
    event = AuditEvent.objects.filter(action="publication.article20_set").order_by("-id").first()
    assert event is not None and event.changes["punishment"] == [2015, 2016]
    assert article20_figures(tree.street_a, 2022) is None
    assert article20_figures(tree.street_b, 2023) is None


def test_negative_or_too_precise_values_are_refused(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PublicationError, match="负数"):
        services.set_article20_figures(
            actor=tree.officer_a, agency=tree.street_a, values=services.Article20Input(2023, -1, 0, 0, Decimal("0"))
        )
    with pytest.raises(PublicationError, match="四位小数"):
        services.set_article20_figures(
            actor=tree.officer_a,
            agency=tree.street_a,
            values=services.Article20Input(2023, 0, 0, 0, Decimal("0.00001")),
        )
    with pytest.raises(PermissionDenied):
        services.set_article20_figures(
            actor=tree.supervisor, agency=tree.street_a, values=services.Article20Input(2023, 0, 0, 0, Decimal("0"))
        )


def test_table2_shape_matches_the_report_model(tree) -> None:  # type: ignore[no-untyped-def]
    from gongkai.core.report.model import AnnualReport
    from gongkai.core.report.taxonomy import ReportFormat

    services.set_article20_figures(
        actor=tree.officer_a, agency=tree.street_a, values=services.Article20Input(2023, 3, 2015, 1, Decimal("12.5"))
    )
    table = table2_figures(tree.street_a, 2023)
    empty = AnnualReport.zero(ReportFormat.F2021).table2
    assert {k: set(v) for k, v in table.items()} == {k: set(v) for k, v in empty.items()}
    assert table["punishment"] == {"decisions": 2015}
    assert table["fees"] == {"amount_10k_yuan": Decimal("12.5")}
    assert table2_figures(tree.street_a, 2022)["licensing"] == {"decisions": None}


def test_import_xlsx(tree) -> None:  # type: ignore[no-untyped-def]
    data = xlsx([["果园街道第二十条数据"], [], HEADER, [2023, 0, 2015, 0, 0], [2022, 1, "1,890", 0, 0.35]])
    rows = import_article20(actor=tree.officer_a, agency=tree.street_a, data=data, filename="执法数据.xlsx")
    assert len(rows) == 2
    f2023, f2022 = article20_figures(tree.street_a, 2023), article20_figures(tree.street_a, 2022)
    assert f2023 is not None and f2022 is not None
    assert f2023.punishment == 2015 and f2023.source is FigureSource.EXCEL
    assert f2023.source_note == "导入文件：执法数据.xlsx"
    assert (f2022.licensing, f2022.punishment, f2022.fees_10k_yuan) == (1, 1890, Decimal("0.35"))


def test_import_csv_in_gbk(tree) -> None:  # type: ignore[no-untyped-def]
    text = ",".join(HEADER) + "\r\n2023,0,2015,0,0\r\n"
    import_article20(actor=tree.officer_a, agency=tree.street_a, data=text.encode("gbk"), filename="数据.csv")
    figures = article20_figures(tree.street_a, 2023)
    assert figures is not None and figures.punishment == 2015 and figures.source is FigureSource.CSV


def test_import_reports_every_error_with_row_and_column_and_writes_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    data = xlsx([HEADER, [2021, 0, 5, 0, 0], [2022, "abc", 5, "", 0], [2023, 0, -3, 0, "一万"], [2021, 0, 0, 0, 0]])
    with pytest.raises(ImportFileError) as info:
        import_article20(actor=tree.officer_a, agency=tree.street_a, data=data, filename="数据.xlsx")
    errors = info.value.errors
    assert "数据.xlsx 第3行 B列（行政许可）：应为非负整数，实为“abc”" in errors
    assert "数据.xlsx 第3行 D列（行政强制）：为空（没有数据请填 0）" in errors
    assert "数据.xlsx 第4行 C列（行政处罚）：应为非负整数，实为“-3”" in errors
    assert "数据.xlsx 第4行 E列（行政事业性收费（万元））：应为非负数（万元），实为“一万”" in errors
    assert "数据.xlsx 第5行：2021年已在第2行出现" in errors
    assert Article20Figures.objects.count() == 0  # all or nothing: the good 2021 row is not written


@pytest.mark.parametrize(
    ("filename", "data", "message"),
    [
        ("数据.xlsx", b"not a zip", "不是有效的 Excel"),
        ("数据.txt", b"x", "只接受 Excel"),
        ("数据.csv", b"", "没有数据"),
        ("数据.csv", "年度,行政许可,行政处罚\n2023,0,0\n".encode(), "缺少“行政强制”列"),
        ("数据.csv", "年度,行政许可,行政处罚,行政强制,行政事业性收费（元）\n2023,0,0,0,100\n".encode(), "单位是元"),
    ],
)
def test_import_refuses_bad_files(tree, filename, data, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ImportFileError, match=message):
        import_article20(actor=tree.officer_a, agency=tree.street_a, data=data, filename=filename)
    assert Article20Figures.objects.count() == 0
