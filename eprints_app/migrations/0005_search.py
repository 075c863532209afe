"""The search index (eprints_app.search): one table on both backends, and per backend

- PostgreSQL: a text search configuration "repository_english" (English stemming, accents
  folded through `unaccent` when the extension can be installed), a GIN index on the
  entries' tsvector, and narrow rows (long values moved to TOAST early, the rank vector kept);
- SQLite: an FTS5 table over the entries' text columns, kept in step by triggers (the
  vector column stays NULL there).

The GIN index is in the model state on both backends but is only created on PostgreSQL.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.db import DatabaseError, migrations, models, transaction

CONFIG = "repository_english"
FTS = "eprints_app_searchentry_fts"
ENTRIES = "eprints_app_searchentry"
COLUMNS = ["title", "identifiers", "creators", "keywords", "classification", "abstract", "full_text"]


def sqlite_statements():
    cols = ", ".join(COLUMNS)
    new = ", ".join(f"new.{c}" for c in COLUMNS)
    old = ", ".join(f"old.{c}" for c in COLUMNS)
    delete = f"INSERT INTO {FTS}({FTS}, rowid, {cols}) VALUES ('delete', old.item_id, {old});"
    insert = f"INSERT INTO {FTS}(rowid, {cols}) VALUES (new.item_id, {new});"
    return [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5({cols}, content='{ENTRIES}', content_rowid='item_id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {ENTRIES}_ai AFTER INSERT ON {ENTRIES} BEGIN {insert} END",
        f"CREATE TRIGGER {ENTRIES}_ad AFTER DELETE ON {ENTRIES} BEGIN {delete} END",
        f"CREATE TRIGGER {ENTRIES}_au AFTER UPDATE ON {ENTRIES} BEGIN {delete} {insert} END",
    ]


def create_postgresql(schema_editor):
    unaccent = False
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        unaccent = True
    except DatabaseError:  # not on this server, or not allowed: search works, accents count
        pass
    schema_editor.execute(f"CREATE TEXT SEARCH CONFIGURATION {CONFIG} (COPY = pg_catalog.english)")
    if unaccent:
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {CONFIG} "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem"
        )
    schema_editor.execute(f"CREATE INDEX search_entry_vector ON {ENTRIES} USING gin (vector)")
    # A search visits the row of every match, and ranks each by its rank_vector: long values
    # (text, the full vector) go to TOAST early to keep rows narrow; the rank vector stays in.
    schema_editor.execute(f"ALTER TABLE {ENTRIES} SET (toast_tuple_target = 128)")
    schema_editor.execute(f"ALTER TABLE {ENTRIES} ALTER COLUMN rank_vector SET STORAGE MAIN")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        create_postgresql(schema_editor)
    elif vendor == "sqlite":
        for statement in sqlite_statements():
            schema_editor.execute(statement)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_entry_vector")
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {CONFIG}")
    elif vendor == "sqlite":
        for suffix in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {ENTRIES}_{suffix}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0004_document_derivatives"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="eprints_app.item",
                    ),
                ),
                ("title", models.TextField(blank=True)),
                (
                    "identifiers",
                    models.TextField(blank=True, help_text="Eprint ID, DOI or other number, ISBN, ISSN."),
                ),
                (
                    "creators",
                    models.TextField(blank=True, help_text="Creators and editors, given and family names."),
                ),
                ("keywords", models.TextField(blank=True)),
                ("classification", models.TextField(blank=True, help_text="Subject and division paths.")),
                ("abstract", models.TextField(blank=True)),
                (
                    "full_text",
                    models.TextField(blank=True, help_text="Text of the open-access documents only."),
                ),
                ("sort_author", models.CharField(blank=True, max_length=512)),
                (
                    "indexed_on",
                    models.DateField(
                        help_text="Documents whose embargo ends after this date are not in it yet."
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ("rank_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
            },
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="searchentry",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["vector"], name="search_entry_vector"
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(forwards, backwards)],
        ),
    ]
