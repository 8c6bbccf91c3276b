"""The archive page and the downloads: scoped (another agency's case: 404), by role, audited."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from gongkai.archives.locks import is_locked
from gongkai.archives.services import ArchiveAudit
from gongkai.audit.models import AuditEvent
from gongkai.letters.models import LetterSettings
from tests.archives.conftest import Story, closed_case
from tests.conftest import Tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(tree: Tree, letter_settings: LetterSettings) -> Story:
    return closed_case(tree)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _zip(response: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_an_officer_downloads_a_case_archive_and_it_is_audited(tree: Tree, story: Story) -> None:
    response = _client(tree.officer_a).get(reverse("archives:case_download", args=[story.case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    with _zip(response) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["case"] == story.case.number and manifest["letter_count"] == 4
    event = AuditEvent.objects.get(action=ArchiveAudit.EXPORTED)
    assert event.actor == tree.officer_a and event.agency_id == tree.street_a.pk
    assert event.changes["case"] == story.case.number and event.changes["letters"] == 4
    assert len(event.changes["manifest_sha256"]) == 64


@pytest.mark.parametrize(("who", "status"), [("officer_b", 404), ("clerk_a", 403), ("supervisor", 403), ("admin", 403)])
def test_others_cannot_download_the_case(tree: Tree, story: Story, who: str, status: int) -> None:
    response = _client(getattr(tree, who)).get(reverse("archives:case_download", args=[story.case.pk]))
    assert response.status_code == status
    assert not AuditEvent.objects.filter(action=ArchiveAudit.EXPORTED).exists()


def test_year_download_is_the_users_own_agency(tree: Tree, story: Story) -> None:
    response = _client(tree.leader_a).get(reverse("archives:year_download", args=[2025]))
    assert response.status_code == 200
    with _zip(response) as zf:
        assert json.loads(zf.read("manifest.json"))["case_count"] == 1
    assert _client(tree.officer_b).get(reverse("archives:year_download", args=[2025])).status_code == 404
    assert _client(tree.officer_a).get(reverse("archives:year_download", args=[2019])).status_code == 404
    assert AuditEvent.objects.filter(action=ArchiveAudit.EXPORTED, changes__year=2025).count() == 1


def test_the_archive_page_lists_years_and_the_leader_locks_and_unlocks(tree: Tree, story: Story) -> None:
    officer_page = _client(tree.officer_a).get(reverse("archives:index")).content.decode()
    assert "2025年度" in officer_page and "下载2025年度案卷" in officer_page
    assert "锁定2025年度" not in officer_page  # the button is the leader's

    leader = _client(tree.leader_a)
    page = leader.get(reverse("archives:index")).content.decode()
    assert "锁定2025年度" in page
    response = leader.post(reverse("archives:lock", args=[2025]), follow=True)
    assert response.status_code == 200 and "已锁定" in response.content.decode()
    assert is_locked(tree.street_a.pk, 2025)

    refused = leader.post(reverse("archives:unlock", args=[2025]), {"reason": ""})
    assert refused.status_code == 400 and "理由" in refused.content.decode()
    assert is_locked(tree.street_a.pk, 2025)
    done = leader.post(reverse("archives:unlock", args=[2025]), {"reason": "补登送达凭证"}, follow=True)
    assert "补登送达凭证" in done.content.decode() and not is_locked(tree.street_a.pk, 2025)


def test_locking_a_year_with_an_open_case_names_it(tree: Tree, story: Story) -> None:
    import datetime as dt

    from tests.archives.conftest import TODAY  # noqa: F401  (the clock is patched by the fixture)
    from tests.factories import CaseFactory

    open_case = CaseFactory(actor=tree.officer_a, today=dt.date(2025, 6, 2))
    response = _client(tree.leader_a).post(reverse("archives:lock", args=[2025]))
    assert response.status_code == 400
    assert open_case.number in response.content.decode()
    assert not is_locked(tree.street_a.pk, 2025)


def test_the_case_page_offers_the_download_to_officers_only(tree: Tree, story: Story) -> None:
    url = reverse("cases:detail", args=[story.case.pk])
    link = reverse("archives:case_download", args=[story.case.pk])
    assert link in _client(tree.officer_a).get(url).content.decode()
    assert link not in _client(tree.supervisor).get(url).content.decode()


def test_a_refused_change_on_the_case_page_says_the_year_is_locked(tree: Tree, story: Story) -> None:
    case_page = reverse("cases:detail", args=[story.case.pk])
    assert "已归档锁定" not in _client(tree.officer_a).get(case_page).content.decode()
    _client(tree.leader_a).post(reverse("archives:lock", args=[2025]))
    assert "已归档锁定的2025年度" in _client(tree.officer_a).get(case_page).content.decode()
    response = _client(tree.officer_a).post(
        reverse("letters:case", args=[story.case.pk]), {"kind": "receipt"}, follow=True
    )
    assert "已归档锁定的2025年度" in response.content.decode()


def test_a_year_over_the_web_limit_points_to_the_command_line(tree: Tree, story: Story, settings: Any) -> None:
    settings.ARCHIVE_WEB_MAX_LETTERS = 3
    client = _client(tree.officer_a)
    page = client.get(reverse("archives:index")).content.decode()
    assert "下载2025年度案卷" not in page and "gongkai archive --agency D1-A --year 2025" in page
    response = client.get(reverse("archives:year_download", args=[2025]))
    assert response.status_code == 400 and "超过直接下载的上限" in response.content.decode()
    assert not AuditEvent.objects.filter(action=ArchiveAudit.EXPORTED).exists()
    # One case at a time still works.
    assert client.get(reverse("archives:case_download", args=[story.case.pk])).status_code == 200


def test_a_year_over_the_web_limit_is_made_by_a_background_job(tree: Tree, story: Story, settings: Any) -> None:
    """The 后台生成 button: a job writes the same archive; its page offers the zip to its starter."""
    from gongkai.jobs.models import Job

    settings.ARCHIVE_WEB_MAX_LETTERS = 3
    client = _client(tree.officer_a)
    assert "后台生成2025年度案卷" in client.get(reverse("archives:index")).content.decode()
    assert client.get(reverse("archives:year_export", args=[2025])).status_code == 405
    started = client.post(reverse("archives:year_export", args=[2025]))
    job = Job.objects.get()
    assert started.status_code == 302 and started["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == "done" and job.result["filename"].endswith(".zip")
    download = client.get(reverse("jobs:file", args=[job.pk]))
    assert download.status_code == 200
    with _zip(download) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert manifest["year"] == 2025 and manifest["case_count"] == 1 and manifest["letter_count"] == 4
    assert AuditEvent.objects.filter(action=ArchiveAudit.EXPORTED, changes__year=2025).count() == 1
    # Someone else cannot take the file, and a year without cases starts nothing.
    assert _client(tree.leader_a).get(reverse("jobs:file", args=[job.pk])).status_code == 404
    assert client.post(reverse("archives:year_export", args=[2019])).status_code == 404
    assert Job.objects.count() == 1
