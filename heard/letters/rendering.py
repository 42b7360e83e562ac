"""The final letter as PDF (WeasyPrint, tagged PDF/UA where supported) and DOCX (python-docx), from the
same text. Large print is 16pt and above (RNIB clear print guidance), standard print 12pt."""

from __future__ import annotations

import io

from django.conf import settings
from django.template.loader import render_to_string

from heard.letters.models import Letter
from heard.letters.placeholders import long_date


def _paragraphs(text: str) -> list[list[str]]:
    """Blank lines separate paragraphs; single line breaks stay as line breaks."""
    return [block.split("\n") for block in text.replace("\r\n", "\n").split("\n\n") if block.strip()]


def letter_context(letter: Letter) -> dict:
    return {
        "letter": letter,
        "council_name": settings.HEARD_COUNCIL_NAME,
        "council_address": [line.strip() for line in settings.HEARD_COUNCIL_ADDRESS.split(",") if line.strip()],
        "council_phone": settings.HEARD_COUNCIL_PHONE,
        "council_email": settings.HEARD_COUNCIL_EMAIL,
        "reference": letter.feedback.reference,
        "letter_date": long_date(letter.letter_date or letter.drafted_on),
        "recipient_lines": [letter.recipient_name, *letter.recipient_address.splitlines()]
        if letter.recipient_name
        else [],
        "paragraphs": _paragraphs(letter.body),
    }


def render_html(letter: Letter) -> str:
    return render_to_string("letters/letter_pdf.html", letter_context(letter))


def render_pdf(letter: Letter) -> bytes:
    from weasyprint import HTML

    html = HTML(string=render_html(letter))
    try:
        # Tagged, accessible PDF (screen readers follow headings and reading order).
        return html.write_pdf(pdf_variant="pdf/ua-1")
    except (ValueError, TypeError):  # an older WeasyPrint without the variant
        return html.write_pdf()


def render_docx(letter: Letter) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    ctx = letter_context(letter)
    size = Pt(16 if letter.large_print else 12)
    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = size
    doc.core_properties.title = letter.title
    doc.core_properties.author = ctx["council_name"]

    def para(lines: list[str], *, align=None, bold: bool = False) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        for i, line in enumerate(lines):
            run = p.add_run(line)
            run.bold = bold
            run.font.size = size
            if i < len(lines) - 1:
                run.add_break()

    para(
        [
            ctx["council_name"],
            *ctx["council_address"],
            f"Phone: {ctx['council_phone']}",
            f"Email: {ctx['council_email']}",
        ],
        align=WD_ALIGN_PARAGRAPH.RIGHT,
    )
    if ctx["recipient_lines"]:
        para(ctx["recipient_lines"])
    para([f"Our reference: {ctx['reference']}", f"Date: {ctx['letter_date']}"])
    heading = doc.add_heading(letter.title, level=1)
    for run in heading.runs:
        run.font.size = Pt(22 if letter.large_print else 16)
    for lines in ctx["paragraphs"]:
        para(lines)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
