"""What the index holds for one article: analysed title, body and name keys, and its docid."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from pressroom.store.search.analysis import index_terms

ID_BITS = 40
ID_MASK = (1 << ID_BITS) - 1
# Prefix lengths (characters) that SQLite's FTS5 keeps a prefix index for (migration 0004):
# a prefix query of another length merges the doclists of every word that starts so.
PREFIX_LENGTHS = (4, 5, 6)


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One row of ``search_document``."""

    docid: int
    article_id: int
    title: str
    body: str
    latin_names: str  # keys of names written in Latin letters
    cyrillic_names: str  # keys of names written in Cyrillic
    facets: str = ""  # filter tokens: language, publisher, sections, hidden


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


def lang_token(lang: str) -> str:
    return f"l{lang}"


def publisher_token(publisher_id: int | None) -> str:
    return f"p{publisher_id or 0}"


def section_token(section_id: int) -> str:
    return f"s{section_id}"


HIDDEN_TOKEN = "hidden"


def facets_of(
    lang: str, publisher_id: int | None, section_ids: Iterable[int], hidden: bool = False
) -> str:
    """The filter tokens of an article: ``len p17 s3 s8`` (and ``hidden``). The same string
    as the SQL that the triggers of migration 0004 compute when sections, language,
    publisher or visibility change (sections in id order), so ``reindex`` finds nothing
    to rewrite after them."""
    return " ".join(
        [lang_token(lang), publisher_token(publisher_id)]
        + [section_token(s) for s in sorted(set(section_ids))]
        + ([HIDDEN_TOKEN] if hidden else [])
    )


def index_row(
    article_id: int, published: date, lang: str, title: str, body: str, facets: str = ""
) -> IndexRow:
    """Analyse one article: stems of the title and of the body, its distinct name keys, and
    its filter tokens (``facets_of``; without them the article is found by no filter on
    SQLite)."""
    head = index_terms(title, lang)
    text = index_terms(body, lang)
    return IndexRow(
        docid=docid(article_id, published),
        article_id=article_id,
        title=" ".join(head.stems),
        body=" ".join(text.stems),
        latin_names=" ".join(dict.fromkeys(head.latin_keys + text.latin_keys)),
        cyrillic_names=" ".join(dict.fromkeys(head.cyrillic_keys + text.cyrillic_keys)),
        facets=facets,
    )
