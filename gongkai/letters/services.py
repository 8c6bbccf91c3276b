"""Letters of a case: the one write path that makes, numbers, stores and audits a letter.

The facts come from ``gongkai.letters.context`` (the case, the agency's letter settings, the
administrator's template overrides); this module stores the .docx with its 发文字号
("X〔2026〕12号", numbered per agency and year under a row lock) and an audit record, in one
transaction.

The file is written before the row; if the row cannot be saved the file is deleted again. A
rollback of an enclosing transaction after this function returned leaves an unreferenced file
behind (Django has no on-rollback hook); storage never reuses its name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction

from gongkai.accounts.scoping import can_write
from gongkai.agencies.models import SequenceKind
from gongkai.agencies.sequences import allocate
from gongkai.audit.services import record
from gongkai.cases.guards import check_writable
from gongkai.cases.models import Case, user_may_read_case
from gongkai.core.letters import LetterType, format_letter_number, render_docx
from gongkai.letters.approval_policy import check_direct_issue
from gongkai.letters.context import PROVISIONAL_NUMBER, LetterFacts, build_context, compose_letter
from gongkai.letters.models import Letter, LetterSettings

if TYPE_CHECKING:
    from gongkai.accounts.models import User
    from gongkai.agencies.models import Agency


class LetterAudit(StrEnum):
    GENERATED = "letter.generated"
    REPRINTED = "letter.reprinted"


# ---------------------------------------------------------------------------------------------
# Numbers and settings
# ---------------------------------------------------------------------------------------------


def settings_for(agency: Agency) -> LetterSettings:
    """The agency's letter settings (unsaved defaults when none were entered)."""
    found = LetterSettings.objects.filter(agency=agency).first()
    return found if found is not None else LetterSettings(agency=agency)


def number_prefix(agency: Agency, settings: LetterSettings) -> str:
    return settings.number_prefix.strip() or f"{agency.short_name or agency.name}信息公开"


def allocate_letter_number(agency: Agency, year: int, settings: LetterSettings) -> tuple[int, str]:
    """The next 发文字号 of ``agency`` in ``year`` (GB/T 9704-2012 §7.2.4).

    Call inside the transaction that stores the letter: a rollback gives the number back.
    """
    sequence = allocate(agency, SequenceKind.LETTER, year)
    return sequence, format_letter_number(number_prefix(agency, settings), year, sequence)


# ---------------------------------------------------------------------------------------------
# Use cases
# ---------------------------------------------------------------------------------------------


def require_writer(actor: User, case: Case) -> None:
    if actor is None or not can_write(actor, case.agency) or not user_may_read_case(actor, case):
        raise PermissionDenied(f"无权为案件 {case.number} 出具文书")


def preview_letter(
    *, actor: User, case: Case, kind: LetterType | str, today: dt.date, facts: LetterFacts | None = None
) -> str:
    """The letter's plain text without numbering or storing it (the number shows as 文号待定)."""
    kind = LetterType(kind)
    case = Case.objects.select_related("agency", "agency__parent").get(pk=case.pk)
    require_writer(actor, case)
    settings = settings_for(case.agency)
    context = build_context(
        case, kind, today=today, number=PROVISIONAL_NUMBER, facts=facts or LetterFacts(), settings=settings
    )
    return compose_letter(kind, context, case.agency).text()


@transaction.atomic
def generate_letter(
    *, actor: User, case: Case, kind: LetterType | str, today: dt.date, facts: LetterFacts | None = None
) -> Letter:
    """Make, number, store and audit letter ``kind`` of ``case`` (wording: ``gongkai.core.letters``).

    The 发文字号 is the next of the agency in the letter date's year. Raises CaseInputError
    when the case or the agency's settings lack a fact the letter states, PermissionDenied
    when ``actor`` may not act on the case, ApprovalRequired when the agency's 签批 policy sends
    this kind through 审核/法制审核/签发 (``letters.approval_policy``) and ``actor`` may not sign it
    at once: then it goes out by the 签发 of a draft (``letters.approvals``).
    """
    kind = LetterType(kind)
    case = Case.objects.select_related("agency", "agency__parent").get(pk=case.pk)
    require_writer(actor, case)
    check_writable(case, "出具文书")  # e.g. the archive's year lock
    return make_letter(actor=actor, case=case, kind=kind, today=today, facts=facts)


def make_letter(*, actor: User, case: Case, kind: LetterType, today: dt.date, facts: LetterFacts | None) -> Letter:
    """Number, store and audit a letter: the one place a 发文字号 is taken. Only what the 签批 gate
    clears goes out — at once where the agency's rule has no step before 签发 and ``actor`` may
    sign, else only inside the 签发 of its draft (``letters.approvals.act``); call inside the
    caller's transaction."""
    check_direct_issue(actor=actor, case=case, kind=kind, today=today)
    check_writable(case, "出具文书")  # e.g. the archive's year lock
    agency = case.agency
    settings = settings_for(agency)
    facts = facts or LetterFacts()
    # Check every fact before a number is taken; the rollback would give it back anyway.
    dated = build_context(case, kind, today=today, number=PROVISIONAL_NUMBER, facts=facts, settings=settings)
    compose_letter(kind, dated, agency)
    issued_on = dated.today
    sequence, number = allocate_letter_number(agency, issued_on.year, settings)
    composed = compose_letter(kind, replace(dated, letter_number=number), agency)
    letter = Letter(
        agency=agency,
        case=case,
        kind=kind.value,
        year=issued_on.year,
        sequence=sequence,
        number=number,
        issued_on=issued_on,
        text=composed.text(),
        created_by=actor,
    )
    # The path comes from ``letters.models.letter_path`` (agency, year, sequence, kind).
    letter.file.save("letter.docx", ContentFile(render_docx(composed)), save=False)
    try:
        letter.save(force_insert=True)
        record(
            actor=actor,
            action=LetterAudit.GENERATED,
            target=letter,
            changes={
                "case": case.number,
                "kind": kind.label,
                "number": number,
                "issued_on": issued_on,
            },
        )
    except BaseException:
        letter.file.delete(save=False)
        raise
    return letter


@transaction.atomic
def reprint_letter(*, actor: User, letter: Letter, facts: LetterFacts | None = None) -> bytes:
    """A stored letter printed again: its number and 成文日期 kept, marked 重印 (GB/T 9704-2012 §7.3.5.3).

    The .docx is composed anew from the case with the original number and date, so a reprint never
    looks like a new act; the stored letter is left as issued. Audited as ``letter.reprinted``.
    """
    case = Case.objects.select_related("agency", "agency__parent").get(pk=letter.case_id)
    require_writer(actor, case)
    kind = LetterType(letter.kind)
    settings = settings_for(case.agency)
    context = build_context(
        case, kind, today=letter.issued_on, number=letter.number, facts=facts or LetterFacts(), settings=settings
    )
    composed = compose_letter(kind, replace(context, today=letter.issued_on, reprint=True), case.agency)
    record(
        actor=actor,
        action=LetterAudit.REPRINTED,
        target=letter,
        changes={"case": case.number, "kind": kind.label, "number": letter.number, "issued_on": letter.issued_on},
    )
    return render_docx(composed)
