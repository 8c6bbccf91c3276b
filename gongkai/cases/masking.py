"""Applicants' identity numbers: the one helper that decides who sees them unmasked.

Lists, exports and the API list always mask; a case page shows the number only to the roles
that need it to handle the application (``accounts.models.IDENTITY_ROLES``).
"""

from __future__ import annotations

from typing import Any

from gongkai.accounts.models import IDENTITY_ROLES
from gongkai.core.ledger import mask_id_number


def mask_identity(number: str) -> str:
    """ "110101199001011234" → "110***********1234" (one rule, shared with the ledger export)."""
    return mask_id_number(number)


def may_see_identity(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.role in IDENTITY_ROLES)


def identity_for(user: Any, number: str, *, listing: bool = False) -> str:
    """The number as ``user`` may see it: unmasked only on a single case, for IDENTITY_ROLES."""
    if not listing and may_see_identity(user):
        return number
    return mask_identity(number)
