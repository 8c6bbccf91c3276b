"""What one case contributes to an archive: its letters, timeline, records and attachments.

Files of a case, under the folder named after its number (``names.safe_component``)::

    <案件编号>/案件信息.json          the application and its step records (consultations, extensions, reviews)
    <案件编号>/办理过程.html, .json   the timeline (every CaseEvent, in order)
    <案件编号>/收费记录.json          收费通知 and payments
    <案件编号>/送达记录.json          every 送达 of every letter
    <案件编号>/文书/<n>-<文号> <名称>.pdf, .docx   every issued letter
    <案件编号>/附件/申请人提交/…       the applicant's uploads (补正 materials, payment proofs)
    <案件编号>/附件/送达凭证/…         proofs of 送达

The letters are the stored ones: the .docx as issued (its number and 成文日期 as issued; only
when the stored file is missing is it composed again from the stored text, and the manifest
says so) and the PDF laid out from the stored text (``letters.documents.letter_pdf``), so an
archived letter never carries a new date. Personal data follows the export policy of
``docs/personal-data.md``: identity number and contact masked (the letters themselves carry the
applicant's name and address, as sent).
"""

from __future__ import annotations

import gc
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pypdfium2
from django.core.serializers.json import DjangoJSONEncoder

from gongkai.archives.names import letter_stem, safe_component
from gongkai.archives.writer import ArchiveWriter
from gongkai.cases.masking import mask_identity, mask_phone
from gongkai.cases.models import ApplicantFile, Case, CaseEvent
from gongkai.core.ledger.write import mask_email
from gongkai.core.letters import render_docx
from gongkai.core.letters.pdf import parse_letter_text
from gongkai.core.report.writers.html import BODY_FONTS, TITLE_FONTS
from gongkai.letters.documents import letter_pdf
from gongkai.letters.models import Delivery, Letter


@dataclass(frozen=True, slots=True)
class LetterRow:
    number: str
    label: str
    issued_on: str
    pages: int
    pdf: str
    docx: str
    regenerated: bool = False


@dataclass(slots=True)
class CaseRow:
    """One line of the 案卷目录 (and of the manifest's ``cases``)."""

    number: str
    applicant: str
    received_on: str
    closed_on: str
    status: str
    outcome: str
    letters: list[LetterRow] = field(default_factory=list)
    attachments: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return sum(letter.pages for letter in self.letters)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "applicant": self.applicant,
            "received_on": self.received_on,
            "closed_on": self.closed_on,
            "status": self.status,
            "outcome": self.outcome,
            "pages": self.pages,
            "attachments": self.attachments,
            "letters": [
                {
                    "number": r.number,
                    "kind": r.label,
                    "issued_on": r.issued_on,
                    "pages": r.pages,
                    "pdf": r.pdf,
                    "docx": r.docx,
                    "regenerated": r.regenerated,
                }
                for r in self.letters
            ],
        }


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def applicant_masked(case: Case) -> str:
    """The applicant as lists and exports show it: name, identity number masked (personal-data.md)."""
    number = case.id_number or (case.org_credit_code if case.is_organisation else "")
    return f"{case.applicant_name}（{mask_identity(number)}）" if number else case.applicant_name


def pdf_pages(data: bytes) -> int:
    document = pypdfium2.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def case_facts(case: Case) -> dict[str, Any]:
    """The application and its step records; identity and contact masked (export policy)."""
    return {
        "案件编号": case.number,
        "受理机关": case.agency.name,
        "申请人类型": case.applicant_type_enum.label,
        "申请人": case.applicant_name,
        "身份证明类型": case.get_id_type_display(),
        "身份证明号码": mask_identity(case.id_number) if case.id_number else "",
        "统一社会信用代码": case.org_credit_code,
        "法定代表人／负责人": case.legal_representative,
        "联系人": case.contact_person,
        "联系电话": mask_phone(case.phone) if case.phone else "",
        "电子邮箱": mask_email(case.email) if case.email else "",
        "所需信息": case.request_description,
        "文号": case.document_number,
        "指定提供形式": case.get_provision_form_display(),
        "获取信息方式": case.get_delivery_method_display(),
        "件数": case.pieces,
        "提交方式": case.channel_enum.label,
        "提交时间": case.submitted_at,
        "收到申请之日": case.received_on,
        "承办科室": case.department.name if case.department else "",
        "承办人": case.assigned_to.display_name if case.assigned_to else "",
        "状态": case.get_status_display(),
        "办理结果": case.get_outcome_display() if case.outcome else "",
        "办结日期": case.closed_on,
        "当场答复": case.answered_on_the_spot,
        "答复说明": case.closing_note,
        "答复期限": case.due_on,
        "期限说明": case.due_note,
        "补正": {
            "补正告知日": case.correction_requested_on,
            "补正期限": case.correction_reply_by,
            "需要补正的事项": case.correction_items,
            "收到补正之日": case.correction_received_on,
        },
        "延迟答复": {"决定日": case.delay_decided_on, "期限": case.delayed_due_on, "理由": case.delay_reason},
        "征求意见": [
            {
                "被征求意见方": c.get_party_display(),
                "名称": c.party_name,
                "事项": c.matter,
                "发出之日": c.sent_on,
                "答复期限": c.reply_due_on,
                "结束之日": c.ended_on,
                "收到意见之日": c.replied_on,
                "同意公开": c.consents,
                "意见": c.opinion,
            }
            for c in case.consultations.order_by("sent_on", "pk")
        ],
        "延长答复期限": [
            {
                "延长工作日数": e.days,
                "理由": e.reason,
                "申请日期": e.requested_on,
                "审批": e.get_decision_display(),
                "审批日期": e.decided_on,
                "审批意见": e.decision_note,
                "告知申请人之日": e.notified_on,
            }
            for e in case.extensions.order_by("requested_on", "pk")
        ],
        "行政复议／诉讼": [
            {
                "类别": r.get_kind_display(),
                "申请／起诉日期": r.filed_on,
                "机关": r.body,
                "案号": r.case_number,
                "结果": r.get_result_display(),
                "审结日期": r.concluded_on,
            }
            for r in case.reviews.order_by("filed_on", "pk")
        ],
    }


def fee_records(case: Case) -> list[dict[str, Any]]:
    return [
        {
            "计收方式": f.get_method_display(),
            "本次件数": f.pieces,
            "本月此前件数": f.earlier_pieces,
            "页数": f.pages,
            "收费金额（元）": f.amount,
            "计费明细": f.breakdown,
            "申请人收到通知之日": f.notified_on,
            "缴费期限": f.payment_due_on,
            "缴费日期": f.paid_on,
            "实收金额（元）": f.amount_collected,
            "逾期未缴费处理日": f.lapsed_on,
        }
        for f in case.fee_notices.order_by("notified_on", "pk")
    ]


def delivery_record(delivery: Delivery, proof_path: str) -> dict[str, Any]:
    letter = delivery.letter
    return {
        "文书": letter.number,
        "文书类型": letter.kind_enum.label,
        "送达方式": delivery.method_enum.label,
        "发出日期": delivery.sent_on,
        "送达日期": delivery.received_on,
        "邮件号码": delivery.tracking_number,
        "申请人同意电子送达": delivery.consent,
        "说明": delivery.note,
        "下载时间": delivery.downloaded_at,
        "下载次数": delivery.download_count,
        "登记人": delivery.recorded_by.display_name if delivery.recorded_by else "系统",
        "送达凭证": proof_path,
    }


def timeline(events: Iterable[CaseEvent]) -> list[dict[str, Any]]:
    return [
        {
            "日期": e.on,
            "记录时间": e.at,
            "事项": e.get_kind_display(),
            "操作人": e.actor_name,
            "原状态": e.get_status_before_display() if e.status_before else "",
            "新状态": e.get_status_after_display() if e.status_after else "",
            "内容": e.payload,
            "说明": e.note,
        }
        for e in events
    ]


def _payload_text(payload: Any) -> str:
    if isinstance(payload, dict):
        return "；".join(f"{k}：{_payload_text(v)}" for k, v in payload.items())
    if isinstance(payload, list):
        return "、".join(_payload_text(v) for v in payload)
    return "" if payload is None else str(payload)


def timeline_html(case: Case, rows: list[dict[str, Any]]) -> str:
    """A printable page of the timeline (self-contained, no scripts, no external resources)."""
    esc = html.escape
    body = "".join(
        "<tr>"
        f"<td>{esc(_day(r['日期']))}</td><td>{esc(r['事项'])}</td><td>{esc(r['操作人'])}</td>"
        f"<td>{esc(r['原状态'])}{' → ' if r['新状态'] else ''}{esc(r['新状态'])}</td>"
        f"<td>{esc(_payload_text(r['内容']))}</td><td>{esc(r['说明'])}</td>"
        "</tr>"
        for r in rows
    )
    return (
        '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{esc(case.number)} 办理过程</title><style>"
        f"body{{font-family:{BODY_FONTS};margin:2em}} h1{{font-family:{TITLE_FONTS};font-size:1.4em}}"
        "table{border-collapse:collapse;width:100%} th,td{border:1px solid #000;padding:3px 5px;"
        "vertical-align:top;text-align:left}</style></head><body>"
        f"<h1>{esc(case.agency.name)} 依申请公开案件办理过程</h1>"
        f"<p>案件编号：{esc(case.number)}　申请人：{esc(applicant_masked(case))}</p>"
        "<table><thead><tr><th>日期</th><th>事项</th><th>操作人</th><th>状态</th><th>内容</th><th>说明</th></tr>"
        f"</thead><tbody>{body}</tbody></table></body></html>\n"
    )


def _copy_stored(writer: ArchiveWriter, path: str, stored: Any) -> bool:
    """Copy a stored file into the archive; False when storage no longer has it."""
    try:
        with stored.open("rb") as handle:
            writer.add_file(path, handle)
    except (OSError, ValueError):
        return False
    return True


def write_case(writer: ArchiveWriter, case: Case) -> CaseRow:
    """Add every file of ``case`` to ``writer``; returns its line of the 案卷目录."""
    folder = safe_component(case.number, fallback=f"案件{case.pk}")
    row = CaseRow(
        number=case.number,
        applicant=applicant_masked(case),
        received_on=_day(case.received_on),
        closed_on=_day(case.closed_on),
        status=case.get_status_display(),
        outcome=case.get_outcome_display() if case.outcome else "",
    )
    letters = list(Letter.objects.filter(case=case).order_by("issued_on", "year", "sequence", "pk"))
    for n, letter in enumerate(letters, start=1):
        row.letters.append(_write_letter(writer, folder, n, letter))
    if letters:
        # WeasyPrint leaves reference cycles holding its font data (10–20 MB a letter): collect
        # them once per case, or a year grows the process by gigabytes (bench/archive_export.py).
        gc.collect()
    deliveries = []
    for delivery in (
        Delivery.objects.filter(letter__case=case)
        .select_related("letter", "recorded_by")
        .order_by("letter__issued_on", "letter__sequence", "created_at", "pk")
    ):
        proof = ""
        if delivery.proof:
            name = safe_component(delivery.proof_name or delivery.proof.name.rsplit("/", 1)[-1], fallback="凭证")
            proof = writer.unique(f"{folder}/附件/送达凭证/{delivery.letter.sequence}-{delivery.pk}-{name}")
            if _copy_stored(writer, proof, delivery.proof):
                row.attachments += 1
            else:
                row.missing.append(proof)
                proof = ""
        deliveries.append(delivery_record(delivery, proof))
    uploads = []
    for item in (
        ApplicantFile.objects.filter(reply__case=case).select_related("reply").order_by("reply__submitted_at", "pk")
    ):
        reply = item.reply
        path = writer.unique(f"{folder}/附件/申请人提交/{reply.pk}-{item.pk}-{safe_component(item.name)}")
        if _copy_stored(writer, path, item.file):
            row.attachments += 1
        else:
            row.missing.append(path)
            path = ""
        uploads.append(
            {
                "类型": reply.get_kind_display(),
                "提交时间": reply.submitted_at,
                "说明": reply.text,
                "文件名": item.name,
                "大小（字节）": item.size,
                "文件": path,
                "要求重新提交之日": reply.rejected_on,
                "原因": reply.rejected_note,
            }
        )
    facts = case_facts(case)
    facts["申请人提交"] = uploads
    writer.add_bytes(f"{folder}/案件信息.json", _json_bytes(facts))
    rows = timeline(CaseEvent.objects.filter(case=case).order_by("on", "at", "pk"))
    writer.add_bytes(f"{folder}/办理过程.json", _json_bytes(rows))
    writer.add_bytes(f"{folder}/办理过程.html", timeline_html(case, rows).encode("utf-8"))
    writer.add_bytes(f"{folder}/收费记录.json", _json_bytes(fee_records(case)))
    writer.add_bytes(f"{folder}/送达记录.json", _json_bytes(deliveries))
    return row


def _write_letter(writer: ArchiveWriter, folder: str, n: int, letter: Letter) -> LetterRow:
    label = letter.kind_enum.label
    stem = f"{folder}/文书/{n:02d}-{letter_stem(letter.number, label)}"
    pdf = letter_pdf(letter)
    pdf_path = writer.add_bytes(f"{stem}.pdf", pdf).path
    regenerated = not (letter.file and _copy_stored(writer, f"{stem}.docx", letter.file))
    if regenerated:
        docx = render_docx(parse_letter_text(letter.kind_enum, letter.text))
        docx_path = writer.add_bytes(f"{stem}.docx", docx).path
    else:
        docx_path = writer.entries[-1].path
    return LetterRow(
        number=letter.number,
        label=label,
        issued_on=_day(letter.issued_on),
        pages=pdf_pages(pdf),
        pdf=pdf_path,
        docx=docx_path,
        regenerated=regenerated,
    )
