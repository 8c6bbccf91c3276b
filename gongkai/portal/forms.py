"""Public forms: the online application (条例 art 29) and the status look-up."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from gongkai.cases.choices import DeliveryMethod, IdentityDocument, ProvisionForm
from gongkai.core.report.taxonomy import ApplicantType

MAX_REQUEST_CHARS = 2000
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
_CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def resident_id_ok(number: str) -> bool:
    """A mainland 居民身份证 number: 18 characters with a valid GB 11643 check digit."""
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17]


def phone_digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


class AccessibleForm(forms.Form):
    """Inputs point at their help and error texts (aria-describedby) and say when they are invalid."""

    def _id(self, name: str) -> str:
        return str(self[name].auto_id)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{self._id(name)}_help"

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = " ".join(
                    x for x in (attrs.get("aria-describedby", ""), f"{self._id(name)}_error") if x
                )


def _applicant_label(t: ApplicantType) -> str:
    """The table 三 columns, worded for the person filling in the form."""
    return "其他组织" if t is ApplicantType.OTHER_ORG else t.label


class ApplicationForm(AccessibleForm):
    """政府信息公开申请表 (条例 art 29 ¶2): who asks, what for, in which form."""

    applicant_type = forms.ChoiceField(
        label="申请人类型",
        choices=[(t.value, _applicant_label(t)) for t in ApplicantType],
        initial=ApplicantType.NATURAL_PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label="姓名或名称", max_length=100, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_type = forms.ChoiceField(
        label="身份证明类型", choices=IdentityDocument.choices, initial=IdentityDocument.RESIDENT_ID
    )
    id_number = forms.CharField(label="身份证明号码", max_length=40, help_text="法人或其他组织可填写营业执照等证照号码")
    org_credit_code = forms.CharField(
        label="统一社会信用代码", max_length=18, required=False, help_text="法人或其他组织填写"
    )
    legal_representative = forms.CharField(label="法定代表人或负责人", max_length=60, required=False)
    contact_person = forms.CharField(label="联系人", max_length=60, required=False)
    phone = forms.CharField(
        label="联系电话",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text="查询办理进度时需要输入电话号码的后四位",
    )
    email = forms.EmailField(
        label="电子邮箱", max_length=120, required=False, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    address = forms.CharField(
        label="通信地址",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    postal_code = forms.CharField(
        label="邮政编码",
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    request_description = forms.CharField(
        label="所需政府信息的名称或特征性描述",
        max_length=MAX_REQUEST_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"请写明信息的名称、文号，或便于查找的时间、地点、事项等特征（不超过{MAX_REQUEST_CHARS}字）",
    )
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    provision_form = forms.ChoiceField(
        label="信息的提供形式", choices=ProvisionForm.choices, initial=ProvisionForm.ELECTRONIC
    )
    delivery_method = forms.ChoiceField(
        label="获取信息的方式", choices=DeliveryMethod.choices, initial=DeliveryMethod.EMAIL
    )
    # Honeypot: hidden from people (CSS, aria-hidden, no tab stop); bots fill every field.
    website = forms.CharField(
        label="网址（请勿填写）",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_id_number(self) -> str:
        return str(self.cleaned_data["id_number"]).strip().upper().replace(" ", "")

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data["phone"]).strip()
        if not _PHONE.match(phone) or len(phone_digits(phone)) < 7:
            raise forms.ValidationError("请填写有效的电话号码（至少7位数字）")
        return phone

    def clean_postal_code(self) -> str:
        code = str(self.cleaned_data["postal_code"]).strip()
        if code and not re.fullmatch(r"\d{6}", code):
            raise forms.ValidationError("邮政编码应为6位数字")
        return code

    def clean_org_credit_code(self) -> str:
        code = str(self.cleaned_data["org_credit_code"]).strip().upper()
        if code and not _CREDIT_CODE.match(code):
            raise forms.ValidationError("统一社会信用代码应为18位（数字和大写字母）")
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        applicant_type = data.get("applicant_type")
        if applicant_type and ApplicantType(applicant_type).is_organisation:
            if not data.get("org_credit_code") and not data.get("id_number"):
                self.add_error("org_credit_code", "法人或其他组织请填写统一社会信用代码")
        elif (
            data.get("id_type") == IdentityDocument.RESIDENT_ID
            and data.get("id_number")
            and not resident_id_ok(data["id_number"])
        ):
            self.add_error("id_number", "居民身份证号码应为18位，且校验位正确（最后一位可能是X）")
        if data.get("delivery_method") == DeliveryMethod.EMAIL and not data.get("email"):
            self.add_error("email", "选择以电子邮件获取信息时，请填写电子邮箱")
        if data.get("delivery_method") == DeliveryMethod.POST and not data.get("address"):
            self.add_error("address", "选择邮寄时，请填写通信地址")
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class TrackForm(AccessibleForm):
    code = forms.CharField(
        label="查询码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        help_text="提交申请后页面显示的查询码，如 7H3K-9QXM-2PRT",
    )
    phone_last4 = forms.CharField(
        label="联系电话后四位",
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="申请时填写的联系电话的最后4位数字",
    )
    otp = forms.CharField(
        label="或：短信／邮件验证码",
        required=False,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        help_text="不便核对电话时，可点“发送验证码”，验证码发到申请时预留的手机或邮箱，10分钟内有效",
    )

    def clean_phone_last4(self) -> str:
        value = str(self.cleaned_data.get("phone_last4") or "").strip()
        if value and not re.fullmatch(r"\d{4}", value):
            raise forms.ValidationError("请输入4位数字")
        return value

    def clean_otp(self) -> str:
        value = str(self.cleaned_data.get("otp") or "").strip()
        if value and not re.fullmatch(r"\d{6}", value):
            raise forms.ValidationError("验证码为6位数字")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not data.get("phone_last4") and not data.get("otp"):
            self.add_error("phone_last4", "请填写联系电话后四位，或填写收到的验证码")
        return data


class SendCodeForm(AccessibleForm):
    code = forms.CharField(label="查询码", max_length=20)


class ForgotForm(AccessibleForm):
    contact = forms.CharField(
        label="申请时填写的手机号码或电子邮箱",
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text="查询码将发送到这个手机或邮箱（仅限申请时填写的）",
    )

    def clean_contact(self) -> str:
        value = str(self.cleaned_data["contact"]).strip()
        if "@" in value:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
                raise forms.ValidationError("请填写有效的电子邮箱")
        elif len(phone_digits(value)) < 7:
            raise forms.ValidationError("请填写有效的手机号码或电子邮箱")
        return value


class ReplyForm(AccessibleForm):
    text = forms.CharField(
        label="说明", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5, "cols": 60})
    )
