"""The provisions a letter cites, with their verbatim text (legal spec §1.1, §2.1 [V]).

A letter names its legal basis ("《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项")
and quotes the text of each provision. Texts are copied from the spec's verbatim sections; the
numbered items use full-width brackets "（一）" as the official text prints them. Where the spec
has no verified wording (the non-payment rule of 国办函〔2020〕109号, spec §2.4 [U]) the provision
is cited by name only and not quoted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_MEASURES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 36 → 三十六 (article numbers up to 99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"article number out of range: {n}")
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


@dataclass(frozen=True, slots=True)
class Provision:
    """One article, paragraph (款) or item (项) of an instrument.

    ``text`` is the verbatim wording of the cited part; for an item, ``lead`` is the article's
    opening sentence printed before it and ``item_count`` the number of items the article has.
    ``text`` is None when no verified wording exists.
    """

    instrument: str
    article: int | None
    text: str | None
    paragraph: int | None = None
    item: int | None = None
    lead: str = ""
    item_count: int = 0

    @property
    def article_citation(self) -> str:
        return f"第{chinese_number(self.article)}条" if self.article is not None else ""

    @property
    def part_citation(self) -> str:
        """The part below the article: "第二款", "第（三）项" or ""."""
        if self.item is not None:
            return f"第（{chinese_number(self.item)}）项"
        if self.paragraph is not None:
            return f"第{chinese_number(self.paragraph)}款"
        return ""

    @property
    def citation(self) -> str:
        return self.article_citation + self.part_citation


def cite(provisions: Iterable[Provision]) -> str:
    """The basis as a letter names it: "《…条例》第十四条、第三十六条第（三）项".

    Consecutive parts of one article share the article number ("第三十六条第（一）项、第（二）项"),
    as ``gongkai.core.outcomes`` spells its bases.
    """
    out: list[str] = []
    instrument: str | None = None
    article: int | None = None
    for p in provisions:
        parts: list[str] = []
        if p.instrument != instrument:
            if out:
                out.append("和")
            out.append(p.instrument)
            instrument, article = p.instrument, None
        elif out:
            parts.append("、")
        if p.article != article or not p.part_citation:
            parts.append(p.citation)
        else:
            parts.append(p.part_citation)
        article = p.article
        out.extend(parts)
    return "".join(out)


def quotations(provisions: Iterable[Provision]) -> list[str]:
    """One paragraph per quoted article: "《…条例》第三十六条第（一）项、第（二）项规定：“…”".

    Items of one article are quoted together under the article's lead sentence.
    """
    groups: list[list[Provision]] = []
    for p in provisions:
        if p.text is None:
            continue
        if groups and groups[-1][0].item is not None and p.item is not None and _same_article(groups[-1][0], p):
            groups[-1].append(p)
        else:
            groups.append([p])
    lines = []
    for group in groups:
        first = group[0]
        body = _items(group) if first.item is not None else first.text or ""
        lines.append(f"{first.instrument}{cite(group).removeprefix(first.instrument)}规定：“{body}”")
    return lines


def _items(group: list[Provision]) -> str:
    """The lead sentence and the quoted items, "……" where items are left out."""
    out = [group[0].lead]
    previous = 0
    for p in group:
        item = p.item or 0
        if item != previous + 1:
            out.append("……")
        out.append(f"（{chinese_number(item)}）{p.text}{'。' if item == p.item_count else '；'}")
        previous = item
    if previous != group[0].item_count:
        out.append("……")
    return "".join(out)


def _same_article(a: Provision, b: Provision) -> bool:
    return a.instrument == b.instrument and a.article == b.article


_ART36_LEAD = "对政府信息公开申请，行政机关根据下列情况分别作出答复："


def _art36(item: int, text: str) -> Provision:
    return Provision(REGULATION, 36, text, item=item, lead=_ART36_LEAD, item_count=7)


ART14 = Provision(
    REGULATION,
    14,
    "依法确定为国家秘密的政府信息，法律、行政法规禁止公开的政府信息，以及公开后可能危及国家安全、"
    "公共安全、经济安全、社会稳定的政府信息，不予公开。",
)
ART15 = Provision(
    REGULATION,
    15,
    "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息，行政机关不得公开。但是，"
    "第三方同意公开或者行政机关认为不公开会对公共利益造成重大影响的，予以公开。",
)
ART16_1 = Provision(
    REGULATION,
    16,
    "行政机关的内部事务信息，包括人事管理、后勤管理、内部工作流程等方面的信息，可以不予公开。",
    paragraph=1,
)
ART16_2 = Provision(
    REGULATION,
    16,
    "行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息以及"
    "行政执法案卷信息，可以不予公开。法律、法规、规章规定上述信息应当公开的，从其规定。",
    paragraph=2,
)
ART29_2 = Provision(
    REGULATION,
    29,
    "政府信息公开申请应当包括下列内容：（一）申请人的姓名或者名称、身份证明、联系方式；"
    "（二）申请公开的政府信息的名称、文号或者便于行政机关查询的其他特征性描述；"
    "（三）申请公开的政府信息的形式要求，包括获取信息的方式、途径。",
    paragraph=2,
)
ART30 = Provision(
    REGULATION,
    30,
    "政府信息公开申请内容不明确的，行政机关应当给予指导和释明，并自收到申请之日起7个工作日内一次性告知"
    "申请人作出补正，说明需要补正的事项和合理的补正期限。答复期限自行政机关收到补正的申请之日起计算。"
    "申请人无正当理由逾期不补正的，视为放弃申请，行政机关不再处理该政府信息公开申请。",
)
ART32 = Provision(
    REGULATION,
    32,
    "依申请公开的政府信息公开会损害第三方合法权益的，行政机关应当书面征求第三方的意见。第三方应当自收到"
    "征求意见书之日起15个工作日内提出意见。第三方逾期未提出意见的，由行政机关依照本条例的规定决定是否公开。"
    "第三方不同意公开且有合理理由的，行政机关不予公开。行政机关认为不公开可能对公共利益造成重大影响的，"
    "可以决定予以公开，并将决定公开的政府信息内容和理由书面告知第三方。",
)
ART33_2 = Provision(
    REGULATION,
    33,
    "行政机关不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，应当经政府"
    "信息公开工作机构负责人同意并告知申请人，延长的期限最长不得超过20个工作日。",
    paragraph=2,
)
ART33_3 = Provision(
    REGULATION,
    33,
    "行政机关征求第三方和其他机关意见所需时间不计算在前款规定的期限内。",
    paragraph=3,
)
ART35 = Provision(
    REGULATION,
    35,
    "申请人申请公开政府信息的数量、频次明显超过合理范围，行政机关可以要求申请人说明理由。行政机关认为"
    "申请理由不合理的，告知申请人不予处理；行政机关认为申请理由合理，但是无法在本条例第三十三条规定的"
    "期限内答复申请人的，可以确定延迟答复的合理期限并告知申请人。",
)
ART36_1 = _art36(1, "所申请公开信息已经主动公开的，告知申请人获取该政府信息的方式、途径")
ART36_2 = _art36(2, "所申请公开信息可以公开的，向申请人提供该政府信息，或者告知申请人获取该政府信息的方式、途径和时间")
ART36_3 = _art36(3, "行政机关依据本条例的规定决定不予公开的，告知申请人不予公开并说明理由")
ART36_4 = _art36(4, "经检索没有所申请公开信息的，告知申请人该政府信息不存在")
ART36_5 = _art36(
    5,
    "所申请公开信息不属于本行政机关负责公开的，告知申请人并说明理由；能够确定负责公开该政府信息的行政机关的，"
    "告知申请人该行政机关的名称、联系方式",
)
ART36_6 = _art36(
    6, "行政机关已就申请人提出的政府信息公开申请作出答复、申请人重复申请公开相同政府信息的，告知申请人不予重复处理"
)
ART36_7 = _art36(
    7,
    "所申请公开信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定的，"
    "告知申请人依照有关法律、行政法规的规定办理",
)
ART37 = Provision(
    REGULATION,
    37,
    "申请公开的信息中含有不应当公开或者不属于政府信息的内容，但是能够作区分处理的，行政机关应当向申请人"
    "提供可以公开的政府信息内容，并对不予公开的内容说明理由。",
)
ART38 = Provision(
    REGULATION,
    38,
    "行政机关向申请人提供的信息，应当是已制作或者获取的政府信息。除依照本条例第三十七条的规定能够作区分"
    "处理的外，需要行政机关对现有政府信息进行加工、分析的，行政机关可以不予提供。",
)
ART39_1 = Provision(
    REGULATION,
    39,
    "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开"
    "申请处理并可以告知通过相应渠道提出。",
    paragraph=1,
)
ART39_2 = Provision(
    REGULATION,
    39,
    "申请人提出的申请内容为要求行政机关提供政府公报、报刊、书籍等公开出版物的，行政机关可以告知获取的途径。",
    paragraph=2,
)
ART42_1 = Provision(
    REGULATION,
    42,
    "行政机关依申请提供政府信息，不收取费用。但是，申请人申请公开政府信息的数量、频次明显超过合理范围的，"
    "行政机关可以收取信息处理费。",
    paragraph=1,
)
FEE_ART3 = Provision(
    FEE_MEASURES,
    3,
    "信息处理费可以按件计收，也可以按量计收，均按照超额累进方式计算收费金额。行政机关对每件申请可以根据"
    "实际情况选择适用其中一种标准，但不得同时按照两种标准重复计算。",
)
FEE_ART4_2 = Provision(
    FEE_MEASURES,
    4,
    "按件计收执行下列收费标准：（一）同一申请人一个自然月内累计申请10件以下（含10件）的，不收费。"
    "（二）同一申请人一个自然月内累计申请11—30件（含30件）的部分：100元/件。（三）同一申请人一个自然月内"
    "累计申请31件以上的部分：以10件为一档，每增加一档，收费标准提高100元/件。",
    paragraph=2,
)
#: Only the first sentence of art 5 is verified (spec §2.1); the page tiers come from the catalogues.
FEE_ART5 = Provision(
    FEE_MEASURES,
    5,
    "按量计收适用于申请人要求以提供纸质件、发送电子邮件、复制电子数据等方式获取政府信息的情形。",
)
#: The non-payment rule ("逾期未缴纳的视为放弃申请") is verified only in a provincial restatement
#: (spec §2.4 [U]): cited by the instrument's name, not quoted.
FEE_MEASURES_WHOLE = Provision(FEE_MEASURES, None, None)
