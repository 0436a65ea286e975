"""Search on the real engine (SQLite FTS5 or PostgreSQL, whichever the suite runs on)."""

from __future__ import annotations

import datetime

import pytest

from pressroom.store.search import Filters, SearchError, search


def titles(text: str, **kw) -> list[str]:
    return [h.title for h in search(text, per_page=100, **kw).hits]


REFERENCE_STORIES = [
    ("pharmaceutical", "Slovenia's global pharmaceutical leaders strengthen strategic partnership"),
    ("musical", "A Musical Bridge Between Astana and Ljubljana"),
    ("youth", "Kazakhstan Representative Participates in the Sessions of the Bureau"),
    ("Auezov", "Support for the new Constitution was expressed at a meeting held at M. Auezov"),
    ("housing", "Socially vulnerable citizens provided with housing in Shymkent"),
]


@pytest.mark.parametrize(("word", "title"), REFERENCE_STORIES)
def test_a_word_from_each_reference_story_finds_it_first(demo, word, title):
    assert titles(word)[0].startswith(title)


def _mentioning(word: str) -> set[str]:
    from django.db.models import Q

    from pressroom.store.models import Article

    found = Article.objects.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return set(found.values_list("title", flat=True))


@pytest.mark.parametrize("query", ["Shymkent", "shymkent", "SHYMKENT", "Шымкент", "Shymkent's"])
def test_shymkent_finds_the_shymkent_stories(demo, query):
    expected = _mentioning("Shymkent")
    assert len(expected) >= 5
    assert set(titles(query)) == expected


def test_phrase_needs_the_words_in_order(demo):
    assert titles('"Slavic holiday"') == ['Shymkent celebrated the holiday "Maslenitsa - 2026"']
    assert titles('"holiday Slavic"') == []


def test_exclusion(demo):
    with_it = set(titles("Shymkent"))
    without = set(titles("Shymkent -Maslenitsa"))
    assert with_it - without == {'Shymkent celebrated the holiday "Maslenitsa - 2026"'}


def test_only_exclusions_list_everything_else(demo):
    from pressroom.store.models import Article

    assert search("-Shymkent").total == Article.objects.count() - len(_mentioning("Shymkent"))


def test_or(demo):
    either = set(titles("Maslenitsa OR pharmaceutical"))
    assert either == set(titles("Maslenitsa")) | set(titles("pharmaceutical"))
    assert len(either) == 2


def test_prefix(demo):
    assert set(titles("pharmac*")) == set(titles("pharmaceutical"))
    assert set(titles("Shymk*")) == _mentioning("Shymkent")
    assert len(titles("constitu*")) > len(titles("constitution")) or titles("constitu*")


def test_stems_match_other_forms(demo):
    assert set(titles("pharmaceuticals")) == set(titles("pharmaceutical"))
    assert set(titles("constitutions")) == set(titles("constitution"))


def test_russian_text(demo):
    (title,) = titles("коридора")
    assert "зеленый коридор" in title
    assert titles("«зеленый коридор»") == [title]
    assert titles("Туркменистан", filters=Filters(lang="ru")) == [title]


def test_kazakh_text_and_names_across_scripts(add_article):
    add_article(
        "Шымкент қаласында жаңа мектептер ашылды",
        "Қазақстанның оңтүстігіндегі Шымкентте үш мектеп пайдалануға берілді.",
        "kk",
    )
    for query in ("мектеп", "мектептерде", "Шымкенттің", "Shymkent", "Qazaqstan", "Kazakhstan"):
        assert titles(query) == ["Шымкент қаласында жаңа мектептер ашылды"], query


def test_filters(demo):
    everything = set(titles("Kazakhstan"))
    news = set(titles("Kazakhstan", filters=Filters(section="News")))
    assert news and news < everything
    assert set(titles("Kazakhstan", filters=Filters(section="news"))) == news
    # A publisher includes the publishers under it: the ministry's embassies.
    embassies = set(titles("Kazakhstan", filters=Filters(publisher="mfa")))
    assert embassies == set(titles("Kazakhstan", filters=Filters(kind="embassy")))
    assert len(embassies) == 3
    assert set(titles("Kazakhstan", filters=Filters(publisher="mfa-ljubljana"))) < embassies
    assert titles("Kazakhstan", filters=Filters(lang="ru")) == titles(
        "Казахстан", filters=Filters(lang="ru")
    )
    day = datetime.date(2026, 2, 3)
    on_day = search("Kazakhstan", Filters(date_from=day, date_to=day), per_page=100).hits
    assert on_day and all(h.published == day for h in on_day)
    after = search("Kazakhstan", Filters(date_from=day), per_page=100).hits
    assert all(h.published >= day for h in after) and len(after) > len(on_day)


def test_unknown_filter_values(demo):
    assert search("Kazakhstan", Filters(section="Nope")).notes == ("No section 'Nope'.",)
    assert search("Kazakhstan", Filters(publisher="nope")).total == 0
    later, earlier = datetime.date(2026, 1, 2), datetime.date(2026, 1, 1)
    assert search("Kazakhstan", Filters(date_from=later, date_to=earlier)).total == 0
    with pytest.raises(SearchError, match="kind"):
        search("Kazakhstan", Filters(kind="nope"))
    with pytest.raises(SearchError):
        search("Kazakhstan", page=0)


def test_sort_by_date_and_by_relevance(demo):
    by_date = search("Kazakhstan", sort="date", per_page=100).hits
    dates = [h.published for h in by_date]
    assert dates == sorted(dates, reverse=True) and len(dates) > 5
    by_score = search("Kazakhstan", per_page=100).hits
    scores = [h.score for h in by_score]
    assert scores == sorted(scores, reverse=True)
    assert {h.id for h in by_date} == {h.id for h in by_score}
    assert [h.id for h in by_date] != [h.id for h in by_score]


def test_title_matches_rank_first(demo):
    hits = search("Maslenitsa OR pharmaceutical OR Auezov").hits
    assert all(any(w in h.title for w in ("Maslenitsa", "pharmaceutical", "Auezov")) for h in hits)


def test_hidden_articles_never_appear(demo):
    from pressroom.store.models import Article

    before = search("Shymkent")
    hidden = Article.objects.get(title__startswith="Shymkent celebrated")
    hidden.hidden = True
    hidden.save()
    after = search("Shymkent")
    assert after.total == before.total - 1
    assert hidden.pk not in {h.id for h in search("Shymkent", per_page=100).hits}
    assert search("Maslenitsa").total == 0
    assert hidden.pk not in {h.id for h in search("-Shymkent", per_page=100).hits}


def test_pagination(demo):
    whole = search("Kazakhstan", per_page=100)
    pages = [search("Kazakhstan", page=p, per_page=3) for p in range(1, whole.total // 3 + 2)]
    assert [h.id for p in pages for h in p.hits] == [h.id for h in whole.hits]
    assert all(p.total == whole.total and p.total_exact for p in pages)
    assert pages[0].has_next and not pages[0].has_previous and not pages[-1].has_next
    assert search("Kazakhstan", page=999).hits == []


def test_total_above_the_cap_is_a_lower_bound(demo, monkeypatch):
    from pressroom.store.search import service

    monkeypatch.setattr(service, "COUNT_CAP", 3)
    result = search("Kazakhstan")
    assert result.total == 3 and not result.total_exact


def test_snippets_are_escaped_and_marked(add_article):
    add_article(
        "<b>Budget</b> & taxes",
        "Intro. " * 40 + 'The <script>alert("x")</script> budget was adopted. ' + "Outro. " * 40,
        "en",
    )
    (hit,) = search("budget").hits
    assert hit.title_html == "&lt;b&gt;<mark>Budget</mark>&lt;/b&gt; &amp; taxes"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>budget</mark>" in hit.snippet
    assert "<script>" not in hit.snippet
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")


def test_nothing_found(demo):
    result = search("zzzyzzx")
    assert result.total == 0 and result.hits == [] and result.pages == 1
    assert search("").hits == [] and search("   ").total == 0


def test_relevance_ranks_the_newest_hits_when_there_are_very_many(demo, monkeypatch):
    from pressroom.store.search import backends

    everything = search("Kazakhstan", sort="date", per_page=100).hits
    monkeypatch.setattr(backends, "RANK_WINDOW", 4)
    ranked = search("Kazakhstan", per_page=100)
    assert {h.id for h in ranked.hits} == {h.id for h in everything[:4]}
    assert ranked.total == len(everything)  # the count is not limited by the window


def test_search_shows_exactly_what_visible_shows(demo):
    """The search SQL mirrors Article.objects.visible(); if that rule changes, this fails."""
    from pressroom.store.models import Article

    Article.objects.filter(title__startswith="Shymkent").update(hidden=True)
    listed = search("-zzzyzzx", per_page=100)
    assert {h.id for h in listed.hits} == set(
        Article.objects.visible().values_list("id", flat=True)
    )
    assert listed.total == Article.objects.visible().count()
