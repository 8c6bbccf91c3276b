"""Fixtures for the report tests: the corpus, written into a pytest tmp dir (never the repo)."""

from __future__ import annotations

import pytest

from tests.core.report.corpus import Corpus


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    """The corpus of :mod:`tests.core.report.corpus`; files are rendered when first asked for."""
    return Corpus(tmp_path_factory.mktemp("report-corpus"))
