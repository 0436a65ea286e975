"""Drop the index on ``BandKey.key`` alone: the unique (key, article) index answers every
look-up by key, and each ingested item inserts ~25 band keys, each of which had to be
added to both indexes (see docs/benchmarks.md, "Ingest")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pressroom", "0004_search_facets"),
    ]

    operations = [
        migrations.AlterField(
            model_name="bandkey",
            name="key",
            field=models.BigIntegerField(),
        ),
    ]
