"""Adding sources: from a URL and options, or in bulk from OPML or CSV.

``add_source`` is the one place a source is created, so the CLI, imports and
the admin agree on defaults: a gov.kz publisher URL (or ``govkz:<slug>``) gives
a ``govkz`` source with its three languages; the publisher row is created (or
reused) by slug; the schedule starts at the shortest interval, due now.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.etree
from django.utils.text import slugify

from pressroom.parsing.govkz import guess_parent_slug, guess_publisher_kind
from pressroom.sources.models import Source
from pressroom.sources.schedule import default_intervals
from pressroom.store.models import Publisher

_GOVKZ_ENTITY = re.compile(r"/memleket/entities/(?P<slug>[a-z0-9][a-z0-9_-]{0,99})", re.I)
_EVERY = re.compile(r"^(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>s|m|min|h|d)?$", re.I)
_UNITS = {"s": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, None: 1}
_KINDS = {k.value for k in Source.Kind}


class SourceError(ValueError):
    pass


@dataclass
class SourceSpec:
    url: str
    kind: str | None = None
    publisher: str | None = None
    sections: str = ""
    languages: str = ""
    every: str | None = None
    name: str = ""


def parse_every(text: str) -> int:
    """``90``, ``15m``, ``2h``, ``1d`` -> seconds."""
    match = _EVERY.match(text.strip())
    if not match:
        raise SourceError(f"cannot read interval {text!r}; use e.g. 600, 15m, 2h or 1d")
    unit = match["unit"].lower() if match["unit"] else None
    return max(1, int(float(match["n"]) * _UNITS[unit]))


def guess_kind(url: str) -> str:
    lower = url.lower()
    if lower.startswith("govkz:") or _GOVKZ_ENTITY.search(urlsplit(url).path or ""):
        return Source.Kind.GOVKZ
    if lower.startswith("file://") or lower.endswith(".txt"):
        return Source.Kind.LISTING
    if "sitemap" in lower and lower.endswith((".xml", ".xml.gz")):
        return Source.Kind.SITEMAP
    return Source.Kind.FEED


def add_source(spec: SourceSpec) -> tuple[Source, bool]:
    """Create the source (or return the existing one for that URL, unchanged)."""
    url = spec.url.strip()
    kind = (spec.kind or guess_kind(url)).lower()
    if kind not in _KINDS:
        raise SourceError(f"unknown kind {kind!r}; one of {', '.join(sorted(_KINDS))}")
    slug = ""
    if kind == Source.Kind.GOVKZ:
        url, slug = _govkz(url)
    elif not url.startswith(("http://", "https://", "file://")):
        if kind == Source.Kind.LISTING and url:
            from pathlib import Path

            url = Path(url).resolve().as_uri()
        else:
            raise SourceError(f"{url!r} is not an http(s) URL")
    languages = ",".join(_split(spec.languages))
    for lang in _split(spec.languages):
        if not re.fullmatch(r"[a-z]{2}", lang):
            raise SourceError(f"language {lang!r} is not a two-letter code")
    if kind == Source.Kind.GOVKZ and not languages:
        languages = "kk,ru,en"
    low, high = default_intervals()
    if spec.every:
        low = parse_every(spec.every)
        high = max(high, low)
    existing = Source.objects.filter(url=url).first()
    if existing is not None:
        return existing, False
    publisher = _publisher(spec.publisher or slug)
    source = Source.objects.create(
        url=url,
        kind=kind,
        slug=slug,
        name=spec.name[:300],
        publisher=publisher,
        sections=",".join(_split(spec.sections, lower=False)),
        languages=languages,
        min_interval=low,
        max_interval=high,
        interval=low,
    )
    return source, True


def _govkz(url: str) -> tuple[str, str]:
    if url.lower().startswith("govkz:"):
        slug = url.split(":", 1)[1].strip().lower()
        base = "https://www.gov.kz"
    else:
        match = _GOVKZ_ENTITY.search(urlsplit(url).path or "")
        if not match:
            raise SourceError(f"{url!r}: expected a gov.kz entity URL (/memleket/entities/<slug>)")
        slug = match["slug"].lower()
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,99}", slug):
        raise SourceError(f"{slug!r} is not a gov.kz publisher slug")
    return f"{base}/memleket/entities/{slug}", slug


def _publisher(name: str | None) -> Publisher | None:
    if not name:
        return None
    slug = slugify(name)[:120]
    if not slug:
        return None
    parent_slug = guess_parent_slug(slug)
    parent = _publisher(parent_slug) if parent_slug and parent_slug != slug else None
    publisher, _ = Publisher.objects.get_or_create(
        slug=slug,
        defaults={
            "kind": guess_publisher_kind(slug),
            "parent": parent,
            "name_en": name if name != slug else "",
        },
    )
    return publisher


def _split(text: str, lower: bool = True) -> list[str]:
    parts = [p.strip() for p in re.split(r"[,;]", text or "") if p.strip()]
    return [p.lower() for p in parts] if lower else parts


# -- bulk import --------------------------------------------------------------------------------


def read_import(data: bytes, name: str) -> list[SourceSpec]:
    """OPML (``<outline xmlUrl=...>``) or CSV (a header with at least ``url``)."""
    head = data.lstrip()[:200].lower()
    if head.startswith((b"<?xml", b"<opml")) or name.lower().endswith((".opml", ".xml")):
        return _read_opml(data)
    return _read_csv(data.decode("utf-8-sig"))


def _read_opml(data: bytes) -> list[SourceSpec]:
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = lxml.etree.fromstring(data, parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        raise SourceError(f"not OPML: {exc}") from exc
    specs = []
    for outline in root.iter("outline"):
        url = outline.get("xmlUrl") or outline.get("xmlurl") or outline.get("url")
        if not url:
            continue
        parent = outline.getparent()
        category = outline.get("category") or (
            parent.get("text") if parent is not None and parent.tag == "outline" else ""
        )
        specs.append(
            SourceSpec(
                url=url,
                kind="feed" if outline.get("xmlUrl") else None,
                sections=(category or "").strip("/"),
                languages=outline.get("language", ""),
                name=outline.get("title") or outline.get("text") or "",
            )
        )
    return specs


def _read_csv(text: str) -> list[SourceSpec]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "url" not in [f.strip().lower() for f in reader.fieldnames]:
        raise SourceError(
            "CSV needs a header row with a 'url' column "
            "(and optionally kind, publisher, section, lang, every)"
        )
    specs = []
    for row in reader:
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not row.get("url"):
            continue
        specs.append(
            SourceSpec(
                url=row["url"],
                kind=row.get("kind") or None,
                publisher=row.get("publisher") or None,
                sections=row.get("section") or row.get("sections") or "",
                languages=row.get("lang") or row.get("languages") or "",
                every=row.get("every") or None,
                name=row.get("name") or "",
            )
        )
    return specs
