"""Filters answered from the index's facet tokens stay right when articles and publishers change.

Every writer of an article's sections, language or publisher is covered: the admin's
change form and its "move to a section" action, the pipeline writer's ``add_sections``,
plain ORM and bulk updates. After each, a filtered search follows at once, the engine's
answer equals the answer of the article-table filters (the PostgreSQL path, forced
here), and ``reindex`` finds nothing to rewrite: the triggers wrote what the analysis
would have.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from pressroom.store.search import Filters, reindex, search
from pressroom.store.search import backends as search_backends

CHANGELIST = "/admin/pressroom/article/"


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return make_world()


def make_world() -> dict[str, Any]:
    """Two sections, a publisher tree (ministry > embassy) and four indexed articles."""
    from pressroom.store.models import Article, Publisher, Section
    from pressroom.store.search import index_article

    news = Section.objects.create(slug="news", name="News", position=1)
    sport = Section.objects.create(slug="sport", name="Sport", position=2)
    ministry = Publisher.objects.create(slug="mfa", kind=Publisher.Kind.MINISTRY)
    embassy = Publisher.objects.create(
        slug="mfa-rome", kind=Publisher.Kind.EMBASSY, parent=ministry
    )
    akimat = Publisher.objects.create(slug="akimat", kind=Publisher.Kind.AKIMAT)
    made = {}
    for n, (name, lang, pub, sections) in enumerate(
        [
            ("a", "en", ministry, [news]),
            ("b", "en", embassy, [sport]),
            ("c", "ru", akimat, [news, sport]),
            ("d", "en", None, []),
        ]
    ):
        article = Article.objects.create(
            title=f"Budget review {name}",
            body="The regional budget was reviewed by the council.",
            lang=lang,
            published=datetime.date(2026, 1, 10 + n),
            publisher=pub,
            fingerprint=f"facet{n}",
            title_key=f"facet{n}",
        )
        article.sections.set(sections)
        index_article(article)
        made[name] = article
    return {
        "news": news,
        "sport": sport,
        "mfa": ministry,
        "rome": embassy,
        "akimat": akimat,
        **made,
    }


def found(**filters: Any) -> set[str]:
    """Titles' last letters of the hits for 'budget' under these filters, checked against
    the same search with every filter on the article table."""
    results = search("budget", Filters(**filters), per_page=100)
    letters = {h.title.rsplit(" ", 1)[1] for h in results.hits}
    assert results.total == len(letters)
    return letters


def found_on_articles(monkeypatch: pytest.MonkeyPatch, **filters: Any) -> set[str]:
    with monkeypatch.context() as m:
        m.setattr(search_backends, "MAX_FACET_TOKENS", 0)
        results = search("budget", Filters(**filters), per_page=100)
    return {h.title.rsplit(" ", 1)[1] for h in results.hits}


FILTERS: list[dict[str, Any]] = [
    {},
    {"lang": "en"},
    {"lang": "ru"},
    {"section": "news"},
    {"section": "Sport"},
    {"publisher": "mfa"},
    {"publisher": "mfa-rome"},
    {"kind": "embassy"},
    {"kind": "akimat", "section": "news"},
    {"lang": "en", "section": "sport", "publisher": "mfa"},
]


def assert_consistent(monkeypatch: pytest.MonkeyPatch) -> None:
    for filters in FILTERS:
        assert found(**filters) == found_on_articles(monkeypatch, **filters), filters
    assert reindex().written == 0


def test_filters_from_the_index(world, monkeypatch):
    assert found() == {"a", "b", "c", "d"}
    assert found(lang="en") == {"a", "b", "d"}
    assert found(section="news") == {"a", "c"}
    assert found(section="sport", lang="ru") == {"c"}
    assert found(publisher="mfa") == {"a", "b"}  # the embassy is under the ministry
    assert found(kind="embassy") == {"b"}
    assert found(lang="kk") == set()
    assert_consistent(monkeypatch)


def test_section_links_added_removed_and_replaced(world, monkeypatch):
    a, d = world["a"], world["d"]
    a.sections.add(world["sport"])
    assert found(section="sport") == {"a", "b", "c"}
    a.sections.remove(world["news"])
    assert found(section="news") == {"c"}
    d.sections.set([world["news"]])
    assert found(section="news") == {"c", "d"}
    world["c"].sections.clear()
    assert found(section="news") == {"d"}
    assert_consistent(monkeypatch)


def test_language_and_publisher_updates(world, monkeypatch):
    from pressroom.store.models import Article

    a = world["a"]
    a.lang = "kk"
    a.save(update_fields=["lang"])
    assert found(lang="kk") == {"a"}
    Article.objects.filter(pk=world["b"].pk).update(publisher=world["akimat"])  # bulk, no signal
    assert found(publisher="mfa") == {"a"}
    assert found(kind="akimat") == {"b", "c"}
    Article.objects.filter(pk=world["c"].pk).update(publisher=None)
    assert found(kind="akimat") == {"b"}
    assert_consistent(monkeypatch)


def test_publisher_moved_in_the_tree_or_changing_kind_needs_no_reindex(world, monkeypatch):
    rome = world["rome"]
    rome.parent = world["akimat"]
    rome.save()
    assert found(publisher="mfa") == {"a"}
    assert found(publisher="akimat") == {"b", "c"}
    rome.kind = "ministry"
    rome.save()
    assert found(kind="ministry") == {"a", "b"}
    assert_consistent(monkeypatch)


def test_hidden_articles_leave_filtered_searches(world, monkeypatch):
    a = world["a"]
    a.hidden = True
    a.save(update_fields=["hidden"])
    assert found(section="news") == {"c"}
    assert_consistent(monkeypatch)


def test_admin_moves_articles_between_sections(world, admin_client, monkeypatch):
    a, b = world["a"], world["b"]
    done = admin_client.post(
        CHANGELIST,
        {
            "action": "move_to_section",
            "_selected_action": [a.pk, b.pk],
            "section": world["news"].pk,
            "apply": "Move",
        },
    )
    assert done.status_code == 302
    assert found(section="news") == {"a", "b", "c"}
    assert found(section="sport") == {"c"}
    assert_consistent(monkeypatch)


def test_admin_change_form_edits_sections_and_hides(world, admin_client, monkeypatch):
    a = world["a"]
    response = admin_client.post(
        f"{CHANGELIST}{a.pk}/change/",
        {"title": a.title, "hidden": "", "sections": [world["sport"].pk]},
    )
    assert response.status_code == 302
    assert found(section="sport") == {"a", "b", "c"}
    assert found(section="news") == {"c"}
    response = admin_client.post(
        f"{CHANGELIST}{a.pk}/change/",
        {"title": a.title, "hidden": "on", "sections": [world["sport"].pk]},
    )
    assert response.status_code == 302
    assert found(section="sport") == {"b", "c"}
    assert_consistent(monkeypatch)


def test_pipeline_writer_adds_sections(world, monkeypatch):
    from pressroom.pipeline.writer import ArticleWriter

    ArticleWriter().add_sections(world["d"], ["Sport", "Culture"])
    assert found(section="sport") == {"b", "c", "d"}
    assert found(section="culture") == {"d"}
    assert_consistent(monkeypatch)


def test_ingested_articles_carry_their_sections_and_publisher(demo, monkeypatch):
    """The demo pages, through the real ingest: every filter from the index agrees with the
    article tables, and the index holds exactly what reindex would write."""
    from pressroom.store.models import Publisher, Section

    kinds = set(Publisher.objects.values_list("kind", flat=True))
    sections = [None, *Section.objects.values_list("slug", flat=True)]
    for query in ("Shymkent", "minist*", "Астана", '"press service"', "the"):
        for section in sections:
            for kind in [None, *kinds]:
                for lang in (None, "en", "ru"):
                    filters = Filters(section=section, kind=kind, lang=lang)
                    facets = search(query, filters, per_page=100)
                    with monkeypatch.context() as m:
                        m.setattr(search_backends, "MAX_FACET_TOKENS", 0)
                        plain = search(query, filters, per_page=100)
                    # Same hits, same order, same scores (filter tokens weigh nothing).
                    assert [(h.id, round(h.score, 9)) for h in facets.hits] == [
                        (h.id, round(h.score, 9)) for h in plain.hits
                    ], (query, filters)
                    assert facets.total == plain.total
    assert reindex().written == 0


def test_filter_values_cannot_reach_the_engine_syntax(world):
    for lang in ['en" OR "lru', "en OR ru", "*", "facets:len", '"', "EN", "e-n", "en ru"]:
        assert search("budget", Filters(lang=lang)).total == 0, lang
    assert search("budget", Filters(lang="")).total == 4  # no filter


@pytest.mark.django_db(transaction=True)
def test_migration_converts_an_existing_index(monkeypatch):
    """Back to the first index format with articles indexed, then forward again: the
    migration fills the facets in SQL, so filtered search works without a reindex."""
    from django.core.management import call_command
    from django.db import connection

    world = make_world()
    call_command("migrate", "pressroom", "0003_search", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_document")
        assert cursor.fetchone()[0] == 4
    world["d"].sections.add(world["sport"])  # a change while the triggers were absent
    call_command("migrate", "pressroom", verbosity=0)
    assert found(section="sport") == {"b", "c", "d"}
    assert found(publisher="mfa", lang="en") == {"a", "b"}
    assert_consistent(monkeypatch)


def test_prefix_index_lengths_match_the_migration(db):
    import importlib

    from django.db import connection

    from pressroom.store.search.document import PREFIX_LENGTHS

    migration = importlib.import_module("pressroom.store.migrations.0004_search_facets")
    assert migration.PREFIX_LENGTHS == PREFIX_LENGTHS
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_fts'")
            assert f"prefix='{' '.join(map(str, PREFIX_LENGTHS))}'" in cursor.fetchone()[0]
