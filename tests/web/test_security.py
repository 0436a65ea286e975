"""Text from sources is never markup; headers forbid what the portal never does."""

from __future__ import annotations

import re

import pytest
from django.conf import settings

from pressroom.web.headers import ADMIN_POLICY, PORTAL_POLICY

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = 'Budget <script>alert("title")</script> news'
HOSTILE_BODY = (
    'Opening line <img src=x onerror="alert(1)"> and more.\n\n'
    "<script>document.title='pwned'</script> second paragraph. "
    '<a href="javascript:alert(2)">click</a>'
)


@pytest.fixture
def hostile(make_article):
    return make_article(title=HOSTILE_TITLE, body=HOSTILE_BODY, source_url="javascript:alert(3)")


@pytest.mark.parametrize("where", ["list", "article"])
def test_source_text_is_escaped(client, hostile, where):
    url = "/en/news/" if where == "list" else f"/en/article/{hostile.pk}/"
    page = client.get(url).content.decode()
    # The article's JSON-LD data block holds the text as JSON, where no "<" can stand (so
    # [^<]* spans it whole); its own escaping is tested in test_discovery.py.
    page = re.sub(r'<script type="application/ld\+json">[^<]*</script>', "", page)
    assert "<script>" not in page
    assert "<img" not in page
    assert "onerror=" not in page.replace("onerror=&quot;", "")  # only as escaped text
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in page


def test_javascript_source_url_is_not_a_link(client, hostile):
    page = client.get(f"/en/article/{hostile.pk}/").content.decode()
    assert "source__link" not in page
    assert "javascript:alert(3)" not in page


def test_security_headers(client, make_article):
    make_article()
    response = client.get("/en/")
    assert response["Content-Security-Policy"] == PORTAL_POLICY
    assert "script-src 'self'" in PORTAL_POLICY and "unsafe-inline" not in PORTAL_POLICY
    assert "frame-ancestors 'none'" in PORTAL_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    cached = client.get("/en/")
    assert cached["X-Page-Cache"] == "hit"
    assert cached["Content-Security-Policy"] == PORTAL_POLICY
    assert cached["X-Frame-Options"] == "DENY"
    admin = client.get("/admin/login/")
    assert admin["Content-Security-Policy"] == ADMIN_POLICY
    assert "script-src 'self'" in ADMIN_POLICY


def test_portal_pages_set_no_cookies(client, make_article):
    make_article()
    assert not client.get("/en/").cookies
    assert "Cookie" not in client.get("/en/news/").get("Vary", "")


def test_debug_is_off_unless_asked_for(monkeypatch):
    from pressroom import config

    monkeypatch.delenv("PRESSROOM_DEBUG", raising=False)
    assert config.flag("PRESSROOM_DEBUG") is False
    assert settings.DEBUG is False


def test_admin_login_is_throttled(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    for _ in range(5):
        response = client.post("/admin/login/", {"username": "editor", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()
    locked = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert locked.status_code == 200
    assert "Too many failed attempts" in locked.content.decode()
    # The account itself locks only after more failures, from any address.
    other = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302  # the address limit is per address


def test_account_limit_spans_addresses(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    for i in range(10):
        client.post(
            "/admin/login/", {"username": "editor", "password": "no"}, REMOTE_ADDR=f"10.0.1.{i}"
        )
    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": "right-password"},
        REMOTE_ADDR="10.0.2.1",
    )
    assert "Too many failed attempts" in response.content.decode()


def test_successful_login_clears_the_address_count(client, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "right-password")
    for _ in range(4):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    ok = client.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert ok.status_code == 302
    client.logout()
    for _ in range(4):
        client.post("/admin/login/", {"username": "editor", "password": "wrong"})
    assert (
        client.post(
            "/admin/login/", {"username": "editor", "password": "right-password"}
        ).status_code
        == 302
    )
