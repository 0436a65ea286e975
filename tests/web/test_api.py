"""The JSON API at /api/v1/: every endpoint, filters, cursors, ETags, the rate limit, queries."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.core.cache import cache

from pressroom.store.models import Article, Publisher, Section, Version
from pressroom.web.api import pagination, ratelimit
from pressroom.web.cache import bump_content_version
from tests.web.conftest import REFERENCE_TITLES

pytestmark = pytest.mark.django_db

API = "/api/v1"
DAY = dt.date(2026, 2, 3)


def get(client: Any, url: str, status: int = 200, **headers: Any) -> Any:
    response = client.get(url, **headers)
    assert response.status_code == status, (url, response.status_code, response.content[:300])
    return response


def walk(client: Any, url: str) -> list[dict[str, Any]]:
    """Every item of a list, following `next` to the end."""
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        page = get(client, next_url).json()
        items += page["items"]
        next_url = page["next"]
    return items


# -- discovery and errors ---------------------------------------------------------------


def test_index_openapi_and_docs(client):
    index = get(client, f"{API}/").json()
    assert index["openapi"] == "http://testserver/api/v1/openapi.json"
    document = get(client, index["openapi"]).json()
    assert set(document["paths"]) == {
        f"{API}/articles",
        f"{API}/articles/{{article_id}}",
        f"{API}/search",
        f"{API}/sections",
        f"{API}/publishers",
        f"{API}/publishers/{{slug}}",
    }
    docs = get(client, f"{API}/docs")
    html = docs.content.decode()
    # The docs page runs under the portal's strict policy: scripts from our own origin only.
    assert "script-src 'self'" in docs["Content-Security-Policy"]
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html
    assert get(client, "/static/ninja/swagger-ui-init.js").status_code == 200


def test_unknown_paths_and_methods_answer_json(client):
    for url in (f"{API}/nope", f"{API}/articles/", f"{API}/publishers/a/b"):
        response = get(client, url, 404)
        assert response["Content-Type"].startswith("application/json")
        assert "There is no" in response.json()["detail"]
    post = client.post(f"{API}/articles")
    assert post.status_code == 405 and post["Allow"] == "GET, HEAD"
    assert "read-only" in post.json()["detail"]


def test_head_is_get_without_the_body(client, make_article):
    make_article()
    full = get(client, f"{API}/articles")
    head = client.head(f"{API}/articles")
    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == full["ETag"] and head["Content-Length"] == str(len(full.content))


@pytest.mark.parametrize(
    "query",
    [
        "limit=0",
        "limit=101",
        "limit=ten",
        "lang=de",
        "kind=bakery",
        "from=2026-13-01",
        "from=0",
        "to=yesterday",
        "section=a%00b",
        "include_body=maybe",
        "cursor=" + "x" * 401,
    ],
)
def test_malformed_parameters_are_422(client, query):
    response = get(client, f"{API}/articles?{query}", 422)
    problems = response.json()["detail"]
    assert problems and all({"loc", "msg", "type"} <= set(p) for p in problems)


def test_huge_or_bad_ids_are_refused_not_crashed(client):
    get(client, f"{API}/articles/99999999999999999999999", 422)
    get(client, f"{API}/articles/0", 422)
    get(client, f"{API}/articles/abc", 422)
    get(client, f"{API}/articles/123456", 404)
    get(client, f"{API}/publishers/no-such-one", 404)
    get(client, f"{API}/publishers/bad%20slug", 422)


# -- articles ---------------------------------------------------------------------------


def test_articles_newest_first_with_their_fields(client, make_article):
    old = make_article(published=DAY - dt.timedelta(days=2), source_url="https://x.kz/1")
    new_a = make_article(published=DAY, body="One.\n\nTwo.")
    new_b = make_article(published=DAY, section="World")
    items = get(client, f"{API}/articles").json()["items"]
    assert [i["id"] for i in items] == [new_b.pk, new_a.pk, old.pk]
    first = items[1]
    assert first["url"] == f"http://testserver/en/article/{new_a.pk}/"
    assert first["publisher"] == "mfa-ljubljana"
    assert first["sections"] == [{"slug": "news", "name": "News"}]
    assert first["published"] == DAY.isoformat() and first["body"] is None
    assert items[2]["source_url"] == "https://x.kz/1"
    with_body = get(client, f"{API}/articles?include_body=true").json()["items"]
    assert with_body[1]["body"] == ["One.", "Two."]


def test_article_filters(client, make_article):
    parent = Publisher.objects.create(slug="mfa", kind=Publisher.Kind.MINISTRY)
    child = Publisher.objects.create(slug="mfa-child", kind=Publisher.Kind.EMBASSY, parent=parent)
    ministry = make_article(publisher="mfa", lang="ru", published=DAY - dt.timedelta(days=5))
    embassy = make_article(publisher="mfa-child", section="World")
    Article.objects.filter(pk=embassy.pk).update(publisher=child)
    other = make_article(publisher="akimat", section="Society", published=DAY)

    def ids(query: str) -> set[int]:
        return {i["id"] for i in walk(client, f"{API}/articles?{query}")}

    assert ids("publisher=mfa") == {ministry.pk, embassy.pk}  # the publishers under it too
    assert ids("publisher=mfa-child") == {embassy.pk}
    assert ids("section=world") == {embassy.pk}
    assert ids("section=Society") == {other.pk}  # the name as shown works too
    assert ids("kind=ministry") == {ministry.pk}
    assert ids("lang=ru") == {ministry.pk}
    assert ids(f"from={DAY.isoformat()}") == {other.pk, embassy.pk}
    assert ids(f"to={(DAY - dt.timedelta(days=1)).isoformat()}") == {ministry.pk}
    assert ids(f"from={DAY}&to={DAY}&section=society") == {other.pk}
    for query, message in (
        ("section=nowhere", "There is no section “nowhere”."),
        ("publisher=nobody", "There is no publisher “nobody”."),
        (f"from={DAY}&to=2020-01-01", "The end date ('to') is before the start date ('from')."),
    ):
        assert get(client, f"{API}/articles?{query}", 400).json() == {"detail": message}


def test_hidden_articles_are_invisible_everywhere(client, make_article, demo):
    hidden = make_article(title="Secret story", hidden=True)
    shown = Article.objects.filter(title=REFERENCE_TITLES[4]).get()
    assert hidden.pk not in {i["id"] for i in walk(client, f"{API}/articles?limit=100")}
    get(client, f"{API}/articles/{hidden.pk}", 404)
    assert get(client, f"{API}/search?q=Shymkent+housing").json()["items"][0]["id"] == shown.pk
    Article.objects.filter(pk=shown.pk).update(hidden=True)
    bump_content_version()
    hits = get(client, f"{API}/search?q=Shymkent+housing").json()["items"]
    assert shown.pk not in {h["id"] for h in hits}
    get(client, f"{API}/articles/{shown.pk}", 404)


def test_article_with_sightings_versions_and_translations(client, demo, make_article):
    article = Article.objects.filter(title=REFERENCE_TITLES[0]).get()
    Version.objects.create(
        article=article, title="Older title", body="Old one.\n\nOld two.", fingerprint="f" * 32
    )
    en = make_article(source_key="govkz:mfa:7:en", lang="en")
    ru = make_article(source_key="govkz:mfa:7:ru", lang="ru", title="Русский")
    data = get(client, f"{API}/articles/{article.pk}").json()
    assert data["title"] == REFERENCE_TITLES[0]
    assert data["body"] == article.paragraphs
    assert data["sightings"] and all(s["raw"] is None for s in data["sightings"])
    sighting = data["sightings"][0]
    assert sighting["input"].endswith(".txt") and "/" not in sighting["input"]  # no server paths
    assert sighting["line"] >= 1 and sighting["match"] == "new"
    assert data["versions"] == [
        {
            "title": "Older title",
            "body": ["Old one.", "Old two."],
            "replaced_at": data["versions"][0]["replaced_at"],
        }
    ]
    with_raw = get(client, f"{API}/articles/{article.pk}?include_raw=true").json()
    assert REFERENCE_TITLES[0] in with_raw["sightings"][0]["raw"]
    translated = get(client, f"{API}/articles/{en.pk}").json()["translations"]
    assert translated == [{"id": ru.pk, "lang": "ru", "title": "Русский"}]


# -- cursors ----------------------------------------------------------------------------


def test_walking_a_list_while_articles_arrive_never_repeats_or_skips(client, make_article):
    days = [DAY - dt.timedelta(days=d) for d in range(5)]
    before = [make_article(published=days[i % 5]) for i in range(23)]
    expected = {a.pk for a in before}
    arriving = itertools.cycle([*days, DAY + dt.timedelta(days=1), DAY - dt.timedelta(days=9)])
    seen: list[tuple[str, int]] = []
    url: str | None = f"{API}/articles?limit=4"
    pages = 0
    while url:
        page = get(client, url).json()
        seen += [(i["published"], i["id"]) for i in page["items"]]
        url = page["next"]
        pages += 1
        for _ in range(3):  # new articles land before, at and after the cursor
            make_article(published=next(arriving))
    ids = [i for _, i in seen]
    assert len(ids) == len(set(ids)), "an article came twice"
    assert expected <= set(ids), "an article that existed all along was skipped"
    assert seen == sorted(seen, reverse=True), "the order broke"
    assert pages >= 6


def test_cursor_pages_are_exact_and_keep_the_filters(client, make_article):
    for i in range(7):
        make_article(published=DAY - dt.timedelta(days=i % 2), lang=("en", "ru")[i % 2])
    make_article(lang="kk")
    everything = walk(client, f"{API}/articles?limit=100")
    assert [i["id"] for i in walk(client, f"{API}/articles?limit=3")] == [
        i["id"] for i in everything
    ]
    first = get(client, f"{API}/articles?lang=ru&limit=2").json()
    assert "lang=ru" in first["next"] and first["next_cursor"] in first["next"].replace("%3A", ":")
    russian = walk(client, f"{API}/articles?lang=ru&limit=2")
    assert len(russian) == 3 and {i["lang"] for i in russian} == {"ru"}
    # A section's pages walk another index (the section listing): the same order.
    news = walk(client, f"{API}/articles?section=news&limit=3")
    assert [i["id"] for i in news] == [i["id"] for i in everything]
    news_ru = walk(client, f"{API}/articles?section=news&lang=ru&limit=1")
    assert [i["id"] for i in news_ru] == [i["id"] for i in russian]
    last = get(client, f"{API}/articles?limit=100").json()
    assert last["next"] is None and last["next_cursor"] is None


def test_tampered_garbage_and_foreign_cursors_are_400(client, make_article):
    for _ in range(3):
        make_article()
    Publisher.objects.create(slug="zzz")
    cursor = get(client, f"{API}/articles?limit=1").json()["next_cursor"]
    payload, _, signature = cursor.partition(":")
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    publishers_cursor = get(client, f"{API}/publishers?limit=1").json()["next_cursor"]
    for bad in (
        f"{flipped}:{signature}",
        f"{payload}:{signature[:-2]}",
        "garbage",
        "",
        ":",
        publishers_cursor,  # signed, but another list's
        pagination.encode("a", "x", 1),  # signed, with a position of the wrong type
        pagination.encode("a", 0, 1),
    ):
        if bad == "":
            continue  # an empty cursor is the first page
        response = get(client, f"{API}/articles?cursor={bad}", 400)
        assert "cursor" in response.json()["detail"]
    get(client, f"{API}/search?q=story&cursor={cursor}", 400)
    get(client, f"{API}/publishers?cursor={cursor}", 400)


# -- directory --------------------------------------------------------------------------


def test_sections_in_every_language(client, make_article):
    make_article(section="Society")
    Section.objects.filter(slug="society").update(name_kk="Қоғамдық")
    sections = get(client, f"{API}/sections").json()["items"]
    society = next(s for s in sections if s["slug"] == "society")
    assert society["names"] == {"en": "Society", "ru": "Общество", "kk": "Қоғамдық"}
    assert society["url"] == "http://testserver/en/section/society/"


def test_publishers_paginated_with_parents_children_and_counts(client, make_article):
    ministry = Publisher.objects.create(
        slug="mfa", kind=Publisher.Kind.MINISTRY, name_en="Foreign Ministry", name_ru="МИД"
    )
    for n in range(7):
        Publisher.objects.create(slug=f"mfa-{n}", kind=Publisher.Kind.EMBASSY, parent=ministry)
    make_article(publisher="mfa")
    make_article(publisher="mfa", hidden=True)
    everyone = walk(client, f"{API}/publishers?limit=3")
    assert [p["slug"] for p in everyone] == ["mfa", *(f"mfa-{n}" for n in range(7))]
    assert everyone[1]["parent"] == "mfa" and everyone[1]["kind"] == "embassy"
    assert everyone[0]["names"] == {"en": "Foreign Ministry", "ru": "МИД", "kk": "Foreign Ministry"}
    assert len(walk(client, f"{API}/publishers?kind=embassy&parent=mfa&limit=2")) == 7
    assert walk(client, f"{API}/publishers?kind=akimat") == []
    longest = ["m" * 120, "n" * 120]  # the longest slugs still make usable cursors
    Publisher.objects.bulk_create(Publisher(slug=slug) for slug in longest)
    assert [p["slug"] for p in walk(client, f"{API}/publishers?kind=other&limit=1")] == longest
    detail = get(client, f"{API}/publishers/mfa").json()
    assert detail["children"] == [f"mfa-{n}" for n in range(7)]
    assert detail["articles"] == 1  # the hidden one is not counted
    assert detail["url"] == "http://testserver/en/publishers/mfa/"


# -- search -----------------------------------------------------------------------------


def test_search_finds_pages_and_filters(client, demo):
    results = get(client, f"{API}/search?q=Shymkent").json()
    assert results["total"] >= 5 and results["total_exact"]
    assert all("Shymkent" in h["title"] + h["snippet"] for h in results["items"])
    assert (
        "<mark>Shymkent</mark>"
        in results["items"][0]["title_html"] + results["items"][0]["snippet"]
    )
    hit = results["items"][0]
    assert hit["url"] == f"http://testserver/{hit['lang']}/article/{hit['id']}/"
    assert hit["sections"] and {"slug", "name"} == set(hit["sections"][0])
    walked = walk(client, f"{API}/search?q=Shymkent&limit=2")
    assert len(walked) == results["total"]
    assert len({h["id"] for h in walked}) == len(walked)
    by_date = get(client, f"{API}/search?q=Shymkent&sort=date").json()["items"]
    dates = [h["published"] for h in by_date]
    assert dates == sorted(dates, reverse=True)
    assert get(client, f"{API}/search?q=Shymkent&lang=ru").json()["items"] == [] or all(
        h["lang"] == "ru" for h in get(client, f"{API}/search?q=Shymkent&lang=ru").json()["items"]
    )
    assert get(client, f"{API}/search?q=Shymkent&from=2030-01-01").json()["total"] == 0
    get(client, f"{API}/search?q=Shymkent&publisher=nobody", 400)
    get(client, f"{API}/search?q=Shymkent&sort=best", 422)
    get(client, f"{API}/search", 422)  # q is required


def test_search_same_filters_as_articles(client, demo):
    """Every article a filtered search finds is in the same filtered article list."""
    section = Section.objects.order_by("position").first()
    assert section is not None
    listed = {i["id"] for i in walk(client, f"{API}/articles?section={section.slug}&limit=100")}
    found = walk(client, f"{API}/search?q=the&section={section.slug}&limit=100")
    assert found and {h["id"] for h in found} <= listed


def test_search_by_publisher_kind(client, demo):
    kinds = dict(Publisher.objects.values_list("slug", "kind"))
    hits = walk(client, f"{API}/search?q=the&kind=akimat&limit=100")
    assert hits and {kinds[h["publisher"]] for h in hits} == {"akimat"}
    listed = walk(client, f"{API}/articles?kind=akimat&limit=100")
    assert {h["id"] for h in hits} <= {i["id"] for i in listed}


def test_hostile_queries_are_answered(client, demo):
    for q in ('"unbalanced', "NEAR(a b)", "title:x", "^start", "a" * 1000, "-", "OR", "*",
              "Shym\x00kent", "tab\there\nnewline", "\x1b[31m"):  # fmt: skip
        assert get(client, f"{API}/search", data={"q": q}).json()["query"] == q
    get(client, f"{API}/search", 422, data={"q": "a" * 1001})


# -- ETags and caching ------------------------------------------------------------------


def test_etag_and_304_without_a_query(client, make_article, django_assert_num_queries):
    make_article()
    first = get(client, f"{API}/articles")
    etag = first["ETag"]
    assert etag.startswith('W/"') and first["Cache-Control"] == "public, max-age=0, must-revalidate"
    with django_assert_num_queries(0):
        again = get(client, f"{API}/articles", 304, HTTP_IF_NONE_MATCH=etag)
    assert again["ETag"] == etag and again.content == b""
    # Another URL, or the same after a change, has another tag.
    assert get(client, f"{API}/articles?limit=5")["ETag"] != etag
    make_article()
    bump_content_version()  # what ingest and the admin do after they commit
    fresh = get(client, f"{API}/articles", 200, HTTP_IF_NONE_MATCH=etag)
    assert fresh["ETag"] != etag and len(fresh.json()["items"]) == 2
    for url in (f"{API}/sections", f"{API}/publishers", f"{API}/openapi.json", f"{API}/docs"):
        tag = get(client, url)["ETag"]
        get(client, url, 304, HTTP_IF_NONE_MATCH=tag)


def test_errors_carry_no_etag_and_are_not_stored(client):
    response = get(client, f"{API}/articles/5", 404)
    assert "ETag" not in response and response["Cache-Control"] == "no-store"


# -- rate limit -------------------------------------------------------------------------


def test_rate_limit_per_client(client, monkeypatch):
    monkeypatch.setenv("PRESSROOM_API_RATE_LIMIT", "3/60")
    remaining = [get(client, f"{API}/sections")["X-RateLimit-Remaining"] for _ in range(3)]
    assert remaining == ["2", "1", "0"]
    refused = get(client, f"{API}/sections", 429)
    assert refused["X-RateLimit-Limit"] == "3" and refused["X-RateLimit-Remaining"] == "0"
    assert 1 <= int(refused["Retry-After"]) <= 120
    assert "Too many requests" in refused.json()["detail"]
    # A 304 is a request too; another address has its own count; X-Forwarded-For is not
    # believed unless proxies are configured.
    get(client, f"{API}/openapi.json", 429, HTTP_IF_NONE_MATCH="*")
    get(client, f"{API}/sections", REMOTE_ADDR="10.0.0.2")
    get(client, f"{API}/sections", 429, HTTP_X_FORWARDED_FOR="10.9.9.9")
    monkeypatch.setenv("PRESSROOM_API_PROXIES", "1")
    get(client, f"{API}/sections", HTTP_X_FORWARDED_FOR="10.9.9.9")
    monkeypatch.setenv("PRESSROOM_API_RATE_LIMIT", "0")
    assert "X-RateLimit-Limit" not in get(client, f"{API}/sections")


def test_ipv6_clients_share_their_64(rf):
    a = rf.get("/", REMOTE_ADDR="2001:db8:1:2::10")
    b = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    c = rf.get("/", REMOTE_ADDR="2001:db8:1:3::10")
    assert ratelimit.client_address(a) == ratelimit.client_address(b)
    assert ratelimit.client_address(a) != ratelimit.client_address(c)


def test_sliding_window_counts(rf):
    """N per S seconds: the previous window's count fades out as the window slides."""
    rate = ratelimit.Rate(10, 60)
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    cache.clear()
    start = 6000.0  # a window boundary
    for _ in range(10):
        assert ratelimit.check(request, rate, now=start + 50).allowed
    refused = ratelimit.check(request, rate, now=start + 55)
    assert not refused.allowed and refused.remaining == 0
    # Next window, 10 s in: 10 * 50/60 = 8.3 of the old count still weighs; 1 more fits.
    assert ratelimit.check(request, rate, now=start + 70).allowed
    assert not ratelimit.check(request, rate, now=start + 71).allowed
    # Retry-After is when the fading estimate leaves room again.
    wait = ratelimit.check(request, rate, now=start + 71).retry_after
    assert ratelimit.check(request, rate, now=start + 71 + wait).allowed
    # Two windows later everything has faded.
    assert ratelimit.check(request, rate, now=start + 180).remaining == 9


def test_bad_rate_setting_is_a_clear_error():
    from django.core.exceptions import ImproperlyConfigured

    assert ratelimit.parse_rate("0") is None
    assert ratelimit.parse_rate("5/10") == ratelimit.Rate(5, 10)
    for bad in ("fast", "5/0", "-1/60", "5/x"):
        with pytest.raises(ImproperlyConfigured, match="PRESSROOM_API_RATE_LIMIT"):
            ratelimit.parse_rate(bad)
    assert ratelimit.parse_proxies("2") == 2
    for bad in ("-1", "two", ""):
        with pytest.raises(ImproperlyConfigured, match="PRESSROOM_API_PROXIES"):
            ratelimit.parse_proxies(bad)


# -- queries ----------------------------------------------------------------------------


def fill(make_article: Any, n: int) -> None:
    for i in range(n):
        article = make_article(
            published=DAY - dt.timedelta(days=i % 4),
            section=("News", "World", "Society")[i % 3],
        )
        if i % 2:
            article.sections.add(Section.objects.get(slug="news"))


QUERY_COUNTS = {
    f"{API}/articles?limit=100": 2,  # the page with publishers; the sections
    f"{API}/articles?limit=100&include_body=true": 2,
    f"{API}/articles?section=world&limit=100": 3,  # + the section's id
    f"{API}/articles?publisher=mfa-ljubljana&limit=100": 4,  # + the publisher tree (2)
    f"{API}/publishers?limit=100": 1,
    f"{API}/sections": 1,
}


@pytest.mark.parametrize("url", list(QUERY_COUNTS))
def test_queries_do_not_grow_with_the_page(client, make_article, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (5, 60):
        fill(make_article, n)
        for p in range(n):
            Publisher.objects.get_or_create(slug=f"pub-{n}-{p}")
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            get(client, url)
        counts.append(len(ctx.captured_queries))
    assert counts == [QUERY_COUNTS[url]] * 2, counts


def test_article_and_search_queries_are_bounded(client, demo, make_article):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    article = Article.objects.filter(title=REFERENCE_TITLES[0]).get()
    for _ in range(5):
        Version.objects.create(article=article, title="t", body="b", fingerprint="f" * 32)
    with CaptureQueriesContext(connection) as ctx:
        get(client, f"{API}/articles/{article.pk}")
    assert len(ctx.captured_queries) == 5  # article, sections, sightings, versions, translations
    cache.clear()
    with CaptureQueriesContext(connection) as small:
        get(client, f"{API}/search?q=Shymkent&limit=2")
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        get(client, f"{API}/search?q=Shymkent&limit=50")
    assert 0 < len(small.captured_queries) == len(large.captured_queries)
