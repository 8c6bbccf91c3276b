"""Letters tests store files: each test gets its own media directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Tree


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def letter_settings(tree: Tree):  # type: ignore[no-untyped-def]
    from gongkai.letters.models import LetterSettings

    return LetterSettings.objects.create(
        agency=tree.street_a,
        number_prefix="测甲街公开",
        court_name="测试区人民法院",
        payment_instructions="通过非税收入统一缴款平台缴纳",
    )
