"""依申请转主动: 条例 art 44 — when several applicants asked the same agency for the same
information and it could be disclosed, the agency may make it 主动公开.

Here: closed applications answered 予以公开 or 部分公开 (table 三 （一）（二）) whose request
texts are alike (``gongkai.cases.selectors.text_similarity``) are grouped; a group from at least
two distinct applicants is a suggestion. Applications already decided on (drafted as an item,
or not taken up) are left out. A suggestion is a hint for the officer, not a decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.agencies.models import Agency
from gongkai.cases.models import Case
from gongkai.cases.selectors import text_similarity
from gongkai.core.case_flow import Status as CaseStatus
from gongkai.core.outcomes import Outcome
from gongkai.publications.models import DisclosureSuggestion

#: 条例 art 44 "属于可以公开的": the outcomes that disclosed the information.
DISCLOSED_OUTCOMES: tuple[Outcome, ...] = (Outcome.GRANTED, Outcome.PARTIAL)
#: "多个申请人": at least two different applicants.
MIN_APPLICANTS = 2
SIMILARITY_THRESHOLD = 0.45
#: Look back this far (applications closed since); the list stays a short working list.
WINDOW = dt.timedelta(days=730)
MAX_CASES = 2000


def applicant_identity(case: Case) -> str:
    """Who applied: the cases app's normalised key, else name and phone."""
    return case.applicant_key or f"{case.applicant_name.strip()}|{case.phone.strip()}"


@dataclass
class Suggestion:
    cases: list[Case]
    applicants: int

    @property
    def case_ids(self) -> list[int]:
        return [c.pk for c in self.cases]

    @property
    def key(self) -> str:
        return "-".join(str(pk) for pk in sorted(self.case_ids))

    @property
    def sample(self) -> str:
        return self.cases[0].request_description

    @property
    def last_closed_on(self) -> dt.date | None:
        days = [c.closed_on for c in self.cases if c.closed_on]
        return max(days) if days else None


def candidate_cases(agency: Agency, *, today: dt.date) -> list[Case]:
    decided = DisclosureSuggestion.cases.through.objects.filter(disclosuresuggestion__agency=agency).values("case_id")
    return list(
        Case.objects.filter(
            agency=agency,
            status=CaseStatus.CLOSED,
            outcome__in=[o.value for o in DISCLOSED_OUTCOMES],
            closed_on__gte=today - WINDOW,
        )
        .exclude(pk__in=decided)
        .only(
            "pk",
            "number",
            "request_description",
            "applicant_key",
            "applicant_name",
            "phone",
            "outcome",
            "closed_on",
            "received_on",
            "agency_id",
        )
        .order_by("-closed_on", "-pk")[:MAX_CASES]
    )


def group_similar(cases: list[Case], threshold: float = SIMILARITY_THRESHOLD) -> list[list[Case]]:
    """Connected groups of cases whose requests are pairwise alike above ``threshold`` (union-find)."""
    parent = list(range(len(cases)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(cases)):
        for j in range(i + 1, len(cases)):
            if (
                find(i) != find(j)
                and text_similarity(cases[i].request_description, cases[j].request_description) >= threshold
            ):
                parent[find(j)] = find(i)
    groups: dict[int, list[Case]] = {}
    for i, case in enumerate(cases):
        groups.setdefault(find(i), []).append(case)
    return list(groups.values())


def suggestions(agency: Agency, *, today: dt.date, threshold: float = SIMILARITY_THRESHOLD) -> list[Suggestion]:
    """Groups of similar disclosed applications from ≥2 distinct applicants: 条例 art 44."""
    found = []
    for group in group_similar(candidate_cases(agency, today=today), threshold):
        applicants = len({applicant_identity(c) for c in group})
        if applicants >= MIN_APPLICANTS:
            found.append(Suggestion(sorted(group, key=lambda c: (c.closed_on or dt.date.min, c.pk)), applicants))
    return sorted(found, key=lambda s: (-s.applicants, -len(s.cases), s.key))
