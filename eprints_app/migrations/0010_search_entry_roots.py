"""Search entries carry the top-level codes of their subjects and divisions.

The facets of the top level then count a few groups of entries rather than test every match
against every heading. Existing entries take them from their lineages; on PostgreSQL the
columns stay in the row, and on SQLite the rebuilt table is repaired as in migration 0007.
"""

import importlib

from django.db import migrations, models

search_migration = importlib.import_module("eprints_app.migrations.0005_search")
facets_migration = importlib.import_module("eprints_app.migrations.0007_search_entry_facets")
ROOTS = {"subject_roots": "subject_lineages", "division_roots": "division_lineages"}


def roots_of(lineages: str) -> str:
    """":J:JZ: :H:" gives ":J: :H:"."""
    return " ".join(f":{lineage.split(':')[1]}:" for lineage in lineages.split())


def copy_roots(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for column in ROOTS:
            schema_editor.execute(f"ALTER TABLE {search_migration.ENTRIES} ALTER COLUMN {column} SET STORAGE MAIN")
    SearchEntry = apps.get_model("eprints_app", "SearchEntry")
    classified = []
    entries = SearchEntry.objects.exclude(subject_lineages="", division_lineages="").only(*ROOTS.values())
    for entry in entries.iterator(chunk_size=2000):
        for roots, lineages in ROOTS.items():
            setattr(entry, roots, roots_of(getattr(entry, lineages)))
        classified.append(entry)
    SearchEntry.objects.bulk_update(classified, list(ROOTS), batch_size=500)
    facets_migration.repair_sqlite_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0009_search_entry_text_vector"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="subject_roots",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="searchentry",
            name="division_roots",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(copy_roots, migrations.RunPython.noop),
    ]
