"""The text of a document's file, for search: PDFs through pdfium, plain text decoded.

These functions read a local file and touch neither Django nor the database: they run in a
bounded child process (``eprints_app.services.bounded``), driven by
``eprints_app.services.derivatives``.
"""

import re

# Enough for any article or thesis; a 5,000-page scan must not hold a worker for minutes.
MAX_PAGES = 200
# Characters kept: about 2 MB of text, far more than search needs to find a document.
MAX_CHARS = 2_000_000
# Control characters other than tab and newline, and the non-characters pdfium sometimes
# emits; PostgreSQL refuses NUL in text.
UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff]")


def can_extract(mime_type: str) -> bool:
    return mime_type == "application/pdf" or mime_type.startswith("text/")


def extract_text(path: str, mime_type: str) -> str:
    """The text of the file at ``path``: at most ``MAX_PAGES`` pages and ``MAX_CHARS`` characters."""
    raw = pdf_text(path) if mime_type == "application/pdf" else plain_text(path)
    return tidy(raw)[:MAX_CHARS]


def pdf_text(path: str) -> str:
    import pypdfium2 as pdfium  # in the bounded child only (preloaded by its forkserver)

    document = pdfium.PdfDocument(path)
    try:
        if len(document) == 0:
            raise ValueError("The PDF has no pages.")
        pages, length = [], 0
        for index in range(min(len(document), MAX_PAGES)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
            length += len(pages[-1])
            if length >= MAX_CHARS:
                break
        return "\n\n".join(pages)
    finally:
        document.close()


def plain_text(path: str) -> str:
    # Four bytes a character at most in UTF-8: enough bytes for MAX_CHARS characters.
    limit = MAX_CHARS * 4
    with open(path, "rb") as file:
        data = file.read(limit)
    return decode(data, cut=len(data) == limit)


def decode(data: bytes, cut: bool = False) -> str:
    """UTF-8 (with or without a byte-order mark) when it is, Windows-1252 otherwise.

    The upload check (``services.files.sniff_mime_type``) calls a file text only when it holds
    no NUL bytes, so UTF-16 never arrives here; what fails as UTF-8 is almost always a legacy
    Western encoding, and Windows-1252 is the superset of Latin-1 that such files use.
    ``cut`` says the data stops at a read limit, perhaps inside a character.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if cut and error.start >= len(data) - 3:  # a character cut by the read limit
            return data[: error.start].decode("utf-8-sig")
        return data.decode("cp1252", errors="replace")


def tidy(text: str) -> str:
    return UNWANTED.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
