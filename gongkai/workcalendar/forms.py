from django import forms

from gongkai.core.calendar import MAX_CALENDAR_CHARS


class UploadForm(forms.Form):
    file = forms.FileField(label="节假日安排数据文件（TOML，格式见 docs/calendar-format.md）")

    def clean_file(self) -> object:
        """A year's file is a few KB: larger uploads are refused before anything reads them."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CALENDAR_CHARS:
            raise forms.ValidationError(
                f"{upload.name}：文件超过 {MAX_CALENDAR_CHARS // 1024} KB，不像是一年的节假日安排"
            )
        return upload
