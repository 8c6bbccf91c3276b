"""Letter wording: ``templates.toml``, administrators' overrides, and filling in the placeholders.

Placeholders are :class:`string.Formatter` fields restricted to plain names from a known list
(no conversion, no format spec, no attribute or index access: an override is typed by an
administrator, and ``"{applicant_name.__class__}"`` must not reach Python objects). Every check
raises :class:`~gongkai.core.letters.errors.LetterTemplateError` naming the template and the
field; a field that the template uses but the context lacks raises
:class:`~gongkai.core.letters.errors.LetterFieldMissing`.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from types import MappingProxyType

from gongkai.core.answer_periods import answer_periods
from gongkai.core.deadlines import CONSULTATION_REPLY_DAYS, FEE_PAYMENT_DAYS
from gongkai.core.fees import FeeBreakdown
from gongkai.core.letters import rules
from gongkai.core.letters.context import CONTEXT_FIELDS, LetterContext
from gongkai.core.letters.errors import LetterFieldMissing, LetterTemplateError
from gongkai.core.letters.grounds import WithheldGround
from gongkai.core.letters.kinds import LetterType
from gongkai.core.letters.provisions import Provision, cite, quotations

TEMPLATES_FILE = "templates.toml"
FRAGMENT = "fragment"
TITLE = "title"
BODY = "body"

FRAGMENT_LABELS: dict[str, str] = {
    "request_intro": "申请情况（收到申请之日、申请编号、申请内容）",
    "not_held_absent": "本机关不掌握：信息不存在（条例第三十六条第（四）项）",
    "not_held_elsewhere": "本机关不掌握：告知负责公开的机关及联系方式（条例第三十六条第（五）项）",
    "not_held_elsewhere_no_contact": "本机关不掌握：告知负责公开的机关，联系方式不详（条例第三十六条第（五）项）",
    "not_held_transferred": "本机关不掌握：告知负责公开的机关及联系方式，并已转送该机关（条例第三十六条第（五）项）",
}
FRAGMENTS: tuple[str, ...] = tuple(FRAGMENT_LABELS)

#: Every placeholder a template may use, with its Chinese description.
FIELD_LABELS: dict[str, str] = {
    "agency_name": "本机关名称",
    "letter_number": "发文字号",
    "applicant_name": "申请人姓名或名称",
    "case_number": "申请编号",
    "received_on": "收到申请之日",
    "request_summary": "申请内容",
    "today": "成文日期",
    "reasons": "理由说明",
    "access_method": "获取信息的方式、途径",
    "answer_due": "答复期限",
    "correction_items": "需要补正的事项",
    "correction_due": "补正期限",
    "extension_days": "延长的工作日数",
    "new_due_date": "延长后的答复期限",
    "consultation_party": "被征求意见的第三方",
    "fee_notified_on": "收费通知送达之日",
    "payment_due": "缴费期限",
    "payment_instructions": "缴纳方式",
    "responsible_agency": "负责公开该信息的行政机关",
    "responsible_agency_contact": "负责公开该信息的行政机关的联系方式",
    "reconsideration_body": "行政复议机关",
    "court_name": "人民法院",
    "already_published": "是否已主动公开",
    "withheld_ground": "不予公开部分的理由依据（条例第十四条、第十五条或第十六条）",
    "withheld_part": "不予公开的部分",
    "reprint": "重印",
    "transferred_on": "转送负责公开的机关之日",
    # Filled in by the rules:
    "legal_basis": "法律依据（条款名称）",
    "legal_basis_text": "法律依据（条文原文）",
    "remedy_notice": "救济途径告知",
    "request_intro": "申请情况（片段 request_intro）",
    "not_held_notice": "不掌握相关信息的告知（片段 not_held_*）",
    "fee_breakdown": "收费计算明细",
    "fee_total": "收费金额（元）",
    "fee_method": "计收方式（按件／按量）",
    "answer_days": "法定答复期限（工作日）",
    "consultation_days": "第三方提出意见的期限（工作日）",
    "payment_days": "缴费期限（工作日）",
    "grant_finding": "予以公开的情形（已主动公开／可以公开）",
}

#: Labels of context fields that templates reach only through derived fields.
_MISSING_LABELS: dict[str, str] = {"fee": "信息处理费计算结果", "already_published": "是否已主动公开"}

#: Context fields that are objects, not text: printed only through the fields derived from them.
_NOT_PRINTABLE = frozenset({"fee", "already_published", "reprint"})
_CONTEXT_PRINTABLE = tuple(f for f in CONTEXT_FIELDS if f not in _NOT_PRINTABLE)
_DERIVED = tuple(f for f in FIELD_LABELS if f not in CONTEXT_FIELDS)

if set(_CONTEXT_PRINTABLE) - set(FIELD_LABELS):  # pragma: no cover - import guard
    raise RuntimeError("FIELD_LABELS lacks a LetterContext field")


# ---------------------------------------------------------------------------------------------
# Keys and the fields each template may and must use
# ---------------------------------------------------------------------------------------------


def template_key(kind: LetterType, part: str) -> str:
    """The key of a letter's title or body: "fee.title", "answer_granted.body"."""
    return f"{kind.value}.{part}"


def fragment_key(name: str) -> str:
    return f"{FRAGMENT}.{name}"


def template_keys() -> tuple[str, ...]:
    """Every overridable piece of wording, fragments first, then title and body of each letter."""
    return (
        *(fragment_key(name) for name in FRAGMENTS),
        *(template_key(kind, part) for kind in LetterType for part in (TITLE, BODY)),
    )


def template_label(key: str) -> str:
    """A key's Chinese name for the admin: "收费通知：正文", "片段：申请情况（…）"."""
    head, _, part = key.partition(".")
    if head == FRAGMENT:
        return f"片段：{FRAGMENT_LABELS[part]}"
    return f"{LetterType(head).label}：{'标题' if part == TITLE else '正文'}"


def allowed_fields(key: str) -> tuple[str, ...]:
    """The placeholders the template ``key`` may use.

    Fragments use context fields only (no nesting). A letter may not name a legal basis it
    has none of, a remedy notice it does not carry, or the 不掌握 notice outside its letter.
    """
    head, _, _ = _split(key)
    if head == FRAGMENT:
        return _CONTEXT_PRINTABLE
    kind = LetterType(head)
    refused: set[str] = set()
    if not rules.all_basis(kind):
        refused |= {"legal_basis", "legal_basis_text"}
    if kind not in rules.REMEDY_LETTERS:
        refused.add("remedy_notice")
    if kind is not LetterType.ANSWER_UNAVAILABLE_NOT_HELD:
        refused.add("not_held_notice")
    return tuple(f for f in FIELD_LABELS if f not in refused)


def required_fields(key: str) -> tuple[str, ...]:
    """Placeholders a body (or fragment) must keep, so that no override drops what the law requires.

    - every decision letter: ``remedy_notice`` (行政复议法 2023 art 23 ¶2 for 不予公开; art 20 ¶3);
    - every letter with a legal basis: ``legal_basis`` (条例 art 36(3) 说明理由 and practice);
    - 补正告知: the items and the period (条例 art 30); 延期告知: days and new date (art 33 ¶2);
      收费通知: amount, breakdown, payment date (spec §2.4); 不掌握: the notice (art 36(4)(5));
    - 36(5) fragments: the responsible agency (and its contact when known).
    """
    head, _, part = _split(key)
    if head == FRAGMENT:
        return _FRAGMENT_REQUIRED.get(part, ())
    if part != BODY:
        return ()
    kind = LetterType(head)
    required: list[str] = []
    if rules.all_basis(kind):
        required.append("legal_basis")
    if kind in rules.REMEDY_LETTERS:
        required.append("remedy_notice")
    required.extend(_BODY_REQUIRED.get(kind, ()))
    return tuple(required)


_FRAGMENT_REQUIRED: dict[str, tuple[str, ...]] = {
    "not_held_elsewhere": ("responsible_agency", "responsible_agency_contact", "reasons"),
    "not_held_elsewhere_no_contact": ("responsible_agency", "reasons"),
    "not_held_transferred": ("responsible_agency", "responsible_agency_contact", "reasons", "transferred_on"),
}
_BODY_REQUIRED: dict[LetterType, tuple[str, ...]] = {
    LetterType.CORRECTION: ("correction_items", "correction_due"),
    LetterType.EXTENSION: ("extension_days", "new_due_date"),
    LetterType.THIRD_PARTY: ("consultation_party",),
    LetterType.ANSWER_PARTIAL: ("withheld_part", "withheld_ground"),
    LetterType.FEE: ("fee_breakdown", "fee_total", "payment_due"),
    LetterType.ANSWER_UNAVAILABLE_NOT_HELD: ("not_held_notice",),
}


_KIND_VALUES = frozenset(t.value for t in LetterType)


def _split(key: str) -> tuple[str, str, str]:
    head, dot, part = key.partition(".")
    if head == FRAGMENT and part in FRAGMENT_LABELS:
        return head, dot, part
    if part in (TITLE, BODY) and head in _KIND_VALUES:
        return head, dot, part
    raise LetterTemplateError(
        f"没有名为“{key}”的文书模板；可用的模板名形如“fee.body”“answer_granted.title”“fragment.request_intro”",
        template=key,
    )


# ---------------------------------------------------------------------------------------------
# Checking a template's text
# ---------------------------------------------------------------------------------------------

_FORMATTER = string.Formatter()


def placeholders(key: str, text: str) -> tuple[str, ...]:
    """The field names ``text`` uses, in order; raises on anything but a plain known name."""
    try:
        parsed = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise LetterTemplateError(
            f"文书模板“{key}”的花括号不成对（{exc}）；正文中的花括号请写作“{{{{”“}}}}”", template=key
        ) from None
    names: list[str] = []
    for _literal, name, spec, conversion in parsed:
        if name is None:
            continue
        if not name:
            raise LetterTemplateError(f"文书模板“{key}”含有空占位符“{{}}”，请写明字段名", template=key)
        if not name.isidentifier() or conversion or spec:
            shown = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise LetterTemplateError(
                f"文书模板“{key}”中的占位符“{shown}”写法不允许：只能写字段名，例如“{{applicant_name}}”",
                template=key,
                field=name,
            )
        names.append(name)
    return tuple(names)


def check_template(key: str, text: str) -> tuple[str, ...]:
    """Check one template text for ``key``: syntax, known fields, required fields. Returns its fields."""
    allowed = allowed_fields(key)
    names = placeholders(key, text)
    for name in names:
        if name not in allowed:
            if name in FIELD_LABELS:
                reason = f"（{FIELD_LABELS[name]}）不适用于本文书"
            else:
                reason = "是未知字段"
            raise LetterTemplateError(
                f"文书模板“{key}”中的占位符“{{{name}}}”{reason}；可用字段：{'、'.join(allowed)}",
                template=key,
                field=name,
            )
    for name in required_fields(key):
        if name not in names:
            raise LetterTemplateError(
                f"文书模板“{key}”必须包含占位符“{{{name}}}”（{FIELD_LABELS[name]}）",
                template=key,
                field=name,
            )
    if key.endswith("." + BODY) and not text.strip():
        raise LetterTemplateError(f"文书模板“{key}”的正文为空", template=key)
    return names


def check_overrides(overrides: Mapping[str, str]) -> None:
    """Check every override (an unknown key, syntax, unknown or missing placeholders)."""
    for key, text in overrides.items():
        check_template(key, text)


# ---------------------------------------------------------------------------------------------
# The shipped wording
# ---------------------------------------------------------------------------------------------


@cache
def default_templates() -> Mapping[str, str]:
    """The wording shipped in ``templates.toml``, checked; keys as :func:`template_keys`."""
    raw = resources.files("gongkai.core.letters").joinpath(TEMPLATES_FILE).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise LetterTemplateError(f"{TEMPLATES_FILE}：不是有效的 TOML（{exc}）") from None
    texts: dict[str, str] = {}
    for head, table in data.items():
        if not isinstance(table, dict):
            raise LetterTemplateError(f"{TEMPLATES_FILE}：“{head}”应为一个表（[{head}]）", template=head)
        for part, text in table.items():
            key = f"{head}.{part}"
            _split(key)
            if not isinstance(text, str):
                raise LetterTemplateError(f"{TEMPLATES_FILE}：“{key}”应为文字", template=key)
            texts[key] = text.strip("\n") if part == BODY else text
    missing = [key for key in template_keys() if key not in texts]
    if missing:
        raise LetterTemplateError(f"{TEMPLATES_FILE}：缺少模板 {'、'.join(missing)}", template=missing[0])
    for key, text in texts.items():
        check_template(key, text)
    return MappingProxyType({key: texts[key] for key in template_keys()})


def effective_templates(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The shipped wording with ``overrides`` applied (each checked first)."""
    texts = dict(default_templates())
    if overrides:
        check_overrides(overrides)
        texts.update(overrides)
    return texts


# ---------------------------------------------------------------------------------------------
# Filling in
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ComposedLetter:
    """A letter's text in the 公文 parts the writers lay out."""

    kind: LetterType
    title: str
    number: str
    addressee: str
    paragraphs: tuple[str, ...]
    agency: str
    date_text: str
    reprint_note: str = ""  # "（重印）…": a reprint keeps the original date and says so

    SEAL = "（盖章）"

    def text(self) -> str:
        """Plain text, for previews and tests."""
        return "\n".join(
            [
                self.title,
                self.number,
                "",
                self.addressee,
                *self.paragraphs,
                "",
                self.agency,
                self.SEAL,
                self.date_text,
                *([self.reprint_note] if self.reprint_note else []),
            ]
        )


#: Printed under the date of a reprinted letter.
REPRINT_NOTE = "（重印）本件为重印件，成文日期与原件相同"


def compose(kind: LetterType, context: LetterContext, *, overrides: Mapping[str, str] | None = None) -> ComposedLetter:
    """Fill in ``kind``'s title and body from ``context``."""
    texts = effective_templates(overrides)
    filler = _Filler(kind, context, texts)
    title = " ".join(filler.fill(template_key(kind, TITLE)).split())
    lines = [line.strip() for line in filler.fill(template_key(kind, BODY)).split("\n")]
    lines = [line for line in lines if line]
    addressee, paragraphs = (lines[0], lines[1:]) if lines and lines[0].endswith("：") else ("", lines)
    return ComposedLetter(
        kind=kind,
        title=title,
        number=context.letter_number,
        addressee=addressee,
        paragraphs=tuple(paragraphs),
        agency=context.agency_name,
        date_text=rules.chinese_date(context.today),
        reprint_note=REPRINT_NOTE if context.reprint else "",
    )


class _Filler:
    """Values of the placeholders, computed when a template first asks for them."""

    def __init__(self, kind: LetterType, context: LetterContext, texts: Mapping[str, str]) -> None:
        self.kind = kind
        self.ctx = context
        self.texts = texts
        self._derived: dict[str, Callable[[str], str]] = {
            "legal_basis": self._legal_basis,
            "legal_basis_text": self._legal_basis_text,
            "remedy_notice": self._remedy_notice,
            "request_intro": lambda _key: self.fill(fragment_key("request_intro")),
            "not_held_notice": self._not_held_notice,
            "fee_breakdown": self._fee_breakdown,
            "fee_total": lambda key: str(self._fee(key).total),
            "fee_method": lambda key: self._fee(key).method.label,
            "answer_days": lambda _key: str(answer_periods(self.ctx.received_on).base_days),
            "grant_finding": self._grant_finding,
            "consultation_days": lambda _key: str(CONSULTATION_REPLY_DAYS),
            "payment_days": lambda _key: str(FEE_PAYMENT_DAYS),
            "extension_days": self._extension_days,
        }

    def fill(self, key: str) -> str:
        text = self.texts[key]
        values = {name: self.value(name, key) for name in placeholders(key, text)}
        return _FORMATTER.vformat(text, (), values)

    def value(self, name: str, key: str) -> str:
        derived = self._derived.get(name)
        if derived is not None:
            return derived(key)
        return _show(self._need(name, key), name)

    def _need(self, name: str, key: str) -> object:
        value = getattr(self.ctx, name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise LetterFieldMissing(
                f"文书模板“{key}”需要字段“{name}”（{_MISSING_LABELS.get(name) or FIELD_LABELS[name]}），但未提供",
                template=key,
                field=name,
            )
        return value

    def _provisions(self) -> tuple[Provision, ...]:
        return rules.legal_basis(
            self.kind,
            fee=self.ctx.fee,
            responsible_agency=self.ctx.responsible_agency,
            already_published=self.ctx.already_published,
            withheld_ground=self.ctx.withheld_ground,
        )

    def _grant_finding(self, _key: str) -> str:
        """条例 art 36(1) (已主动公开) or 36(2) (可以公开)."""
        if self.ctx.already_published:
            return "您所申请公开的政府信息本机关已经主动公开"
        return "您所申请公开的政府信息属于可以公开的政府信息"

    def _legal_basis(self, _key: str) -> str:
        return cite(self._provisions())

    def _legal_basis_text(self, _key: str) -> str:
        return "\n".join(quotations(self._provisions()))

    def _remedy_notice(self, key: str) -> str:
        body = str(self._need("reconsideration_body", key))
        court = None
        if rules.remedy(self.kind, self.ctx.today) is rules.Remedy.STANDARD:
            court = str(self._need("court_name", key))
        return rules.remedy_notice(self.kind, self.ctx.today, reconsideration_body=body, court_name=court)

    def _not_held_notice(self, _key: str) -> str:
        if not self.ctx.responsible_agency:
            return self.fill(fragment_key("not_held_absent"))
        if self.ctx.responsible_agency_contact and self.ctx.transferred_on is not None:
            return self.fill(fragment_key("not_held_transferred"))
        if self.ctx.responsible_agency_contact:
            return self.fill(fragment_key("not_held_elsewhere"))
        return self.fill(fragment_key("not_held_elsewhere_no_contact"))

    def _fee(self, key: str) -> FeeBreakdown:
        fee = self._need("fee", key)
        assert isinstance(fee, FeeBreakdown)
        if self.kind is LetterType.FEE:
            rules.check_fee(fee)
        return fee

    def _fee_breakdown(self, key: str) -> str:
        fee = self._fee(key)
        return "\n".join([fee.describe()[0], *(line.describe() for line in fee.lines)])

    def _extension_days(self, key: str) -> str:
        days = self._need("extension_days", key)
        assert isinstance(days, int)
        rules.check_extension(days)
        return str(days)


#: Free text that templates quote (“{request_summary}”。): its own full stop would print "。”。".
QUOTED_FIELDS = frozenset({"request_summary"})
#: Free text the officer types that templates place at the end of a sentence.
SENTENCE_FIELDS = frozenset({"reasons", "access_method", "correction_items", "payment_instructions"})
# A closing bracket or quote ends a sentence only after its own full stop: "…（条例第十五条）" needs "。".
_SENTENCE_ENDS = ("。", "！", "？", "…", "。”", "！”", "？”", "。）")


def _show(value: object, name: str) -> str:
    if isinstance(value, date):
        return rules.chinese_date(value)
    if isinstance(value, WithheldGround):
        return value.label
    text = str(value).strip()
    if name in QUOTED_FIELDS:  # printed inside “…”, followed by the template's own 。
        text = text.rstrip("。．.；;，, ")
    if name in SENTENCE_FIELDS:
        text = text.rstrip("；;，,.")
        if not text.endswith(_SENTENCE_ENDS):
            text += "。"
    return text
