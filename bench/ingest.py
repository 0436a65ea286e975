"""Ingest benchmark: articles per second and peak memory, end to end, on SQLite and PostgreSQL.

Run from the repository root:

    .venv/bin/python bench/ingest.py [--sizes 1000,10000,100000]
                                     [--backends sqlite,postgresql] [--profile]

What it does, and why that way:

- **Inputs from real text.** Stories are built from the English press releases of
  ``corpora/lk_pmd_press_releases.jsonl`` and the BBC articles of ``corpora/bbc_news.jsonl``
  (``<repo>/../shared/data`` or ``$PRESSROOM_SHARED_DATA``). ~2,100 texts cannot give 100k
  different stories as they are, so each story takes one paragraph of a "base" text (a
  different one on every reuse of that text), adds whole paragraphs drawn from the whole
  pool until no paragraph is more than a third of the story, gets a title varied with a
  real place name and a dateline, and a date over two years. No two stories can then share
  more than about a fifth of their word shingles, far below the near-copy threshold, so
  the store must keep every one: the benchmark checks that the number of stored articles
  equals the number of stories generated (a benchmark that merged everything would
  measure nothing).
- **Realistic repetition.** Of N items, 75 % are stories, 20 % exact copies shown later
  under another section (half of them with ``&`` and apostrophes stripped, as the real
  site does) and 5 % edited copies: the same gov.kz ``Source`` URL with one sentence
  replaced, which the store keeps as a ``Version``. The expected outcome counts are
  therefore known exactly (new = stories, merged = copies, updated = edits) and checked.
- **The listing format's variants.** Pages with an archive header, ``News`` / ``More`` or
  ``News More`` headings, title and date on one line or two, ``Source :`` glued to the
  last sentence or on its own line, bodies one paragraph per line or run together.
- **Streaming.** Inputs are written page by page; only copies not yet due are held.
- **Measured like a user runs it.** Every measurement is a fresh process pinned to one
  core (``sched_setaffinity``), started from this file with ``--child``; wall time is
  measured outside, CPU time and peak RSS (``ru_maxrss``) are reported by the child
  itself. SQLite gets a fresh ``PRESSROOM_HOME``, PostgreSQL a fresh database
  ``pressroom_bench`` (dropped first); both are migrated before the clock starts.
  The PostgreSQL server is not pinned and its memory is not counted.
- **Baselines in the same run**, on the same file: plain parsing (``parse_listing`` over
  the same reader), and parsing plus candidate building (``from_listing_item``: cleaning,
  fingerprints, MinHash), so the ratios stay meaningful on any machine.
- ``--profile`` ingests the 10k input on SQLite three more times and says where the time
  goes: with the ingest's phases, every SQL statement and every COMMIT timed (no
  profiler, so the split is real; in CPU time, so that other jobs on the machine do not
  distort it), with the parsing and candidate steps timed one by one, and under cProfile
  for the hot functions.
- ``--max-minutes`` skips an ingest that the rate measured on the smaller input says
  would take longer, so that the default run stays within about a quarter of an hour.

Results are recorded in ``docs/benchmarks.md`` (section "Ingest").
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import datetime
import heapq
import json
import os
import pstats
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from pressroom.config import DEFAULT_SECTIONS

REPO = Path(__file__).resolve().parent.parent
DATA = Path(os.environ.get("PRESSROOM_SHARED_DATA", REPO.parent / "shared" / "data"))
SEED = 20260203
DEFAULT_SIZES = (1_000, 10_000, 100_000)
PROFILE_SIZE = 10_000
PG_BASE_URL = os.environ.get("PRESSROOM_BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DB = "pressroom_bench"
TARGET_PER_S = 1_000

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


# ---------------------------------------------------------------------------------------
# Child processes: what is measured
# ---------------------------------------------------------------------------------------


def _child(argv: list[str]) -> int:
    """Run one measured job in this (fresh) process; its result is the last stderr line."""
    mode, *args = argv
    started = time.perf_counter()
    extra: dict[str, Any] = {}
    code = 0
    if mode in ("parse", "candidates"):
        extra = _child_parse(args[0], with_candidates=mode == "candidates")
    elif mode == "ingest":
        from pressroom.cli import main

        code = main(["ingest", "--no-progress", args[0]])
    elif mode == "migrate":
        from pressroom.cli import main

        code = main(["migrate", "--verbosity", "0"])
    elif mode == "counts":
        extra = _child_counts()
    elif mode == "profile":
        from pressroom.cli import main

        profiler = cProfile.Profile()
        code = profiler.runcall(main, ["ingest", "--no-progress", args[0]])
        profiler.dump_stats(args[1])
    elif mode == "phases":
        extra = _child_phases(args[0])
    elif mode == "components":
        extra = _child_components(args[0])
    else:
        raise SystemExit(f"unknown child mode {mode}")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result = {
        "code": code,
        "work_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "maxrss_kib": usage.ru_maxrss,
        **extra,
    }
    sys.stdout.flush()
    print("BENCH " + json.dumps(result), file=sys.stderr)
    return code


def _child_parse(path: str, with_candidates: bool) -> dict[str, Any]:
    """The baselines: the same reader and parser as ``ingest``, nothing stored."""
    from pressroom.parsing.listing import ListingItem, parse_listing
    from pressroom.sources.local import open_input

    build: Callable[[ListingItem, str], object] | None = None
    if with_candidates:
        from pressroom.pipeline.candidate import from_listing_item

        build = from_listing_item
    text = open_input(path)
    counts: Counter[str] = Counter()
    for item in parse_listing(text.lines()):
        if isinstance(item, ListingItem):
            counts["items"] += 1
            counts["truncated"] += item.truncated
            counts["sourced"] += item.source_url is not None
            if build is not None:
                build(item, text.name)
        else:
            counts["rejected"] += 1
    text.close()
    return dict(counts)


def _child_counts() -> dict[str, Any]:
    """Rows in the store after an ingest: the check that nothing was merged by mistake."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from pressroom.store import models as m

    run = m.IngestRun.objects.order_by("-id").first()
    return {
        "articles": m.Article.objects.count(),
        "sightings": m.Sighting.objects.count(),
        "versions": m.Version.objects.count(),
        "quarantined": m.QuarantinedItem.objects.count(),
        "fingerprints": m.Fingerprint.objects.count(),
        "band_keys": m.BandKey.objects.count(),
        "publishers": m.Publisher.objects.count(),
        "sections": m.Section.objects.count(),
        "run_status": run.status if run else None,
    }


_TABLE_RE = re.compile(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', re.IGNORECASE)
_WHERE_RE = re.compile(r'WHERE\s+\(?(?:"\w+"\.)?"(\w+)"')

# The ingest's phases, timed by wrapping these callables (dotted path, attribute, label).
# Phases nest (the search index is written inside the flush): each reports its own
# time, without the phases inside it. A name that no longer exists is reported, not fatal.
PHASES = (
    ("pressroom.pipeline.ingest", "_prepare", "candidates: clean, words, fingerprints, MinHash"),
    ("pressroom.pipeline.match.Known", "load", "match: look up the batch's keys (set queries)"),
    ("pressroom.pipeline.writer.ArticleWriter", "_decide", "decide each item, build rows"),
    ("pressroom.pipeline.writer.ArticleWriter", "_flush", "write index rows (executemany)"),
    ("pressroom.pipeline.rows", "insert_returning_ids", "write rows: articles (RETURNING ids)"),
    ("pressroom.pipeline.rows", "insert", "write rows: sightings (executemany)"),
    ("django.db.models.query.QuerySet", "bulk_create", "write rows: Django bulk_create"),
    ("django.db.models.query.QuerySet", "bulk_update", "write rows: Django bulk_update"),
    (
        "pressroom.store.search.indexing",
        "index_articles",
        "search index: write (and read sections)",
    ),
    ("pressroom.store.search.indexing", "_row_of", "search index: analysis (Python)"),
    ("pressroom.pipeline.ingest.Ingester", "_count", "run counters, page-cache invalidation"),
)


# The phase and step timers count this process's CPU time (SQLite runs inside it), not
# wall time: on a machine shared with other jobs a wall clock also counts the time spent
# waiting for a core, which says nothing about where the ingest's own time goes.
_cpu_clock = time.process_time


class _PhaseClock:
    """Exclusive CPU time and SQL time per phase; the innermost running phase owns both."""

    def __init__(self) -> None:
        self.own: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.sql: defaultdict[str, float] = defaultdict(float)
        self.statements: Counter[str] = Counter()
        self.stack: list[str] = []
        self.missing: list[str] = []

    def wrap(self, label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.stack.append(label)
            t0 = _cpu_clock()
            try:
                return fn(*args, **kwargs)
            finally:
                spent = _cpu_clock() - t0
                self.stack.pop()
                self.own[label] += spent
                self.calls[label] += 1
                if self.stack:
                    self.own[self.stack[-1]] -= spent

        return timed

    def install(self, path: str, attr: str, label: str) -> None:
        import importlib

        module_path, _, class_name = path.rpartition(".")
        try:
            owner: Any = importlib.import_module(path)
        except ImportError:
            owner = getattr(importlib.import_module(module_path), class_name, None)
        raw = vars(owner).get(attr) if owner is not None else None
        if raw is None:
            self.missing.append(f"{path}.{attr}")
            return
        if isinstance(raw, classmethod):
            setattr(owner, attr, classmethod(self.wrap(label, raw.__func__)))
        elif isinstance(raw, staticmethod):
            setattr(owner, attr, staticmethod(self.wrap(label, raw.__func__)))
        else:
            setattr(owner, attr, self.wrap(label, raw))

    @property
    def phase(self) -> str:
        return self.stack[-1] if self.stack else "other"


def _child_phases(path: str) -> dict[str, Any]:
    """An ingest with its phases, every SQL statement and every COMMIT timed (no profiler)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.db import connection

    from pressroom.cli import main

    clock = _PhaseClock()
    for module, attr, label in PHASES:
        clock.install(module, attr, label)
    census: dict[str, list[float]] = {}

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t0 = _cpu_clock()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = _cpu_clock() - t0
            verb = sql.lstrip().split(None, 1)[0].upper()
            table = _TABLE_RE.search(sql)
            where = _WHERE_RE.search(sql) if verb in ("SELECT", "UPDATE") else None
            key = f"{verb} {table[1] if table else ''}".strip()
            if where:
                key += f" WHERE {where[1]}"
            rows = len(params) if many and isinstance(params, Sequence) else 1
            entry = census.setdefault(key, [0, 0, 0.0])
            entry[0] += 1
            entry[1] += rows
            entry[2] += spent
            clock.sql[clock.phase] += spent
            clock.statements[clock.phase] += 1

    commits: list[float] = [0, 0.0]
    real_commit = connection._commit  # type: ignore[attr-defined]

    def timed_commit() -> None:
        t0 = _cpu_clock()
        try:
            real_commit()
        finally:
            commits[0] += 1
            commits[1] += _cpu_clock() - t0

    connection._commit = timed_commit  # type: ignore[attr-defined]
    t0 = _cpu_clock()
    with connection.execute_wrapper(wrapper):
        code = main(["ingest", "--no-progress", path])
    return {
        "ingest_code": code,
        "ingest_s": _cpu_clock() - t0,
        "phases": {
            k: [clock.own[k], clock.calls[k], clock.sql[k], clock.statements[k]]
            for k in [label for _m, _a, label in PHASES] + ["other"]
        },
        "missing": clock.missing,
        "census": census,
        "commits": commits,
    }


def _child_components(path: str) -> dict[str, Any]:
    """Parsing and candidate building step by step, without a profiler's overhead.

    Mirrors ``pressroom.pipeline.candidate.from_listing_item``; the parent prints the sum
    next to the real thing, so a drift between the two shows.
    """
    from pressroom.parsing import listing
    from pressroom.parsing.govkz import parse_govkz_url
    from pressroom.pipeline import fingerprint, minhash
    from pressroom.pipeline.candidate import from_listing_item, sighting_key
    from pressroom.pipeline.normalize import clean_paragraphs, clean_text
    from pressroom.sources.local import open_input

    spent: defaultdict[str, float] = defaultdict(float)
    clock = _cpu_clock
    detect = listing.detect_language

    def timed_detect(text: str) -> str:
        t0 = clock()
        try:
            return detect(text)
        finally:
            spent["language detection"] += clock() - t0

    listing.detect_language = timed_detect
    text = open_input(path)
    stream = listing.parse_listing(text.lines())
    while True:
        t0 = clock()
        item = next(stream, None)
        spent["reading and parsing (with language detection)"] += clock() - t0
        if item is None:
            break
        if not isinstance(item, listing.ListingItem):
            continue
        t0 = clock()
        title = clean_text(item.title)
        paragraphs = clean_paragraphs(item.paragraphs)
        t1 = clock()
        if item.source_url:
            parse_govkz_url(item.source_url)
        t2 = clock()
        title_words = fingerprint.words(title)
        body_words = fingerprint.words("\n".join(paragraphs))
        t3 = clock()
        sig = minhash.signature_of_words(title_words + body_words)
        t4 = clock()
        minhash.signature_to_bytes(sig)
        minhash.band_keys(sig)
        t5 = clock()
        fingerprint.fingerprint_of_words(title_words, body_words)
        fingerprint.title_key_of_words(title_words)
        t6 = clock()
        sighting_key(item.section, item.raw)
        t7 = clock()
        from_listing_item(item, text.name)
        t8 = clock()
        spent["clean text (NFC, spaces)"] += t1 - t0
        spent["gov.kz URL"] += t2 - t1
        spent["words (NFKC, case fold, split)"] += t3 - t2
        spent["MinHash signature"] += t4 - t3
        spent["band keys"] += t5 - t4
        spent["exact fingerprint + title key (hashing)"] += t6 - t5
        spent["sighting key"] += t7 - t6
        spent["from_listing_item, whole"] += t8 - t7
    text.close()
    return {"components": dict(spent)}


# ---------------------------------------------------------------------------------------
# The parent: run children, check, report
# ---------------------------------------------------------------------------------------


@dataclass
class Measurement:
    label: str
    wall_s: float
    cpu_s: float
    maxrss_kib: int
    stdout: str
    result: dict[str, Any] = field(default_factory=dict)

    def rate(self, items: int) -> float:
        return items / self.wall_s


def run_child(
    mode: str, args: Sequence[str], env: dict[str, str], pin: bool, label: str = ""
) -> Measurement:
    """Run ``mode`` in a fresh interpreter (pinned to CPU 0 when ``pin``) and measure it."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, *args]
    preexec = (lambda: os.sched_setaffinity(0, {0})) if pin else None
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, preexec_fn=preexec)
    wall = time.perf_counter() - t0
    lines = proc.stderr.strip().splitlines()
    if proc.returncode != 0 or not lines or not lines[-1].startswith("BENCH "):
        raise RuntimeError(f"{mode} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    result = json.loads(lines[-1][6:])
    return Measurement(
        label or mode, wall, result["cpu_s"], result["maxrss_kib"], proc.stdout, result
    )


def _outcomes(stdout: str) -> dict[str, int]:
    """The counts ``pressroom ingest`` printed: ``file: 3 new, 1 merged, ...``."""
    return {name: int(n) for n, name in re.findall(r"(\d+) (\w+)", stdout.splitlines()[-1])}


class Backend:
    """A fresh, migrated store per measurement."""

    name = ""

    def fresh(self) -> dict[str, str]:
        raise NotImplementedError

    def cleanup(self) -> None:
        pass


class SQLite(Backend):
    name = "sqlite"

    def __init__(self, base_env: dict[str, str], work: Path, pin: bool) -> None:
        self.base_env, self.work, self.pin = base_env, work, pin
        self.homes: list[Path] = []

    def fresh(self) -> dict[str, str]:
        home = Path(tempfile.mkdtemp(prefix="sqlite-", dir=self.work))
        self.cleanup()
        self.homes.append(home)
        env = {k: v for k, v in self.base_env.items() if k != "DATABASE_URL"}
        env["PRESSROOM_HOME"] = str(home)
        run_child("migrate", [], env, self.pin)
        return env

    def cleanup(self) -> None:
        for home in self.homes:
            shutil.rmtree(home, ignore_errors=True)
        self.homes.clear()


class PostgreSQL(Backend):
    name = "postgresql"

    def __init__(self, base_env: dict[str, str], work: Path, pin: bool) -> None:
        self.base_env, self.work, self.pin = base_env, work, pin

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(f"{PG_BASE_URL}/postgres", autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement.encode())

    def available(self) -> str | None:
        try:
            self._admin("SELECT 1")
        except Exception as exc:  # any failure means: skip PostgreSQL, say why
            return f"{exc.__class__.__name__}: {exc}".strip()
        return None

    def fresh(self) -> dict[str, str]:
        self._admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)", f"CREATE DATABASE {PG_DB}")
        env = dict(self.base_env)
        env["DATABASE_URL"] = f"{PG_BASE_URL}/{PG_DB}"
        env["PRESSROOM_HOME"] = str(self.work / "pg-home")
        run_child("migrate", [], env, self.pin)
        return env

    def cleanup(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")


@dataclass
class Budget:
    """Skips an ingest that the rate measured on a smaller input says would take too long,
    so that the default run stays within minutes on a slow pipeline and measures everything
    on a fast one."""

    max_s: float
    rates: dict[str, float] = field(default_factory=dict)  # last items/s per backend
    skipped: list[str] = field(default_factory=list)

    def too_long(self, backend: str, n: int) -> str | None:
        rate = self.rates.get(backend)
        if rate is None or n / rate <= self.max_s:
            return None
        return (
            f"would take ~{n / rate / 60:.0f} min at the {rate:,.0f} items/s measured on the "
            f"smaller input (limit {self.max_s / 60:g} min: raise --max-minutes)"
        )


@dataclass
class Row:
    size: int
    what: str
    m: Measurement
    check: str = ""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def bench_size(
    n: int,
    path: Path,
    corpus: Corpus,
    backends: Sequence[Backend],
    base_env: dict[str, str],
    pin: bool,
    budget: Budget,
) -> tuple[Composition, list[Row]]:
    """One input of ``n`` items: write it, measure the baselines, ingest it on each backend.

    Nothing is measured when every backend's ingest would be skipped as too long."""
    running = []
    for backend in backends:
        too_long = budget.too_long(backend.name, n)
        if too_long:
            budget.skipped.append(f"{n:,} items on {backend.name}: {too_long}")
            log(f"[{n:,}] ingest {backend.name}: skipped, {too_long}")
        else:
            running.append(backend)
    if backends and not running:
        return Composition(), []
    t0 = time.perf_counter()
    comp = write_input(path, n, corpus)
    log(
        f"[{n:,}] input: {comp.bytes / 1e6:.1f} MB, {comp.pages:,} pages, {comp.stories:,} "
        f"stories, {comp.exact_copies:,} exact copies ({comp.stripped_copies:,} stripped), "
        f"{comp.edited_copies:,} edited ({time.perf_counter() - t0:.1f} s to write)"
    )
    rows: list[Row] = []
    parse_env = {**base_env, "PRESSROOM_HOME": str(path.parent / "parse-home")}
    for mode in ("parse", "candidates"):
        m = run_child(mode, [str(path)], parse_env, pin)
        got = (m.result.get("items", 0), m.result.get("rejected", 0), m.result.get("truncated", 0))
        check = "ok" if got == (n, 0, 0) else f"MISMATCH items/rejected/truncated {got}"
        rows.append(Row(n, mode, m, check))
        log(f"[{n:,}] {mode}: {m.wall_s:.2f} s, {m.rate(n):,.0f}/s, {m.maxrss_kib / 1024:.0f} MiB")
    for backend in running:
        env = backend.fresh()
        m = run_child("ingest", [str(path)], env, pin)
        budget.rates[backend.name] = m.rate(n)
        counts = run_child("counts", [], env, pin=False).result
        outcomes = _outcomes(m.stdout)
        problems = [
            f"{k} {outcomes.get(k)} (expected {v})"
            for k, v in comp.expected().items()
            if outcomes.get(k) != v
        ]
        for key, want in (
            ("articles", comp.stories),
            ("versions", comp.edited_copies),
            ("sightings", n),
        ):
            if counts[key] != want:
                problems.append(f"{key} {counts[key]} (expected {want})")
        check = "ok" if not problems else "MISMATCH " + "; ".join(problems)
        m.result["counts"] = counts
        rows.append(Row(n, backend.name, m, check))
        log(
            f"[{n:,}] ingest {backend.name}: {m.wall_s:.1f} s, {m.rate(n):,.0f} items/s, "
            f"{m.maxrss_kib / 1024:.0f} MiB; stored {counts['articles']:,} articles for "
            f"{comp.stories:,} stories, {counts['versions']:,} versions: {check}"
        )
        backend.cleanup()
    return comp, rows


def report(rows: list[Row], comps: dict[int, Composition]) -> str:
    """Markdown tables: one row per measurement, with ratios to the baselines of its size.

    items/CPU-s is the one-core figure that other processes on the machine disturb least
    (for PostgreSQL it leaves out the server's work); the ratios use wall time.
    """
    out = [
        "| items | what | stored articles | wall s | items/s | CPU s | items/CPU-s "
        "| peak RSS MiB | × parse | × parse+candidates | check |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    base: dict[tuple[int, str], float] = {(r.size, r.what): r.m.wall_s for r in rows}
    for r in rows:
        stored = r.m.result.get("counts", {}).get("articles")
        parse = base.get((r.size, "parse"))
        cand = base.get((r.size, "candidates"))
        what = {"parse": "parse only", "candidates": "parse + candidates"}.get(
            r.what, f"ingest, {r.what}"
        )
        cells = [
            f"{r.size:,}",
            what,
            f"{stored:,}" if stored is not None else "–",
            f"{r.m.wall_s:.1f}",
            f"{r.m.rate(r.size):,.0f}",
            f"{r.m.cpu_s:.1f}",
            f"{r.size / r.m.cpu_s:,.0f}",
            f"{r.m.maxrss_kib / 1024:.0f}",
            f"{r.m.wall_s / parse:.1f}" if parse else "–",
            f"{r.m.wall_s / cand:.1f}" if cand else "–",
            r.check,
        ]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "| items | MB | pages | stories | exact copies (stripped) | edited copies |"]
    out.append("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for n, c in comps.items():
        out.append(
            f"| {n:,} | {c.bytes / 1e6:.1f} | {c.pages:,} | {c.stories:,} "
            f"| {c.exact_copies:,} ({c.stripped_copies:,}) | {c.edited_copies:,} |"
        )
    return "\n".join(out)


# ---------------------------------------------------------------------------------------
# Profile: where the time goes
# ---------------------------------------------------------------------------------------


def phase_table(n: int, result: dict[str, Any], parse_s: float) -> str:
    """Where the time goes, without a profiler: timed phases, their SQL, COMMIT, the rest."""
    ingest_s = result["ingest_s"]
    commit_n, commit_s = result["commits"]
    lines = [
        f"Where the time goes, without a profiler: {n:,} items on SQLite in {ingest_s:.1f} "
        f"CPU-seconds ({n / ingest_s:,.0f} items/CPU-s, {ingest_s / n * 1000:.2f} ms per "
        "item), each phase timed on its own in CPU time (nested phases not counted twice), "
        "with the SQL run inside it.",
        "",
        "| phase | CPU s | ms per item | share | of which SQL s | statements |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    accounted = 0.0
    for label, (own, _calls, sql, statements) in result["phases"].items():
        if label == "other":
            continue
        accounted += own
        lines.append(
            f"| {label} | {own:.1f} | {own / n * 1000:.2f} | {own / ingest_s:.0%} "
            f"| {sql:.1f} | {int(statements):,} |"
        )
    lines.append(
        f"| COMMIT ({int(commit_n)} transactions) | {commit_s:.1f} | "
        f"{commit_s / n * 1000:.2f} | {commit_s / ingest_s:.0%} | {commit_s:.1f} | – |"
    )
    rest = ingest_s - accounted - commit_s
    other = result["phases"].get("other", [0, 0, 0.0, 0])
    lines.append(
        f"| reading, parsing, start-up and the rest (parse-only baseline: {parse_s:.1f} CPU s) "
        f"| {rest:.1f} | {rest / n * 1000:.2f} | {rest / ingest_s:.0%} | {other[2]:.1f} "
        f"| {int(other[3]):,} |"
    )
    for name in result.get("missing", []):
        lines.append(f"\n(not timed: {name} no longer exists)")
    return "\n".join(lines)


def census_table(census: dict[str, list[float]], n: int) -> str:
    rows = sorted(census.items(), key=lambda kv: kv[1][2], reverse=True)
    lines = [
        "| SQL statement (same run; rows: parameter sets of executemany) "
        "| executions | rows | rows per item | s |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for key, (count, rows_, seconds) in rows[:14]:
        lines.append(
            f"| `{key}` | {int(count):,} | {int(rows_):,} | {rows_ / n:.2f} | {seconds:.2f} |"
        )
    return "\n".join(lines)


def components_table(components: dict[str, float], n: int) -> str:
    components = dict(components)
    whole = components.pop("from_listing_item, whole")
    lines = [
        "| parsing and candidate building, step by step (no profiler) | CPU s | µs per item |",
        "| --- | ---: | ---: |",
    ]
    for label, seconds in components.items():
        lines.append(f"| {label} | {seconds:.2f} | {seconds / n * 1e6:.0f} |")
    steps = sum(v for k, v in components.items() if not k.startswith(("reading", "language")))
    lines.append(
        f"| candidate steps together (from_listing_item itself: {whole:.2f} s, "
        f"{whole / n * 1e6:.0f} µs) | {steps:.2f} | {steps / n * 1e6:.0f} |"
    )
    return "\n".join(lines)


def top_functions(prof: Path, n: int) -> str:
    """cProfile's hot spots: the functions that spend the most time themselves."""
    st = pstats.Stats(str(prof))
    stats: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
    total: float = st.total_tt  # type: ignore[attr-defined]
    lines = [
        f"cProfile of the same ingest: {total:.1f} s profiled ({total / n * 1000:.1f} ms per "
        "item; the profiler slows Python code far more than time spent in C, so the shares "
        "show where the calls are, the phase table the real split).",
        "",
        "| function (cProfile, by own time) | calls | own s | share |",
        "| --- | ---: | ---: | ---: |",
    ]
    top = sorted(stats.items(), key=lambda kv: kv[1][2], reverse=True)[:15]
    for (file, line, func), v in top:
        where = f"{Path(file).name}:{line} {func}" if file != "~" else func
        where = re.sub(r" at 0x[0-9a-f]+", "", where)
        lines.append(f"| `{where}` | {v[1]:,} | {v[2]:.1f} | {v[2] / total:.0%} |")
    return "\n".join(lines)


def run_profile(
    n: int, path: Path, corpus: Corpus, base_env: dict[str, str], work: Path, pin: bool
) -> str:
    """The ``n``-item SQLite ingest three ways: timed phases and SQL, timed candidate
    steps, and cProfile for the hot functions."""
    if not path.exists():
        write_input(path, n, corpus)
    sqlite = SQLite(base_env, work, pin)
    parse_env = {**base_env, "PRESSROOM_HOME": str(work / "parse-home")}
    log(f"[profile] parsing and candidate steps on {n:,} items ...")
    parse = run_child("parse", [str(path)], parse_env, pin)
    components = run_child("components", [str(path)], parse_env, pin).result["components"]
    log("[profile] ingest with phases, SQL and COMMIT timed ...")
    phases = run_child("phases", [str(path)], sqlite.fresh(), pin).result
    log("[profile] ingest under cProfile ...")
    prof = work / "ingest.prof"
    m = run_child("profile", [str(path), str(prof)], sqlite.fresh(), pin)
    log(f"[profile] {m.wall_s:.1f} s under cProfile")
    sqlite.cleanup()
    return "\n\n".join(
        [
            phase_table(n, phases, parse.cpu_s),
            census_table(phases["census"], n),
            components_table(components, n),
            top_functions(prof, n),
        ]
    )


# ---------------------------------------------------------------------------------------


def _revision() -> str:
    """The code measured: commit, and whether the source tree had uncommitted changes."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "revision unknown"
    return f"commit {head or '?'}{' + uncommitted changes in src/' if dirty else ''}"


def _calibration_us() -> float:
    """A machine-speed yardstick printed with the results, to compare runs across machines."""
    import timeit

    return min(timeit.repeat("sum(range(10_000))", number=200, repeat=5)) / 200 * 1e6


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--child"]:
        return _child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="items per input, comma-separated",
    )
    parser.add_argument("--backends", default="sqlite,postgresql", help="sqlite,postgresql")
    parser.add_argument("--profile", action="store_true", help="say where the time goes")
    parser.add_argument(
        "--profile-size", type=int, default=PROFILE_SIZE, help="items of the profiled ingest"
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin children to CPU 0")
    parser.add_argument("--out", type=Path, help="keep the generated inputs in this folder")
    parser.add_argument(
        "--max-minutes",
        type=float,
        default=10,
        help="skip an ingest estimated (from the previous size) to take longer than this",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip())
    pin = not args.no_pin
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="pressroom-bench-"))
    inputs = args.out or work
    inputs.mkdir(parents=True, exist_ok=True)
    base_env = {**os.environ, "PRESSROOM_LOG_LEVEL": "WARNING"}
    base_env.pop("DATABASE_URL", None)
    backends: list[Backend] = []
    for name in args.backends.split(","):
        if name == "sqlite":
            backends.append(SQLite(base_env, work, pin))
        elif name == "postgresql":
            pg = PostgreSQL(base_env, work, pin)
            why = pg.available()
            if why:
                log(f"PostgreSQL skipped: not reachable at {PG_BASE_URL} ({why})")
            else:
                backends.append(pg)
        elif name:
            parser.error(f"unknown backend {name}")
    load = os.getloadavg()
    header = (
        f"{os.cpu_count()} CPUs, load average {load[0]:.2f} at start; children "
        f"{'pinned to CPU 0' if pin else 'not pinned'}; Python {sys.version.split()[0]}; "
        f"calibration: sum(range(10_000)) takes {_calibration_us():.0f} µs; {_revision()}"
    )
    log(header)
    t0 = time.perf_counter()
    corpus = load_corpus()
    log(
        f"corpus: {len(corpus.titles):,} English texts, {len(corpus.pool):,} paragraphs "
        f"({time.perf_counter() - t0:.1f} s)"
    )
    rows: list[Row] = []
    comps: dict[int, Composition] = {}
    budget = Budget(args.max_minutes * 60)
    try:
        for n in sizes:
            path = inputs / f"ingest-{n}.txt"
            comp, size_rows = bench_size(n, path, corpus, backends, base_env, pin, budget)
            if size_rows:
                comps[n] = comp
            rows += size_rows
            if not args.out and not (args.profile and n == args.profile_size):
                path.unlink(missing_ok=True)
        print(header + "\n")
        print(report(rows, comps))
        for message in budget.skipped:
            print(f"\nSkipped: {message}.")
        if args.profile:
            print()
            profile_path = inputs / f"ingest-{args.profile_size}.txt"
            print(run_profile(args.profile_size, profile_path, corpus, base_env, work, pin))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\ntotal bench time {time.perf_counter() - started:.0f} s")
    failed = [r for r in rows if r.check != "ok"]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
