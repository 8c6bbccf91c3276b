"""A stored letter as PDF, rendered on demand from its stored text (``core.letters.pdf``).

On demand rather than stored at issue time: the stored text is the letter as issued (it never
changes), rendering it is deterministic, letters issued before PDFs existed get one too, and
issuing a letter does not wait a second for WeasyPrint. The seal placed on it is the agency's
seal image configured now (``LetterSettings.seal_image``): an agency that replaces its seal
image should know that earlier letters then print with the new one.
"""

from __future__ import annotations

from gongkai.core.letters.pdf import SealImage, parse_letter_text, render_letter_pdf
from gongkai.letters.models import Letter, LetterSettings
from gongkai.letters.uploads import SEAL_KINDS, seal_max_bytes


def seal_image(agency_id: int) -> SealImage | None:
    """The agency's seal image, if configured and still a PNG/JPG within the size limit."""
    found = LetterSettings.objects.filter(agency_id=agency_id).exclude(seal_image="").first()
    if found is None:
        return None
    try:
        with found.seal_image.open("rb") as handle:
            data = handle.read(seal_max_bytes() + 1)
    except OSError:
        return None
    kind = next((k for k in SEAL_KINDS if data.startswith(k.magic)), None)
    if kind is None or len(data) > seal_max_bytes():
        return None
    return SealImage(data, kind.content_type)


def letter_pdf(letter: Letter) -> bytes:
    """The letter in 公文 layout as PDF bytes, with the agency's seal where configured."""
    composed = parse_letter_text(letter.kind_enum, letter.text)
    return render_letter_pdf(composed, seal=seal_image(letter.agency_id))


def pdf_filename(letter: Letter) -> str:
    return letter.download_name.removesuffix(".docx") + ".pdf"
