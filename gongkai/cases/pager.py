"""The desk's case list, a page at a time, without counting every case (issue 16 item 7).

Django's ``Paginator`` counts the whole list (``SELECT COUNT(*)``) to number the pages: for the
largest agency of a province, 500,000 cases read on every visit of the desk. Here:

- the unfiltered list of a user who sees whole agencies (officer, leader, supervisor) takes its
  total from the summary rows of table 三 (:class:`~gongkai.cases.models.CaseTally`, kept equal
  to the records by triggers, see :mod:`gongkai.cases.tally`): they count every case with a
  receipt date; the cases still awaiting confirmation (no receipt date) are counted apart;
- a filtered list, and a clerk's (narrowed to a department), count at most :data:`COUNT_AHEAD`
  rows past the current page: beyond, the page says "共 N 件以上" and offers the next page.

:class:`DeskPage` is shaped like Django's ``Page`` for the template.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum

from gongkai.accounts.models import Role
from gongkai.accounts.scoping import visible_agencies
from gongkai.cases.models import Case, CaseTally
from gongkai.web.paging import CappedPage

#: A counted list stops this many rows past the current page's first row.
COUNT_AHEAD = 1000


class DeskPage(CappedPage):
    """One page of the desk's list (:class:`~gongkai.web.paging.CappedPage`)."""


def unfiltered_total(user: Any) -> int | None:
    """How many cases ``user``'s unfiltered list holds, from the summary rows, or None when the
    rows cannot say (a clerk sees only some of the agency's cases: the caller counts)."""
    visible = Case.objects.visible_to(user)
    if visible.query.is_empty():
        return 0
    if getattr(user, "role", None) == Role.CLERK:
        return None
    received = CaseTally.objects.filter(agency__in=visible_agencies(user)).aggregate(n=Sum("cases"))["n"] or 0
    return int(received) + visible.filter(received_on__isnull=True).count()


def _number(page: Any) -> int:
    try:
        return max(1, int(page or 1))
    except (TypeError, ValueError):
        return 1


def desk_page(queryset: QuerySet[Case], page: Any, *, per_page: int, total: int | None = None) -> DeskPage:
    """Page ``page`` (1-based; anything unreadable is 1, past the end is the last) of the ordered
    ``queryset``. ``total``: the list's exact size when the caller knows it (:func:`unfiltered_total`);
    otherwise the rows are counted up to :data:`COUNT_AHEAD` past the page's first row."""
    number = _number(page)
    capped = False
    if total is None:
        start = (number - 1) * per_page
        limit = start + COUNT_AHEAD + 1
        found = queryset.order_by()[:limit].count()
        if found >= limit:
            capped = True
            count = start + COUNT_AHEAD
        else:
            count = found
    else:
        count = total
    num_pages = max(1, -(-count // per_page))
    if capped:
        num_pages = max(num_pages, number + 1)
    number = min(number, num_pages)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page]) if count else []
    return DeskPage(rows, number=number, count=count, capped=capped, num_pages=num_pages)
