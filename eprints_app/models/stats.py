"""Usage statistics (COUNTER Release 5): raw events, the daily salt, and monthly totals.

``UsageEvent`` rows are written by ``eprints_app.stats.recording`` for each counted item-page
view or download, with a keyed hash in place of the reader (``stats.sessions``); no address is
kept. ``aggregate_stats`` turns them into ``MonthlyUsage`` rows, which the pages read, and
``prune_stats`` removes events of months already aggregated.
"""

from django.db import models


class UsageKind(models.TextChoices):
    # COUNTER's words: a view of an item page is an investigation, a download a request.
    VIEW = "view", "Item page view"
    DOWNLOAD = "download", "Download"


class UsageEvent(models.Model):
    """One counted request. No foreign keys and one index (``time``, which aggregation and
    pruning read by): the insert follows public reads and must stay cheap, and an item that was
    ever live is never deleted (only retired)."""

    time = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=8, choices=UsageKind.choices)
    eprintid = models.BigIntegerField()
    # The document's position for a download; 0 for a view of the item page.
    pos = models.PositiveSmallIntegerField(default=0)
    # A keyed hash of address, user agent and hour (stats.sessions): COUNTER's session.
    session = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.kind} of {self.eprintid}/{self.pos} at {self.time:%Y-%m-%d %H:%M:%S}"


class DailySalt(models.Model):
    """The secret that session keys are hashed with on one day. Rows of past days are deleted
    when a new day's salt is made, so yesterday's keys can no longer be linked to anyone."""

    day = models.DateField(primary_key=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"salt of {self.day}"


class MonthlyUsage(models.Model):
    """An item's counts in one calendar month (in ``TIME_ZONE``), rebuilt from the events by
    ``aggregate_stats``. Views and downloads are COUNTER's investigations and requests of the
    item's page and files; ``investigations`` count both, as the Code of Practice does."""

    eprintid = models.BigIntegerField()
    month = models.DateField(help_text="The first day of the month.")
    views = models.PositiveIntegerField(default=0)
    downloads = models.PositiveIntegerField(default=0)
    unique_views = models.PositiveIntegerField(default=0)
    unique_downloads = models.PositiveIntegerField(default=0)
    unique_investigations = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["eprintid", "month"], name="monthly_usage_item_month")]
        indexes = [models.Index(fields=["month"], name="monthly_usage_month")]
        verbose_name_plural = "monthly usage"

    def __str__(self) -> str:
        return f"{self.eprintid} in {self.month:%Y-%m}"

    @property
    def investigations(self) -> int:
        return self.views + self.downloads


class AggregatedMonth(models.Model):
    """A month whose events have been aggregated; ``pruned`` once they are deleted, after which
    its ``MonthlyUsage`` rows are final and never rebuilt."""

    month = models.DateField(primary_key=True)
    aggregated = models.DateTimeField()
    pruned = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"
