"""The discovery files at the site's root: ``/sitemap.xml``, its children, ``/robots.txt``.

All three are public pages: the page cache keeps them until the content changes and
answers ``If-None-Match``/``If-Modified-Since`` with 304 (``web.cache``). Addresses in
them are absolute, built from the request's scheme and host (``PRESSROOM_ALLOWED_HOSTS``
limits which hosts are answered; the cache keys pages by host).
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from pressroom.web import sitemap_xml
from pressroom.web.cache import public_page
from pressroom.web.sitemaps import NoSuchPage, children

XML = "application/xml; charset=utf-8"


def _base(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _xml(body: bytes) -> HttpResponse:
    response = HttpResponse(body, content_type=XML)
    # The sitemaps are for crawlers, not search results (as Django's own sitemap views say).
    response["X-Robots-Tag"] = "noindex"
    return response


@public_page
def sitemap_index(request: HttpRequest) -> HttpResponse:
    """Every child page: a few cheap queries, however many articles there are."""
    base = _base(request)
    locations = [
        base + reverse("discovery:sitemap", kwargs={"name": name, "page": page})
        for name, child in children().items()
        for page in child.pages()
    ]
    return _xml(sitemap_xml.index(locations))


@public_page
def sitemap(request: HttpRequest, name: str, page: str) -> HttpResponse:
    child = children().get(name)
    if child is None:
        raise Http404(f"no sitemap named {name!r}")
    try:
        entries = child.entries(int(page), _base(request))
    except NoSuchPage as exc:
        raise Http404(str(exc)) from exc
    return _xml(sitemap_xml.urlset(entries, news=name == "news"))


# Crawlers may read everything but the admin, search results (endless, and each one a
# copy of pages they can reach anyway), the API (JSON for programs), and snapshot
# pagination (``upto``: every new article would make a new URL for the same list page).
ROBOTS_RULES = (
    "User-agent: *",
    "Disallow: /admin/",
    "Disallow: /*/search/",
    "Disallow: /api/",
    "Disallow: /*upto=",
    "Allow: /",
)


@public_page
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap_url = _base(request) + reverse("discovery:sitemap_index")
    text = "\n".join((*ROBOTS_RULES, "", f"Sitemap: {sitemap_url}", ""))
    return HttpResponse(text, content_type="text/plain; charset=utf-8")
