from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(label="节假日安排数据文件（TOML，格式见 docs/calendar-format.md）")
