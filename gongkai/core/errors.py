"""One error hierarchy for the core; the CLI and the web layer map it once."""

from __future__ import annotations


class GongkaiError(Exception):
    """Base of every error the core raises on purpose.

    ``exit_code`` is what the command line returns for it.
    """

    exit_code = 2


class InvalidTransition(GongkaiError):
    """A case event that the transition table does not allow from the current status."""


class CalendarYearMissing(GongkaiError):
    """A working-day question about a year whose holiday arrangement is not loaded."""

    def __init__(self, year: int, message: str | None = None) -> None:
        self.year = year
        super().__init__(message or f"{year}年的节假日安排尚未加载（国务院办公厅部分节假日安排通知），无法计算工作日")


class CalendarDataError(GongkaiError):
    """A holiday-arrangement data file that is malformed; the message names file and line."""


class ConcurrentChange(GongkaiError):
    """A record changed since the user loaded it (optimistic lock); the user must reload and retry."""


class ReportFormatError(GongkaiError):
    """Report data that does not have the shape of ``gongkai.annual-report/1``."""


class ReportReadError(GongkaiError):
    """A published report that could not be read; the message names the file and what is missing."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        super().__init__(f"{source}: {message}" if source else message)


class FeeError(GongkaiError):
    """Fee arguments outside what 国办函〔2020〕109号 allows (e.g. both methods at once)."""


class DeadlineError(GongkaiError):
    """Case events the statutory clock cannot accept (e.g. an extension decided after the due date)."""
