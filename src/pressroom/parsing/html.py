"""HTML -> clean paragraphs: article pages (trafilatura) and feed HTML (nh3).

Two kinds of HTML reach us. A whole article page, where the story must be told
apart from menus, footers and "read more" boxes: trafilatura does that (its
settings were chosen on the article-extraction benchmark, see
``docs/extraction.md``). And the HTML inside a feed item (``content:encoded``,
Atom ``content``), which is only the story but may carry scripts, styles and
tracking pixels: nh3 (the Rust ``ammonia`` sanitiser) keeps only harmless
block and inline tags, and we then cut it into paragraphs.

Images are kept, never as HTML: each becomes an ``Image`` with its absolute URL
and alt text, and a paragraph ``![alt](url)`` in the stored body, in the place it
stood. ``IMAGE_PARAGRAPH`` recognises such paragraphs, so fingerprints and
similarity use the text alone (an image URL with a new cache-busting query is
not an edit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html
import nh3

MAX_HTML_CHARS = 5_000_000  # beyond this a page is not an article; refuse rather than parse
IMAGE_PARAGRAPH = re.compile(r"^!\[(?P<alt>[^\]\n]*)\]\((?P<url>[^)\s]+)\)$")

# What survives sanitising: structure and images, nothing that runs or styles.
_ALLOWED_TAGS = {
    *("p", "br", "div", "section", "article", "blockquote", "pre", "figure", "figcaption"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
    *("table", "thead", "tbody", "tr", "td", "th", "caption"),
    *("a", "b", "strong", "i", "em", "u", "s", "sub", "sup", "small", "span", "img", "hr"),
}
_ALLOWED_ATTRIBUTES = {"img": {"src", "alt"}, "a": {"href"}}
_BLOCKS = frozenset(
    {
        *("p", "div", "section", "article", "blockquote", "pre", "figure", "figcaption"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "caption", "hr", "br"),
        *("table", "ul", "ol", "dl"),
    }
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Image:
    url: str
    alt: str

    def paragraph(self) -> str:
        alt = _SPACE.sub(" ", self.alt).replace("]", ")").strip()
        return f"![{alt}]({self.url})"


@dataclass
class ExtractedArticle:
    """What an article page says: its title, text and date, as far as they were found."""

    title: str | None
    paragraphs: list[str]
    published: date | None = None
    images: list[Image] = field(default_factory=list)
    lang: str | None = None

    @property
    def text_paragraphs(self) -> list[str]:
        return [p for p in self.paragraphs if not IMAGE_PARAGRAPH.match(p)]


def drop_leading_title(paragraphs: list[str], *titles: str | None) -> list[str]:
    """Paragraphs without a first one that only repeats the headline (pages put the
    ``<h1>`` inside the article; the title is stored on its own)."""
    wanted = {_fold(t) for t in titles if t}
    start = 0
    while start < len(paragraphs) and _fold(paragraphs[start]) in wanted:
        start += 1
    return paragraphs[start:]


def _fold(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def text_only(paragraphs: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Paragraphs without the image lines: what fingerprints and similarity compare."""
    return tuple(p for p in paragraphs if not IMAGE_PARAGRAPH.match(p))


# -- article pages ------------------------------------------------------------------------------


def extract_article(html: str, url: str | None = None) -> ExtractedArticle | None:
    """The main text of an article page, or None when the page holds no article text.

    Settings (measured in ``bench/extraction.py``): ``favor_precision`` (the best F1
    on the benchmark), comments excluded, tables kept, fallback extractors on, images kept.
    """
    import trafilatura

    if len(html) > MAX_HTML_CHARS:
        return None
    xml = trafilatura.extract(
        html,
        url=url,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_images=True,
        with_metadata=True,
        favor_precision=True,
        favor_recall=False,
    )
    if not xml:
        return None
    try:
        doc = lxml.etree.fromstring(xml.encode("utf-8"))
    except lxml.etree.XMLSyntaxError:
        return None
    paragraphs, images = _paragraphs_from_trafilatura(doc, url)
    title = _clean(doc.get("title") or "") or None
    paragraphs = drop_leading_title(paragraphs, title)
    if not any(not IMAGE_PARAGRAPH.match(p) for p in paragraphs):
        return None
    return ExtractedArticle(
        title=title,
        paragraphs=paragraphs,
        published=_iso_date(doc.get("date")),
        images=images,
        lang=(doc.get("language") or None),
    )


def _paragraphs_from_trafilatura(
    doc: lxml.etree._Element, base_url: str | None
) -> tuple[list[str], list[Image]]:
    """Walk trafilatura's XML in order: block elements end a paragraph, text between
    blocks (a tail after a heading) is a paragraph of its own, images become lines."""
    main = doc.find("main")
    return _walk(main if main is not None else doc, base_url, _XML_BLOCKS, "graphic")


_XML_BLOCKS = frozenset(
    {"main", "p", "head", "list", "item", "quote", "table", "row", "code", "lb"}
)


def _walk(
    root: lxml.etree._Element, base_url: str | None, blocks: frozenset[str], image_tag: str
) -> tuple[list[str], list[Image]]:
    """Text paragraphs and image lines of a tree, in document order."""
    paragraphs: list[str] = []
    images: list[Image] = []
    current: list[str] = []

    def flush() -> None:
        text = _clean("".join(current))
        if text:
            paragraphs.append(text)
        current.clear()

    def visit(el: lxml.etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == image_tag:
            image = _image(el.get("src"), el.get("alt") or el.get("title") or "", base_url)
            if image:
                flush()
                images.append(image)
                paragraphs.append(image.paragraph())
            return
        block = tag in blocks
        if block:
            flush()
        current.append(el.text or "")
        for child in el:
            visit(child)
            current.append(child.tail or "")
        if block:
            flush()
        elif tag in ("td", "th", "cell"):
            current.append(" ")

    visit(root)
    flush()
    return paragraphs, images


# -- feed HTML ----------------------------------------------------------------------------------


def sanitize(html: str) -> str:
    """Feed HTML with only harmless tags left (no script, style, iframe, event handler)."""
    return nh3.clean(
        html[:MAX_HTML_CHARS],
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https"},
        link_rel=None,
    )


def html_to_paragraphs(html: str, base_url: str | None = None) -> tuple[list[str], list[Image]]:
    """Sanitise feed HTML and cut it into text paragraphs and image lines, in order.

    Plain text (no tags) is split at blank lines, so feeds that put text in
    ``description`` without markup keep their paragraphs.
    """
    if "<" not in html:
        text = html.replace("\r\n", "\n")
        paragraphs = [_clean(p) for p in re.split(r"\n\s*\n", text)]
        return [p for p in paragraphs if p], []
    clean = sanitize(html)
    if not clean.strip():
        return [], []
    root = lxml.html.fragment_fromstring(clean, create_parent="div")
    return _walk(root, base_url, _BLOCKS | {"div"}, "img")


def html_to_text(html: str) -> str:
    """The text of a snippet of HTML (a title with entities or tags) on one line."""
    if "<" not in html and "&" not in html:
        return _clean(html)
    paragraphs, _ = html_to_paragraphs(html)
    return _clean(" ".join(paragraphs))


# -- helpers ------------------------------------------------------------------------------------


def _image(src: str | None, alt: str, base_url: str | None) -> Image | None:
    if not src or src.startswith("data:"):
        return None
    absolute = urljoin(base_url, src.strip()) if base_url else src.strip()
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None  # a relative URL we cannot resolve is no use to a reader elsewhere
    return Image(url=absolute.replace(" ", "%20").replace(")", "%29"), alt=_clean(alt))


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
