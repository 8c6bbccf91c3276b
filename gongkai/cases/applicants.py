"""Who applies (条例 art 29 ¶2(一)): one value for both intake paths, the office's and the portal's.

:class:`Applicant` carries the Case's applicant fields under the model's own names, so that a
form's cleaned data splits into it (:func:`split_applicant`) and it writes back onto a case
(:meth:`Applicant.case_fields`) without a mapping. What is requested (描述, 文号, 提供形式,
获取方式, 件数) is not the applicant: it stays a parameter of each intake use case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any

from gongkai.cases.choices import IdentityDocument
from gongkai.core.report.taxonomy import ApplicantType

#: The length of ``Case.applicant_key``.
KEY_LENGTH = 120


@dataclass(frozen=True, slots=True)
class Applicant:
    """The applicant of an application: 姓名或者名称, 身份证明, 联系方式 (条例 art 29 ¶2(一)).

    Text is stored stripped; ``applicant_type`` must be one of :class:`ApplicantType` (the
    columns of table 三).
    """

    applicant_type: ApplicantType
    applicant_name: str
    id_type: str = IdentityDocument.RESIDENT_ID
    id_number: str = ""
    org_credit_code: str = ""
    legal_representative: str = ""
    contact_person: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "applicant_type", ApplicantType(self.applicant_type))
        for name in _TEXT_FIELDS:
            object.__setattr__(self, name, getattr(self, name).strip())

    @property
    def key(self) -> str:
        """Who the applicant is, for repeated applications and monthly counts (art 35; fees).

        An organisation is its 统一社会信用代码, a person their document number; without either,
        the name and the telephone number.
        """

        def squash(text: str) -> str:
            return "".join(text.split()).upper()

        if self.applicant_type.is_organisation and squash(self.org_credit_code):
            key = f"org:{squash(self.org_credit_code)}"
        elif squash(self.id_number):
            key = f"{self.id_type}:{squash(self.id_number)}"
        else:
            key = f"name:{squash(self.applicant_name)}|{''.join(ch for ch in self.phone if ch.isdigit())}"
        if len(key) > KEY_LENGTH:  # a 200-character name: its head and a digest of the whole key
            key = f"{key[: KEY_LENGTH - 41]}#{hashlib.sha256(key.encode('utf-8')).hexdigest()[:40]}"
        return key

    def case_fields(self) -> dict[str, Any]:
        """The Case fields this applicant fills, with its ``applicant_key``."""
        data = asdict(self)
        data["applicant_type"] = self.applicant_type.value
        data["applicant_key"] = self.key
        return data


APPLICANT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Applicant))
_TEXT_FIELDS = tuple(name for name in APPLICANT_FIELDS if name not in ("applicant_type", "id_type"))


def split_applicant(data: Mapping[str, Any]) -> tuple[Applicant, dict[str, Any]]:
    """A form's cleaned data as the :class:`Applicant` and the other fields (request, receipt, routing)."""
    applicant = Applicant(**{name: data[name] for name in APPLICANT_FIELDS if name in data})
    rest = {name: value for name, value in data.items() if name not in APPLICANT_FIELDS}
    return applicant, rest
