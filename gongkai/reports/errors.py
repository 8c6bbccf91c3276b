"""Errors of the reports app, in the core's hierarchy (the CLI and the API map them once)."""

from __future__ import annotations

from gongkai.core.errors import GongkaiError
from gongkai.core.report.findings import Finding
from gongkai.reports.models import ReportLocked

__all__ = ["ReportLocked", "SignOffRefused"]


class SignOffRefused(GongkaiError):
    """The report cannot be signed off: a check found an error, or the narrative is unfinished."""

    exit_code = 1

    def __init__(self, reasons: list[str], findings: list[Finding] | None = None) -> None:
        self.reasons = reasons
        self.findings = findings or []
        shown = "；".join(reasons[:5]) + ("……" if len(reasons) > 5 else "")
        super().__init__(f"不能签发：{shown}")

    @classmethod
    def from_findings(cls, errors: list[Finding]) -> SignOffRefused:
        return cls([f.message for f in errors], errors)
