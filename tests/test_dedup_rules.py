"""Each de-duplication rule, on real press-release texts."""

from __future__ import annotations

import pytest

from tests.listing_text import Item, corpus_texts, page


@pytest.fixture
def texts(shared_data):
    return corpus_texts(shared_data, 6)


def ingest(cli, tmp_path, text: str, name: str = "page.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = cli("ingest", str(path))
    assert result.code == 0, result.err
    return result


def articles(cli):
    return cli("export").jsonl()


def test_same_source_edited_text_becomes_a_version(cli, tmp_path, texts):
    title, body = texts[0]
    src = ("mfa-ljubljana", 1154138, "kk")
    ingest(cli, tmp_path, page(("News", [Item(title, body, source=src)])), "a.txt")
    edited = [*body[:-1], body[-1] + " The Embassy will report on the results."]
    result = ingest(cli, tmp_path, page(("News", [Item(title, edited, source=src)])), "b.txt")
    assert "1 updated" in result.out
    (article,) = articles(cli)
    assert article["versions"] == 1
    assert article["copies"] == 2
    assert article["body"].endswith("The Embassy will report on the results.")

    from pressroom.store.models import Version

    version = Version.objects.get()
    assert version.body == "\n\n".join(body)
    assert version.replaced_by is not None and version.replaced_by.input_name.endswith("b.txt")


def test_same_title_different_stories_stay_apart(cli, tmp_path, texts):
    (_, body_a), (_, body_b) = texts[1], texts[2]
    items = [Item("Meeting with residents", body_a), Item("Meeting with residents", body_b)]
    ingest(cli, tmp_path, page(("News", items)))
    assert len(articles(cli)) == 2


def test_bodyless_items_with_same_title_and_different_sources_stay_apart(cli, tmp_path):
    items = [
        Item("Weekly briefing", [], source=("almobl", 1052856, "kk")),
        Item("Weekly briefing", [], source=("almobl-zkh", 1052871, "kk")),
    ]
    ingest(cli, tmp_path, page(("News", items)))
    assert len(articles(cli)) == 2


def test_near_copy_merges(cli, tmp_path, texts):
    title, body = texts[3]
    changed = [*body]
    changed[1] = changed[1].replace(".", ";", 1) + " This was reported by the press service."
    ingest(cli, tmp_path, page(("News", [Item(title, body)]), ("World", [Item(title, changed)])))
    (article,) = articles(cli)
    assert article["copies"] == 2
    assert article["sections"] == ["News", "World"]

    from pressroom.store.models import Sighting

    assert sorted(Sighting.objects.values_list("match", flat=True)) == ["near", "new"]


def test_cut_off_copy_joins_the_complete_one_either_way(cli, tmp_path, texts):
    title, body = texts[4]
    full = "\n".join(body)
    at = int(len(full) * 0.6)
    while not (full[at - 1].isalpha() and full[at].isalpha()):
        at += 1
    cut = full[:at]  # ends mid-word, like the archived pages
    truncated_page = (
        f"URL: https://example.org/x\nLANG: listing\n\nNews More\n{title} 03.02.2026\n{cut}"
    )
    ingest(cli, tmp_path, truncated_page, "cut.txt")
    (article,) = articles(cli)
    assert article["truncated"]
    ingest(cli, tmp_path, page(("Society", [Item(title, body)])), "full.txt")
    (article,) = articles(cli)
    assert not article["truncated"]
    assert article["body"] == "\n\n".join(body)
    assert article["copies"] == 2


def test_translations_of_one_item_are_separate_articles(cli, tmp_path):
    en = Item(
        "Kazakhstan and Slovenia discussed cooperation",
        ["The Ambassador of Kazakhstan met the Minister of Economy of Slovenia in Ljubljana."],
        source=("mfa-ljubljana", 1, "en"),
    )
    ru = Item(
        "Казахстан и Словения обсудили сотрудничество",
        ["Посол Казахстана встретился с министром экономики Словении в Любляне."],
        source=("mfa-ljubljana", 1, "ru"),
    )
    ingest(cli, tmp_path, page(("News", [en, ru])))
    rows = articles(cli)
    assert sorted(a["lang"] for a in rows) == ["en", "ru"]
    assert {a["source_id"] for a in rows} == {1}
