"""``clean_text``'s shortcut for text that is already clean changes no result."""

from __future__ import annotations

import re
import unicodedata

import pytest

from pressroom.pipeline.normalize import clean_text

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
CONTROL = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
ODD_SPACES = "\t\u00a0" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"


def reference(text: str) -> str:
    """What clean_text promises, step by step, without any shortcut."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(f"[{INVISIBLE}]", "", text)
    text = re.sub(f"[{re.escape(CONTROL)}]", " ", text)
    text = re.sub(f"[ {ODD_SPACES}]+", " ", text) if re.search(f"[{ODD_SPACES}]|  ", text) else text
    return text.strip()


@pytest.mark.parametrize("char", list(INVISIBLE + CONTROL + ODD_SPACES + " \n"))
@pytest.mark.parametrize("where", ["start", "middle", "end", "twice"])
def test_every_noise_character_is_cleaned_as_before(char: str, where: str) -> None:
    word = "Slovenia’s «AI&Digital» e\u0301"
    text = {
        "start": char + word,
        "middle": word.replace(" ", char, 1),
        "end": word + char,
        "twice": word.replace(" ", char + char, 1),
    }[where]
    assert clean_text(text) == reference(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "plain",
        "  two  spaces  ",
        "line\nbreak",
        "Қазақстан — 2026",
        "e\u0301",
        "ﬁ ligature",
    ],
)
def test_clean_and_nearly_clean_text(text: str) -> None:
    assert clean_text(text) == reference(text)
