"""MinHash signatures and band keys in format 2 (one-permutation hashing).

Format 1 took the minimum of 128 hash permutations of every shingle; format 2 hashes
each shingle once and keeps the smallest value per bin (``pipeline/minhash.py``,
docs/dedup.md). Signatures and band keys of the two formats cannot be compared, so
every stored article is re-signed from its text and its earlier versions
(``pipeline/signatures.py``): minutes for a million articles. Going back to 0006 leaves
format-2 values, which older code does not read: restore a backup instead.
"""

from django.db import migrations


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

    operations = [migrations.RunPython(re_sign, migrations.RunPython.noop, elidable=False)]
