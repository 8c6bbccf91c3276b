"""Regular expressions compiled when first used, so that importing a module compiles nothing.

``re.compile`` of the readers' few hundred patterns costs ~12 ms, paid by every process that
imports them (``gongkai parse FILE`` at start-up, issue 19) even when most are never used.
:func:`compile` returns an object that stands for the pattern: the first attribute looked up
compiles it and binds the compiled pattern's methods onto the object, so later calls cost what
calls on a compiled pattern cost.
"""

from __future__ import annotations

import re

__all__ = ["compile"]

#: The attributes of a compiled pattern bound onto :class:`_Lazy` when it is compiled.
_BOUND = ("match", "fullmatch", "search", "sub", "subn", "split", "findall", "finditer", "scanner")
_VALUES = ("pattern", "flags", "groups", "groupindex")


class _Lazy:
    __slots__ = ("_source", "_flags", *_BOUND, *_VALUES)

    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> object:
        # Called only for an attribute not yet set: the first use.
        if name not in _BOUND and name not in _VALUES:
            raise AttributeError(name)
        compiled = re.compile(self._source, self._flags)
        for attribute in (*_BOUND, *_VALUES):
            setattr(self, attribute, getattr(compiled, attribute))
        return getattr(compiled, name)

    def __repr__(self) -> str:
        return f"lazyre.compile({self._source!r})"


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, done on first use."""
    lazy: object = _Lazy(pattern, flags)
    return lazy  # type: ignore[return-value]
