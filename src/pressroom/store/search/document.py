"""What the index holds for one article: analysed title, body and name keys, and its docid."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pressroom.store.search.analysis import index_terms

ID_BITS = 40
ID_MASK = (1 << ID_BITS) - 1


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One row of ``search_document``."""

    docid: int
    article_id: int
    title: str
    body: str
    latin_names: str  # keys of names written in Latin letters
    cyrillic_names: str  # keys of names written in Cyrillic


def docid(article_id: int, published: date) -> int:
    """The publication day above the article id: date order and ranges without a join."""
    if not 0 < article_id <= ID_MASK:
        raise ValueError(f"article id {article_id} does not fit the search index")
    return (published.toordinal() << ID_BITS) | article_id


def day_of(doc: int) -> int:
    return doc >> ID_BITS


def first_docid(day: date) -> int:
    return day.toordinal() << ID_BITS


def last_docid(day: date) -> int:
    return (day.toordinal() << ID_BITS) | ID_MASK


def index_row(article_id: int, published: date, lang: str, title: str, body: str) -> IndexRow:
    """Analyse one article: stems of the title and of the body, and its distinct name keys."""
    head = index_terms(title, lang)
    text = index_terms(body, lang)
    return IndexRow(
        docid=docid(article_id, published),
        article_id=article_id,
        title=" ".join(head.stems),
        body=" ".join(text.stems),
        latin_names=" ".join(dict.fromkeys(head.latin_keys + text.latin_keys)),
        cyrillic_names=" ".join(dict.fromkeys(head.cyrillic_keys + text.cyrillic_keys)),
    )
