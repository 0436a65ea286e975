"""Editors: hide, unhide, move, correct a title; every change recorded and the site updated."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission

from pressroom.store.models import Article, Section
from pressroom.web.cache import content_version

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/pressroom/article/"


@pytest.fixture
def editor(client, django_user_model):
    """A staff account that may view and change articles, and nothing else."""
    user = django_user_model.objects.create_user("editor", password="pw-for-tests", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_article", "change_article", "view_section", "view_logentry"]
        )
    )
    client.force_login(user)
    return user


def values_logged(article: Article) -> dict[str, list[object]]:
    found: dict[str, list[object]] = {}
    for entry in LogEntry.objects.filter(object_id=str(article.pk)):
        for part in json.loads(entry.change_message):
            found.update(part.get("values", {}))
    return found


def test_staff_editor_hides_and_unhides(
    client, editor, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Story to hide")
    assert "Story to hide" in client.get("/en/").content.decode()
    before = content_version()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            CHANGELIST, {"action": "hide", "_selected_action": [article.pk]}, follow=True
        )
    assert response.status_code == 200
    assert "1 articles hidden." in response.content.decode()
    article.refresh_from_db()
    assert article.hidden
    assert content_version() != before
    assert "Story to hide" not in client.get("/en/").content.decode()
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.user == editor
    assert values_logged(article) == {"hidden": [False, True]}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(CHANGELIST, {"action": "unhide", "_selected_action": [article.pk]})
    assert "Story to hide" in client.get("/en/").content.decode()


def test_correct_a_title_is_logged_with_old_and_new(
    admin_client, make_article, django_capture_on_commit_callbacks
):
    article = make_article(title="Mispelled title")
    news = Section.objects.get(slug="news")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"{CHANGELIST}{article.pk}/change/",
            {"title": "Misspelled title, corrected", "sections": [news.pk]},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "Misspelled title, corrected"
    assert values_logged(article) == {"title": ["Mispelled title", "Misspelled title, corrected"]}
    assert "Misspelled title, corrected" in admin_client.get("/en/").content.decode()
    audit = admin_client.get("/admin/admin/logentry/").content.decode()
    assert "Mispelled title → Misspelled title, corrected" in audit


def test_body_and_provenance_are_read_only(admin_client, make_article):
    article = make_article(body="Original text.")
    admin_client.post(
        f"{CHANGELIST}{article.pk}/change/",
        {"title": article.title, "body": "Forged text.", "lang": "ru", "sections": []},
    )
    article.refresh_from_db()
    assert article.body == "Original text." and article.lang == "en"


def test_move_articles_to_a_section(admin_client, make_article, django_capture_on_commit_callbacks):
    a = make_article(section="News")
    b = make_article(section="News")
    world = Section.objects.create(slug="world", name="World", position=2)
    form = admin_client.post(
        CHANGELIST, {"action": "move_to_section", "_selected_action": [a.pk, b.pk]}
    )
    assert form.status_code == 200 and "Move articles to a section" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            CHANGELIST,
            {
                "action": "move_to_section",
                "_selected_action": [a.pk, b.pk],
                "section": world.pk,
                "apply": "Move",
            },
        )
    assert done.status_code == 302
    assert set(a.sections.values_list("slug", flat=True)) == {"world"}
    assert values_logged(a) == {"sections": [["News"], ["World"]]}
    page = admin_client.get("/en/section/world/").content.decode()
    assert a.title in page and b.title in page
    assert a.title not in admin_client.get("/en/section/news/").content.decode()


def test_admin_pages_for_sections_publishers_and_audit(admin_client, make_article):
    make_article()
    for url in ("/admin/", "/admin/pressroom/section/", "/admin/pressroom/publisher/",
                CHANGELIST, "/admin/admin/logentry/", "/admin/auth/user/"):  # fmt: skip
        assert admin_client.get(url).status_code == 200, url


def test_audit_trail_cannot_be_edited(admin_client, make_article):
    article = make_article()
    admin_client.post(CHANGELIST, {"action": "hide", "_selected_action": [article.pk]})
    entry = LogEntry.objects.get()
    assert (
        admin_client.post(f"/admin/admin/logentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert LogEntry.objects.count() == 1


def test_a_corrected_title_is_searchable_and_dated(admin_client, make_article):
    from pressroom.store.search import Filters, index_articles, search

    article = make_article(title="Quarterly Mispelled report")
    index_articles([article])
    before = article.updated_at
    assert [h.id for h in search("Mispelled", Filters()).hits] == [article.pk]
    news = Section.objects.get(slug="news")
    response = admin_client.post(
        f"{CHANGELIST}{article.pk}/change/",
        {"title": "Quarterly Misspelled report", "sections": [news.pk]},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.updated_at > before  # feeds, sitemaps and dateModified move
    assert search("Mispelled", Filters()).hits == []
    assert [h.id for h in search("Misspelled", Filters()).hits] == [article.pk]
