"""Open a local file or standard input as a stream of text lines, or say clearly why not.

Inputs are streamed: only a 64 KiB sample is looked at up front (to refuse empty,
binary and HTML inputs and to find the character set), and no line is ever held
beyond ``MAX_LINE_CHARS`` characters, so a 200 MB file or a 10 MB line keeps
memory bounded.
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, BinaryIO

from charset_normalizer import from_bytes

SAMPLE_BYTES = 64 * 1024
# One more than the parser accepts, so that it sees the line is too long and rejects it.
MAX_LINE_CHARS = 1_000_001


class InputError(Exception):
    """An input that cannot be read as listing text; the message says why and what to do."""


@dataclass
class TextInput:
    name: str
    encoding: str
    note: str | None
    stream: io.TextIOWrapper
    _raw: IO[bytes] = field(repr=False)
    size: int | None = None
    _closed: bool = field(default=False, repr=False)

    def lines(self) -> Iterator[str]:
        """Lines without their end; an over-long line is cut to ``MAX_LINE_CHARS``."""
        readline = self.stream.readline
        while True:
            line = readline(MAX_LINE_CHARS)
            if not line:
                return
            if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
                while True:  # skip the rest of an over-long line without keeping it
                    rest = readline(MAX_LINE_CHARS)
                    if not rest or rest.endswith("\n"):
                        break
            yield line.rstrip("\r\n")

    def position(self) -> int | None:
        """Bytes consumed so far, for progress bars (None on pipes)."""
        try:
            return self._raw.tell()
        except (OSError, ValueError):
            return None

    def __enter__(self) -> TextInput:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if not self._closed and self.stream is not sys.stdin:
            self.stream.close()
        self._closed = True


def open_input(path: str) -> TextInput:
    """Open ``path`` (``-`` for standard input) or raise ``InputError``."""
    if path == "-":
        raw: BinaryIO = sys.stdin.buffer
        name, size = "<stdin>", None
    else:
        if os.path.isdir(path):
            raise InputError(f"{path}: is a folder; pass the files in it")
        try:
            raw = open(path, "rb")  # noqa: SIM115 - handed over to TextInput, closed by it
        except OSError as exc:
            raise InputError(f"{path}: cannot open: {exc.strerror}") from exc
        name, size = path, os.fstat(raw.fileno()).st_size
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw)  # type: ignore[type-var]
    sample = buffered.peek(SAMPLE_BYTES)[:SAMPLE_BYTES]
    try:
        encoding, note = _check_sample(name, sample)
    except InputError:
        if path != "-":
            buffered.close()
        raise
    stream = io.TextIOWrapper(buffered, encoding=encoding, errors="replace", newline=None)
    return TextInput(
        name=name, encoding=encoding, note=note, stream=stream, _raw=buffered, size=size
    )


def _check_sample(name: str, sample: bytes) -> tuple[str, str | None]:
    if not sample.strip():
        raise InputError(f"{name}: empty input, nothing to ingest")
    if b"\x00" in sample and not sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        offset = sample.index(b"\x00")
        raise InputError(
            f"{name}: binary data (a NUL byte at offset {offset}); expected listing text"
        )
    encoding, note = _encoding(name, sample)
    head = sample[:2048].decode(encoding, errors="replace").lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<?xml", "<rss", "<feed")) or (
        head.startswith("<") and "<body" in sample.decode(encoding, errors="replace").lower()
    ):
        raise InputError(
            f"{name}: this is HTML or XML markup, not listing text; "
            "save the page as text, or add it as a feed or page source"
        )
    return encoding, note


def _encoding(name: str, sample: bytes) -> tuple[str, str | None]:
    """UTF-8 (with or without BOM) when it decodes; otherwise the detected charset."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "decoded as UTF-16 (byte order mark)"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8", None
    except UnicodeDecodeError:
        pass
    best = from_bytes(sample).best()
    if best is None or _control_ratio(sample) > 0.05:
        raise InputError(f"{name}: not text in any known character set; expected listing text")
    return best.encoding, f"{name}: not UTF-8; decoded as {best.encoding}"


def _control_ratio(sample: bytes) -> float:
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 13))
    return controls / max(len(sample), 1)
