"""MinHash signatures and band keys in format 2 (one-permutation hashing), and the band
keys in a table keyed by (key, article).

Format 1 took the minimum of 128 hash permutations of every shingle; format 2 hashes
each shingle once and keeps the smallest value per bin (``pipeline/minhash.py``,
docs/dedup.md). Signatures and band keys of the two formats cannot be compared, so
every stored article is re-signed from its text and its earlier versions
(``pipeline/signatures.py``): minutes for a million articles.

The band-key table is rebuilt empty first, with (key, article) as its primary key
instead of an automatic id and a unique index: on SQLite a ``WITHOUT ROWID`` table, so
each key is written once, into the index that answers every look-up, rather than into
the table, that index and ``sqlite_sequence`` (docs/benchmarks.md, "Ingest").

Going back to 0006 leaves format-2 values, which older code does not read: restore a
backup instead.
"""

from django.db import migrations, models

TABLE = "pressroom_bandkey"


def rebuild_table(apps, schema_editor):
    """Drop and recreate the (old-format) band keys; the re-signing below refills them."""
    vendor = schema_editor.connection.vendor
    schema_editor.execute(f"DROP TABLE {TABLE}")
    tail = " WITHOUT ROWID" if vendor == "sqlite" else ""
    schema_editor.execute(
        f'CREATE TABLE {TABLE} ("key" bigint NOT NULL, "article_id" bigint NOT NULL'
        ' REFERENCES "pressroom_article" ("id") DEFERRABLE INITIALLY DEFERRED,'
        f' PRIMARY KEY ("key", "article_id")){tail}'
    )
    # Deleting an article deletes its keys: found through this index.
    schema_editor.execute(f'CREATE INDEX "{TABLE}_article_id" ON {TABLE} ("article_id")')


def restore_old_table(apps, schema_editor):
    """Back to 0006: its table, empty (format-1 keys cannot be made from format-2 data)."""
    schema_editor.execute(f"DROP TABLE {TABLE}")
    schema_editor.create_model(apps.get_model("pressroom", "BandKey"))


def re_sign(apps, schema_editor):
    from pressroom.pipeline.signatures import re_sign_all

    re_sign_all(
        apps.get_model("pressroom", "Article"),
        apps.get_model("pressroom", "Version"),
        apps.get_model("pressroom", "BandKey"),
        schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("pressroom", "0006_search_writer")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="BandKey"),
                migrations.CreateModel(
                    name="BandKey",
                    fields=[
                        ("pk", models.CompositePrimaryKey("key", "article", serialize=False)),
                        ("key", models.BigIntegerField()),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=models.deletion.CASCADE,
                                related_name="band_keys",
                                to="pressroom.article",
                            ),
                        ),
                    ],
                ),
            ],
            database_operations=[
                migrations.RunPython(rebuild_table, restore_old_table, elidable=False)
            ],
        ),
        migrations.RunPython(re_sign, migrations.RunPython.noop, elidable=False),
    ]
