"""Summary rows of tables 三 and 四 (issue 16 item 7): counts of cases and reviews per agency and
per the pair of years that decide where each one counts, kept by the database itself.

Table 三 counts a case in year Y from its received and closed dates only through their YEARS:
received by 31 December ⇔ received_year ≤ Y, received in the year ⇔ received_year = Y, closed
before 1 January ⇔ closed_year < Y, closed by 31 December ⇔ closed_year ≤ Y (legal spec §3.5).
So counting the cases per (agency, applicant type, outcome, received year, closed year) loses
nothing table 三 needs; likewise the reviews per (agency, kind, result, filed year, concluded
year) for table 四 (§3.6). ``gongkai.cases.figures`` reads a year's tables from these rows.

No NULLs in the keys (a unique key treats NULLs as distinct, so an upsert would not find the
row): no outcome is ``""``, not closed / not concluded is year ``0``. Cases without a receipt
date count nowhere (条例 art 31) and have no row.

The rows are written by triggers on ``cases_case`` and ``cases_review`` (``gongkai.cases.tally``
installs them after every ``migrate``), in the same transaction as the change: every write path
(services, ``QuerySet.update``, the ledger's bulk INSERT, deletes, raw SQL) moves the counts.
``manage.py case_tally --rebuild`` recomputes them from the records; ``--check`` compares.
"""

from __future__ import annotations

from django.db import models


class CaseTally(models.Model):
    """How many of an agency's received cases share (applicant type, outcome, received year, closed year)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    applicant_type = models.CharField(max_length=32)
    outcome = models.CharField(max_length=64, blank=True)  # "" = no outcome (not closed)
    received_year = models.SmallIntegerField()
    closed_year = models.SmallIntegerField()  # 0 = not closed
    cases = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "received_year", "closed_year", "applicant_type", "outcome"],
                name="case_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.received_year}–{self.closed_year} {self.applicant_type} {self.outcome}: {self.cases}"


class ReviewTally(models.Model):
    """How many of an agency's reviews share (kind, result, filed year, concluded year)."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    kind = models.CharField(max_length=40)
    result = models.CharField(max_length=16)
    filed_year = models.SmallIntegerField()
    concluded_year = models.SmallIntegerField()  # 0 = not concluded
    reviews = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "filed_year", "concluded_year", "kind", "result"], name="review_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.filed_year}–{self.concluded_year} {self.kind} {self.result}: {self.reviews}"
