"""Documents of an item, each with one file kept through Django's storage API."""

import posixpath
import secrets

from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from eprints_app.enums import ContentVersion, DerivativeStatus, DocumentFormat, Licence, Security


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
        from eprints_app.services.files import delete_stored_file_on_commit, describe_file

        if self.pos is None:
            last = Document.objects.filter(item_id=self.item_id).aggregate(models.Max("pos"))
            self.pos = (last["pos__max"] or 0) + 1
        new_file = bool(self.file) and not self.file._committed
        replaced = None
        if new_file:
            facts = describe_file(self.file)
            self.mime_type, self.filesize, self.sha256 = facts.mime_type, facts.size, facts.sha256
            self.filename = posixpath.basename(self.file.name)
            self.file_modified = timezone.now()
            if not self._state.adding:
                replaced = Document.objects.filter(pk=self.pk).values_list("file", flat=True).first()
        try:
            with transaction.atomic():
                super().save(*args, **kwargs)
        except Exception:
            # The file reached storage before the row failed: take it back out.
            if new_file and self.file._committed:
                self.file.storage.delete(self.file.name)
            raise
        if replaced and replaced != self.file.name:
            delete_stored_file_on_commit(self.file.storage, replaced)
