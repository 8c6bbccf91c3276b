"""Copied and genuine narrative sections in the style of published reports (内容雷同 corpus).

The source texts are the 2023 report of 北京市密云区果园街道办事处 (``../shared/samples``); the
drafts are what a 2024 report or a sibling 街道's report says: copied word for word, copied with the
year or the agency's name changed, copied with a few words changed, or written afresh. The
thresholds of ``gongkai.core.report.similarity`` were chosen on these (see its docstring).
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = "依据《中华人民共和国政府信息公开条例》(以下简称《政府信息公开条例》)第五十条规定，编制本报告。"
PREAMBLE_VARIANT = "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）第五十条要求编制。"

PROBLEMS_2023_MAIN = (
    "一是公开工作落实力度有待加强。部分责任科室对政府信息公开工作重要性有待提高认识，群众关心关注的信息公开不及时、"
    "不全面，主动公开信息内容需要深化。二是队伍能力有所不足。政府信息公开的具体工作由办公室人员兼职，公开人员队伍整体的"
    "专业化、理论化水平不高。"
)
#: 269 characters: last year's 改进情况 paragraph, copied word for word in the 2024 draft below.
PROBLEMS_COPIED_269 = (
    "一是拓宽信息公开渠道。按照“公开为常态，不公开为例外”的原则，探索与群众相适应的公开渠道。充分利用政府官网、社区公开栏、"
    "微信群等群众易用能懂的方式，努力消除信息不对称，不断扩大政务信息公开的受众面。二是加强队伍建设。持续加强政务公开和政府"
    "信息公开业务培训，增强主动公开意识，进一步提升业务人员工作水平，提高政务信息公开工作的及时性、针对性。三是强化监督检查。"
    "定期开展政府对外联系电话自查，加强对对外联系电话的日常监督管理和应急处置，加强对各类咨询电话的接听和解答，不断畅通电话"
    "渠道、提升服务水平。四是做好年度总结工作，按时编制好年度报告。"
)
PROBLEMS_2023 = f"（一）主要问题\n{PROBLEMS_2023_MAIN}\n（二）改进情况\n{PROBLEMS_COPIED_269}"

PROBLEMS_2024_FRESH_MAIN = (
    "一是依申请公开答复质量不均衡，全年有2件申请的答复书未载明救济途径，经复核后重新出具。"
    "二是社区公开栏更新滞后，第三季度有4个社区的公开栏超过一个月未更新。"
)

TRAINING_GUOYUAN = (
    "积极提升信息公开工作水平，主管领导和科室工作人员积极参加相关学习培训，创新政府信息公开理念、方法、渠道。"
    "定期召开政府信息公开工作培训会，对各科室信息员严格要求，按时上报材料，重点围绕贯彻落实《政府信息公开条例》要求进行培训，"
    "全面提升果园街道信息公开工作规范化水平。"
)
OVERVIEW_2023 = (
    "（一）政府信息公开工作组织机构建设情况\n"
    "果园街道高度重视政府信息公开工作，持续规范政府信息依申请公开，优化网站建设管理。积极认真开展政府信息公开工作，"
    "指定专人协调各科室按照全清单内容提供工作信息，并负责信息上传，确保政府信息公开及时高效。\n"
    "（二）主动公开情况\n"
    "按照《政府信息公开条例》规定，通过政府网站依法依规及时公开政府信息，本年度主动公开信息325条，及时更新领导班子分工、"
    "内设机构电话、财政预决算等信息。\n"
    "（三）依申请公开情况\n"
    "2023年新收政府信息公开申请数量29件，上年结转政府信息公开申请数量0件，结转下年度继续办理政府信息公开申请数量0件，"
    "本年政府信息公开申请办结数29件。\n"
    "（六）教育培训情况\n" + TRAINING_GUOYUAN
)
FEE_NONE = "依据国务院办公厅《政府信息公开信息处理费管理办法》（国办函〔2020〕109号），本年度未发出收费通知，未收取信息处理费。"


@dataclass(frozen=True)
class Case:
    name: str
    section: str
    draft: str
    source: str
    copied: bool  # the truth: should the section be flagged?
    names: tuple[str, ...] = ()


CORPUS: tuple[Case, ...] = (
    # --- copied ---------------------------------------------------------------------------------
    Case("problems copied word for word", "problems", PROBLEMS_2023, PROBLEMS_2023, True),
    Case(
        "269-character 改进情况 paragraph copied, 主要问题 rewritten",
        "problems",
        f"（一）主要问题\n{PROBLEMS_2024_FRESH_MAIN}\n（二）改进情况\n{PROBLEMS_COPIED_269}",
        PROBLEMS_2023,
        True,
    ),
    Case(
        "problems copied with a few words changed",
        "problems",
        PROBLEMS_2023.replace("有待加强", "仍需加强")
        .replace("不断扩大", "持续扩大")
        .replace("提升服务水平", "提高服务水平")
        .replace("有所不足", "仍显不足"),
        PROBLEMS_2023,
        True,
    ),
    Case(
        "a sibling's training paragraph with the agency's name changed",
        "overview",
        "（六）教育培训情况\n" + TRAINING_GUOYUAN.replace("果园街道", "鼓楼街道"),
        OVERVIEW_2023,
        True,
        ("果园街道", "鼓楼街道"),
    ),
    Case(
        "last year's organisation paragraph with the year changed",
        "overview",
        "（一）政府信息公开工作组织机构建设情况\n"
        "2024年，果园街道高度重视政府信息公开工作，持续规范政府信息依申请公开，优化网站建设管理。积极认真开展政府信息公开工作，"
        "指定专人协调各科室按照全清单内容提供工作信息，并负责信息上传，确保政府信息公开及时高效。",
        OVERVIEW_2023.replace(
            "（一）政府信息公开工作组织机构建设情况\n", "（一）政府信息公开工作组织机构建设情况\n2023年，"
        ),
        True,
    ),
    # --- genuine --------------------------------------------------------------------------------
    Case("the 前言 alone", "preamble", PREAMBLE, PREAMBLE, False),
    Case("a 前言 variant", "preamble", PREAMBLE_VARIANT, PREAMBLE, False),
    Case("the fee formula with no notice", "other", FEE_NONE, FEE_NONE, False),
    Case(
        "the applications sentence with this year's numbers, headings shared",
        "overview",
        "（三）依申请公开情况\n2024年新收政府信息公开申请数量31件，上年结转政府信息公开申请数量0件，"
        "结转下年度继续办理政府信息公开申请数量2件，本年政府信息公开申请办结数29件。",
        OVERVIEW_2023,
        False,
    ),
    Case(
        "problems written afresh under the same headings",
        "problems",
        f"（一）主要问题\n{PROBLEMS_2024_FRESH_MAIN}\n（二）改进情况\n"
        "针对答复书问题，制定答复书审核清单，由分管领导逐件审签；对社区公开栏实行月度巡查，巡查结果纳入社区年度考核。"
        "全年组织2次依申请公开案例研讨，邀请区司法局同志讲解复议和诉讼中暴露的问题。",
        PROBLEMS_2023,
        False,
    ),
    Case(
        "training written afresh about the same topic",
        "overview",
        "（六）教育培训情况\n本年度举办政府信息公开专题培训3次，分别于3月、6月和11月进行，共有各科室和社区信息员86人次参加。"
        "培训邀请区政务服务局讲解依申请公开办理流程和答复书规范，并结合本街道办理的申请进行案例分析。",
        OVERVIEW_2023,
        False,
    ),
    Case(
        "one copied sentence in a long genuine section",
        "problems",
        f"（一）主要问题\n{PROBLEMS_2024_FRESH_MAIN}三是部分社区对公开栏管理重视不够，信息更新不及时、内容不完整，"
        "个别社区仍张贴过期的办事指南。\n（二）改进情况\n"
        "针对答复书问题，制定答复书审核清单，由分管领导逐件审签；对社区公开栏实行月度巡查，巡查结果纳入社区年度考核。"
        "全年组织2次依申请公开案例研讨，邀请区司法局同志讲解复议和诉讼中暴露的问题。"
        "持续加强政务公开和政府信息公开业务培训，增强主动公开意识，进一步提升业务人员工作水平，提高政务信息公开工作的及时性、针对性。",
        PROBLEMS_2023,
        False,
    ),
)
