"""Thumbnails of a document's file: the first page of a PDF (pdfium) or the image itself (Pillow).

Each size is a fixed box with the picture centred in it on a transparent ground, so that pages
can give every thumbnail its width and height before it loads. Like text extraction, these
functions read a local file and touch neither Django nor the database: they run in a bounded
child process (``eprints_app.services.bounded``), driven by ``eprints_app.services.derivatives``.
pdfium and Pillow are imported there (the forkserver preloads them), never in a web worker,
which needs only the sizes and types below.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

# Boxes in pixels, A4-shaped (1:1.414) as most deposits are: "small" for lists and the item
# page, "preview" for high-density screens.
SIZES = {"small": (120, 170), "preview": (400, 566)}
FORMAT, EXTENSION, CONTENT_TYPE = "WEBP", "webp", "image/webp"
# Lossy WebP keeps scanned and photographic pages small (the item page's budget is 100 KB).
QUALITY = 80
# Images larger than this are refused rather than decoded: 60 megapixels covers a 600 dpi A4
# scan and today's cameras, and stays well inside the child's memory limit.
MAX_PIXELS = 60_000_000
# What Pillow reads; other image types are skipped.
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp", "image/tiff", "image/bmp"}


def can_render(mime_type: str) -> bool:
    return mime_type == "application/pdf" or mime_type in IMAGE_TYPES


def render_thumbnails(path: str, mime_type: str) -> dict[str, bytes]:
    """Each size in ``SIZES`` as encoded image bytes, keyed by size name."""
    from PIL import Image

    picture = first_page(path) if mime_type == "application/pdf" else open_image(path)
    if picture.mode not in {"RGB", "RGBA"}:
        picture = picture.convert("RGBA")  # palette and 16-bit images resample badly as they are
    picture.thumbnail(max(SIZES.values()), Image.Resampling.LANCZOS)  # shrink once, in place
    return {name: encode(fit(picture, box)) for name, box in SIZES.items()}


def first_page(path: str) -> Image.Image:
    """The first page, rendered to fit the largest box."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(path)
    try:
        if len(document) == 0:
            raise ValueError("The PDF has no pages.")
        page = document[0]
        width, height = page.get_size()
        if width <= 0 or height <= 0:
            raise ValueError("The first page has no size.")
        box_width, box_height = SIZES["preview"]
        # Scale to the box on both axes, so that a freakishly long page cannot make a huge bitmap.
        bitmap = page.render(scale=min(box_width / width, box_height / height))
        return bitmap.to_pil().copy()  # a copy owns its pixels; the bitmap's go with the document
    finally:
        document.close()


def open_image(path: str) -> Image.Image:
    """The image, upright, its first frame if animated; refused above ``MAX_PIXELS``."""
    from PIL import Image, ImageOps

    with warnings.catch_warnings():
        # Pillow only warns between its limit and twice that: refuse those too.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(path)
        if image.width * image.height > MAX_PIXELS:
            raise ValueError(
                f"The image is {image.width}x{image.height} pixels, more than the limit of {MAX_PIXELS:,}."
            )
        image.draft("RGB", SIZES["preview"])  # JPEG decodes straight to a reduced size
        return ImageOps.exif_transpose(image)


def fit(picture: Image.Image, box: tuple[int, int]) -> Image.Image:
    """The picture scaled down to fit ``box``, centred on a transparent ground of exactly that size."""
    from PIL import Image

    scaled = picture.convert("RGBA")  # a copy, whatever the mode
    scaled.thumbnail(box, Image.Resampling.LANCZOS)
    ground = Image.new("RGBA", box, (255, 255, 255, 0))
    ground.paste(scaled, ((box[0] - scaled.width) // 2, (box[1] - scaled.height) // 2))
    return ground


def encode(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, FORMAT, quality=QUALITY)
    return buffer.getvalue()
