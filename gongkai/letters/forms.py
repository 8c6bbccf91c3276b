"""Forms of the letters pages: what to issue, which ledger to export, the file to import."""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency
from gongkai.core.case_flow import Event, allowed_events
from gongkai.core.letters import WithheldGround
from gongkai.core.letters.kinds import ANSWER_TYPES
from gongkai.core.letters.service import ServiceMethod
from gongkai.letters.context import LetterFacts, available_kinds
from gongkai.letters.uploads import PROOF_KINDS, accept_attribute

MAX_LEDGER_BYTES = 5 * 1024 * 1024


def letter_choices(case: Any) -> list[tuple[str, str]]:
    """The letters whose act the case records (procedural letters), the answer once it is closed,
    and while it may still be answered every answer, as a draft whose 签发 closes the case."""
    choices = [(k.value, k.label) for k in available_kinds(case)]
    if case.closed_on is None and Event.ANSWER in allowed_events(case.status_enum):
        choices += [(k.value, f"{k.label}（拟稿，签发时办结）") for k in ANSWER_TYPES]
    return choices


class FactsForm(forms.Form):
    """What the officer types for a letter (``letters.context.LetterFacts``)."""

    reasons = forms.CharField(
        label="理由说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予公开、区分处理、延期等的理由；答复书未填写时用案件的答复说明",
    )
    access_method = forms.CharField(
        label="获取信息的方式、途径",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="予以公开、部分公开、公开出版物、行政查询事项的答复书需要",
    )
    responsible_agency = forms.CharField(
        label="负责公开该信息的机关",
        max_length=120,
        required=False,
        help_text="本机关不掌握时，能够确定的负责机关（条例第三十六条第（五）项）；已转办的案件留空即用转办记录",
    )
    responsible_agency_contact = forms.CharField(label="该机关联系方式", max_length=120, required=False)
    already_published = forms.BooleanField(
        label="所申请信息已经主动公开",
        required=False,
        help_text="予以公开：已主动公开的引用条例第三十六条第（一）项，否则引用第（二）项",
    )
    withheld_part = forms.CharField(
        label="不予公开的部分",
        max_length=500,
        required=False,
        help_text="部分公开：写明不予公开的是哪一部分（条例第三十七条）",
    )
    withheld_ground = forms.TypedChoiceField(
        label="不予公开部分的依据",
        required=False,
        choices=[("", "—"), *((g.value, g.label) for g in WithheldGround)],
        coerce=WithheldGround,
        empty_value=None,
        help_text="部分公开：条例第十四条、第十五条或第十六条",
    )

    def facts(self) -> LetterFacts:
        data = self.cleaned_data
        return LetterFacts(
            reasons=data["reasons"],
            access_method=data["access_method"],
            responsible_agency=data["responsible_agency"],
            responsible_agency_contact=data["responsible_agency_contact"],
            already_published=data["already_published"],
            withheld_part=data["withheld_part"],
            withheld_ground=data["withheld_ground"],
        )


class LetterForm(FactsForm):
    kind = forms.ChoiceField(label="文书")
    field_order = ["kind"]

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = letter_choices(case)  # type: ignore[attr-defined]


class DraftActForm(forms.Form):
    """An approver's step on a draft: the comment (required to return it) and the version shown."""

    comment = forms.CharField(label="意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class SignForm(DraftActForm):
    confirm = forms.BooleanField(
        label="我已核对文书内容，确认签发（签发后自动编号、加盖印章，答复书同时办结案件）", required=True
    )


class LedgerExportForm(forms.Form):
    agency = forms.ModelChoiceField(label="机构", queryset=Agency.objects.none(), empty_label=None)
    year = forms.IntegerField(label="年度（收到申请）", min_value=2008, max_value=2100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = visible_agencies(user)  # type: ignore[attr-defined]


class LedgerImportForm(forms.Form):
    file = forms.FileField(label="台账文件（Excel .xlsx 或 CSV）")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.csv"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_LEDGER_BYTES:
            raise forms.ValidationError(f"文件超过 {MAX_LEDGER_BYTES // (1024 * 1024)} MB，请分批导入")
        return upload


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


SERVICE_METHOD_CHOICES = [(m.value, m.label) for m in ServiceMethod]


class DeliveryForm(forms.Form):
    """登记送达: method, dates, EMS number, consent, proof (rules: ``core.letters.service``)."""

    method = forms.ChoiceField(label="送达方式", choices=SERVICE_METHOD_CHOICES)
    sent_on = forms.DateField(label="发出日期", widget=DateInput())
    received_on = forms.DateField(
        label="送达日期",
        required=False,
        widget=DateInput(),
        help_text="申请人签收之日（邮寄、直接送达）或公告期满之日；尚未送达的留空，送达后再登记",
    )
    tracking_number = forms.CharField(label="邮件号码（EMS）", max_length=40, required=False)
    consent = forms.BooleanField(label="申请人已同意电子送达", required=False)
    proof = forms.FileField(
        label="送达凭证（回执扫描件等）", required=False, help_text="PDF、JPG 或 PNG；出错时需重新选择文件"
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proof"].widget.attrs["accept"] = accept_attribute(PROOF_KINDS)


class ReceiptForm(forms.Form):
    """Enter the date of receipt of a 送达 already sent."""

    received_on = forms.DateField(label="送达日期", widget=DateInput())
    proof = forms.FileField(label="送达凭证", required=False, help_text="PDF、JPG 或 PNG")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["proof"].widget.attrs["accept"] = accept_attribute(PROOF_KINDS)
