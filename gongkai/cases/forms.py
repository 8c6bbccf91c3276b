"""Forms of the officer's desk: parse and validate input, nothing else (the services decide)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q

from gongkai.accounts.models import AGENCY_STAFF_ROLES, User
from gongkai.accounts.scoping import visible_agencies
from gongkai.agencies.models import Agency, Department
from gongkai.cases.choices import (
    ApplicantTypeChoices,
    CaseChannel,
    CaseOutcome,
    CaseStatus,
    ConsultedPartyChoices,
    DeliveryMethod,
    FeeMethodChoices,
    IdentityDocument,
    ProvisionForm,
    ReviewKindChoices,
)
from gongkai.cases.models import AMOUNT_DECIMAL_PLACES, AMOUNT_MAX_DIGITS, MAX_PAGES, MAX_PIECES, Case
from gongkai.core.case_flow import EVENT_ONLY_OUTCOMES
from gongkai.core.deadlines import MAX_EXTENSION_DAYS, Channel
from gongkai.core.fees import FeeMethod
from gongkai.core.outcomes import Outcome
from gongkai.core.report.taxonomy import ReviewResult


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), help_text=help_text)


#: Outcomes an answer letter may choose: not the （六）1/2 rows their own events record.
ANSWER_OUTCOME_CHOICES = [
    (value, label) for value, label in CaseOutcome.choices if Outcome(value) not in EVENT_ONLY_OUTCOMES
]


# ---------------------------------------------------------------------------------------------
# Registration
# ---------------------------------------------------------------------------------------------


class RegisterForm(forms.Form):
    """登记申请 (条例 arts 29, 31)."""

    channel = forms.ChoiceField(label="提交方式", choices=CaseChannel.choices)
    signed_on = _date("签收日期", required=False, help_text="邮寄（签收）的申请：以签收之日为收到申请之日")
    confirmed_on = _date(
        "确认日期", required=False, help_text="平常信函、互联网、传真：已与申请人确认的，填写确认之日；未确认的留空"
    )
    applicant_type = forms.ChoiceField(label="申请人类型", choices=ApplicantTypeChoices.choices)
    applicant_name = forms.CharField(label="申请人姓名／名称", max_length=200)
    id_type = forms.ChoiceField(label="身份证明类型", choices=IdentityDocument.choices)
    id_number = forms.CharField(label="身份证明号码", max_length=64, required=False)
    org_credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    legal_representative = forms.CharField(label="法定代表人／负责人", max_length=60, required=False)
    contact_person = forms.CharField(label="联系人", max_length=60, required=False)
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    postal_code = forms.CharField(label="邮政编码", max_length=10, required=False)
    request_description = forms.CharField(label="所需信息的名称或特征性描述", widget=forms.Textarea)
    document_number = forms.CharField(label="文号", max_length=200, required=False)
    provision_form = forms.ChoiceField(label="信息的指定提供形式", choices=ProvisionForm.choices)
    delivery_method = forms.ChoiceField(label="获取信息的方式", choices=DeliveryMethod.choices)
    pieces = forms.IntegerField(label="件数", min_value=1, max_value=MAX_PIECES, initial=1)
    department = forms.ModelChoiceField(label="承办科室", queryset=Department.objects.none(), required=False)
    assigned_to = forms.ModelChoiceField(label="承办人", queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments_of_agency(user.agency_id)  # type: ignore[attr-defined]
        self.fields["assigned_to"].queryset = staff_of_agency(user.agency_id)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        channel = data.get("channel")
        if channel == Channel.POST_SIGNED and not data.get("signed_on"):
            self.add_error("signed_on", "邮寄（签收）的申请须填写签收日期")
        if not (data.get("id_number") or data.get("org_credit_code") or data.get("phone")):
            self.add_error("id_number", "请至少填写身份证明号码、统一社会信用代码或联系电话之一（条例第二十九条）")
        return data


def staff_of_agency(agency_id: int | None) -> Any:
    if agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=agency_id, role__in=AGENCY_STAFF_ROLES, is_active=True).order_by("username")


def departments_of_agency(agency_id: int | None) -> Any:
    if agency_id is None:
        return Department.objects.none()
    return Department.objects.filter(agency_id=agency_id, is_active=True)


# ---------------------------------------------------------------------------------------------
# Actions: every form carries the version it was loaded with (optimistic lock)
# ---------------------------------------------------------------------------------------------


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        self.case = case
        super().__init__(*args, **kwargs)


class OnForm(ActionForm):
    on = _date("日期", required=False, help_text="留空为今天")


def _backdated_reason() -> forms.CharField:
    return forms.CharField(
        label="补录原因",
        max_length=500,
        required=False,
        help_text="日期早于今天3天以上的，属于补录，须写明原因（记入审计记录）",
    )


class BackdatedOnForm(OnForm):
    """A dated clock event: a date long past is a 补录 and needs a reason."""

    backdated_reason = _backdated_reason()


class NoteForm(ActionForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CorrectionForm(ActionForm):
    items = forms.CharField(label="需要补正的事项", widget=forms.Textarea(attrs={"rows": 3}))
    reply_by = _date("补正期限")
    on = _date("告知日期", required=False, help_text="留空为今天")
    backdated_reason = _backdated_reason()


class ReceiveCorrectionForm(BackdatedOnForm, NoteForm):
    pass


class ConsultationForm(ActionForm):
    party = forms.ChoiceField(label="被征求意见方", choices=ConsultedPartyChoices.choices)
    party_name = forms.CharField(label="名称", max_length=200)
    matter = forms.CharField(label="征求意见事项", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = _date("发出日期", required=False, help_text="留空为今天")
    backdated_reason = _backdated_reason()


class ConsultationReplyForm(ActionForm):
    replied = forms.TypedChoiceField(
        label="答复情况", coerce=lambda v: v == "1", choices=[("1", "已提出意见"), ("0", "逾期未提出意见")], initial="1"
    )
    consents = forms.NullBooleanField(label="是否同意公开", required=False, widget=forms.NullBooleanSelect)
    opinion = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = _date("收到意见／结束日期", required=False, help_text="留空为今天")
    backdated_reason = _backdated_reason()


class ExtensionRequestForm(ActionForm):
    days = forms.IntegerField(
        label="延长工作日数", min_value=1, max_value=MAX_EXTENSION_DAYS, initial=MAX_EXTENSION_DAYS
    )
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class FeeNoticeForm(ActionForm):
    method = forms.ChoiceField(label="计收方式", choices=FeeMethodChoices.choices)
    pieces = forms.IntegerField(label="件数（按件）", min_value=1, max_value=MAX_PIECES, required=False)
    pages = forms.IntegerField(label="页数（按量）", min_value=1, max_value=MAX_PAGES, required=False)
    on = _date("申请人收到通知之日", required=False, help_text="留空为今天")
    backdated_reason = _backdated_reason()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("method") == FeeMethod.BY_VOLUME and not data.get("pages"):
            self.add_error("pages", "按量计收须填写页数")
        return data


class FeePaymentForm(ActionForm):
    amount_collected = forms.DecimalField(
        label="实收金额（元）",
        min_value=0,
        max_digits=AMOUNT_MAX_DIGITS,
        decimal_places=AMOUNT_DECIMAL_PLACES,
        required=False,
        help_text="留空为通知金额",
    )
    on = _date("缴费日期", required=False, help_text="留空为今天")
    backdated_reason = _backdated_reason()


class DelayForm(ActionForm):
    due_on = _date("延迟答复期限")
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(ActionForm):
    outcome = forms.ChoiceField(label="办理结果（年度报告表三的一行）", choices=ANSWER_OUTCOME_CHOICES)
    note = forms.CharField(label="答复说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = _date("答复日期", required=False, help_text="留空为今天")


class SpotForm(ActionForm):
    outcome = forms.ChoiceField(label="办理结果", choices=ANSWER_OUTCOME_CHOICES)
    note = forms.CharField(label="答复说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class WithdrawForm(ActionForm):
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    on = _date("撤回日期", required=False, help_text="留空为今天")


class TransferForm(ActionForm):
    """转办/告知 (条例 art 36(5)): an agency on the system, or the name and contact of one outside it."""

    to_agency = forms.ModelChoiceField(
        label="转办至（本系统内的机关）",
        queryset=Agency.objects.none(),
        required=False,
        empty_label="—— 不在本系统内，只告知申请人 ——",
        help_text="选定后，申请将作为新案件转送该机关，由其登记、答复",
    )
    agency_name = forms.CharField(
        label="负责公开的机关名称",
        max_length=120,
        required=False,
        help_text="不在本系统内时填写；选定上面的机关时可留空",
    )
    agency_contact = forms.CharField(
        label="该机关联系方式",
        max_length=200,
        required=False,
        help_text="电话、地址等；选定本系统内的机关时默认为其登记的电话和地址",
    )
    reason = forms.CharField(
        label="不属于本机关负责公开的理由",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text="写入告知书（条例第三十六条第（五）项：告知申请人并说明理由）",
    )

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        agencies = Agency.objects.filter(is_active=True).order_by("path")
        if case is not None:
            agencies = agencies.exclude(pk=case.agency_id)
        self.fields["to_agency"].queryset = agencies  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_agency") is None and not (data.get("agency_name") or "").strip():
            self.add_error("agency_name", "请选定本系统内的机关，或填写负责公开的机关名称")
        return data


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(label="承办科室", queryset=Department.objects.none(), required=False)
    officer = forms.ModelChoiceField(label="承办人", queryset=User.objects.none(), required=False)

    def __init__(self, *args: Any, case: Case | None = None, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        agency_id = case.agency_id if case is not None else None
        self.fields["department"].queryset = departments_of_agency(agency_id)  # type: ignore[attr-defined]
        self.fields["officer"].queryset = staff_of_agency(agency_id)  # type: ignore[attr-defined]
        if case is not None and not self.is_bound:
            self.initial.setdefault("department", case.department_id)
            self.initial.setdefault("officer", case.assigned_to_id)


# ---------------------------------------------------------------------------------------------
# Reviews (table 四)
# ---------------------------------------------------------------------------------------------


class ReviewForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=ReviewKindChoices.choices)
    filed_on = _date("申请／起诉日期")
    body = forms.CharField(label="复议机关／法院", max_length=200)
    case_number = forms.CharField(label="案号", max_length=100, required=False)
    applicant_name = forms.CharField(label="申请人／原告", max_length=200, required=False)
    subject = forms.CharField(label="事由", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    copy_received_on = _date(
        "收到申请书／起诉状副本日期",
        required=False,
        help_text="复议：收到行政复议申请书副本之日（起算书面答复期限）；诉讼：收到起诉状副本之日（起算答辩期限）",
    )
    accepted_on = _date("复议受理日期", required=False, help_text="复议机关受理申请之日（起算复议决定期限）")
    simplified = forms.BooleanField(label="适用简易程序（2024年起申请的复议）", required=False)


class ReviewDatesForm(forms.Form):
    """The dates that start and end the agency's deadlines in a 复议 or lawsuit."""

    copy_received_on = _date(
        "收到申请书／起诉状副本日期",
        required=False,
        help_text="复议：收到行政复议申请书副本之日；诉讼：收到起诉状副本之日",
    )
    accepted_on = _date("复议受理日期", required=False, help_text="复议机关受理申请之日（仅复议）")
    decision_extended = forms.BooleanField(label="复议机关已决定延长审理期限（最多三十日）", required=False)
    simplified = forms.BooleanField(label="适用简易程序（2024年起申请的复议）", required=False)
    answered_on = _date("提交书面答复／答辩状日期", required=False, help_text="已提交的，期限提醒不再显示")


class ConcludeReviewForm(forms.Form):
    result = forms.ChoiceField(
        label="结果", choices=[(r.value, r.label) for r in ReviewResult if r is not ReviewResult.PENDING]
    )
    concluded_on = _date("审结日期")
    note = forms.CharField(label="结果说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


# ---------------------------------------------------------------------------------------------
# The desk's search and filters (django-filter)
# ---------------------------------------------------------------------------------------------


def _departments(request: Any) -> Any:
    if request is None:
        return Department.objects.none()
    return Department.objects.filter(agency__in=visible_agencies(request.user)).select_related("agency")


class CaseFilter(django_filters.FilterSet):  # type: ignore[misc]  # django-filter ships no stubs
    q = django_filters.CharFilter(
        label="搜索", method="search", widget=forms.TextInput(attrs={"placeholder": "编号、申请人、申请内容"})
    )
    status = django_filters.ChoiceFilter(label="状态", choices=CaseStatus.choices)
    outcome = django_filters.ChoiceFilter(label="办理结果", choices=CaseOutcome.choices)
    channel = django_filters.ChoiceFilter(label="提交方式", choices=CaseChannel.choices)
    department = django_filters.ModelChoiceFilter(label="承办科室", queryset=_departments)
    year = django_filters.NumberFilter(label="年份", field_name="year")

    class Meta:
        model = Case
        fields = ["q", "status", "outcome", "channel", "department", "year"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(applicant_name__icontains=value)
            | Q(request_description__icontains=value)
            | Q(document_number__icontains=value)
        )
