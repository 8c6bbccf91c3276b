"""The starting text of an agency's 政府信息公开指南 (条例 art 12 ¶2), until its officer edits it.

Art 12 ¶2: the 指南 states the classification, layout and way of obtaining the information, and
the name, address, office hours, phone, fax and e-mail of the 政府信息公开工作机构. The text
below follows the usual structure of published 指南; the officer adapts it (``update_guide``).
"""

from __future__ import annotations

from django.template.loader import render_to_string

from gongkai.agencies.models import Agency


def default_guide(agency: Agency) -> str:
    """A 指南 built from the agency's contact details (HTML, sanitised like any body)."""
    return render_to_string("publications/default_guide.html", {"agency": agency}).strip()
