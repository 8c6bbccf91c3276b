"""Uploading a batch: every file stored with the right status, nothing lost, checks across files."""

from __future__ import annotations

import pytest
from django.db import transaction

from gongkai.audit.models import AuditEvent
from gongkai.core.report.findings import Rule
from gongkai.supervision import services
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch
from gongkai.supervision.services import SupervisionAction, SupervisionError, upload_batch
from tests.supervision.conftest import as_docx, as_text, broken, consistent, zipped

pytestmark = pytest.mark.django_db


def _statuses(batch: ReportBatch) -> dict[str, str]:
    return dict(batch.files.values_list("file_name", "status"))


def test_a_mixed_batch_gets_the_right_status_per_file_and_loses_nothing(tree) -> None:  # type: ignore[no-untyped-def]
    good = as_text(consistent(tree.street_a.name, 2023, overview="本年度新收政府信息公开申请数量10件。"))
    bad = as_docx(broken(tree.street_b.name, 2023))
    narrated = as_text(consistent("某县某镇人民政府", 2023, overview="本年度新收政府信息公开申请数量12件。"))
    archive = zipped({"甲/2022.txt": as_text(consistent(tree.street_a.name, 2022)), "乱码.pdf": b"%PDF-1.4 garbage"})
    files = [
        ("good.txt", good),
        ("bad.docx", bad),
        ("narrated.txt", narrated),
        ("garbage.bin", b"\x00\x01\x02 not a report"),
        ("empty.pdf", b""),
        ("bundle.zip", archive),
    ]
    batch = upload_batch(actor=tree.supervisor, files=files, title="2023年度")
    statuses = _statuses(batch)
    assert statuses == {
        "good.txt": ReadStatus.CONSISTENT,
        "bad.docx": ReadStatus.ERRORS,
        "narrated.txt": ReadStatus.ERRORS,  # its text says 12 where table 三 says 10
        "garbage.bin": ReadStatus.UNREADABLE,
        "empty.pdf": ReadStatus.UNREADABLE,
        "bundle.zip/甲/2022.txt": ReadStatus.CONSISTENT,
        "bundle.zip/乱码.pdf": ReadStatus.UNREADABLE,
    }
    rows = {r.file_name: r for r in batch.files.all()}
    assert "空" in rows["empty.pdf"].read_error
    assert rows["garbage.bin"].read_error and rows["garbage.bin"].report is None
    assert rows["good.txt"].matched_agency == tree.street_a and rows["good.txt"].year == 2023
    assert rows["good.txt"].source_format == "text" and len(rows["good.txt"].sha256) == 64
    assert rows["good.txt"].previous == rows["bundle.zip/甲/2022.txt"]  # checked against the year before
    assert rows["bad.docx"].matched_agency == tree.street_b and rows["bad.docx"].error_count == 1
    assert [f["rule"] for f in rows["bad.docx"].findings] == [Rule.T4_TOTAL.value]
    assert rows["narrated.txt"].matched_agency is None
    [narrative] = [f for f in rows["narrated.txt"].findings if f["rule"] == Rule.NARRATIVE.value]
    assert (narrative["expected"], narrative["actual"]) == (12, 10)
    actions = list(AuditEvent.objects.for_object(batch).values_list("action", flat=True))
    assert set(actions) == {SupervisionAction.BATCH_UPLOADED, SupervisionAction.BATCH_CHECKED}


def test_previous_year_comes_from_an_earlier_batch_the_user_may_see(tree) -> None:  # type: ignore[no-untyped-def]
    upload_batch(
        actor=tree.supervisor, files=[("2022.txt", as_text(consistent(tree.street_a.name, 2022, carried_forward=2)))]
    )
    batch = upload_batch(actor=tree.supervisor, files=[("2023.txt", as_text(consistent(tree.street_a.name, 2023)))])
    [row] = batch.files.all()
    assert row.previous is not None and row.previous.year == 2022
    assert row.status == ReadStatus.ERRORS
    assert {f["rule"] for f in row.findings} == {Rule.T3_CARRY.value}


def test_another_agencys_upload_is_not_used_as_previous_year(tree) -> None:  # type: ignore[no-untyped-def]
    upload_batch(
        actor=tree.other_supervisor,
        files=[("2022.txt", as_text(consistent(tree.street_a.name, 2022, carried_forward=2)))],
    )
    batch = upload_batch(actor=tree.supervisor, files=[("2023.txt", as_text(consistent(tree.street_a.name, 2023)))])
    [row] = batch.files.all()
    assert row.previous is None and row.status == ReadStatus.CONSISTENT


def test_region_sum_when_every_child_has_a_report(tree) -> None:  # type: ignore[no-untyped-def]
    files = [
        ("district.txt", as_text(consistent(tree.district.name, 2023, new=4))),
        ("a.txt", as_text(consistent(tree.street_a.name, 2023, new=2))),
    ]
    partial = upload_batch(actor=tree.supervisor, files=files)
    district = partial.files.get(file_name="district.txt")
    assert district.status == ReadStatus.CONSISTENT  # street B missing: no sum to compare with
    full = upload_batch(
        actor=tree.supervisor, files=[*files, ("b.txt", as_text(consistent(tree.street_b.name, 2023, new=3)))]
    )
    district = full.files.get(file_name="district.txt")
    sums = [f for f in district.findings if f["rule"] == Rule.REGION_SUM.value]
    assert sums and district.status == ReadStatus.WARNINGS
    assert any(f["row"] == "new" and f["column"] == "6" and f["expected"] == 5 and f["actual"] == 4 for f in sums)


def test_a_fault_in_the_checks_keeps_every_file(tree, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def explode(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "iter_audit", explode)
    batch = upload_batch(
        actor=tree.supervisor, files=[("a.txt", as_text(consistent(tree.street_a.name, 2023))), ("empty.txt", b"")]
    )
    assert _statuses(batch) == {"a.txt": ReadStatus.PENDING, "empty.txt": ReadStatus.UNREADABLE}
    monkeypatch.undo()
    services.check_batch(actor=tree.supervisor, batch=batch)
    assert _statuses(batch)["a.txt"] == ReadStatus.CONSISTENT


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "请选择"),
        ([("many.zip", zipped({f"{i}.txt": b"x" for i in range(2001)}))], "最多"),
    ],
)
def test_refused_batches_store_nothing(tree, files, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SupervisionError, match=message):
        upload_batch(actor=tree.supervisor, files=files)
    assert not ReportBatch.objects.exists() and not ReadReport.objects.exists()


def test_an_admin_without_agency_cannot_upload(tree) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SupervisionError, match="所属机构"):
        upload_batch(actor=tree.admin, files=[("a.txt", b"x")])


def test_a_row_is_read_or_unreadable_never_both(tree) -> None:  # type: ignore[no-untyped-def]
    batch = upload_batch(actor=tree.supervisor, files=[("empty.txt", b"")])
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        ReadReport.objects.create(
            batch=batch,
            position=9,
            file_name="x",
            sha256="0" * 64,
            status=ReadStatus.UNREADABLE,
            report={"schema": "x"},
            read_error="",
        )
