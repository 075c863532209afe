"""Requests for a copy of a restricted document (EPrints' "Request a copy", eprints.md §9)."""

from django.db import models
from django.utils import timezone


class CopyRequestStatus(models.TextChoices):
    PENDING = "pending", "Awaiting an answer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class CopyRequest(models.Model):
    """A reader's request; the item's contact answers it through signed links in an email."""

    document = models.ForeignKey("Document", on_delete=models.CASCADE, related_name="copy_requests")
    email = models.EmailField("Requester's email")
    reason = models.TextField("Reason", blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    status = models.CharField(
        max_length=16, choices=CopyRequestStatus.choices, default=CopyRequestStatus.PENDING
    )
    answered = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"Request {self.pk} for {self.document} by {self.email}"
