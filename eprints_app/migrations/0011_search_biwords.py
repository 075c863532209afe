"""On PostgreSQL, the GIN-indexed vectors also hold their biwords: each pair of adjacent
lexemes as one lexeme ("climat chang"), without positions.

GIN keeps no positions, so a phrase used to be checked against the whole vector of every
item with all its words, read from TOAST. A phrase query now also asks for its biwords
(``eprints_app.search.postgres.with_biwords``), which the index answers: only the items
with the words next to each other are checked. The biwords come from the vector's own
positions, so an item whose vector matches a phrase always has them.

``repository_with_biwords(tsvector)`` adds them; a vector that has them already gains none.
The existing entries get theirs at once. SQLite's FTS5 index keeps positions: nothing to do.
"""

import importlib

from django.db import migrations

ENTRIES = importlib.import_module("eprints_app.migrations.0005_search").ENTRIES
VECTORS = ("vector", "text_vector")
FUNCTION = """
CREATE OR REPLACE FUNCTION repository_with_biwords(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    WITH spots AS (SELECT lexeme, unnest(positions) AS position FROM unnest(vector))
    SELECT vector || array_to_tsvector(coalesce(array_agg(DISTINCT first.lexeme || ' ' || next.lexeme), '{}'))
    FROM spots AS first JOIN spots AS next ON next.position = first.position + 1
$$
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FUNCTION)
        updates = ", ".join(f"{vector} = repository_with_biwords({vector})" for vector in VECTORS)
        schema_editor.execute(f"UPDATE {ENTRIES} SET {updates}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        biwords = "ARRAY(SELECT lexeme FROM unnest({0}) WHERE lexeme LIKE '%% %%')"
        updates = ", ".join(f"{vector} = ts_delete({vector}, {biwords.format(vector)})" for vector in VECTORS)
        schema_editor.execute(f"UPDATE {ENTRIES} SET {updates}")
        schema_editor.execute("DROP FUNCTION repository_with_biwords(tsvector)")


class Migration(migrations.Migration):
    dependencies = [
        ("eprints_app", "0010_search_entry_roots"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
