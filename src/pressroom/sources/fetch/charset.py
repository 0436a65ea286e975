"""Bytes -> text: the declared character set when it is right, else a detected one.

Order: a byte order mark; then valid UTF-8 (a legacy text is almost never valid
UTF-8 by accident, while servers often declare ISO-8859-1 for UTF-8 bodies);
then the charset declared by the HTTP header, the XML prolog or an HTML meta tag,
if it decodes cleanly and reads no worse than what charset-normalizer detects;
then detection. A windows-1251 text declared as KOI8-R (or the reverse) decodes
without error into nonsense, which is why a declared single-byte charset is
compared with detection instead of trusted.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

SAMPLE_BYTES = 64 * 1024
_XML_PROLOG = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']", re.I)
_META = re.compile(rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A detection must read this much better (charset-normalizer's "chaos", 0..1)
# than the declared charset before we overrule the publisher.
_OVERRULE_MARGIN = 0.05
_OTHER_LATIN = frozenset(
    {"cp1250", "cp1254", "cp1257", "cp1258", "iso8859-2", "iso8859-4", "iso8859-9"}
    | {"iso8859-13", "iso8859-15", "mac-roman", "mac-latin2", "cp850", "cp437"}
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    declared: str | None
    how: str  # "bom" | "utf-8" | "declared" | "detected" | "fallback"


def declared_charset(body: bytes, header_charset: str | None) -> str | None:
    """The charset the publisher claims: HTTP header, else XML prolog, else meta tag."""
    for candidate in (header_charset, *_in_document(body[:4096])):
        name = _codec_name(candidate)
        if name:
            return name
    return None


def _in_document(head: bytes) -> list[str | None]:
    found: list[str | None] = []
    prolog = _XML_PROLOG.match(head)
    if prolog:
        found.append(prolog.group(1).decode("ascii"))
    meta = _META.search(head)
    if meta:
        found.append(meta.group(1).decode("ascii"))
    return found


def _codec_name(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def decode(body: bytes, header_charset: str | None = None) -> Decoded:
    declared = declared_charset(body, header_charset)
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return Decoded(body.decode(encoding, errors="replace"), encoding, declared, "bom")
    try:
        return Decoded(body.decode("utf-8"), "utf-8", declared, "utf-8")
    except UnicodeDecodeError:
        pass
    sample = body[:SAMPLE_BYTES]
    detected = from_bytes(sample).best()
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        try:
            text = body.decode(declared)
        except UnicodeDecodeError:
            text = None
        if text is not None and not _detection_reads_better(sample, declared, detected):
            other = _cyrillic_reading(sample, declared)
            if other is None:
                return Decoded(text, declared, declared, "declared")
            return Decoded(body.decode(other, errors="replace"), other, declared, "detected")
    if detected is not None:
        encoding = _prefer_windows_1252(sample, codecs.lookup(detected.encoding).name, detected)
        encoding = _cyrillic_reading(sample, encoding) or encoding
        return Decoded(body.decode(encoding, errors="replace"), encoding, declared, "detected")
    return Decoded(body.decode("windows-1252", errors="replace"), "cp1252", declared, "fallback")


def _detection_reads_better(sample: bytes, declared: str, detected: object) -> bool:
    if detected is None:
        return False
    detected_name = codecs.lookup(detected.encoding).name  # type: ignore[attr-defined]
    if detected_name == declared or _same_family(detected_name, declared):
        return False
    as_declared = from_bytes(sample, cp_isolation=[declared]).best()
    if as_declared is None:
        return True  # charset-normalizer finds the declared reading too chaotic to keep
    chaos = detected.chaos  # type: ignore[attr-defined]
    return bool(chaos + _OVERRULE_MARGIN < as_declared.chaos)


def _prefer_windows_1252(sample: bytes, encoding: str, detected: object) -> str:
    """Undeclared legacy text is most often windows-1252 (the web's default): take it
    over another single-byte guess (cp1250, cp1257 ...) that reads no better. Short
    French or Portuguese texts give the detector too little to tell those apart."""
    if encoding not in _OTHER_LATIN:
        return encoding
    as_1252 = from_bytes(sample, cp_isolation=["cp1252"]).best()
    if as_1252 is not None and as_1252.chaos <= detected.chaos + _OVERRULE_MARGIN:  # type: ignore[attr-defined]
        return "cp1252"
    return encoding


_CYRILLIC_8BIT = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic")
_UPPER_RATIO_WRONG = 0.4  # Russian prose has ~5 % capitals; a wrong 8-bit reading ~90 %
_UPPER_RATIO_RIGHT = 0.25


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if "\u0400" <= c <= "\u04ff"]
    if len(letters) < 50:
        return 0.0
    return sum(c.isupper() for c in letters) / len(letters)


def _cyrillic_reading(sample: bytes, encoding: str) -> str | None:
    """Another 8-bit Cyrillic charset when ``encoding`` reads as mostly capitals.

    KOI8-R read as windows-1251 (or the reverse) still gives Cyrillic letters, so
    neither decoding errors nor charset-normalizer notice; but it swaps upper and
    lower case, and Russian prose is nearly all lower case."""
    if encoding not in _CYRILLIC_8BIT:
        return None
    if _upper_ratio(sample.decode(encoding, errors="replace")) < _UPPER_RATIO_WRONG:
        return None
    readings = [
        (_upper_ratio(sample.decode(other, errors="replace")), other)
        for other in _CYRILLIC_8BIT
        if other != encoding
    ]
    ratio, best = min(readings)
    return best if ratio < _UPPER_RATIO_RIGHT else None


def _same_family(a: str, b: str) -> bool:
    """Latin-1 and windows-1252 read the same letters; overruling one by the other helps nobody."""
    latin = {"latin_1", "iso8859-1", "cp1252", "iso8859-15"}
    return a in latin and b in latin
