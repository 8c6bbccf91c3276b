"""Django ``TextChoices`` derived from the core's enums, so every value and label is defined once.

The core owns statuses, outcomes, kinds (``gongkai.core``); each app turns the enums it stores into
``TextChoices`` with :func:`text_choices`, so forms, admin and migrations see the core's values and
Chinese labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Protocol, cast

from django.db import models


class Labelled(Protocol):
    """A core enum member: a name, a stored value, a Chinese label."""

    @property
    def name(self) -> str: ...

    @property
    def value(self) -> str: ...

    @property
    def label(self) -> str: ...


def text_choices(
    name: str, members: Iterable[Labelled], label: Callable[[Labelled], str] | None = None
) -> type[models.TextChoices]:
    """A ``TextChoices`` class with the members' names, values and labels (``label`` overrides)."""
    spec = [(m.name, (m.value, label(m) if label else m.label)) for m in members]
    return cast(type[models.TextChoices], models.TextChoices(name, spec))  # type: ignore[call-overload]
