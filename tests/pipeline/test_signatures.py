"""Re-signing stored articles (migration 0007): the same signatures and band keys the
pipeline computes, and near copies still found after a format change."""

from __future__ import annotations

import pytest

from tests.listing_text import Item, corpus_texts, page


def ingest(cli, tmp_path, text: str, name: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.code == 0, result.err
    return result.out


def stored_state():
    from pressroom.store.models import Article, BandKey

    signatures = dict(Article.objects.values_list("pk", "signature"))
    keys = set(BandKey.objects.values_list("key", "article_id"))
    return {pk: bytes(sig) for pk, sig in signatures.items()}, keys


@pytest.fixture
def stored(cli, tmp_path, shared_data):
    """Real releases: with bodies, one edited (a Version), one without a body, one cut off."""
    texts = corpus_texts(shared_data, 5)
    src = ("mfa-ljubljana", 1154138, "en")
    (title0, body0), (title1, body1), (title2, body2) = texts[0], texts[1], texts[2]
    ingest(
        cli,
        tmp_path,
        page(
            (
                "News",
                [
                    Item(title0, body0, source=src),
                    Item(title1, body1),
                    Item("Weekly briefing", [], source=("almobl", 1052856, "kk")),
                ],
            )
        ),
        "a.txt",
    )
    edited = [*body0[:-1], body0[-1] + " The Embassy will report on the results."]
    ingest(cli, tmp_path, page(("News", [Item(title0, edited, source=src)])), "b.txt")
    cut = page(("News", [Item(title2, body2)]))
    ingest(cli, tmp_path, cut[: len(cut) - len(body2[-1]) // 2], "c.txt")  # cut mid-item
    return texts


def test_re_signing_gives_what_the_pipeline_computed(stored):
    from django.db import connection

    from pressroom.pipeline.signatures import re_sign_all
    from pressroom.store.models import Article, BandKey, Version

    before = stored_state()
    assert Version.objects.count() == 1
    assert Article.objects.filter(truncated=True).count() == 1
    assert b"" in before[0].values()  # the item without a body has no signature
    assert len({pk for _, pk in before[1]}) == 2  # neither the body-less nor the cut-off one
    # An older format: other bytes, other keys.
    Article.objects.exclude(signature=b"").update(signature=b"\x01" + bytes(512))
    BandKey.objects.all().delete()
    BandKey.objects.create(key=12345, article=Article.objects.first())
    assert re_sign_all(Article, Version, BandKey, connection.alias) == 4
    assert stored_state() == before


@pytest.mark.django_db(transaction=True)
def test_migration_re_signs_and_near_copies_are_found_again(stored, cli, tmp_path):
    from django.core.management import call_command

    from pressroom.store.models import Article, BandKey

    before = stored_state()
    call_command("migrate", "pressroom", "0006_search_writer", verbosity=0)
    Article.objects.exclude(signature=b"").update(signature=b"\x01" + bytes(512))
    BandKey.objects.all().delete()
    # Unmigrated, a near copy cannot find its story: the stored signature is skipped.
    call_command("migrate", "pressroom", verbosity=0)
    assert stored_state() == before
    title1, body1 = stored[1]
    near = [*body1[:-1], body1[-1] + " Details will follow."]
    out = ingest(cli, tmp_path, page(("Society", [Item(title1, near)])), "d.txt")
    assert "1 merged" in out, out


def test_a_signature_of_another_format_is_skipped_not_an_error(stored, cli, tmp_path):
    from pressroom.store.models import Article

    Article.objects.exclude(signature=b"").update(signature=b"\x01" + bytes(512))
    title1, body1 = stored[1]
    near = [*body1[:-1], body1[-1] + " Details will follow."]
    out = ingest(cli, tmp_path, page(("Society", [Item(title1, near)])), "d.txt")
    assert "1 new" in out, out  # not found (band keys match, signature unreadable)


def test_band_keys_are_keyed_by_key_and_article_and_go_with_their_article(stored):
    from django.db import IntegrityError, connection, transaction

    from pressroom.store.models import Article, BandKey

    key, article_id = BandKey.objects.values_list("key", "article_id").first()
    with pytest.raises(IntegrityError), transaction.atomic():
        BandKey.objects.create(key=key, article_id=article_id)
    if connection.vendor == "sqlite":  # the table is its primary-key index
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'pressroom_bandkey'")
            assert "WITHOUT ROWID" in cursor.fetchone()[0]
    total = BandKey.objects.count()
    mine = BandKey.objects.filter(article_id=article_id).count()
    assert mine >= 32  # its text's 32 (and its earlier texts')
    Article.objects.filter(pk=article_id).delete()
    assert BandKey.objects.count() == total - mine
