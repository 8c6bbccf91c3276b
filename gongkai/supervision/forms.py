"""The upload form: several files at once (reports or .zip archives of them)."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.supervision.archives import MAX_FILES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A list of uploaded files (Django's documented pattern for ``<input multiple>``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.html,.htm,.txt,.json,.zip"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    title = forms.CharField(
        label="批次名称", max_length=120, required=False, help_text="例如：2024年度区属单位年度报告"
    )
    documents = MultipleFileField(
        label="年度报告文件",
        help_text=f"可多选：PDF、Word（.docx）、网页（.html）、文本、JSON，或打包为 .zip；一批最多 {MAX_FILES} 个文件",
    )
