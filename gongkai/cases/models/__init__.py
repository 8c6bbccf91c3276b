"""依申请公开 cases: the application, its timeline, consultations, extensions, fees, reviews.

Data and invariants only (constraints); every change goes through ``gongkai.cases.services``.
The annual report counts from plain indexed columns: ``Case.received_on``, ``closed_on``,
``outcome``, ``applicant_type``, ``agency`` (table 三) and ``Review.kind``, ``result``,
``filed_on``, ``concluded_on``, ``agency`` (table 四); see ``gongkai.cases.selectors``.

``cases`` holds the application and its timeline, ``steps`` the records of the statutory steps,
``reviews`` table 四's records; callers import from this package.
"""

from gongkai.cases.models.applicant import AccessCode, ApplicantFile, ApplicantMessage, ApplicantReply, ContactCode
from gongkai.cases.models.cases import (
    AMOUNT_DECIMAL_PLACES,
    AMOUNT_MAX_DIGITS,
    MAX_PAGES,
    MAX_PIECES,
    OPEN_STATUS_VALUES,
    RUNNING_STATUS_VALUES,
    TRACKING_ALPHABET,
    TRACKING_GROUP_LEN,
    TRACKING_GROUPS,
    Case,
    CaseEvent,
    CaseQuerySet,
    new_tracking_code,
    normalise_tracking_code,
    user_may_read_case,
)
from gongkai.cases.models.reviews import Review, ReviewQuerySet
from gongkai.cases.models.steps import Consultation, Extension, FeeNotice
from gongkai.cases.models.tally import CaseTally, ReviewTally
from gongkai.cases.models.transfers import CaseTransfer, TransferQuerySet

__all__ = [
    "AMOUNT_DECIMAL_PLACES",
    "AMOUNT_MAX_DIGITS",
    "MAX_PAGES",
    "MAX_PIECES",
    "OPEN_STATUS_VALUES",
    "RUNNING_STATUS_VALUES",
    "TRACKING_ALPHABET",
    "TRACKING_GROUPS",
    "TRACKING_GROUP_LEN",
    "AccessCode",
    "ApplicantFile",
    "ApplicantMessage",
    "ApplicantReply",
    "Case",
    "CaseEvent",
    "CaseQuerySet",
    "CaseTally",
    "CaseTransfer",
    "Consultation",
    "ContactCode",
    "Extension",
    "FeeNotice",
    "Review",
    "ReviewQuerySet",
    "ReviewTally",
    "TransferQuerySet",
    "new_tracking_code",
    "normalise_tracking_code",
    "user_may_read_case",
]
