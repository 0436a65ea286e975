"""The API's docs page (Swagger UI) works in a real browser under the site's strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import Visit, browser  # noqa: F401 - the browser fixture

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_docs_page_renders_and_tries_a_request(browser: Any, live_server: Any, make_article):  # noqa: F811
    make_article(title="A story for the docs page")
    v = Visit(browser, live_server.url)
    try:
        csp: list[str] = []
        v.page.on("console", lambda m: "Content Security Policy" in m.text and csp.append(m.text))
        response = v.go("/api/v1/docs")
        assert "script-src 'self'" in response.headers["content-security-policy"]
        operations = v.page.locator(".opblock")
        expect(operations).to_have_count(6)
        # Open "GET /api/v1/articles", try it out, execute: the answer shows in the page.
        v.page.locator(".opblock-summary-path", has_text="/api/v1/articles").first.click()
        v.page.get_by_role("button", name="Try it out").click()
        v.page.get_by_role("button", name="Execute").click()
        expect(v.page.locator(".live-responses-table")).to_contain_text("A story for the docs page")
        assert csp == [] and v.errors == []
    finally:
        v.close()
