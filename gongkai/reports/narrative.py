"""The narrative sections of a report (一, 五, 六 and the preamble), and a first draft from the facts.

The officer writes the narrative; where the records know a fact (items published, applications
by channel, fee notices and amounts collected, staff) the first draft states it, in the phrasing
published reports use, and leaves a 【待填写】 mark where only the office knows what to say.
条例 art 50 lists what a report contains; 国办公开办函〔2021〕30号 says what section 一 covers
(legal spec §3.2, §3.3, §3.8).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from gongkai.core.report.taxonomy import SECTION_HEADINGS
from gongkai.core.report.writers.layout import PREAMBLE_KEY

#: Sections the officer writes, in print order.
NARRATIVE_SECTIONS: tuple[str, ...] = (PREAMBLE_KEY, "overview", "problems", "other")
SECTION_LABELS: dict[str, str] = {
    PREAMBLE_KEY: "前言",
    "overview": SECTION_HEADINGS["overview"],
    "problems": SECTION_HEADINGS["problems"],
    "other": SECTION_HEADINGS["other"],
}

#: Left in the first draft where the office must write; signing off refuses a text that keeps one.
TODO_MARK = "【待填写"

PREAMBLE_TEXT = "依据《中华人民共和国政府信息公开条例》(以下简称《政府信息公开条例》)第五十条规定，编制本报告。"


@dataclass(frozen=True, slots=True)
class Training:
    held_on: str
    title: str
    attendees: int = 0


@dataclass(frozen=True, slots=True)
class Inspection:
    held_on: str
    scope: str
    findings: str  # "" when nothing was found
    rectified: bool


@dataclass(frozen=True, slots=True)
class Accountability:
    held_on: str
    subject: str
    measure: str
    persons: int


@dataclass(frozen=True, slots=True)
class ContactCheckFact:
    held_on: str
    what: str  # 对外联系电话 / 政府信息公开指南
    result: str
    ok: bool


@dataclass(frozen=True, slots=True)
class WorkFacts:
    """The year's work records (None: the agency keeps none in the system for the year)."""

    inspections: tuple[Inspection, ...] = ()
    accountability: tuple[Accountability, ...] = ()
    checks: tuple[ContactCheckFact, ...] = ()
    roster: tuple[tuple[str, str, bool], ...] = ()  # (name, post, full time)


@dataclass(frozen=True, slots=True)
class ReportFacts:
    """What the records say about an agency's year, for the narrative (None: not recorded)."""

    agency: str
    short_name: str
    year: int
    published_items: int | None = None
    new: int = 0
    carried_over: int = 0
    closed: int = 0
    carried_forward: int = 0
    by_channel: tuple[tuple[str, int], ...] = ()  # (channel label, applications received in the year)
    fee_notices: int = 0
    fee_amount: Decimal = Decimal("0")
    fee_collected: Decimal = Decimal("0")
    staff: int | None = None
    trainings: tuple[Training, ...] | None = None
    work: WorkFacts | None = None


def yuan(amount: Decimal) -> str:
    """An amount in 元 as reports print it: 38280, 38280.5 (no trailing zeros, no rounding)."""
    if amount == amount.to_integral_value():
        return str(int(amount))
    return format(amount.normalize(), "f")


def _todo(what: str) -> str:
    return f"{TODO_MARK}：{what}】"


def fee_sentence(facts: ReportFacts) -> str:
    """Section 六's fee sentence: 国办函〔2020〕109号; Henan's requirement (legal spec §3.8)."""
    if facts.fee_notices == 0:
        return "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未发出收费通知，未收取信息处理费。"
    return (
        "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），"
        f"发出收费通知{facts.fee_notices}件，总金额{yuan(facts.fee_amount)}元，"
        f"实际收取的总金额{yuan(facts.fee_collected)}元。"
    )


def applications_paragraph(facts: ReportFacts) -> str:
    text = (
        f"{facts.year}年新收政府信息公开申请数量{facts.new}件，上年结转政府信息公开申请数量{facts.carried_over}件，"
        f"结转下年度继续办理政府信息公开申请数量{facts.carried_forward}件，本年政府信息公开申请办结数{facts.closed}件。"
    )
    channels = [(label, n) for label, n in facts.by_channel if n]
    if channels:
        text += "其中，通过" + "、".join(f"{label}渠道提出{n}件" for label, n in channels) + "。"
    return text


def staff_sentence(facts: ReportFacts) -> str:
    """Section 一(五): the staff roster when kept, else the officers' accounts."""
    roster = facts.work.roster if facts.work else ()
    if roster:
        full = sum(1 for _, _, f in roster if f)
        return f"配备政府信息公开工作人员{len(roster)}名（专职{full}名、兼职{len(roster) - full}名）。"
    if facts.staff:
        return f"配备政府信息公开工作人员{facts.staff}名。"
    return _todo("政府信息公开工作人员配备情况")


def training_paragraph(facts: ReportFacts) -> str:
    """Section 一(六) 教育培训情况 from the training records."""
    if not facts.trainings:
        return _todo("本年度教育培训情况")
    people = sum(t.attendees for t in facts.trainings)
    return (
        f"本年度组织政府信息公开业务培训{len(facts.trainings)}次，参训{people}人次："
        + "；".join(f"{t.held_on}，{t.title}（{t.attendees}人）" for t in facts.trainings)
        + "。"
    )


def supervision_paragraph(facts: ReportFacts) -> str:
    """Section 一(七) 监督保障情况: self-inspections, the phone and 指南 checks, 问责 (条例 art 53)."""
    work = facts.work
    if work is None or not (work.inspections or work.checks or work.accountability):
        return _todo("考核、社会评议和责任追究情况")
    parts: list[str] = []
    if work.inspections:
        found = [i for i in work.inspections if i.findings]
        text = (
            f"本年度开展政府信息公开自查{len(work.inspections)}次（"
            + "；".join(f"{i.held_on}，{i.scope}" for i in work.inspections)
            + "）"
        )
        if found:
            done = sum(1 for i in found if i.rectified)
            text += f"，{len(found)}次发现问题，已整改{done}次。"
        else:
            text += "，未发现问题。"
        parts.append(text)
    for what in ("对外联系电话", "政府信息公开指南"):
        checks = [c for c in work.checks if c.what == what]
        if checks:
            bad = [c for c in checks if not c.ok]
            text = f"对{what}开展检查{len(checks)}次，" + (
                "均" + ("畅通" if what == "对外联系电话" else "准确") + "。"
                if not bad
                else "其中" + "；".join(f"{c.held_on}{c.result}" for c in bad) + "。"
            )
            parts.append(text)
    if work.accountability:
        persons = sum(a.persons for a in work.accountability)
        parts.append(
            f"本年度因政府信息公开工作问责{len(work.accountability)}起、{persons}人（"
            + "；".join(f"{a.subject}，{a.measure}" for a in work.accountability)
            + "）。"
        )
    else:
        parts.append("本年度未发生政府信息公开工作责任追究。")
    return "".join(parts) + _todo("考核、社会评议情况")


def problems_paragraph(facts: ReportFacts) -> str:
    """Section 五 (一): the problems the self-inspections found."""
    found = [i for i in (facts.work.inspections if facts.work else ()) if i.findings]
    if not found:
        return _todo("本年度工作存在的主要问题")
    return (
        "本年度自查发现的问题：" + "；".join(f"{i.findings.rstrip('。；;')}（{i.held_on}自查）" for i in found) + "。"
    )


def improvements_paragraph(facts: ReportFacts) -> str:
    """Section 五 (二): what was rectified (the rest is for the office to write)."""
    done = [i for i in (facts.work.inspections if facts.work else ()) if i.findings and i.rectified]
    if not done:
        return _todo("改进措施")
    return "针对自查发现的问题，已完成整改：" + "；".join(i.scope for i in done) + "。" + _todo("其他改进措施")


def first_draft(facts: ReportFacts) -> dict[str, str]:
    """A first draft of the narrative: the facts the records hold, 【待填写】 where they do not."""
    name = facts.short_name or facts.agency
    published = (
        f"本年度主动公开政府信息{facts.published_items}条。"
        if facts.published_items is not None
        else _todo("本年度主动公开政府信息条数")
    )
    staff = staff_sentence(facts)
    training = training_paragraph(facts)
    overview = "\n".join(
        [
            "（一）政府信息公开工作组织机构建设情况",
            f"{name}{_todo('工作机构、分管领导和职责分工')}",
            "（二）主动公开情况",
            f"按照《政府信息公开条例》规定，通过政府网站依法依规及时公开政府信息，{published}",
            "（三）依申请公开情况",
            applications_paragraph(facts),
            "（四）政府信息管理情况",
            _todo("政府信息管理、保密审查情况"),
            "（五）政府信息公开平台建设情况",
            f"{_todo('政府网站及其他公开平台建设情况')}{staff}",
            "（六）教育培训情况",
            training,
            "（七）监督保障情况",
            supervision_paragraph(facts),
        ]
    )
    return {
        PREAMBLE_KEY: PREAMBLE_TEXT,
        "overview": overview,
        "problems": "\n".join(
            ["（一）主要问题", problems_paragraph(facts), "（二）改进情况", improvements_paragraph(facts)]
        ),
        "other": fee_sentence(facts),
    }


def placeholders_left(sections: dict[str, str]) -> list[str]:
    """Keys of the sections that still hold a 【待填写】 mark."""
    return [key for key in NARRATIVE_SECTIONS if TODO_MARK in sections.get(key, "")]
