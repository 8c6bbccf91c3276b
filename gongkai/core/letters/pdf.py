"""A letter, and the 登记/受理回执, as PDF in the 公文 layout of the .docx (GB/T 9704-2012).

The page matches :mod:`gongkai.core.letters.writer`: A4, 天头 37 mm, 订口 28 mm, 翻口 26 mm, bottom
35 mm; title in 2号 (22 pt) 小标宋 centred; 发文字号 centred; body in 3号 (16 pt) 仿宋 on the
28.95 pt line pitch, paragraphs indented two characters; 发文机关署名 and 成文日期 right-aligned
four characters in from the edge. Where no 小标宋/仿宋 is installed, Noto CJK is used, so the
text is real text. The agency's seal image, when given, is laid over the 成文日期 (§7.3.5.1:
the seal sits on the date, 上距正文一行之内, 端正、居中下压发文机关署名和成文日期).

Rendering is deterministic (no creation date in the file), so the PDF of a stored letter can be
made on demand from the letter's stored text.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import date
from html import escape

from gongkai.core.deadlines import ANSWER_DAYS
from gongkai.core.letters.kinds import LetterType
from gongkai.core.letters.rules import chinese_date
from gongkai.core.letters.templating import ComposedLetter
from gongkai.core.report.writers.html import BODY_FONTS, HEADING_FONTS, TITLE_FONTS
from gongkai.core.report.writers.pdf import html_to_pdf


@dataclass(frozen=True, slots=True)
class SealImage:
    """The agency's seal as image bytes of ``content_type`` (image/png or image/jpeg)."""

    data: bytes
    content_type: str

    def data_uri(self) -> str:
        return f"data:{self.content_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def parse_letter_text(kind: LetterType, text: str) -> ComposedLetter:
    """The parts of a letter from its stored text (the inverse of ``ComposedLetter.text``).

    The text is title, 文号, an empty line, the addressee (may be empty), the paragraphs, an
    empty line, the 署名, "（盖章）" and the date.
    """
    lines = text.split("\n")
    if len(lines) < 8 or lines[2] != "" or lines[-4] != "" or lines[-2] != ComposedLetter.SEAL:
        raise ValueError("文书全文的格式不对，无法排版为 PDF")
    return ComposedLetter(
        kind=kind,
        title=lines[0],
        number=lines[1],
        addressee=lines[3],
        paragraphs=tuple(lines[4:-4]),
        agency=lines[-3],
        date_text=lines[-1],
    )


_STYLE = f"""
@page {{ size: A4; margin: 37mm 26mm 35mm 28mm;
  @bottom-center {{ content: "— " counter(page) " —"; font-family: {BODY_FONTS}; font-size: 14pt; }} }}
html {{ font-family: {BODY_FONTS}; font-size: 16pt; line-height: 28.95pt; color: #000; background: #fff; }}
body {{ margin: 0; }}
h1 {{ font-family: {TITLE_FONTS}; font-size: 22pt; line-height: 35pt; font-weight: bold; text-align: center;
  margin: 0; }}
p {{ margin: 0; }}
.number {{ text-align: center; margin-top: 28.95pt; }}
.addressee {{ margin-top: 28.95pt; }}
.body {{ text-indent: 2em; text-align: justify; }}
.signature {{ margin-top: 57.9pt; position: relative; }}
.signature p {{ text-align: right; padding-right: 4em; }}
.seal {{ position: absolute; right: 4em; bottom: -14pt; width: 42mm; height: 42mm; opacity: 0.85; }}
.receipt-table {{ border-collapse: collapse; width: 100%; margin-top: 14pt; font-size: 14pt; line-height: 22pt; }}
.receipt-table th, .receipt-table td {{ border: 0.75pt solid #000; padding: 4pt 6pt; text-align: left;
  vertical-align: top; }}
.receipt-table th {{ font-family: {HEADING_FONTS}; font-weight: normal; width: 30%; }}
.qr {{ margin-top: 14pt; font-size: 12pt; line-height: 18pt; }}
.qr img {{ width: 32mm; height: 32mm; float: left; margin-right: 6mm; }}
.receipt .body {{ font-size: 15pt; line-height: 24pt; }}
.receipt .signature {{ margin-top: 20pt; clear: both; }}
"""


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_STYLE}</style></head><body>{body}</body></html>"
    )


def _signature(agency: str, date_text: str, seal: SealImage | None) -> str:
    stamp = f'<img class="seal" src="{seal.data_uri()}" alt="">' if seal is not None else ""
    mark = "" if seal is not None else f"<p>{ComposedLetter.SEAL}</p>"
    return f'<div class="signature"><p>{escape(agency)}</p>{mark}<p>{escape(date_text)}</p>{stamp}</div>'


def letter_html(letter: ComposedLetter, *, seal: SealImage | None = None) -> str:
    """The letter as one HTML page for WeasyPrint (see the module docstring for the layout).

    With a seal image the "（盖章）" line gives way to the seal itself.
    """
    parts = [f"<h1>{escape(letter.title)}</h1>"]
    if letter.number:
        parts.append(f'<p class="number">{escape(letter.number)}</p>')
    parts.append(f'<p class="addressee">{escape(letter.addressee)}&#8203;</p>')
    parts.extend(f'<p class="body">{escape(text)}</p>' for text in letter.paragraphs)
    parts.append(_signature(letter.agency, letter.date_text, seal))
    return _page(letter.title, "".join(parts))


def render_letter_pdf(letter: ComposedLetter, *, seal: SealImage | None = None) -> bytes:
    """The letter as A4 PDF bytes."""
    return html_to_pdf(letter_html(letter, seal=seal))


# ---------------------------------------------------------------------------------------------
# 登记/受理回执
# ---------------------------------------------------------------------------------------------


def answer_due_sentence(due_on: date) -> str:
    """ "自收到申请之日起20个工作日内（即2026年3月30日前）": 条例 art 33 ¶2."""
    return f"自收到申请之日起{ANSWER_DAYS}个工作日内（即{chinese_date(due_on)}前）"


@dataclass(frozen=True, slots=True)
class ReceiptFacts:
    """What a 登记/受理回执 states (条例 arts 31, 33): the application as received and its due date."""

    agency: str
    case_number: str
    applicant_name: str
    channel: str
    submitted_on: date
    received_on: date | None
    due_on: date | None
    due_is_provisional: bool
    tracking_code: str
    tracking_url: str
    printed_on: date


def receipt_rows(facts: ReceiptFacts) -> list[tuple[str, str]]:
    """The table of the receipt, label → value.

    Without a received date (条例 art 31(2)(3): 平常信函, 互联网, 传真 need a confirmation with the
    applicant) the due date cannot be stated yet, and the receipt says so.
    """
    if facts.received_on is None or facts.due_on is None:
        received = "待确认（以与申请人确认之日为收到申请之日，条例第三十一条）"
        due = f"自收到申请之日起{ANSWER_DAYS}个工作日内；收到申请之日确认后告知具体日期"
    else:
        received = chinese_date(facts.received_on)
        due = answer_due_sentence(facts.due_on)
        if facts.due_is_provisional:
            due += "（暂定：所跨年份的节假日安排尚未公布）"
    return [
        ("申请编号", facts.case_number),
        ("申请人", facts.applicant_name),
        ("提交方式", facts.channel),
        ("提交日期", chinese_date(facts.submitted_on)),
        ("收到申请之日", received),
        ("答复期限", due),
        ("查询码", facts.tracking_code),
    ]


def receipt_html(facts: ReceiptFacts, *, qr_svg: str) -> str:
    """The receipt page; ``qr_svg`` is an SVG document of the QR code to the tracking page."""
    rows = "".join(f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in receipt_rows(facts))
    qr_uri = "data:image/svg+xml;base64," + base64.b64encode(qr_svg.encode("utf-8")).decode("ascii")
    intro = (
        f"{facts.applicant_name}：您提交的政府信息公开申请已登记。本机关将依照《中华人民共和国政府信息公开条例》"
        f"第三十三条的规定，{ANSWER_DAYS}个工作日内予以答复；需要延长答复期限的，将另行告知。"
        "征求第三方或者其他机关意见所需时间、补正及缴费期间依法不计算在内。"
    )
    body = (
        '<div class="receipt"><h1>政府信息公开申请登记回执</h1>'
        f'<p class="addressee body">{escape(intro)}</p>'
        f'<table class="receipt-table">{rows}</table>'
        f'<div class="qr"><img src="{qr_uri}" alt="查询二维码">'
        f"<p>凭查询码和申请时填写的联系电话后四位，可在以下网址查询办理进度、下载文书：</p>"
        f"<p>{escape(facts.tracking_url)}</p></div>"
        + _signature(facts.agency, chinese_date(facts.printed_on), None).replace(f"<p>{ComposedLetter.SEAL}</p>", "")
    )
    return _page("政府信息公开申请登记回执", body)


def render_receipt_pdf(facts: ReceiptFacts, *, qr_svg: str) -> bytes:
    """The receipt as A4 PDF bytes."""
    return html_to_pdf(receipt_html(facts, qr_svg=qr_svg))
