from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from gongkai.agencies.models import Agency
from gongkai.core.api_scopes import Scope


class ClientForm(forms.Form):
    name = forms.CharField(label="名称", max_length=60, help_text="如：12345热线、省政务服务网")
    agency = forms.ModelChoiceField(label="所属机构", queryset=Agency.objects.none(), required=False)
    scopes = forms.MultipleChoiceField(
        label="权限范围",
        choices=[(s.value, f"{s.value}：{s.label}") for s in Scope],
        widget=forms.CheckboxSelectMultiple,
    )
    expires_on = forms.DateField(
        label="有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="留空为长期有效"
    )
    rate_per_minute = forms.IntegerField(label="每分钟调用上限", min_value=1, max_value=10000, initial=120)

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is None:
            del self.fields["agency"]
        else:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
            self.fields["agency"].required = True

    def clean_expires_on(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data.get("expires_on")
        if value is not None and not 2007 <= value.year <= 2100:
            raise forms.ValidationError("有效期至：年份应在 2007–2100 之间")
        return value


class WebhookForm(forms.Form):
    webhook_url = forms.CharField(
        label="回调地址", max_length=500, required=False, help_text="http:// 或 https://；留空为不接收回调"
    )
    new_secret = forms.BooleanField(label="更换签名密钥", required=False)
