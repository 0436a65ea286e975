"""Render items in the listing-page format, for tests that need inputs of a given shape."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

_ENDS_WITH_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}$")
GOVKZ = "https://www.gov.kz/memleket/entities/{}/press/news/details/{}?lang={}"


@dataclass
class Item:
    title: str
    body: list[str]
    date: str = "03.02.2026"
    source: tuple[str, int, str] | None = None  # publisher slug, id, lang

    def render(self, one_line: bool = False) -> str:
        lines = [f"{self.title} {self.date}"] if one_line else [self.title, self.date]
        body = list(self.body)
        if self.source:
            url = GOVKZ.format(*self.source)
            if body:
                body[-1] = f"{body[-1]}Source : {url}"
            else:
                body = [f"Source : {url}"]
        return "\n".join(lines + body)


def page(*sections: tuple[str, list[Item]], one_line: bool = False) -> str:
    out: list[str] = []
    for name, items in sections:
        out += [name, "More"] + [item.render(one_line) for item in items]
    return "\n".join(out) + "\n"


def corpus_texts(shared_data: Path, n: int, lang: str = "en") -> list[tuple[str, list[str]]]:
    """Real press releases (title, paragraphs) from the corpus, the first ``n`` in ``lang``."""
    out: list[tuple[str, list[str]]] = []
    with open(shared_data / "corpora" / "lk_pmd_press_releases.jsonl", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            # A listing paragraph is one line: fold the line breaks inside corpus paragraphs.
            paragraphs = [" ".join(p.split()) for p in rec["body"].split("\n\n")]
            paragraphs = [p for p in paragraphs if len(p) > 40]
            # A paragraph ending in a bare date ("...Sri Lanka 01.10.2024", a signature) reads
            # as a title line: the parser's documented blind spot, so such records are skipped.
            dated = any(_ENDS_WITH_DATE.search(p) for p in paragraphs)
            if rec["lang"] == lang and len(paragraphs) >= 3 and not dated:
                out.append((rec["title"].rstrip("…").strip(), paragraphs))
                if len(out) == n:
                    break
    return out
