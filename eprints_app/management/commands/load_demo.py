"""Load the demo data: subject and division trees, the seed record and a few more items.

Safe to run again: fixtures carry explicit keys, so a second run updates the same
rows, and files already in storage are left alone.
"""

import json
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.dateparse import parse_datetime

from eprints_app.enums import CreatorRole
from eprints_app.models import Division, Document, Item, Subject
from eprints_app.models.item import advance_id_sequence
from eprints_app.services.demo_pdf import make_pdf
from eprints_app.services.files import describe_file

FIXTURES = ("subjects.json", "divisions.json", "demo_items.json")
ITEMS_FIXTURE = "demo_items.json"

# Files whose real size the demo reproduces: the seed page shows "Download (279kB)".
TARGET_SIZES = {
    "demo/114516/Ahmar__changing-dynamics-of-pakistan-us--published.pdf": 279_412,
}
TEXT_SUFFIXES = (".txt", ".csv")


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


def author_names(item: Item) -> list[str]:
    """Creators as cited ("Family, Given"), or the editors when there are no creators."""
    people = item.creator_list
    creators = [p.name for p in people if p.role == CreatorRole.CREATOR]
    return creators or [p.name for p in people]


def demo_text(item: Item) -> bytes:
    """A small comma-separated data file that belongs with the item (invented figures)."""
    regions = (
        ("North East", 9.8),
        ("North West", 9.1),
        ("Yorkshire and the Humber", 9.0),
        ("East Midlands", 8.7),
        ("West Midlands", 9.3),
        ("East of England", 7.6),
        ("London", 6.9),
        ("South East", 7.2),
        ("South West", 8.1),
        ("Wales", 9.6),
        ("Scotland", 9.4),
    )
    lines = [
        f"# {item.title}",
        f"# Eprint {item.pk}: summary tables. Demonstration data, not real survey results.",
        "region,income_quintile,households,median_energy_share_pct,fuel_poverty_pct",
    ]
    for index, (region, share) in enumerate(regions):
        for quintile in range(1, 6):
            households = 80 + (index * 37 + quintile * 11) % 90
            quintile_share = share * (1.6 - 0.2 * quintile)
            poverty = max(0.0, 2.1 * quintile_share - 4.0)
            lines.append(f"{region},{quintile},{households},{quintile_share:.1f},{poverty:.1f}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def demo_file_bytes(document: Document) -> bytes:
    item = document.item
    if document.filename.lower().endswith(TEXT_SUFFIXES):
        return demo_text(item)
    return make_pdf(
        item.title,
        author_names(item),
        item.abstract,
        pages=3 + document.pk % 4,
        target_size=TARGET_SIZES.get(document.file.name),
    )


class Command(BaseCommand):
    help = "Load the demo subjects, divisions, items and their files (safe to re-run)."

    def handle(self, *args, **options) -> None:
        directory = fixtures_dir()
        with open(directory / ITEMS_FIXTURE, encoding="utf-8") as fh:
            records = json.load(fh)
        item_records = [r for r in records if r["model"] == "eprints_app.item"]
        item_ids = [r["pk"] for r in item_records]
        document_ids = [r["pk"] for r in records if r["model"] == "eprints_app.document"]

        with transaction.atomic():
            call_command("loaddata", *(str(directory / name) for name in FIXTURES), verbosity=0)
            # loaddata saves raw: the stored paths and lineages need recomputing.
            Subject.rebuild_paths()
            Division.rebuild_paths()
            # Setting an item's subjects and divisions during loaddata fires
            # m2m_changed, which moves Last Modified to now: put the fixture's back.
            for record in item_records:
                stamps = {
                    name: parse_datetime(value) if (value := record["fields"].get(name)) else None
                    for name in ("date_deposited", "last_modified", "status_changed")
                }
                Item.objects.filter(pk=record["pk"]).update(**stamps)
            advance_id_sequence()

        written = 0
        documents = Document.objects.filter(pk__in=document_ids).select_related("item")
        for document in documents:
            storage, name = document.file.storage, document.file.name
            if not storage.exists(name):
                saved = storage.save(name, ContentFile(demo_file_bytes(document)))
                written += 1
                if saved != name:
                    Document.objects.filter(pk=document.pk).update(file=saved)
                    name = saved
            # Always from the stored file: loaddata has just reset the fixture's placeholders.
            with storage.open(name, "rb") as stored:
                facts = describe_file(stored)
            # A queryset update, not save(): saving would move the item's Last Modified.
            Document.objects.filter(pk=document.pk).update(
                filesize=facts.size,
                sha256=facts.sha256,
                mime_type=facts.mime_type,
                file_modified=self.file_date(document),
            )

        call_command("reindex_search", verbosity=0)
        self.stdout.write(
            f"Demo data: {Subject.objects.count()} subjects, {Division.objects.count()} "
            f"divisions, {Item.objects.filter(pk__in=item_ids).count()} items, "
            f"{Document.objects.filter(pk__in=document_ids).count()} documents "
            f"({written} file{'' if written == 1 else 's'} written)."
        )

    @staticmethod
    def file_date(document: Document) -> datetime:
        """When the demo file counts as uploaded: the fixture's date, never after Last Modified."""
        return min(document.file_modified, document.item.last_modified)
