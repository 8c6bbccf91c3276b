"""Applicants' personal data: the one helper that decides who sees it unmasked.

The policy per role and per output is ``docs/personal-data.md``. In short: every list, every
export and the API's list mask identity numbers; the ledger export masks the contact too; a
single case shows the identity number unmasked only to the roles that handle the application
(``accounts.models.IDENTITY_ROLES``) and the telephone number only to the agency's staff who may
read that case (``accounts.models.CONTACT_ROLES``); the admin site shows neither.
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import CONTACT_ROLES, IDENTITY_ROLES
from gongkai.core.ledger.write import mask_email, mask_id_number
from gongkai.core.ledger.write import mask_phone as _mask_phone


def mask_identity(number: str) -> str:
    """ "110101199001011234" → "110***********1234" (one rule, shared with the ledger export)."""
    return mask_id_number(number)


def mask_phone(number: str) -> str:
    """ "13812345678" → "138****5678" (the same rule, shared with the ledger export)."""
    return _mask_phone(number)


def _role_in(user: Any, roles: frozenset[Any]) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role in roles)


def may_see_identity(user: Any) -> bool:
    return _role_in(user, IDENTITY_ROLES)


def identity_for(user: Any, number: str, *, listing: bool = False) -> str:
    """The number as ``user`` may see it: unmasked only on a single case, for IDENTITY_ROLES."""
    if not listing and may_see_identity(user):
        return number
    return mask_identity(number)


def phone_for(user: Any, number: str, *, listing: bool = False) -> str:
    """The telephone number as ``user`` may see it: unmasked only on a single case, for
    CONTACT_ROLES (the staff who call the applicant back); masked for the supervisor."""
    if not listing and _role_in(user, CONTACT_ROLES):
        return number
    return mask_phone(number)


def contact_for(user: Any, case: Any) -> dict[str, str]:
    """The applicant's 联系方式 on a single case, as ``user`` may see it: unmasked for
    CONTACT_ROLES; otherwise telephone and e-mail masked and the postal address withheld."""
    if _role_in(user, CONTACT_ROLES):
        return {"phone": case.phone, "email": case.email, "address": f"{case.address} {case.postal_code}".strip()}
    return {
        "phone": mask_phone(case.phone) if case.phone else "",
        "email": mask_email(case.email) if case.email else "",
        "address": "（仅承办人员可见）" if case.address else "",
    }
