"""Support for the text and thumbnail tests: depositing with the tasks run, real images, and
PDFs and PNGs that are broken or hostile."""

import io
import struct
import zlib

from PIL import Image
from pypdf import PdfReader, PdfWriter

from eprints_app.models import Document, Item
from tests.factories import make_document, pdf_bytes


def deposit(item: Item, capture_on_commit, **fields) -> Document:
    """``make_document`` with its tasks run, as the immediate backend runs them after the commit;
    ``capture_on_commit`` is pytest-django's ``django_capture_on_commit_callbacks``."""
    with capture_on_commit(execute=True):
        document = make_document(item, **fields)
    document.refresh_from_db()
    return document


def png_bytes(width: int, height: int, colour: str = "teal") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def declared_png(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height`` pixels, with almost no pixel data:
    a decompression bomb as a decoder first meets it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )


def truncated_pdf() -> bytes:
    return pdf_bytes()[:400]


def garbage_pdf() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40


def encrypted_pdf(password: str = "secret") -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password=password, owner_password=password + "-owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def endless_pdf(depth: int = 25, fan_out: int = 8) -> bytes:
    """A valid one-page PDF whose drawing never ends: each form draws the next ``fan_out`` times,
    ``depth`` forms deep, so the page holds fan_out ** depth drawings."""
    draw_next = b" ".join([b"q 0.9 0 0 0.9 1 1 cm /X Do Q"] * fan_out)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]"
        b" /Resources << /XObject << /X 5 0 R >> >> /Contents 4 0 R >>",
        _stream(b"", b"/X Do"),
    ]
    for level in range(depth):
        last = level == depth - 1
        resources = b"" if last else b"/Resources << /XObject << /X %d 0 R >> >>" % (6 + level)
        body = b"0 0 10 10 re f" if last else draw_next
        objects.append(_stream(b"/Type /XObject /Subtype /Form /BBox [0 0 200 200] " + resources, body))
    return _pdf(objects)


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF file of numbered objects (1 is the catalogue), with a correct cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()
