"""Search entries carry the lineages of their items' subjects and divisions.

Subject and division filters and facet counts then read the entries alone. The existing
entries take them from their items. On PostgreSQL the columns stay in the row (a search reads
them for every match); on SQLite adding them rebuilds the table, which loses the FTS5 triggers
(made again) and turns the PostgreSQL-only GIN index of the model state into a plain index
(dropped), as migration 0007 does.
"""

import importlib
from collections import defaultdict

from django.db import migrations, models

search_migration = importlib.import_module("eprints_app.migrations.0005_search")
facets_migration = importlib.import_module("eprints_app.migrations.0007_search_entry_facets")
HEADINGS = {"subject_lineages": "subjects", "division_lineages": "divisions"}


def copy_lineages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in HEADINGS:
            schema_editor.execute(f"ALTER TABLE {search_migration.ENTRIES} ALTER COLUMN {column} SET STORAGE MAIN")
    SearchEntry = apps.get_model("eprints_app", "SearchEntry")
    Item = apps.get_model("eprints_app", "Item")
    lineages = defaultdict(dict)
    for column, relation in HEADINGS.items():
        through = Item._meta.get_field(relation).remote_field.through
        heading = Item._meta.get_field(relation).m2m_reverse_field_name()
        links = through.objects.order_by("item_id", f"{heading}__lineage")
        for item_id, lineage in links.values_list("item_id", f"{heading}__lineage"):
            lineages[item_id].setdefault(column, []).append(f":{lineage}:")
    classified = []
    for entry in SearchEntry.objects.only("pk").iterator(chunk_size=2000):
        if entry.pk in lineages:
            for column, values in lineages[entry.pk].items():
                setattr(entry, column, " ".join(values))
            classified.append(entry)
    SearchEntry.objects.bulk_update(classified, list(HEADINGS), batch_size=500)
    facets_migration.repair_sqlite_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0007_search_entry_facets"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="subject_lineages",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="division_lineages",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(copy_lineages, migrations.RunPython.noop),
    ]
