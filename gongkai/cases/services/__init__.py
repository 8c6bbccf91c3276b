"""Write paths of 依申请公开 cases: one function per use case, one module per group.

``intake`` (registration, online submission, receipt, routing), ``steps`` (补正, 征求意见, 延期,
收费), ``answers`` (延迟答复, 当场答复, 答复, 撤回), ``transfer`` (转办/告知, 条例 art 36(5)) and ``reviews`` (复议, 诉讼) share the write
machinery of ``_machinery``; recomputing due dates when a calendar year is loaded is
``gongkai.cases.due_dates``. Callers use this package: ``services.register_application(...)``.

Every function takes the acting user (``actor``) and the day (``today``) from its caller, runs in
one ``transaction.atomic``, checks the actor with ``accounts.scoping.can_write`` (and the
clerk's narrower scope), checks the step with the core's transition table
(``gongkai.core.case_flow.apply_event`` → ``next_status``), recomputes and stores the due date
with ``gongkai.core.deadlines``, appends the timeline entry and the audit record in the same
transaction, and leaves e-mail to ``transaction.on_commit``.

Optimistic locking: a case is changed by ``UPDATE … WHERE id = … AND version = …``; the version
is the one the caller loaded (``version=`` from a form, else ``case.version``). A stale version
raises :class:`~gongkai.cases.errors.StaleCaseError` ("该案件已被他人修改，请刷新后重试"). The row is
also locked (``SELECT … FOR UPDATE``) first, so on PostgreSQL a second writer waits, then sees
the new version and fails cleanly instead of racing.

Dates: ``on`` is the day a thing happened (a letter signed for, a reply received); it defaults to
``today`` and may not lie after it. Services return the updated case: the instance passed in is
stale afterwards.
"""

from gongkai.cases.services._machinery import CaseAudit, submission_moment, transition_action
from gongkai.cases.services.answers import (
    answer_on_the_spot,
    close_case,
    register_close_guard,
    set_delayed_answer,
    withdraw_application,
)
from gongkai.cases.services.applicant import (
    Upload,
    request_new_payment_proof,
    retry_message,
    submit_correction_online,
    submit_payment_proof,
)
from gongkai.cases.services.intake import (
    allocate_number,
    assign,
    case_number,
    confirm_online_application,
    confirm_receipt,
    register_application,
    start_processing,
    submit_online_application,
)
from gongkai.cases.services.notices import correction_period_of, fee_period_of, record_notice_receipt
from gongkai.cases.services.reviews import conclude_review, record_review, record_review_dates
from gongkai.cases.services.steps import (
    approve_extension,
    lapse_correction,
    lapse_fee,
    notify_extension,
    receive_correction,
    record_consultation_reply,
    record_fee_payment,
    refuse_extension,
    request_correction,
    request_extension,
    send_fee_notice,
    start_consultation,
)
from gongkai.cases.services.transfer import agency_contact, transfer_application

__all__ = [
    "CaseAudit",
    "Upload",
    "agency_contact",
    "allocate_number",
    "answer_on_the_spot",
    "approve_extension",
    "assign",
    "case_number",
    "close_case",
    "conclude_review",
    "confirm_online_application",
    "confirm_receipt",
    "correction_period_of",
    "fee_period_of",
    "lapse_correction",
    "lapse_fee",
    "notify_extension",
    "receive_correction",
    "record_consultation_reply",
    "record_fee_payment",
    "record_notice_receipt",
    "record_review",
    "record_review_dates",
    "refuse_extension",
    "register_application",
    "register_close_guard",
    "request_correction",
    "request_extension",
    "request_new_payment_proof",
    "retry_message",
    "send_fee_notice",
    "set_delayed_answer",
    "start_consultation",
    "start_processing",
    "submission_moment",
    "submit_correction_online",
    "submit_online_application",
    "submit_payment_proof",
    "transfer_application",
    "transition_action",
    "withdraw_application",
]
