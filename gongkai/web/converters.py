"""URL path converters, registered once when this module is first imported.

A ``urls.py`` that uses one imports this module (``from gongkai.web import converters``) before
its ``urlpatterns``.

``<year:year>``: four digits within :data:`FIRST_YEAR`–:data:`LAST_YEAR`; any other value does
not match the pattern, so the page answers 404 instead of reaching a view (and a date library)
with year 9999, 10000 or 99999999999.
"""

from __future__ import annotations

from django.urls import register_converter

#: The years any page may be about: the 条例 took effect in 2008 (2007 is its year of promulgation
#: and of the first working calendars); 2100 is a sane upper bound.
FIRST_YEAR = 2007
LAST_YEAR = 2100


class YearConverter:
    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(f"year {year} outside {FIRST_YEAR}–{LAST_YEAR}")
        return year

    def to_url(self, value: int | str) -> str:
        return str(int(value))


register_converter(YearConverter, "year")
