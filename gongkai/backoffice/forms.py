from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form with Chinese labels and autocomplete hints."""

    username = forms.CharField(
        label="用户名", max_length=150, widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )
    password = forms.CharField(
        label="密码", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续多次失败后账号将被暂时锁定。",
        "inactive": "该账号已停用。",
    }


class AgencyContactForm(forms.Form):
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    office_hours = forms.CharField(label="办公时间", max_length=100, required=False)
