"""The portal in a real browser (Debian's Chromium, driven by Playwright) against a live server.

- A reader's path: home, More, page 2, an article, its Source link (intercepted: no
  request ever leaves loopback), another language, back.
- An editor hides an article in the admin and it is gone from the site.
- Hostile source text never runs, even with the Content-Security-Policy switched off.
- axe-core finds no WCAG 2.1 A/AA violation (contrast included) on the main pages in
  each language; pages fit 360 px; the keyboard reaches everything, focus is visible.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect, sync_playwright

from tests.web.conftest import DEMO, ingest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SOURCE = "https://www.gov.kz/memleket/entities/mfa/press/news/details/{n}?lang=en"

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is needed: apt-get install -y chromium (scripts/setup)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # themselves (creating articles) are ordinary synchronous code all the same.
    with pytest.MonkeyPatch.context() as env, sync_playwright() as p:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A browser context that can only reach the live server; gov.kz answers are faked."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.base = base
        self.context = browser.new_context(**options)
        self.sources: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        host = urlsplit(base).netloc
        self.context.route("**/*", lambda route: self._route(route, host))
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any, host: str) -> None:
        url = route.request.url
        parts = urlsplit(url)
        if parts.netloc == host:
            route.continue_()
        elif parts.netloc == "www.gov.kz":
            self.sources.append(url)
            route.fulfill(status=200, content_type="text/html", body="<h1>gov.kz (test)</h1>")
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        assert response is not None
        return response

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, live_server: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_(**options: Any) -> Visit:
        v = Visit(browser, live_server.url, **options)
        opened.append(v)
        return v

    yield open_
    for v in opened:
        v.close()


@pytest.fixture
def site(make_article: Any) -> list[Any]:
    """The demo content plus 25 older News stories, so that News has a page 2."""
    ingest(DEMO)
    return [
        make_article(
            title=f"Older news story {i:02d}",
            body=f"Story {i} begins here. It goes on.",
            published=dt.date(2025, 6, 1) - dt.timedelta(days=i),
            source_url=SOURCE.format(n=900 + i),
        )
        for i in range(25)
    ]


def test_reader_path_home_more_page_two_article_source_language_back(visit, site):
    v = visit()
    page = v.page
    v.go("/en/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="More: News").click()
    page.wait_for_url(re.compile(r"/en/section/news/$"))
    assert page.locator("h1").inner_text() == "News"
    page.locator(".pagination").get_by_role("link", name="Page 2").click()
    page.wait_for_url(re.compile(r"/en/section/news/\?page=2&upto=\d+$"))
    first = page.locator(".item__title a").first
    title = first.inner_text()
    assert title.startswith("Older news story")
    first.click()
    page.wait_for_url(re.compile(r"/en/article/\d+/$"))
    article_url = page.url
    assert page.locator("h1").inner_text() == title
    n = int(title.rsplit(" ", 1)[1])
    page.get_by_role("link", name="Source").click()
    page.wait_for_url(SOURCE.format(n=900 + n))
    assert v.sources == [SOURCE.format(n=900 + n)]
    assert page.locator("h1").inner_text() == "gov.kz (test)"
    page.go_back()
    page.wait_for_url(article_url)
    page.locator(".languages").get_by_role("link", name="Русский").click()
    page.wait_for_url(article_url.replace("/en/", "/ru/"))
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.get_by_role("link", name="Источник").is_visible()
    page.locator(".languages").get_by_role("link", name="Қазақша").click()
    page.wait_for_url(article_url.replace("/en/", "/kk/"))
    assert page.get_by_role("link", name="Дереккөз").is_visible()
    page.go_back()
    page.wait_for_url(article_url.replace("/en/", "/ru/"))
    assert page.locator("h1").inner_text() == title
    assert v.errors == []


def test_editor_hides_an_article_and_it_is_gone(visit, site, django_user_model):
    django_user_model.objects.create_superuser("editor", "e@example.org", "a-long-password")
    target = site[0]
    v = visit()
    page = v.page
    v.go("/en/section/news/")
    assert page.get_by_text(target.title).count() == 1
    v.go("/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    v.go("/admin/pressroom/article/?q=" + target.title.replace(" ", "+"))
    page.locator(f'input[name="_selected_action"][value="{target.pk}"]').check()
    page.select_option('select[name="action"]', "hide")
    page.locator('.actions button[type="submit"]').click()
    expect(page.get_by_text("1 articles hidden.")).to_be_visible()
    for path in ("/en/", "/en/section/news/", "/en/news/", "/ru/section/news/?page=2"):
        v.go(path)
        assert page.get_by_text(target.title).count() == 0, path
    assert v.go(f"/en/article/{target.pk}/").status == 404
    v.go("/admin/admin/logentry/")
    expect(page.get_by_text("hidden: False → True").first).to_be_visible()
    # The admin works under its Content-Security-Policy (the one error: the 404 above).
    assert [e for e in v.errors if "status of 404" not in e] == []


HOSTILE_BODY = (
    "Opening <img src=x onerror=\"window.__pwned='img'; alert('img')\"> line.\n\n"
    "<script>window.__pwned='script'; alert('script')</script> More text "
    "<a href=\"javascript:window.__pwned='link'\">click me</a>"
)


@pytest.mark.parametrize("csp", ["with CSP", "CSP bypassed"])
def test_hostile_source_text_never_runs(visit, make_article, csp):
    article = make_article(
        title="<script>window.__pwned='title'</script>Title",
        body=HOSTILE_BODY,
        source_url="javascript:window.__pwned='source'",
    )
    v = visit(bypass_csp=(csp == "CSP bypassed"))
    page = v.page
    for path in ("/en/", "/en/news/", f"/en/article/{article.pk}/"):
        v.go(path)
        page.wait_for_load_state("load")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("img").count() == 0
        assert page.locator("a[href^='javascript:']").count() == 0
    # The markup is there as text, for the reader to see.
    assert "<script>window.__pwned='title'</script>Title" in page.locator("h1").inner_text()
    page.get_by_text("click me", exact=False).first.click()
    assert page.evaluate("window.__pwned") is None
    assert v.dialogs == []


def axe_violations(page: Any) -> list[str]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.evaluate(AXE_SCRIPT)  # evaluated by the browser's debugger, not subject to CSP
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_pages_pass_axe_wcag_aa_checks(visit, site, lang):
    v = visit()
    article = site[3]
    pages = ["/", "/section/news/", "/section/news/?page=2", f"/article/{article.pk}/",
             "/publishers/", "/archive/2026/2/3/", "/no-such-page/"]  # fmt: skip
    problems = {}
    for path in pages:
        v.go(f"/{lang}{path}")
        found = axe_violations(v.page)
        if found:
            problems[path] = found
    assert problems == {}


@pytest.mark.parametrize("path", ["/en/", "/ru/section/news/", "/kk/publishers/", "ARTICLE"])
def test_pages_fit_a_narrow_phone(visit, site, path):
    v = visit(viewport={"width": 360, "height": 740})
    v.go(f"/ru/article/{site[0].pk}/" if path == "ARTICLE" else path)
    width = v.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


def test_keyboard_reaches_content_with_visible_focus(visit, site):
    v = visit()
    page = v.page
    v.go("/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to content"
    box = page.evaluate("document.activeElement.getBoundingClientRect().top")
    assert box >= 0  # the skip link shows itself when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # From the skipped-to content, the next stops are the first section and its lead story.
    assert page.evaluate("document.activeElement.textContent") == "News"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.item') !== null")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/en/article/\d+/$"))
