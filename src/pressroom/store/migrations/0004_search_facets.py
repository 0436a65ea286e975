"""Search index, second format: filter tokens (facets) and, on SQLite, prefix indexes.

``search_document.facets`` holds one token per filterable property of the article:
``l<lang>``, ``p<publisher id>``, ``s<section id>`` for each of its sections, and
``hidden`` if it is (``len p17 s3 s8``). On SQLite FTS5 indexes them as a fifth column, so a filtered
search is one FTS5 query that intersects the doclists in C instead of joining every
match to the article and section tables. Publisher *kinds* and the publisher tree
are not stored: the search turns them into the publishers' ids when it runs, so
re-parenting a publisher or changing its kind needs no index change.

Triggers keep the tokens in step with every writer (the admin moving articles
between sections, the pipeline adding sections, raw SQL): adding or removing a
section link, or changing an article's language, publisher or visibility, rewrites
that article's ``facets`` (and on SQLite, through the existing update trigger, its
FTS5 row), in the writer's transaction.

SQLite also gets FTS5 prefix indexes (``prefix='…'``, see ``PREFIX_LENGTHS``): a
prefix query of one of those lengths reads one doclist, instead of merging the
doclists of every word that starts so.

Existing databases: SQLite's FTS5 table is recreated with the new options and
filled from ``search_document`` (facets computed in SQL), so search keeps working
without a ``pressroom reindex``; on PostgreSQL the column is added and filled in SQL.
"""

from django.db import migrations

# FTS5 prefix indexes, in characters: the lengths a reader's prefix most often has
# (``minis*``, ``presid*``); other lengths still work, by merging doclists. Kept in step
# with ``pressroom.store.search.document.PREFIX_LENGTHS`` (a test checks).
PREFIX_LENGTHS = (4, 5, 6)

# The facets of article ``{id}``, in SQL; the same string as ``document.facets_of``.
SQLITE_FACETS = """(
    SELECT 'l' || a.lang || ' p' || coalesce(a.publisher_id, 0) || coalesce((
        SELECT group_concat(' s' || x.section_id, '') FROM (
            SELECT l.section_id FROM {links} l WHERE l.article_id = a.id ORDER BY l.section_id
        ) x
    ), '') || CASE WHEN a.hidden THEN ' hidden' ELSE '' END
    FROM {article} a WHERE a.id = {id}
)"""

FTS_COLUMNS = "title, body, latin_names, cyrillic_names, facets"

SQLITE = [
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TABLE IF EXISTS search_fts",
    "ALTER TABLE search_document ADD COLUMN facets TEXT NOT NULL DEFAULT ''",
    "UPDATE search_document SET facets = " + SQLITE_FACETS.replace("{id}", "article_id"),
    f"""
    CREATE VIRTUAL TABLE search_fts USING fts5(
        {FTS_COLUMNS},
        content='search_document', content_rowid='docid', tokenize='ascii',
        prefix='{" ".join(str(n) for n in PREFIX_LENGTHS)}'
    )
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
    f"""
    CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names,
                new.facets);
    END
    """,
    f"""
    CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.docid, old.title, old.body, old.latin_names,
                old.cyrillic_names, old.facets);
    END
    """,
    f"""
    CREATE TRIGGER search_document_au AFTER UPDATE ON search_document BEGIN
        INSERT INTO search_fts(search_fts, rowid, {FTS_COLUMNS})
        VALUES ('delete', old.docid, old.title, old.body, old.latin_names,
                old.cyrillic_names, old.facets);
        INSERT INTO search_fts(rowid, {FTS_COLUMNS})
        VALUES (new.docid, new.title, new.body, new.latin_names, new.cyrillic_names,
                new.facets);
    END
    """,
    # Keep the facets in step with every writer of sections, language and publisher.
    """
    CREATE TRIGGER search_sections_ai AFTER INSERT ON {links} BEGIN
        UPDATE search_document SET facets = """
    + SQLITE_FACETS.replace("{id}", "new.article_id")
    + """ WHERE article_id = new.article_id;
    END
    """,
    """
    CREATE TRIGGER search_sections_ad AFTER DELETE ON {links} BEGIN
        UPDATE search_document SET facets = """
    + SQLITE_FACETS.replace("{id}", "old.article_id")
    + """ WHERE article_id = old.article_id;
    END
    """,
    """
    CREATE TRIGGER search_article_au AFTER UPDATE OF lang, publisher_id, hidden ON {article}
    WHEN old.lang IS NOT new.lang OR old.publisher_id IS NOT new.publisher_id
         OR old.hidden IS NOT new.hidden BEGIN
        UPDATE search_document SET facets = """
    + SQLITE_FACETS.replace("{id}", "new.id")
    + """ WHERE article_id = new.id;
    END
    """,
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_article_au",
    "DROP TRIGGER IF EXISTS search_sections_ad",
    "DROP TRIGGER IF EXISTS search_sections_ai",
    "DROP TRIGGER IF EXISTS search_document_ai",
    "DROP TRIGGER IF EXISTS search_document_ad",
    "DROP TRIGGER IF EXISTS search_document_au",
    "DROP TABLE IF EXISTS search_fts",
    "ALTER TABLE search_document DROP COLUMN facets",
    """
    CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, latin_names, cyrillic_names,
        content='search_document', content_rowid='docid', tokenize='ascii'
    )
    """,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
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
]

PG_FACETS = """(
    SELECT 'l' || a.lang || ' p' || coalesce(a.publisher_id, 0) || coalesce((
        SELECT string_agg(' s' || l.section_id, '' ORDER BY l.section_id)
        FROM {links} l WHERE l.article_id = a.id
    ), '') || CASE WHEN a.hidden THEN ' hidden' ELSE '' END
    FROM {article} a WHERE a.id = {id}
)"""

POSTGRESQL = [
    "ALTER TABLE search_document ADD COLUMN facets text NOT NULL DEFAULT ''",
    "UPDATE search_document SET facets = " + PG_FACETS.replace("{id}", "article_id"),
    """
    CREATE FUNCTION search_refresh_facets(article bigint) RETURNS void LANGUAGE sql AS $$
        UPDATE search_document SET facets = """
    + PG_FACETS.replace("{id}", "article")
    + """ WHERE article_id = article
    $$
    """,
    """
    CREATE FUNCTION search_sections_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            PERFORM search_refresh_facets(OLD.article_id);
        ELSE
            PERFORM search_refresh_facets(NEW.article_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_sections_aiud AFTER INSERT OR DELETE OR UPDATE ON {links}
    FOR EACH ROW EXECUTE FUNCTION search_sections_changed()
    """,
    """
    CREATE FUNCTION search_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM search_refresh_facets(NEW.id);
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER search_article_au AFTER UPDATE OF lang, publisher_id, hidden ON {article}
    FOR EACH ROW WHEN (OLD.lang IS DISTINCT FROM NEW.lang
                       OR OLD.publisher_id IS DISTINCT FROM NEW.publisher_id
                       OR OLD.hidden IS DISTINCT FROM NEW.hidden)
    EXECUTE FUNCTION search_article_changed()
    """,
]

POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS search_article_au ON {article}",
    "DROP TRIGGER IF EXISTS search_sections_aiud ON {links}",
    "DROP FUNCTION IF EXISTS search_article_changed()",
    "DROP FUNCTION IF EXISTS search_sections_changed()",
    "DROP FUNCTION IF EXISTS search_refresh_facets(bigint)",
    "ALTER TABLE search_document DROP COLUMN facets",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"search needs SQLite or PostgreSQL, not {schema_editor.connection.vendor}"
            )
        article = apps.get_model("pressroom", "Article")
        names = {
            "{article}": schema_editor.quote_name(article._meta.db_table),
            "{links}": schema_editor.quote_name(article.sections.through._meta.db_table),
        }
        for sql in statements:
            for name, table in names.items():
                sql = sql.replace(name, table)
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("pressroom", "0003_search")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
