"""SectionListing and the triggers that keep it in step with articles and their sections.

The triggers are the point (see ``pressroom.web.models``): every insert, update or
delete of an article-section link, and every change of an article's date, language
or ``hidden`` flag, is mirrored whichever code made it. SQLite and PostgreSQL get
the same behaviour in their own trigger dialects. The table is filled from the
existing links once, here.
"""

from django.db import migrations, models

LISTING = "web_sectionlisting"
LINKS = "pressroom_article_sections"
ARTICLES = "pressroom_article"
COLUMNS = "id, section_id, article_id, published, lang, hidden"
FROM_LINK = (
    f"SELECT NEW.id, NEW.section_id, a.id, a.published, a.lang, a.hidden "
    f"FROM {ARTICLES} a WHERE a.id = NEW.article_id"
)
MIRRORED_CHANGE = (
    "NEW.published IS NOT OLD.published OR NEW.lang IS NOT OLD.lang OR NEW.hidden IS NOT OLD.hidden"
)

SQLITE = [
    f"""CREATE TRIGGER web_listing_link_insert AFTER INSERT ON {LINKS}
    BEGIN
        INSERT OR REPLACE INTO {LISTING} ({COLUMNS}) {FROM_LINK};
    END""",
    f"""CREATE TRIGGER web_listing_link_update AFTER UPDATE ON {LINKS}
    BEGIN
        DELETE FROM {LISTING} WHERE id = OLD.id;
        INSERT OR REPLACE INTO {LISTING} ({COLUMNS}) {FROM_LINK};
    END""",
    f"""CREATE TRIGGER web_listing_link_delete AFTER DELETE ON {LINKS}
    BEGIN
        DELETE FROM {LISTING} WHERE id = OLD.id;
    END""",
    f"""CREATE TRIGGER web_listing_article_update AFTER UPDATE OF published, lang, hidden
    ON {ARTICLES} WHEN {MIRRORED_CHANGE}
    BEGIN
        UPDATE {LISTING} SET published = NEW.published, lang = NEW.lang, hidden = NEW.hidden
        WHERE article_id = NEW.id;
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS web_listing_link_insert",
    "DROP TRIGGER IF EXISTS web_listing_link_update",
    "DROP TRIGGER IF EXISTS web_listing_link_delete",
    "DROP TRIGGER IF EXISTS web_listing_article_update",
]

POSTGRESQL = [
    f"""CREATE FUNCTION web_listing_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM {LISTING} WHERE id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO {LISTING} ({COLUMNS}) {FROM_LINK}
            ON CONFLICT (id) DO UPDATE SET section_id = EXCLUDED.section_id,
                article_id = EXCLUDED.article_id, published = EXCLUDED.published,
                lang = EXCLUDED.lang, hidden = EXCLUDED.hidden;
        END IF;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER web_listing_link AFTER INSERT OR UPDATE OR DELETE ON {LINKS}
    FOR EACH ROW EXECUTE FUNCTION web_listing_link_changed()""",
    f"""CREATE FUNCTION web_listing_article_changed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE {LISTING} SET published = NEW.published, lang = NEW.lang, hidden = NEW.hidden
        WHERE article_id = NEW.id;
        RETURN NULL;
    END $$""",
    f"""CREATE TRIGGER web_listing_article AFTER UPDATE OF published, lang, hidden ON {ARTICLES}
    FOR EACH ROW WHEN (OLD.published IS DISTINCT FROM NEW.published
        OR OLD.lang IS DISTINCT FROM NEW.lang OR OLD.hidden IS DISTINCT FROM NEW.hidden)
    EXECUTE FUNCTION web_listing_article_changed()""",
]
POSTGRESQL_DROP = [
    f"DROP TRIGGER IF EXISTS web_listing_link ON {LINKS}",
    f"DROP TRIGGER IF EXISTS web_listing_article ON {ARTICLES}",
    "DROP FUNCTION IF EXISTS web_listing_link_changed()",
    "DROP FUNCTION IF EXISTS web_listing_article_changed()",
]

BACKFILL = (
    f"INSERT INTO {LISTING} ({COLUMNS}) "
    f"SELECT l.id, l.section_id, a.id, a.published, a.lang, a.hidden "
    f"FROM {LINKS} l JOIN {ARTICLES} a ON a.id = l.article_id"
)


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(
                f"section listing triggers for {schema_editor.connection.vendor}"
            )
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


create_triggers = _run({"sqlite": [*SQLITE, BACKFILL], "postgresql": [*POSTGRESQL, BACKFILL]})
drop_triggers = _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP})


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("pressroom", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="SectionListing",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        help_text="The article-section link's id.",
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("published", models.DateField()),
                ("lang", models.CharField(max_length=2)),
                ("hidden", models.BooleanField()),
                (
                    "article",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pressroom.article",
                    ),
                ),
                (
                    "section",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="pressroom.section",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        condition=models.Q(("hidden", False)),
                        fields=["section", "published", "article", "id"],
                        name="listing_order",
                    ),
                    models.Index(
                        condition=models.Q(("hidden", False)),
                        fields=["section", "lang", "published", "article", "id"],
                        name="listing_lang_order",
                    ),
                ],
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
