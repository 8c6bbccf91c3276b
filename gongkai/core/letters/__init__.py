"""The agency's letters in a 依申请公开 case, as .docx in 公文 layout and as plain text.

``render_letter(kind, context, overrides=...)`` → .docx bytes; ``letter_text`` → plain text.
The wording is ``templates.toml`` (overridable per piece by an administrator, see
:func:`template_keys`); the law the letters apply (legal basis, remedy notice, dates) is in
:mod:`gongkai.core.letters.rules`. No Django here.
"""

from __future__ import annotations

from collections.abc import Mapping

from gongkai.core.letters.context import LetterContext
from gongkai.core.letters.errors import LetterError, LetterFieldMissing, LetterRuleError, LetterTemplateError
from gongkai.core.letters.grounds import WithheldGround
from gongkai.core.letters.kinds import ANSWER_TYPES, PROCEDURAL_TYPES, LetterType
from gongkai.core.letters.rules import (
    Remedy,
    chinese_date,
    fee_payment_due,
    format_letter_number,
    legal_basis,
    remedy,
)
from gongkai.core.letters.templating import (
    ComposedLetter,
    allowed_fields,
    check_overrides,
    check_template,
    compose,
    default_templates,
    required_fields,
    template_keys,
    template_label,
)
from gongkai.core.letters.writer import render_docx

__all__ = [
    "ANSWER_TYPES",
    "PROCEDURAL_TYPES",
    "ComposedLetter",
    "LetterContext",
    "LetterError",
    "LetterFieldMissing",
    "LetterRuleError",
    "LetterTemplateError",
    "LetterType",
    "Remedy",
    "WithheldGround",
    "allowed_fields",
    "check_overrides",
    "check_template",
    "chinese_date",
    "compose",
    "default_templates",
    "fee_payment_due",
    "format_letter_number",
    "legal_basis",
    "letter_text",
    "remedy",
    "render_docx",
    "render_letter",
    "required_fields",
    "template_keys",
    "template_label",
]


def render_letter(kind: LetterType, context: LetterContext, *, overrides: Mapping[str, str] | None = None) -> bytes:
    """The letter ``kind`` for ``context`` as .docx bytes; ``overrides`` maps template keys to text."""
    return render_docx(compose(kind, context, overrides=overrides))


def letter_text(kind: LetterType, context: LetterContext, *, overrides: Mapping[str, str] | None = None) -> str:
    """The same letter as plain text (title, 文号, addressee, paragraphs, signature)."""
    return compose(kind, context, overrides=overrides).text()
