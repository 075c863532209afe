"""People named on an item, in order: creators and editors."""

from django.db import models
from simple_history.models import HistoricalRecords

from eprints_app.enums import CreatorRole
from eprints_app.validators import validate_orcid


class Creator(models.Model):
    item = models.ForeignKey("Item", on_delete=models.CASCADE, related_name="creators")
    position = models.PositiveSmallIntegerField(default=0)
    role = models.CharField(max_length=16, choices=CreatorRole.choices, default=CreatorRole.CREATOR)
    family = models.CharField("Family name", max_length=255)
    given = models.CharField("Given name", max_length=255, blank=True)
    orcid = models.CharField(
        "ORCID iD",
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text="As 0000-0002-1825-0097.",
    )
    email = models.EmailField(blank=True, help_text="Kept for staff; never shown publicly.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["item", "role", "position", "id"]
        indexes = [
            models.Index(fields=["family", "given"], name="creator_name"),
            models.Index(fields=["orcid"], name="creator_orcid"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name as EPrints cites it: "Family, Given"."""
        return f"{self.family}, {self.given}" if self.given else self.family
