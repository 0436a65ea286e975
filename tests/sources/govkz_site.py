"""A gov.kz-shaped site on a loopback server: publishers x languages, RSS and article pages.

Feeds live at ``/api/v1/public/rss/{slug}/news/{lang}`` and carry a teaser per
item; the whole story is on ``/memleket/entities/{slug}/press/news/details/{id}?lang=``,
inside the page chrome (menu, footer) that extraction must drop. Texts are drawn
from per-language word lists with a seeded generator, so every item is a
different story (no two merge) and the test knows each expected text.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from tests.sources.server import LoopbackServer


def _words(text: str) -> list[str]:
    return text.split()


WORDS = {
    "en": _words("""ministry minister meeting region development program agriculture water project
        digital citizens education school hospital road bridge investment export grain
        delegation cooperation agreement forum akimat volunteers festival museum energy
        budget reform court safety transport railway airport tourism culture science"""),
    "ru": _words("""министерство министр встреча регион развитие программа сельское хозяйство вода
        проект граждане образование школа больница дорога мост инвестиции экспорт зерно
        делегация сотрудничество соглашение форум акимат волонтеры фестиваль музей энергия
        бюджет реформа суд безопасность транспорт железная аэропорт туризм культура"""),
    "kk": _words("""министрлік министр кездесу өңір даму бағдарлама ауыл шаруашылығы су жоба
        азаматтар білім мектеп аурухана жол көпір инвестиция экспорт астық делегация
        ынтымақтастық келісім форум әкімдік еріктілер фестиваль мұражай энергия бюджет
        реформа сот қауіпсіздік көлік теміржол әуежай туризм мәдениет ғылым"""),
}


@dataclass
class Story:
    slug: str
    lang: str
    news_id: int
    title: str
    paragraphs: list[str]
    published: datetime

    def page_path(self) -> str:
        return f"/memleket/entities/{self.slug}/press/news/details/{self.news_id}?lang={self.lang}"


@dataclass
class GovKzSite:
    server: LoopbackServer
    stories: list[Story] = field(default_factory=list)

    def feed_path(self, slug: str, lang: str) -> str:
        return f"/api/v1/public/rss/{slug}/news/{lang}"

    def entity_url(self, slug: str) -> str:
        return self.server.url(f"/memleket/entities/{slug}")

    def publish(self) -> None:
        """(Re)write every feed and page route from ``stories``."""
        by_feed: dict[tuple[str, str], list[Story]] = {}
        for story in self.stories:
            by_feed.setdefault((story.slug, story.lang), []).append(story)
            self.server.add(
                story.page_path(), render_page(story), content_type="text/html; charset=utf-8"
            )
        for (slug, lang), stories in by_feed.items():
            self.server.add(
                self.feed_path(slug, lang),
                render_feed(self.server, slug, lang, stories),
                content_type="application/rss+xml; charset=utf-8",
            )


def sentence(rng: random.Random, lang: str, n: int) -> str:
    words = [rng.choice(WORDS[lang]) for _ in range(n)]
    words.append(f"{rng.randrange(10_000, 99_999)}")
    return (" ".join(words) + ".").capitalize()


def build(
    server: LoopbackServer,
    slugs: list[str],
    langs: tuple[str, ...] = ("kk", "ru", "en"),
    per_feed: int = 3,
    seed: int = 1,
) -> GovKzSite:
    rng = random.Random(seed)
    site = GovKzSite(server)
    news_id = 1000
    start = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    for slug in slugs:
        for lang in langs:
            for k in range(per_feed):
                news_id += 1
                paragraphs = [" ".join(sentence(rng, lang, 12) for _ in range(4)) for _ in range(4)]
                site.stories.append(
                    Story(
                        slug,
                        lang,
                        news_id,
                        sentence(rng, lang, 6)[:-1],
                        paragraphs,
                        start + timedelta(hours=news_id % 97, minutes=k),
                    )
                )
    site.publish()
    return site


def render_feed(server: LoopbackServer, slug: str, lang: str, stories: list[Story]) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title>"
        f"<link>{escape(server.url(s.page_path()))}</link>"
        f"<guid>{escape(server.url(s.page_path()))}</guid>"
        f"<pubDate>{format_datetime(s.published)}</pubDate>"
        f"<description>{escape(s.paragraphs[0][:120])}…</description></item>"
        for s in stories
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{slug} news</title><link>{server.url('/memleket/entities/' + slug)}</link>"
        f"<language>{lang}</language>{items}</channel></rss>"
    )


def render_page(story: Story) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    menu = "".join(
        f'<li><a href="/memleket/entities/{story.slug}/{w}">{w}</a></li>'
        for w in ("about", "structure", "contacts", "services", "press")
    )
    return f"""<!DOCTYPE html><html lang="{story.lang}"><head><meta charset="utf-8">
<title>{escape(story.title)} | gov.kz</title>
<meta property="article:published_time" content="{story.published.isoformat()}">
</head><body>
<header><nav><ul>{menu}</ul></nav><div class="search">Search the portal</div></header>
<main><article><h1>{escape(story.title)}</h1>
<div class="date">{story.published:%d.%m.%Y}</div>
{paragraphs}
<figure><img src="/uploads/{story.news_id}.jpg" alt="Photo {story.news_id}"></figure>
</article></main>
<footer><p>© Unified platform of internet resources of state bodies. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy</a></li><li><a href="/sitemap">Site map</a></li></ul></footer>
</body></html>"""
