"""A page of a list whose size may be known only up to a cap, shaped like Django's ``Page``.

Django's ``Paginator`` counts the whole list to number the pages. The desk's case list and the
portal's search stop counting at a cap instead (``gongkai.cases.pager``,
``gongkai.publications.selectors.search_page``): past it, ``count`` is a lower bound, ``capped``
is set and the templates say "N 件以上" / "N 条以上".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class CappedPage:
    """One page; ``count`` is exact unless ``capped`` (then a lower bound, and ``num_pages`` the
    pages known to exist)."""

    object_list: list[Any]
    number: int
    count: int
    capped: bool
    num_pages: int

    def __iter__(self) -> Any:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def paginator(self) -> CappedPage:  # the templates read page.paginator.count / num_pages
        return self

    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    def has_previous(self) -> bool:
        return self.number > 1

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def previous_page_number(self) -> int:
        return self.number - 1

    def next_page_number(self) -> int:
        return self.number + 1
