"""Small but genuine PDFs for the demo data and the tests (fpdf2, core fonts only)."""

import random

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from PIL import Image

# The core PDF fonts cover Latin-1 only: typographic punctuation becomes its ASCII form.
ASCII_EQUIVALENTS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2026": "...",
        "\u00a0": " ",
        "\u2009": " ",
    }
)

SECTION_HEADINGS = (
    "Introduction",
    "Background and literature",
    "Approach",
    "Findings",
    "Discussion",
    "Conclusion",
)


def latin1_text(text: str) -> str:
    """The text with curly quotes and dashes made ASCII, and anything else outside Latin-1 as "?"."""
    return text.translate(ASCII_EQUIVALENTS).encode("latin-1", "replace").decode("latin-1")


class _DemoPDF(FPDF):
    running_title = ""

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"{self.running_title} - page {self.page_no()} of {{nb}}", align="C")


def make_pdf(
    title: str,
    authors: list[str],
    abstract: str,
    pages: int = 4,
    *,
    target_size: int | None = None,
) -> bytes:
    """A PDF of ``pages`` pages (at least one) holding the title, authors and abstract.

    The first page carries the title, the authors (one per line, as given, e.g.
    "Ahmar, Moonis") and the abstract; each further page carries a numbered section
    heading followed by the abstract again, so that text extraction finds the
    title and the abstract on a real multi-page document. An abstract too long for
    one page flows on to extra pages, so the count is then higher than ``pages``.

    With ``target_size`` (bytes), a figure of incompressible grey noise is added on
    the last page and sized so that the file lands within about 500 bytes of the
    target: enough to reproduce a real file's "Download (279kB)".
    """
    pages = max(1, pages)
    title, abstract = latin1_text(title), latin1_text(abstract)
    authors = [latin1_text(author) for author in authors]
    paragraphs = [part.strip() for part in abstract.split("\n\n") if part.strip()] or [""]
    data = _render(title, authors, paragraphs, pages, figure_pixels=0)
    if target_size is None or target_size <= len(data):
        return data
    pixels = target_size - len(data)
    for _ in range(4):
        data = _render(title, authors, paragraphs, pages, figure_pixels=pixels)
        if abs(len(data) - target_size) <= FIGURE_WIDTH:
            break
        pixels = max(FIGURE_WIDTH, pixels + target_size - len(data))
    return data


FIGURE_WIDTH = 400  # pixels; the figure's height follows from the size wanted


def _render(title: str, authors: list[str], paragraphs: list[str], pages: int, figure_pixels: int) -> bytes:
    pdf = _DemoPDF(format="A4")
    pdf.running_title = title if len(title) <= 80 else title[:77] + "..."
    pdf.set_title(title)
    pdf.set_author("; ".join(authors))
    pdf.set_creator("eprints_app demo data")
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_margins(left=20, top=20, right=20)

    def heading(text: str, size: int) -> None:
        pdf.set_font("Helvetica", style="B", size=size)
        pdf.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(3)

    def body(texts: list[str]) -> None:
        pdf.set_font("Times", size=11)
        for paragraph in texts:
            pdf.multi_cell(0, 5.5, paragraph, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)

    pdf.add_page()
    heading(title, 16)
    pdf.set_font("Helvetica", style="I", size=11)
    for author in authors:
        pdf.cell(0, 6, author, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(6)
    heading("Abstract", 12)
    body(paragraphs)

    for number in range(2, pages + 1):
        pdf.add_page()
        section = SECTION_HEADINGS[(number - 2) % len(SECTION_HEADINGS)]
        heading(f"{number - 1}. {section}", 13)
        body(
            [
                *paragraphs,
                f'This page is part of a demonstration copy of "{title}" and repeats the '
                "abstract so that the document has several pages of searchable text.",
            ]
        )

    if figure_pixels > 0:
        rows = max(1, round(figure_pixels / FIGURE_WIDTH))
        noise = random.Random(title).randbytes(FIGURE_WIDTH * rows)
        figure = Image.frombytes("L", (FIGURE_WIDTH, rows), noise)
        room = pdf.page_break_trigger - pdf.get_y() - 12
        if room < 20:
            pdf.add_page()
            room = pdf.page_break_trigger - pdf.get_y() - 12
        pdf.image(figure, x=pdf.l_margin, y=pdf.get_y(), w=pdf.epw, h=min(60, room))
        pdf.set_y(pdf.get_y() + min(60, room) + 2)
        pdf.set_font("Helvetica", style="I", size=9)
        pdf.cell(0, 5, "Figure 1. Illustrative texture (demonstration data).")

    return bytes(pdf.output())
