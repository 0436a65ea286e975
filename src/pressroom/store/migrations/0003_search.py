"""Full-text search tables: SQLite FTS5 or a PostgreSQL tsvector with a GIN index.

The text in ``search_document`` is already analysed in Python (stems, and the
Latin keys of names written in Latin or in Cyrillic letters, see
``pressroom.store.search.analysis``), so both databases index the same words. ``docid`` packs the publication day above the article id
(``published.toordinal() << 40 | article.id``): date ranges are ranges of it,
and date order is its order, without reading the article table.

Deleting an article deletes its search row by trigger (and a ``TRUNCATE`` of
the articles empties the search table), so a search never sees a stale row.
These tables are not Django models: they hold derived data only, and
``pressroom reindex`` rebuilds them from the articles.
"""

from django.db import migrations

SQLITE = [
    """
    CREATE TABLE search_document (
        docid INTEGER PRIMARY KEY,
        article_id INTEGER NOT NULL UNIQUE,
        title TEXT NOT NULL,
        body TEXT NOT NULL,
        latin_names TEXT NOT NULL,
        cyrillic_names TEXT NOT NULL
    )
    """,
    # External content: the analysed text is stored once, in search_document; FTS5
    # keeps only the index and reads old values from there to delete them.
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, latin_names, cyrillic_names,
        content='search_document', content_rowid='docid', tokenize='ascii'
    )
    """,
    """
    CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, title, body, latin_names, cyrillic_names)
        VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names);
    END
    """,
    """
    CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, latin_names, cyrillic_names)
        VALUES ('delete', old.docid, old.title, old.body, old.latin_names, old.cyrillic_names);
    END
    """,
    """
    CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body, latin_names, cyrillic_names)
        VALUES ('delete', old.docid, old.title, old.body, old.latin_names, old.cyrillic_names);
        INSERT INTO search_fts(rowid, title, body, latin_names, cyrillic_names)
        VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names);
    END
    """,
    """
    CREATE TRIGGER search_article_ad AFTER DELETE ON {article} BEGIN
        DELETE FROM search_document WHERE article_id = old.id;
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_article_ad",
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_document",
]

POSTGRESQL = [
    """
    CREATE TABLE search_document (
        docid bigint PRIMARY KEY,
        article_id bigint NOT NULL UNIQUE,
        title text NOT NULL,
        body text NOT NULL,
        latin_names text NOT NULL,
        cyrillic_names text NOT NULL,
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('simple'::regconfig, title), 'A')
            || setweight(to_tsvector('simple'::regconfig, body), 'B')
            || setweight(to_tsvector('simple'::regconfig, latin_names), 'C')
            || setweight(to_tsvector('simple'::regconfig, cyrillic_names), 'D')
        ) STORED
    )
    """,
    # New rows wait in GIN's pending list, which every search reads through: keep it
    # short (256 kB, not the default 4 MB) so that searches stay fast between merges.
    """
    CREATE INDEX search_document_tsv ON search_document USING gin (tsv)
    WITH (gin_pending_list_limit = 256)
    """,
    """
    CREATE FUNCTION search_forget_article() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM search_document WHERE article_id = OLD.id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_article_ad AFTER DELETE ON {article}
    FOR EACH ROW EXECUTE FUNCTION search_forget_article()
    """,
    """
    CREATE FUNCTION search_forget_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_document;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_article_at AFTER TRUNCATE ON {article}
    FOR EACH STATEMENT EXECUTE FUNCTION search_forget_all()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_article_at ON {article}",
    "DROP TRIGGER IF EXISTS search_article_ad ON {article}",
    "DROP FUNCTION IF EXISTS search_forget_all()",
    "DROP FUNCTION IF EXISTS search_forget_article()",
    "DROP TABLE IF EXISTS search_document",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"search needs SQLite or PostgreSQL, not {schema_editor.connection.vendor}"
            )
        article = schema_editor.quote_name(apps.get_model("pressroom", "Article")._meta.db_table)
        for sql in statements:
            schema_editor.execute(sql.replace("{article}", article))

    return run


class Migration(migrations.Migration):
    dependencies = [("pressroom", "0002_article_list_indexes")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
