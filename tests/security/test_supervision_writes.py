"""Issue 11 hole 9: a supervisor never writes to a subordinate's 年报监督 rows.

``my_supervisor`` (密云区政府) reads every batch of the agencies below it. Before the fix it could
POST ``/office/supervision/batches/<subordinate's batch>/recheck/``: the subordinate's findings were
re-saved and linked to a file from the supervisor's own upload. ``can_write`` (with the supervision
writers' role) now guards every write of supervision: the answer is 403 and the batch stays as it was.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from gongkai.accounts.models import Role, User
from gongkai.agencies.models import Agency
from gongkai.audit.models import AuditEvent
from gongkai.backoffice.demo import load_foundation
from gongkai.supervision.models import ReadReport, ReadStatus, ReportBatch
from gongkai.supervision.services import SupervisionAction, check_batch, upload_batch
from tests.factories import UserFactory
from tests.supervision.conftest import as_text, consistent

pytestmark = pytest.mark.django_db

JW = "北京市密云区教育委员会"
GY = "北京市密云区果园街道办事处"


def _state(batch: ReportBatch) -> list[tuple[Any, ...]]:
    """Everything a check writes on the batch's files."""
    return list(
        batch.files.order_by("pk").values_list(
            "pk", "status", "findings", "error_count", "warning_count", "previous_id"
        )
    )


def _checks(batch: ReportBatch) -> int:
    return AuditEvent.objects.for_object(batch).filter(action=SupervisionAction.BATCH_CHECKED).count()


@pytest.fixture
def people(db: None) -> dict[str, User]:
    load_foundation()
    users = {u.username: u for u in User.objects.all()}
    # A 主管部门 user one level down: 密云区教委 supervises its own schools and uploads for itself.
    users["jw_supervisor"] = UserFactory(
        username="jw_supervisor", role=Role.SUPERVISOR, agency=Agency.objects.get(code="BJ-MY-JW")
    )
    return users


@pytest.fixture
def supervisor_upload(people: dict[str, User]) -> ReportBatch:
    """my_supervisor's own batch: last year's reports, which a re-check under its scope would link to."""
    files = [
        ("教委2022.txt", as_text(consistent(JW, 2022, carried_forward=2))),
        ("果园2022.txt", as_text(consistent(GY, 2022, carried_forward=2))),
    ]
    return upload_batch(actor=people["my_supervisor"], files=files, title="区里的上年报告")


@pytest.fixture
def subordinate_batch(people: dict[str, User], supervisor_upload: ReportBatch) -> ReportBatch:
    """密云区教委's own batch, checked under its own scope (its 2022 report is not in it)."""
    batch = upload_batch(
        actor=people["jw_supervisor"], files=[("教委2023.txt", as_text(consistent(JW, 2023)))], title="教委自查"
    )
    [row] = batch.files.all()
    assert row.previous is None and row.status == ReadStatus.CONSISTENT
    return batch


@pytest.fixture
def legacy_batch(people: dict[str, User], supervisor_upload: ReportBatch) -> ReportBatch:
    """A batch 果园街道's officer uploaded while any logged-in user could (rows from before the fix)."""
    officer = people["gy_officer"]
    batch = ReportBatch.objects.create(agency=officer.agency, uploaded_by=officer, title="果园自查")
    ReadReport.objects.create(
        batch=batch,
        position=1,
        file_name="果园2023.txt",
        sha256="0" * 64,
        agency_name=GY,
        year=2023,
        report_format="2021",
        report=consistent(GY, 2023).to_dict(),
        matched_agency=officer.agency,
        status=ReadStatus.CONSISTENT,
    )
    return batch


@pytest.mark.parametrize("which", ["subordinate_batch", "legacy_batch"])
def test_supervisor_cannot_recheck_a_subordinates_batch(
    client: Client, people: dict[str, User], which: str, request: pytest.FixtureRequest
) -> None:
    batch: ReportBatch = request.getfixturevalue(which)
    before, checks = _state(batch), _checks(batch)
    client.force_login(people["my_supervisor"])
    assert client.get(reverse("supervision:batch", args=[batch.pk])).status_code == 200  # it may read it
    response = client.post(reverse("supervision:recheck", args=[batch.pk]))
    assert response.status_code == 403
    assert _state(batch) == before
    assert _checks(batch) == checks
    assert not batch.files.filter(previous__batch__uploaded_by=people["my_supervisor"]).exists()


def test_the_service_refuses_too(people: dict[str, User], subordinate_batch: ReportBatch) -> None:
    before = _state(subordinate_batch)
    with pytest.raises(PermissionDenied):
        check_batch(actor=people["my_supervisor"], batch=subordinate_batch)
    assert _state(subordinate_batch) == before


def test_the_owner_still_rechecks_its_own_batch(client: Client, people: dict[str, User], subordinate_batch) -> None:  # type: ignore[no-untyped-def]
    client.force_login(people["jw_supervisor"])
    response = client.post(reverse("supervision:recheck", args=[subordinate_batch.pk]))
    assert response.status_code == 302
    assert _checks(subordinate_batch) == 2  # the upload's check and this one


@pytest.mark.parametrize("username", ["admin", "gy_officer", "gy_clerk", "gy_leader", "gl_officer"])
def test_nobody_else_writes_to_supervision(
    client: Client, people: dict[str, User], supervisor_upload: ReportBatch, username: str
) -> None:
    """The administrator reads batches but writes nothing; agency staff have no supervision pages."""
    client.force_login(people[username])
    before, batches = _state(supervisor_upload), ReportBatch.objects.count()
    assert client.post(reverse("supervision:recheck", args=[supervisor_upload.pk])).status_code == 403
    upload = SimpleUploadedFile("x.txt", as_text(consistent(GY, 2023)))
    assert client.post(reverse("supervision:index"), {"title": "x", "documents": [upload]}).status_code == 403
    assert _state(supervisor_upload) == before and ReportBatch.objects.count() == batches


def test_upload_service_refuses_agency_staff(people: dict[str, User]) -> None:
    with pytest.raises(PermissionDenied):
        upload_batch(actor=people["gy_clerk"], files=[("x.txt", as_text(consistent(GY, 2023)))])
    assert not ReportBatch.objects.exists()
