from eprints_app.models.classification import Division, Subject
from eprints_app.models.copy_request import CopyRequest, CopyRequestStatus
from eprints_app.models.creator import Creator
from eprints_app.models.document import Document
from eprints_app.models.item import Item
from eprints_app.models.stats import AggregatedMonth, DailySalt, MonthlyUsage, UsageEvent, UsageKind
from eprints_app.search.models import SearchEntry

__all__ = [
    "AggregatedMonth",
    "CopyRequest",
    "CopyRequestStatus",
    "Creator",
    "DailySalt",
    "Division",
    "Document",
    "Item",
    "MonthlyUsage",
    "SearchEntry",
    "Subject",
    "UsageEvent",
    "UsageKind",
]
