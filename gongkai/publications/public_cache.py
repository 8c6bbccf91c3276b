"""Versions of what the portal shows, and the catalogue counts cached under them (issue 19).

Every change the public can see bumps a counter (:class:`~gongkai.publications.models.PublicVersion`)
in the same transaction: the agency's (``agency:<id>``) and the whole portal's (``all``). A cache
key carries the versions it depends on, so a bump makes the old entries unreachable (they expire):
nothing is deleted, and a cache shared by processes (Redis, issue 16) or private to each
(LocMem, the default) is equally correct. The counters are bumped by signal receivers on the
models the portal reads (items, categories, attachments, guides, agencies; the portal adds the
annual reports), so no write path can forget them; a bulk ``update()`` must call :func:`bump`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, F
from django.db.models.signals import post_delete, post_save

from gongkai.publications.models import Attachment, Category, Guide, Item, PublicVersion

T = TypeVar("T")
ALL = "all"
#: How long a cached entry lives at most, whatever the versions say (a safety net).
TIMEOUT = 600


def agency_scope(agency_id: int) -> str:
    return f"agency:{agency_id}"


def bump(agency_ids: Iterable[int | None] = ()) -> None:
    """The portal's content changed for these agencies, and so for the whole portal (its home
    lists the latest items of every agency, its search finds them)."""
    scopes = [ALL, *sorted({agency_scope(a) for a in agency_ids if a is not None})]
    forget()
    transaction.on_commit(forget)  # and again once the new versions are visible to others
    for scope in scopes:
        if PublicVersion.objects.filter(scope=scope).update(version=F("version") + 1):
            continue
        try:
            with transaction.atomic():
                PublicVersion.objects.create(scope=scope, version=2)
        except IntegrityError:  # created meanwhile by another transaction
            PublicVersion.objects.filter(scope=scope).update(version=F("version") + 1)


#: Versions read from the database are reused by this process for this long (seconds): a cached
#: page then costs no query at all. Another process's change shows here at most this much later;
#: this process's own bumps show at once (``bump`` forgets what it read).
VERSION_SECONDS = 1.0
_read: dict[str, tuple[float, str]] = {}


def versions(agency_id: int | None = None) -> str:
    """The version of the whole portal (``agency_id`` None) or of one agency's pages: the part of a
    cache key that a bump changes (one query by primary key, at most every VERSION_SECONDS)."""
    scope = ALL if agency_id is None else agency_scope(agency_id)
    now = time.monotonic()
    seen = _read.get(scope)
    if seen is not None and now - seen[0] < VERSION_SECONDS:
        return seen[1]
    found = PublicVersion.objects.filter(scope=scope).values_list("version", flat=True).first()
    value = f"{scope}={found or 1}"
    _read[scope] = (now, value)
    return value


def forget() -> None:
    """Read the versions from the database next time (after a bump; tests)."""
    _read.clear()
    _memo.clear()


#: Values of the whole portal kept in this process under the version they were read at (name →
#: (version, value)): what every request of a page needs and a bump changes (the search page's
#: list of agencies). Not in the cache: each process keeps its own, like the versions.
_memo: dict[str, tuple[str, Any]] = {}


def memoized(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in this process until the whole portal's version changes (an agency's
    change bumps it, gongkai.portal.apps) or :func:`forget` (tests)."""
    version = versions()
    seen = _memo.get(name)
    if seen is not None and seen[0] == version:
        return cast(T, seen[1])
    value = compute()
    _memo[name] = (version, value)
    return value


def category_counts(agency_id: int, category_ids: list[int]) -> dict[int, int]:
    """Published items per category of the agency, cached under the agency's version.

    Counting 100,000 items by category takes ~10 ms on every catalogue page; the count changes
    only when an item is published, withdrawn or moved, each of which bumps the version.
    """
    key = f"gk:catcounts:{agency_id}:{versions(agency_id)}"
    counts: dict[int, int] | None = cache.get(key)
    if counts is None:
        counts = dict(
            Item.objects.published()
            .filter(category_id__in=category_ids)
            .values_list("category_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        cache.set(key, counts, TIMEOUT)
    return counts


def _bump_for(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    agency_id = instance.item.agency_id if isinstance(instance, Attachment) else instance.agency_id
    bump([agency_id])


def connect() -> None:
    """Bump on every save and delete of what the portal shows (PublicationsConfig.ready)."""
    for model in (Item, Category, Guide, Attachment):
        for signal in (post_save, post_delete):
            signal.connect(_bump_for, sender=model, dispatch_uid=f"gongkai.public_cache.{model.__name__}.{signal}")
