"""The ingest benchmark's input: listing pages of real text with realistic repetition.

Stories built from the English texts of both corpora, their exact and edited copies, and
the pages they are shown on, written page by page with a known right answer (the
``Composition``). Used by ``bench/ingest.py``; the design is described in its docstring and
in docs/benchmarks.md ("Ingest", "The input").
"""

from __future__ import annotations

import dataclasses
import datetime
import heapq
import json
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from pressroom.config import DEFAULT_SECTIONS

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED = 20260203

# Shares of the N items of an input (the rest are stories).
EXACT_COPY_SHARE = 0.20
EDITED_COPY_SHARE = 0.05
SOURCED_SHARE = 0.70  # stories with a gov.kz Source line (edited copies need one)
STRIPPED_SHARE = 0.5  # exact copies that lost "&" and apostrophes

SECTIONS = list(DEFAULT_SECTIONS)
# (place for titles and datelines, gov.kz publisher slug issuing from there)
PLACES = (
    ("Astana", "astana"),
    ("Astana", "mfa"),
    ("Astana", "moa"),
    ("Astana", "tsm"),
    ("Astana", "water"),
    ("Astana", "edu"),
    ("Astana", "minfin"),
    ("Almaty", "almaty"),
    ("Shymkent", "shymkent"),
    ("Aktobe", "aktobe"),
    ("Atyrau", "atyrau"),
    ("Karaganda", "karaganda"),
    ("Kostanay", "kostanay"),
    ("Kyzylorda", "kyzylorda"),
    ("Pavlodar", "pavlodar"),
    ("Taraz", "zhambyl"),
    ("Turkestan", "turkestan"),
    ("Taldykorgan", "zhetysu"),
    ("Taldykorgan", "zhetysu-archive"),
    ("Konaev", "almobl"),
    ("Konaev", "almobl-zkh"),
    ("Konaev", "duisalmjetobl"),
    ("Aktau", "mangystau"),
    ("Uralsk", "zko"),
    ("Oskemen", "vko"),
    ("Petropavl", "sko"),
    ("Semey", "abay"),
    ("Zhezkazgan", "ulytau"),
    ("Kokshetau", "akmola"),
    ("Ljubljana", "mfa-ljubljana"),
    ("Strasbourg", "mfa-strasbourg"),
    ("Berlin", "mfa-berlin"),
    ("Ankara", "mfa-ankara"),
    ("Tokyo", "mfa-tokyo"),
    ("Beijing", "mfa-beijing"),
    ("London", "mfa-london"),
    ("Washington", "mfa-washington"),
    ("Tashkent", "mfa-tashkent"),
    ("Colombo", "mfa-colombo"),
)
GOVKZ = "https://www.gov.kz/memleket/entities/{}/press/news/details/{}{}"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Titles and paragraphs that the listing format would read differently are left out of
# the pool, so that what was generated is what the store should hold.
_TRAILING_DATE = re.compile(r"\d{1,2}\.\d{1,2}\.\d{4}\s*\Z")
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\Z")
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“‘(])")
# A title ending in one of these would read as an unfinished sentence inside a body.
_TITLE_LAST_WORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "on",
        "from",
        "to",
        "until",
        "till",
        "by",
        "since",
        "before",
        "after",
        "of",
        "at",
        "as",
        "in",
        "into",
        "for",
        "with",
        "between",
        "through",
        "than",
        "over",
        "about",
        "under",
        "dated",
        "date",
    }
)
_STRIPPED = str.maketrans("", "", "&'’")
MIN_PARAGRAPH_WORDS = 20
MAX_PARAGRAPH_WORDS = 180


# ---------------------------------------------------------------------------------------
# The corpus: titles and a pool of paragraphs
# ---------------------------------------------------------------------------------------


@dataclass
class Corpus:
    titles: list[str]  # one per text
    text_paragraphs: list[list[int]]  # indexes into ``pool``, per text
    pool: list[str]
    words: list[int]  # word count of each pool paragraph


def load_corpus(data: Path = DATA) -> Corpus:
    """English texts of both corpora (the store's language detector knows en/ru/kk only:
    Sinhala and Tamil would be labelled as something they are not)."""
    corpus = Corpus([], [], [], [])
    for name in ("lk_pmd_press_releases.jsonl", "bbc_news.jsonl"):
        with open(data / "corpora" / name, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                if rec.get("lang", "en") == "en":
                    _add_text(corpus, rec["title"], rec["body"].split("\n\n"))
    return corpus


def _add_text(corpus: Corpus, title: str, paragraphs: list[str]) -> None:
    paragraphs = [" ".join(p.split()) for p in paragraphs if p.strip()]
    short = title.rstrip("…").strip()
    # The PMD source cuts long titles with "…"; its first paragraph is then the full title.
    if paragraphs and paragraphs[0].startswith(short) and len(paragraphs[0]) <= 200:
        title = paragraphs.pop(0)
    cleaned = _clean_title(title)
    if cleaned is None:
        return
    indexes = []
    for paragraph in paragraphs:
        for chunk in _chunks(paragraph):
            if _usable_paragraph(chunk):
                indexes.append(len(corpus.pool))
                corpus.pool.append(chunk)
                corpus.words.append(len(chunk.split()))
    if indexes:
        corpus.titles.append(cleaned)
        corpus.text_paragraphs.append(indexes)


def _clean_title(title: str) -> str | None:
    """A title the parser reads as a title wherever it stands, or None."""
    title = " ".join(title.split()).rstrip(" .:;,–—-")
    if not 15 <= len(title) <= 200 or re.search(r"[.!?…]\s", title):
        return None
    last = title.rsplit(None, 1)[-1]
    if last.casefold() in _TITLE_LAST_WORDS or last == "More" or not title[-1].isalnum():
        return None
    if "Source" in title or _TRAILING_DATE.search(title) or title.startswith("URL:"):
        return None
    return title


def _chunks(paragraph: str) -> list[str]:
    """Long paragraphs split at sentence ends, so no paragraph dominates a story."""
    if len(paragraph.split()) <= MAX_PARAGRAPH_WORDS:
        return [paragraph]
    out: list[str] = []
    current: list[str] = []
    for sentence in _SENTENCE_SPLIT.split(paragraph):
        current.append(sentence)
        if sum(len(s.split()) for s in current) >= MAX_PARAGRAPH_WORDS // 2:
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out


def _usable_paragraph(p: str) -> bool:
    words = len(p.split())
    return (
        MIN_PARAGRAPH_WORDS <= words <= MAX_PARAGRAPH_WORDS
        and _SENTENCE_END.search(p) is not None  # a page's last item must look complete
        and not _TRAILING_DATE.search(p)  # would read as a title
        and "Source" not in p[-200:]
        and not p.startswith("URL:")
    )


# ---------------------------------------------------------------------------------------
# Stories and their copies
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Story:
    number: int
    title: str
    published: datetime.date
    section: str  # where the story first appears; copies go elsewhere
    paragraphs: tuple[str, ...]
    source_url: str | None
    run_together: bool  # body rendered on one line, as the real site often does


@dataclass(frozen=True, slots=True)
class Shown:
    """One item to render: a story, or a copy of it (``kind``) under another section."""

    story: Story
    kind: str  # "story" | "copy" | "stripped" | "edited"
    section: str


@dataclass
class Composition:
    """What an input holds, and so what the store must end up with."""

    items: int = 0
    stories: int = 0
    exact_copies: int = 0
    stripped_copies: int = 0
    edited_copies: int = 0
    sourced_stories: int = 0
    pages: int = 0
    one_line_titles: int = 0
    glued_sources: int = 0
    run_together_bodies: int = 0
    bytes: int = 0

    def expected(self) -> dict[str, int]:
        return {
            "new": self.stories,
            "merged": self.exact_copies,
            "updated": self.edited_copies,
            "unchanged": 0,
            "rejected": 0,
        }


class StoryMaker:
    """Builds story number ``s`` from the corpus; deterministic for a given generator."""

    def __init__(self, corpus: Corpus, rng: random.Random) -> None:
        self.corpus = corpus
        self.rng = rng
        self.order = list(range(len(corpus.titles)))
        rng.shuffle(self.order)
        self.next_id = 1_150_000
        self.start = datetime.date(2024, 1, 1)

    def make(self, s: int, section: str, sourced: bool) -> Story:
        rng, corpus = self.rng, self.corpus
        text = self.order[s % len(self.order)]
        reuse = s // len(self.order)
        place, slug = rng.choice(PLACES)
        title = _vary_title(corpus.titles[text], reuse, place, rng)
        published = self.start + datetime.timedelta(days=rng.randrange(790))
        own = corpus.text_paragraphs[text]
        chosen = [own[reuse % len(own)]]
        want = rng.randint(3, 7)
        while len(chosen) < 12 and (
            len(chosen) < want
            or 3 * max(corpus.words[i] for i in chosen) > sum(corpus.words[i] for i in chosen)
        ):
            i = rng.randrange(len(corpus.pool))
            if i not in chosen:
                chosen.append(i)
        paragraphs = [corpus.pool[i] for i in chosen]
        if rng.random() < 0.6:
            day = published - datetime.timedelta(days=rng.randrange(2))
            dateline = f"{place}, {MONTHS[day.month - 1]} {day.day}, {day.year} – "
            paragraphs[0] = dateline + paragraphs[0]
        source_url = None
        if sourced:
            self.next_id += rng.randint(1, 9)
            # Always with a lang: without one, a page's last item could have been cut.
            lang = rng.choices(("?lang=kk", "?lang=en", "?lang=ru"), (84, 12, 4))[0]
            source_url = GOVKZ.format(slug, self.next_id, lang)
        return Story(
            number=s,
            title=title,
            published=published,
            section=section,
            paragraphs=tuple(paragraphs),
            source_url=source_url,
            run_together=rng.random() < 0.25,
        )

    def edit(self, story: Story) -> Story:
        """The publisher's edit: one sentence of one paragraph replaced by another."""
        rng, pool = self.rng, self.corpus.pool
        paragraphs = list(story.paragraphs)
        j = rng.randrange(len(paragraphs))
        sentences = _SENTENCE_SPLIT.split(paragraphs[j])
        while True:
            replacement = _SENTENCE_SPLIT.split(pool[rng.randrange(len(pool))])[0]
            if replacement not in sentences:
                break
        if len(sentences) == 1:
            sentences.append(replacement)
        else:
            sentences[rng.randrange(len(sentences))] = replacement
        paragraphs[j] = " ".join(sentences)
        return dataclasses.replace(story, paragraphs=tuple(paragraphs))


def _vary_title(title: str, reuse: int, place: str, rng: random.Random) -> str:
    if reuse == 0:
        return title
    pattern = rng.choice(("{t} in {p}", "{p}: {t}", "{t} ({p})", "{p} hosts talks: {t}"))
    return pattern.format(t=title, p=place)


def render(shown: Shown, one_line: bool, glue_source: bool) -> list[str]:
    """The lines of one item in the listing format."""
    story = shown.story
    title = story.title
    paragraphs = list(story.paragraphs)
    if shown.kind == "stripped":
        title = title.translate(_STRIPPED)
        paragraphs = [p.translate(_STRIPPED) for p in paragraphs]
    date = story.published.strftime("%d.%m.%Y")
    lines = [f"{title} {date}"] if one_line else [title, date]
    body = ["".join(paragraphs)] if story.run_together else paragraphs
    if story.source_url:
        if glue_source:
            body[-1] = f"{body[-1]}Source : {story.source_url}"
        else:
            body.append(f"Source : {story.source_url}")
    return lines + body


def write_input(path: Path, n_items: int, corpus: Corpus, seed: int = SEED) -> Composition:
    """Write an input of exactly ``n_items`` items, page by page (never the whole text)."""
    rng = random.Random(f"{seed}:{n_items}")
    n_copies = round(n_items * EXACT_COPY_SHARE)
    n_edits = round(n_items * EDITED_COPY_SHARE)
    n_stories = n_items - n_copies - n_edits
    roles = ["copy"] * n_copies + ["edited"] * n_edits
    roles += [""] * (n_stories - len(roles))
    rng.shuffle(roles)  # what happens later to story s: copied, edited or nothing
    maker = StoryMaker(corpus, rng)
    comp = Composition()
    pending: list[tuple[int, int, Shown]] = []  # (due page, tie-breaker, copy to show)
    made = 0
    page_no = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while made < n_stories or pending:
            page_no += 1
            size = rng.randint(12, 24)
            sections = rng.sample(SECTIONS, rng.randint(2, 4))
            shown: list[Shown] = []
            while pending and pending[0][0] <= page_no and len(shown) < size:
                copy = heapq.heappop(pending)[2]
                others = [s for s in sections if s != copy.story.section]
                shown.append(dataclasses.replace(copy, section=rng.choice(others)))
            while made < n_stories and len(shown) < size:
                role = roles[made]
                story = maker.make(made, rng.choice(sections), sourced=_sourced(role, rng))
                shown.append(Shown(story, "story", story.section))
                comp.stories += 1
                comp.sourced_stories += story.source_url is not None
                if role == "copy":
                    kind = "stripped" if rng.random() < STRIPPED_SHARE else "copy"
                    due = page_no + rng.randint(1, 25)
                    heapq.heappush(pending, (due, made, Shown(story, kind, story.section)))
                elif role == "edited":
                    due = page_no + rng.randint(3, 60)
                    edited = Shown(maker.edit(story), "edited", story.section)
                    heapq.heappush(pending, (due, made, edited))
                made += 1
            if not shown:  # only copies due later are left: move on to their page
                continue
            comp.pages += 1
            for s in shown:
                comp.exact_copies += s.kind in ("copy", "stripped")
                comp.stripped_copies += s.kind == "stripped"
                comp.edited_copies += s.kind == "edited"
            _write_page(out, page_no, sections, shown, rng, comp)
    comp.items = comp.stories + comp.exact_copies + comp.edited_copies
    comp.bytes = path.stat().st_size
    assert comp.items == n_items, (comp.items, n_items)
    return comp


def _sourced(role: str, rng: random.Random) -> bool:
    if role == "edited":
        return True  # an edit is recognised by its unchanged Source URL
    # Keep the overall share at SOURCED_SHARE although every edited story has a source.
    rest = (SOURCED_SHARE - EDITED_COPY_SHARE / 0.75) / (1 - EDITED_COPY_SHARE / 0.75)
    return rng.random() < rest


def _write_page(
    out: TextIO,
    page_no: int,
    sections: Sequence[str],
    shown: Sequence[Shown],
    rng: random.Random,
    comp: Composition,
) -> None:
    one_line = rng.random() < 0.6  # the archived pages mostly put title and date on one line
    heading_one_line = rng.random() < 0.3
    lines = [
        f"URL: https://www.enbekshiqazaq.kz/en/category/{rng.randint(1, 12)}?page={page_no}",
        "LANG: listing",
        "",
        "Enbekshi QazaQ",
    ]
    for section in sections:
        # Newest first, as on the site: the parser relies on it to tell a title from a
        # paragraph that ends in a date.
        items = sorted(
            (s for s in shown if s.section == section),
            key=lambda s: s.story.published,
            reverse=True,
        )
        if not items:
            continue
        lines += [f"{section} More"] if heading_one_line else [section, "More"]
        for s in items:
            glue = rng.random() < 0.8
            lines += render(s, one_line, glue)
            comp.one_line_titles += one_line
            comp.glued_sources += glue and s.story.source_url is not None
            comp.run_together_bodies += s.story.run_together
    out.write("\n".join(lines) + "\n\n")
