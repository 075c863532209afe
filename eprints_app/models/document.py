"""Documents of an item, each with one file kept through Django's storage API."""

import posixpath
import secrets
from datetime import date

from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from eprints_app.enums import ContentVersion, DerivativeStatus, DocumentFormat, ItemStatus, Licence, Security


def document_upload_to(document: "Document", filename: str) -> str:
    """documents/<eprint id>/<random>/<name>: unique per upload, readable in a bucket listing."""
    return f"documents/{document.item_id}/{secrets.token_hex(4)}/{posixpath.basename(filename)}"


# What describes a document, as depositors fill it in (forms, the admin, new versions).
DOCUMENT_METADATA = [
    "pos",
    "format",
    "formatdesc",
    "content",
    "language",
    "security",
    "license",
    "date_embargo",
]


class DocumentQuerySet(models.QuerySet):
    def public_now(self, today: date | None = None) -> "DocumentQuerySet":
        """Documents whose own rules let anyone download them today (``effective_security``
        as a filter): public, or with an embargo that is over."""
        today = today or timezone.localdate()
        return self.filter(
            models.Q(date_embargo__isnull=True, security=Security.PUBLIC) | models.Q(date_embargo__lte=today)
        )

    def open_access(self, today: date | None = None) -> "DocumentQuerySet":
        """Documents anyone may download: ``access.is_open_access`` as a filter (a test holds the
        two together): public now, of a live item."""
        return self.public_now(today).filter(item__status=ItemStatus.ARCHIVE)


class Document(models.Model):
    item = models.ForeignKey("Item", on_delete=models.CASCADE, related_name="documents")
    pos = models.PositiveSmallIntegerField(
        "Position", blank=True, help_text="Used in the download URL; filled in when left empty."
    )
    format = models.CharField(
        "Type", max_length=16, choices=DocumentFormat.choices, default=DocumentFormat.TEXT
    )
    formatdesc = models.CharField("Description", max_length=255, blank=True)
    content = models.CharField("Version", max_length=16, choices=ContentVersion.choices, blank=True)
    language = models.CharField("Language", max_length=16, blank=True, default="en")
    security = models.CharField(
        "Visible to", max_length=16, choices=Security.choices, default=Security.PUBLIC
    )
    license = models.CharField("Licence", max_length=32, choices=Licence.choices, blank=True)
    date_embargo = models.DateField(
        "Embargo expiry date",
        null=True,
        blank=True,
        help_text="Until this date only repository staff may download the file.",
    )

    file = models.FileField(upload_to=document_upload_to, max_length=512)
    filename = models.CharField("File name", max_length=255, editable=False)
    mime_type = models.CharField("MIME type", max_length=255, editable=False)
    filesize = models.PositiveBigIntegerField("Size in bytes", editable=False, default=0)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    file_modified = models.DateTimeField("File uploaded", default=timezone.now, editable=False)

    # Derived by background tasks (eprints_app.tasks): the full text for search, and thumbnails.
    # They fail softly: a failure is recorded here for staff and the document stays downloadable.
    text = models.TextField("Extracted text", blank=True, editable=False)
    text_status = models.CharField(
        "Text extraction",
        max_length=16,
        choices=DerivativeStatus.choices,
        default=DerivativeStatus.PENDING,
        editable=False,
    )
    thumbnail_small = models.FileField(max_length=512, blank=True, editable=False)
    thumbnail_preview = models.FileField(max_length=512, blank=True, editable=False)
    thumbnail_status = models.CharField(
        "Thumbnails",
        max_length=16,
        choices=DerivativeStatus.choices,
        default=DerivativeStatus.PENDING,
        editable=False,
    )
    derivative_error = models.TextField("Last processing error", blank=True, editable=False)

    objects = DocumentQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[
            "text",
            "text_status",
            "thumbnail_small",
            "thumbnail_preview",
            "thumbnail_status",
            "derivative_error",
        ]
    )

    class Meta:
        ordering = ["item", "pos"]
        constraints = [models.UniqueConstraint(fields=["item", "pos"], name="document_unique_position")]

    def __str__(self) -> str:
        return self.filename or f"document {self.pos}"

    def get_absolute_url(self) -> str:
        """The download URL: /id/eprint/<id>/<pos>/<filename>."""
        return reverse("download", args=[self.item_id, self.pos, self.filename])

    def is_embargoed(self) -> bool:
        return self.date_embargo is not None and timezone.localdate() < self.date_embargo

    @property
    def effective_security(self) -> str:
        """Who may download now: staff only while embargoed, public once the embargo has passed."""
        if self.date_embargo is not None:
            return Security.STAFFONLY if self.is_embargoed() else Security.PUBLIC
        return self.security

    def save(self, *args, **kwargs) -> None:
        """A plain save; ``eprints_app.services.documents`` does what a new file brings with it.

        The position defaults to the next free one; the file name (the last part of download
        URLs) to the stored file's own name. A document with no name anywhere is refused.
        """
        if self.pos is None:
            last = Document.objects.filter(item_id=self.item_id).aggregate(models.Max("pos"))
            self.pos = (last["pos__max"] or 0) + 1
        if not self.filename and self.file:
            self.filename = posixpath.basename(self.file.name)
        if not self.filename:
            raise ValueError("A document needs a file with a name.")
        super().save(*args, **kwargs)
