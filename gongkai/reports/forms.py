from __future__ import annotations

from typing import Any

from django import forms

from gongkai.reports.narrative import NARRATIVE_SECTIONS, SECTION_LABELS

MAX_SECTION_CHARS = 30_000

_ROWS = {"preamble": 3, "overview": 24, "problems": 12, "other": 6}


class NarrativeForm(forms.Form):
    """The officer's text of sections 一, 五, 六 and the preamble; the tables are never typed in."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in NARRATIVE_SECTIONS:
            self.fields[key] = forms.CharField(
                label=SECTION_LABELS[key],
                required=False,
                max_length=MAX_SECTION_CHARS,
                strip=True,
                widget=forms.Textarea(attrs={"rows": _ROWS.get(key, 8)}),
            )


class ExplanationForm(forms.Form):
    """Why the narrative's numbers differ from the tables (条例 art 50); empty withdraws it."""

    reason = forms.CharField(
        label="正文与表格不一致的原因",
        required=False,
        max_length=1000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="例如：正文所述“新收申请”含已撤回的申请。说明随报告签发，上级主管部门可以看到。",
    )
