"""The record: EPrints' "eprint" (eprints.md §1)."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from eprints_app.enums import (
    DateType,
    EventType,
    ItemStatus,
    ItemType,
    MonographType,
    PresentationType,
    PublicationStatus,
    ThesisType,
)
from eprints_app.models.document import Document
from eprints_app.validators import validate_partial_date


class ItemQuerySet(models.QuerySet):
    def live(self) -> "ItemQuerySet":
        """What the public may see: items in the live archive. Every public view uses this."""
        return self.filter(status=ItemStatus.ARCHIVE)

    def with_newer_version(self) -> "ItemQuerySet":
        """Annotate ``newer_version_id``: the newest live item that is a later version of each."""
        newer = self.model.objects.filter(succeeds=models.OuterRef("pk"), status=ItemStatus.ARCHIVE)
        return self.annotate(newer_version_id=models.Subquery(newer.order_by("-id").values("id")[:1]))

    def with_parts(self) -> "ItemQuerySet":
        """Items with everything a page or an export shows, in a fixed number of queries:
        ``creator_list`` in citation order, ``document_list`` by position, ``subject_list`` and
        ``division_list``. Plain lists: Django builds no queryset per item for them, which
        made a page of a hundred items cost three times as much to fetch."""
        return self.prefetch_related(
            *(models.Prefetch(name, queryset=part_rows(name), to_attr=f"prefetched_{name}") for name in PARTS)
        )


#: An item's parts, each with the order it is shown in.
PARTS = {"creators": ("role", "position", "id"), "documents": ("pos",), "subjects": (), "divisions": ()}


def part_rows(name: str, rows: models.QuerySet | None = None) -> models.QuerySet:
    """``rows`` (by default all) of one of ``PARTS``, in its order."""
    if rows is None:
        rows = Item._meta.get_field(name).related_model.objects.all()
    if PARTS[name]:
        rows = rows.order_by(*PARTS[name])
    # The extracted full text can be megabytes a document: pages never need it.
    return rows.defer("text") if rows.model is Document else rows


class Item(models.Model):
    """An eprint. Its primary key is the public eprint ID shown in URLs.

    ``last_modified`` and ``rev_number`` move on every save; creators, documents,
    subjects and divisions move it through ``eprints_app.services.changes``.
    Status changes go through ``eprints_app.services.status``.
    """

    id = models.BigAutoField(primary_key=True, verbose_name="ID")

    # Type
    type = models.CharField("Item Type", max_length=32, choices=ItemType.choices)
    monograph_type = models.CharField(
        "Monograph Type", max_length=32, choices=MonographType.choices, blank=True
    )
    thesis_type = models.CharField("Thesis Type", max_length=32, choices=ThesisType.choices, blank=True)
    pres_type = models.CharField(
        "Presentation Type", max_length=32, choices=PresentationType.choices, blank=True
    )

    # Details
    title = models.TextField("Title")
    abstract = models.TextField("Abstract", blank=True)
    date = models.CharField(
        "Date",
        max_length=10,
        blank=True,
        db_index=True,
        validators=[validate_partial_date],
        help_text="A year (2021), a year and month (2021-03) or a full date (2021-03-29).",
    )
    date_type = models.CharField("Date Type", max_length=16, choices=DateType.choices, blank=True)
    ispublished = models.CharField("Status", max_length=16, choices=PublicationStatus.choices, blank=True)
    publisher = models.CharField("Publisher", max_length=255, blank=True)
    place_of_pub = models.CharField("Place of Publication", max_length=255, blank=True)
    series = models.CharField("Series Name", max_length=255, blank=True)
    publication = models.CharField("Journal or Publication Title", max_length=255, blank=True)
    volume = models.CharField("Volume", max_length=32, blank=True)
    number = models.CharField("Number", max_length=32, blank=True)
    pagerange = models.CharField("Page Range", max_length=32, blank=True)
    pages = models.PositiveIntegerField("Number of Pages", null=True, blank=True)
    isbn = models.CharField("ISBN", max_length=32, blank=True)
    issn = models.CharField("ISSN", max_length=32, blank=True)
    book_title = models.CharField("Book Title", max_length=255, blank=True)
    edition = models.CharField("Edition", max_length=64, blank=True)
    event_title = models.CharField("Event Title", max_length=255, blank=True)
    event_type = models.CharField("Event Type", max_length=16, choices=EventType.choices, blank=True)
    event_location = models.CharField("Event Location", max_length=255, blank=True)
    event_dates = models.CharField("Event Dates", max_length=64, blank=True)
    institution = models.CharField("Institution", max_length=255, blank=True)
    department = models.CharField("Department", max_length=255, blank=True)
    official_url = models.URLField("Official URL", max_length=1024, blank=True)
    id_number = models.CharField(
        "Identification Number", max_length=255, blank=True, help_text="Usually a DOI."
    )
    refereed = models.BooleanField("Refereed", default=False)
    keywords = models.TextField("Uncontrolled Keywords", blank=True)
    note = models.TextField("Additional Information", blank=True)
    contact_email = models.EmailField(
        "Contact Email", blank=True, help_text="Receives requests for restricted documents; never shown."
    )

    # Classification
    subjects = models.ManyToManyField("Subject", blank=True, related_name="items")
    divisions = models.ManyToManyField("Division", blank=True, related_name="items")

    succeeds = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="later_versions",
        verbose_name="Later Version of",
    )

    # State
    status = models.CharField(
        "Status", max_length=16, choices=ItemStatus.choices, default=ItemStatus.INBOX, db_index=True
    )
    depositor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="items",
        verbose_name="Depositing User",
    )
    date_deposited = models.DateTimeField("Date Deposited", null=True, blank=True, editable=False)
    last_modified = models.DateTimeField("Last Modified", default=timezone.now, editable=False)
    status_changed = models.DateTimeField("Status Changed", null=True, blank=True, editable=False)
    rev_number = models.PositiveIntegerField("Revision", default=0, editable=False)
    # Fields an imported EPrints record had that this model does not (a site's local fields):
    # {field name: value as read}, shown to staff and written back by the EP3 XML export.
    extra = models.JSONField("Extra data", default=dict, blank=True, editable=False)

    objects = ItemQuerySet.as_manager()
    # Every saved change, with who made it and why (services set ``_change_reason``).
    history = HistoricalRecords(
        m2m_fields=[subjects, divisions],
        excluded_fields=["last_modified", "rev_number"],
    )

    class Meta:
        ordering = ["-id"]
        permissions = [("edit_any_item", "Can see and edit any item (editor)")]
        indexes = [
            models.Index(fields=["status", "-date_deposited"], name="item_status_deposited"),
            models.Index(fields=["-last_modified"], name="item_last_modified"),
            models.Index(fields=["type"], name="item_type"),
            # Browse by year and the year facet: live items by date.
            models.Index(fields=["status", "date"], name="item_status_date"),
        ]

    def __str__(self) -> str:
        return f"{self.id}: {self.title}" if self.id else self.title

    def get_absolute_url(self) -> str:
        return reverse("item", args=[self.id])

    @property
    def uri(self) -> str:
        """The stable public URI, on the configured BASE_URL."""
        return f"{settings.BASE_URL}{self.get_absolute_url().rstrip('/')}"

    @property
    def is_live(self) -> bool:
        return self.status == ItemStatus.ARCHIVE

    @property
    def year(self) -> str:
        return self.date[:4]

    def part(self, name: str) -> list:
        """One of ``PARTS`` as ``with_parts()`` prefetched it, or else read now, in the same order."""
        prefetched = self.__dict__.get(f"prefetched_{name}")
        return prefetched if prefetched is not None else list(part_rows(name, getattr(self, name).all()))

    creator_list = property(lambda self: self.part("creators"), doc="Creators and editors in citation order.")
    document_list = property(lambda self: self.part("documents"), doc="Documents by position.")
    subject_list = property(lambda self: self.part("subjects"), doc="Subjects, in tree order.")
    division_list = property(lambda self: self.part("divisions"), doc="Divisions, in tree order.")

    def save(self, *args, **kwargs) -> None:
        given_id = self._state.adding and self.id is not None
        self.last_modified = timezone.now()
        self.rev_number += 1
        super().save(*args, **kwargs)
        if given_id:
            advance_id_sequence()


def advance_id_sequence() -> None:
    """Move the database's ID sequence past the highest ID in use.

    Records created with a given eprint ID (the seed is 114516) would otherwise
    leave PostgreSQL's sequence behind, and the next deposit would collide.
    SQLite's AUTOINCREMENT already follows the highest ID.
    """
    statements = connection.ops.sequence_reset_sql(no_style(), [Item])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
