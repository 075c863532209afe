"""Search entries get a vector of their full text alone, GIN-indexed on PostgreSQL.

A search of the full text then asks this index instead of reading each candidate's whole
vector for its label D. Existing entries get theirs at once; on SQLite the column stays NULL
(the FTS5 table has a column of its own for the full text) and the index is not made.
"""

import importlib

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations

search_migration = importlib.import_module("eprints_app.migrations.0005_search")
ENTRIES, CONFIG = search_migration.ENTRIES, search_migration.CONFIG


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"UPDATE {ENTRIES} SET text_vector = setweight(to_tsvector('{CONFIG}', full_text), 'D')"
        )
        schema_editor.execute(f"CREATE INDEX search_entry_text_vector ON {ENTRIES} USING gin (text_vector)")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_text_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0008_search_entry_lineages"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="text_vector",
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="searchentry",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["text_vector"], name="search_entry_text_vector"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
