"""Fixtures of the 主动公开 tests: a seeded catalogue for street A."""

from __future__ import annotations

import pytest

from gongkai.publications import services
from gongkai.publications.models import Category


@pytest.fixture
def catalogue(tree) -> dict[str, Category]:  # type: ignore[no-untyped-def]
    """Street A's default catalogue, by name."""
    nodes = services.seed_catalogue(actor=tree.officer_a, agency=tree.street_a)
    return {c.name: c for c in nodes}
