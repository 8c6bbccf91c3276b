"""In a real browser: a leader downloads one case's archive from the case page, opens the archive
page, downloads the year, locks it, and unlocks it with a reason; the zips are read back."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from gongkai.archives.locks import is_locked
from gongkai.letters.models import LetterSettings
from tests.archives.conftest import TODAY, closed_case
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _setup(settings: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr("gongkai.clock.today", lambda: TODAY)


def _download(page: Any, link: Any) -> dict[str, Any]:
    with page.expect_download(timeout=120_000) as info:  # the zip is built while the page waits
        link.click()
    with zipfile.ZipFile(info.value.path()) as zf:
        return json.loads(zf.read("manifest.json"))  # type: ignore[no-any-return]


def test_download_lock_and_unlock(live_server, page, tree, screenshots) -> None:  # type: ignore[no-untyped-def]
    LetterSettings.objects.create(
        agency=tree.street_a, number_prefix="测甲街公开", court_name="测试区人民法院", payment_instructions="缴款平台"
    )
    story = closed_case(tree)
    page.goto(live_server.url + reverse("login"))
    page.get_by_label("用户名").fill(tree.leader_a.username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(live_server.url + reverse("cases:detail", args=[story.case.pk]))
    page.screenshot(path=str(screenshots / "archive-1-case-page.png"))
    manifest = _download(page, page.get_by_role("link", name="下载本案案卷（ZIP）"))
    assert manifest["case"] == story.case.number and manifest["letter_count"] == 4

    page.get_by_role("link", name="案卷归档").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("案卷归档")
    manifest = _download(page, page.get_by_role("link", name="下载2025年度案卷（ZIP）"))
    assert manifest["year"] == 2025 and manifest["case_count"] == 1

    page.get_by_role("button", name="锁定2025年度").click()
    assert "2025年度已锁定" in page.locator(".messages").inner_text()
    assert is_locked(tree.street_a.pk, 2025)
    page.screenshot(path=str(screenshots / "archive-2-locked.png"), full_page=True)
    page.goto(live_server.url + reverse("cases:detail", args=[story.case.pk]))
    assert "已归档锁定的2025年度" in page.locator("[role=status]").inner_text()
    page.screenshot(path=str(screenshots / "archive-2b-case-locked.png"))
    page.get_by_role("link", name="案卷归档").click()

    page.get_by_label("解除理由").fill("补登答复书送达凭证")
    page.get_by_role("button", name="解除锁定").click()
    assert not is_locked(tree.street_a.pk, 2025)
    assert "补登答复书送达凭证" in page.content()
    page.screenshot(path=str(screenshots / "archive-3-unlocked.png"), full_page=True)
