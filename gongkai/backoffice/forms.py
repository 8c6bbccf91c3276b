from typing import Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm

from gongkai.agencies.models import Agency, Department


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


# ---------------------------------------------------------------------------------------------
# Staff management by the 本机关管理员 (gongkai.backoffice.staff)
# ---------------------------------------------------------------------------------------------


def _role_choices() -> list[tuple[str, str]]:
    from gongkai.accounts.models import MANAGER_ASSIGNABLE_ROLES, Role

    return [(r.value, r.label) for r in Role if r in MANAGER_ASSIGNABLE_ROLES]


class StaffUserForm(forms.Form):
    """Role, department and name of a user of the manager's agency."""

    full_name = forms.CharField(label="姓名", max_length=40)
    role = forms.ChoiceField(label="角色", choices=_role_choices)
    department = forms.ModelChoiceField(
        label="科室", queryset=Department.objects.none(), required=False, empty_label="—— 不属于科室 ——"
    )

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = Department.objects.filter(agency=agency, is_active=True)
        field.label_from_instance = lambda department: department.name


class NewStaffUserForm(StaffUserForm):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        help_text="登录用，字母、数字和 @ . + - _",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(label="电子邮箱", required=False)
    phone = forms.CharField(label="电话", max_length=40, required=False)

    field_order = ["username", "full_name", "role", "department", "email", "phone"]


class DepartmentForm(forms.Form):
    name = forms.CharField(label="科室名称", max_length=60)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)


class OneTimeSetPasswordForm(SetPasswordForm):  # type: ignore[type-arg]
    """The one-time link's form (``backoffice.staff.PasswordSetView``) in Chinese."""

    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),  # the rules, before typing
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="与上面输入的新密码相同",
    )
