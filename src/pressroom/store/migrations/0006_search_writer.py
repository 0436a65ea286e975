"""SQLite: the search backend writes FTS5 rows itself, in batches; the triggers stay for
everyone else.

Until now every row reached FTS5 through the triggers on ``search_document``. FTS5
writes its pending terms out as a new segment at every statement savepoint, and each
statement of a trigger is one, so every row became a segment of its own and merging
them was most of the cost of indexing (1.1 ms per article against 0.48 ms for the same
rows written by one ``executemany`` in docid order; see docs/benchmarks.md, "Ingest").

So the triggers get a guard: they do nothing while ``search_writer`` holds a row. The
backend's writer puts one there inside its transaction, maintains ``search_fts`` itself
(in docid order) and takes the row out again; other connections never see it, and a
writer that dies rolls it back with the rest. Raw SQL, the admin and the facet triggers
of migration 0004 still keep the index in step through the triggers.

``hashsize`` (FTS5's memory for pending terms, default 1 MiB, kept in the table's
configuration) goes to 8 MiB: a batch of the ingest then flushes once or twice rather
than a dozen times.
"""

from django.db import migrations

FTS_COLUMNS = "title, body, latin_names, cyrillic_names, facets"
HASH_BYTES = 8 * 1024 * 1024
DEFAULT_HASH_BYTES = 1024 * 1024


def _triggers(guard: str) -> list[str]:
    when = " WHEN NOT EXISTS (SELECT 1 FROM search_writer)" if guard else ""
    return [
        "DROP TRIGGER IF EXISTS search_document_ai",
        "DROP TRIGGER IF EXISTS search_document_ad",
        "DROP TRIGGER IF EXISTS search_document_au",
        f"""
        CREATE TRIGGER search_document_ai AFTER INSERT ON search_document{when} BEGIN
            INSERT INTO search_fts(rowid, {FTS_COLUMNS})
            VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names,
                    new.facets);
        END
        """,
        f"""
        CREATE TRIGGER search_document_ad AFTER DELETE ON search_document{when} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
            VALUES ('delete', old.docid, old.title, old.body, old.latin_names,
                    old.cyrillic_names, old.facets);
        END
        """,
        f"""
        CREATE TRIGGER search_document_au AFTER UPDATE ON search_document{when} BEGIN
            INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
            VALUES ('delete', old.docid, old.title, old.body, old.latin_names,
                    old.cyrillic_names, old.facets);
            INSERT INTO search_fts(rowid, {FTS_COLUMNS})
            VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names,
                    new.facets);
        END
        """,
    ]


SQLITE = [
    "CREATE TABLE search_writer (active INTEGER NOT NULL)",
    *_triggers(guard="yes"),
    f"INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', {HASH_BYTES})",
]

SQLITE_REVERSE = [
    *_triggers(guard=""),
    "DROP TABLE IF EXISTS search_writer",
    f"INSERT INTO search_fts(search_fts, rank) VALUES ('hashsize', {DEFAULT_HASH_BYTES})",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pressroom", "0005_bandkey_key_index")]

    operations = [migrations.RunPython(_run(SQLITE), _run(SQLITE_REVERSE))]
