"""Who calls with a token: an API client acting for its agency, never more than its officers see.

:class:`ApiPrincipal` stands where a user stands in ``accounts.scoping``: its agency is the
client's, its role is none of the staff roles, so

- ``visible_agencies`` gives the client's own agency only (as for an officer, never a subtree);
- ``Case.objects.visible_to`` gives every case of that agency (the role is not a clerk's);
- ``can_write`` is False (its role is not a staff role): it cannot reach a staff service;
- the publications and reports endpoints show it published records only
  (``reads_published_only``): drafts and 涉密 items stay inside the agency;
- ``cases.masking`` masks identity numbers and telephone numbers everywhere (no role of
  ``IDENTITY_ROLES`` or ``CONTACT_ROLES``): the API is a list-level view of personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gongkai.apiclients.models import ApiClient

#: The role of a token's principal: not a ``Role`` member, so it is in no role set.
API_CLIENT_ROLE = "api_client"


class ApiPrincipal:
    """``request.user`` of a call made with a token (``request.auth`` is the :class:`ApiClient`)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False
    is_system_admin = False
    role = API_CLIENT_ROLE
    department = None
    department_id = None
    pk = None
    id = None
    #: Another system reads the agency's published 主动公开 items and reports only, never a draft
    #: or a 涉密 item (the publications and reports API narrow their lists on this flag).
    reads_published_only = True

    def __init__(self, client: ApiClient) -> None:
        self.client = client
        self.agency = client.agency
        self.agency_id = client.agency_id
        self.scopes = client.scope_set
        self.username = f"api:{client.name}"

    @property
    def display_name(self) -> str:
        return f"接口：{self.client.name}"

    def has_role(self, *roles: Any) -> bool:
        return False

    def has_perm(self, *args: Any, **kwargs: Any) -> bool:
        return False

    def __str__(self) -> str:
        return self.display_name
