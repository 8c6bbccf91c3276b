"""The grounds on which part of the information is withheld in a 部分公开 answer (条例 arts 14–16, 37)."""

from __future__ import annotations

from enum import StrEnum


class WithheldGround(StrEnum):
    """Why the withheld part is withheld: 条例 art 14, 15, 16 ¶1 or 16 ¶2."""

    ART14 = "art14"  # 国家秘密, 法律行政法规禁止公开, 危及"三安全一稳定"
    ART15 = "art15"  # 商业秘密、个人隐私等第三方合法权益
    ART16_1 = "art16_1"  # 内部事务信息
    ART16_2 = "art16_2"  # 过程性信息、行政执法案卷信息

    @property
    def label(self) -> str:
        return WITHHELD_GROUND_LABELS[self]


WITHHELD_GROUND_LABELS: dict[WithheldGround, str] = {
    WithheldGround.ART14: "依法确定为国家秘密、法律行政法规禁止公开或者公开后可能危及国家安全、公共安全、经济安全、社会稳定的政府信息（条例第十四条）",
    WithheldGround.ART15: "涉及商业秘密、个人隐私等公开会对第三方合法权益造成损害的政府信息（条例第十五条）",
    WithheldGround.ART16_1: "行政机关的内部事务信息（条例第十六条第一款）",
    WithheldGround.ART16_2: "行政机关在履行行政管理职能过程中形成的过程性信息或者行政执法案卷信息（条例第十六条第二款）",
}
