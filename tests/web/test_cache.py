"""The page cache: validators and 304s, hits, and invalidation by ingest and by edits."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.db import transaction

from pressroom.web.cache import CACHE_CONTROL, content_changed, content_version
from tests.conftest import REPO
from tests.web.conftest import DEMO, ingest

pytestmark = pytest.mark.django_db

NEW_STORY = """News
More
A brand new story arrives in the portal
05.02.2026
Something new happened today. It matters.
"""


def test_pages_are_cached_with_validators(client, demo):
    first = client.get("/en/")
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == CACHE_CONTROL
    assert first["ETag"].startswith('"') and first["Last-Modified"]
    second = client.get("/en/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert client.get("/ru/")["X-Page-Cache"] == "miss"  # one entry per URL
    assert client.get("/en/?lang=ru")["X-Page-Cache"] == "miss"


def test_conditional_requests_get_304(client, demo):
    first = client.get("/en/section/news/")
    etag, modified = first["ETag"], first["Last-Modified"]
    again = client.get("/en/section/news/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get("/en/section/news/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    assert client.get("/en/section/news/", HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_errors_and_admin_are_not_cached(client, demo, admin_client):
    client.get("/en/nowhere/")
    assert client.get("/en/nowhere/").get("X-Page-Cache") is None
    assert admin_client.get("/admin/").get("X-Page-Cache") is None


def test_ingest_makes_cached_pages_stale(
    client, demo, tmp_path, django_capture_on_commit_callbacks
):
    assert "A brand new story" not in client.get("/en/").content.decode()
    before = content_version()
    page = tmp_path / "new.txt"
    page.write_text(NEW_STORY, encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ingest([page])
    assert callbacks  # the stale-making runs when the batch commits
    assert content_version() != before
    fresh = client.get("/en/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "A brand new story arrives in the portal" in fresh.content.decode()


def test_ingest_of_nothing_new_keeps_the_cache(client, demo):
    client.get("/en/")
    before = content_version()
    ingest(DEMO)  # everything is a copy already stored: unchanged
    assert content_version() == before
    assert client.get("/en/")["X-Page-Cache"] == "hit"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_does_not_invalidate():
    before = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        content_changed()
        raise RuntimeError("rolled back")
    assert content_version() == before
    with transaction.atomic():
        content_changed()
    assert content_version() != before


@pytest.mark.django_db(transaction=True)
def test_an_ingest_in_another_process_invalidates_this_one(client, subprocess_cli, tmp_path):
    """The file cache is shared by every process on the machine (gunicorn workers, the CLI)."""
    client.get("/en/")
    page = tmp_path / "new.txt"
    page.write_text(NEW_STORY, encoding="utf-8")
    proc = subprocess_cli("ingest", str(page), cwd=REPO)
    _out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    fresh = client.get("/en/")
    assert fresh["X-Page-Cache"] == "miss"
    assert "A brand new story arrives in the portal" in fresh.content.decode()


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="no Redis at 127.0.0.1:6379")
def test_redis_cache_when_configured(
    client, demo, settings, tmp_path, django_capture_on_commit_callbacks
):
    from pressroom.web.cache_config import caches as cache_settings

    prefix = f"pressroom-test-{uuid.uuid4().hex}"
    configured = cache_settings("redis://127.0.0.1:6379/0", tmp_path)
    configured["default"]["KEY_PREFIX"] = prefix
    settings.CACHES = configured  # Django drops its cache connections on this change
    backend = caches["default"]
    assert backend.__class__.__name__ == "RedisCache"
    try:
        assert client.get("/en/")["X-Page-Cache"] == "miss"
        assert client.get("/en/")["X-Page-Cache"] == "hit"
        page = tmp_path / "new.txt"
        page.write_text(NEW_STORY, encoding="utf-8")
        with django_capture_on_commit_callbacks(execute=True):
            ingest([page])
        assert "A brand new story" in client.get("/en/").content.decode()
    finally:
        backend.clear()


def test_cache_url_is_checked():
    from django.core.exceptions import ImproperlyConfigured

    from pressroom.web.cache_config import caches as cache_settings

    assert cache_settings("", REPO)["default"]["LOCATION"] == str(REPO / "cache")
    assert cache_settings("file:///srv/cache", REPO)["default"]["LOCATION"] == "/srv/cache"
    with pytest.raises(ImproperlyConfigured, match="PRESSROOM_CACHE_URL"):
        cache_settings("memcached://x", REPO)
