"""Search entries carry the item fields that search filters, counts and orders by, indexed.

The existing entries take them from their items. On SQLite, adding a NOT NULL column rebuilds
the table, which loses the triggers that keep the FTS5 table in step (they are made again) and
makes the PostgreSQL-only GIN index of the model state as a plain index (it is dropped).
"""

import importlib

from django.db import migrations, models
from django.db.models import OuterRef, Subquery

FIELDS = ("type", "date", "ispublished", "refereed")
search_migration = importlib.import_module("eprints_app.migrations.0005_search")


def copy_item_fields(apps, schema_editor):
    SearchEntry = apps.get_model("eprints_app", "SearchEntry")
    Item = apps.get_model("eprints_app", "Item")
    item = Item.objects.filter(pk=OuterRef("item_id"))
    SearchEntry.objects.update(**{field: Subquery(item.values(field)[:1]) for field in FIELDS})
    repair_sqlite_table(schema_editor)


def repair_sqlite_table(schema_editor):
    """After SQLite rebuilt the entries table: its FTS5 triggers back, and the stray indexes
    (the model state's PostgreSQL-only GIN indexes, made plain) gone."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in search_migration.sqlite_statements()[1:]:  # the triggers, not the table
            schema_editor.execute(statement.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS"))
        for index in ("search_entry_vector", "search_entry_text_vector"):
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0006_browse_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="date",
            field=models.CharField(blank=True, max_length=10),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="ispublished",
            field=models.CharField(blank=True, max_length=16),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="refereed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="type",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.RunPython(copy_item_fields, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["type", "date"], name="search_entry_type_date"),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["date"], name="search_entry_date"),
        ),
    ]
