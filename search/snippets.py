"""The passage of a text around the words searched for, as pieces marked or not (the surfaces escape them)."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[^\W_]+")


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _matches(token: str, words: list[str]) -> bool:
    # A stem's worth of each word (its first three quarters): "evacuate" marks "evacuating",
    # "peacekeepers" marks "peacekeeping", roughly as the engines' stemmers find them.
    token = _plain(token)
    return any(token.startswith(word[:max(4, len(word) * 3 // 4)]) if len(word) > 4 else token == word
               for word in words)


def snippet(text: str, words: list[str], *, width: int = 220) -> list[tuple[str, bool]]:
    """Up to `width` characters of `text` around its first match, as (piece, is_match) pairs."""
    words = [_plain(word) for word in words]
    spans = [match.span() for match in _TOKEN.finditer(text) if _matches(match.group(), words)]
    start = 0
    if spans and spans[0][0] > width // 3:
        start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + width // 2)
    pieces: list[tuple[str, bool]] = [("…", False)] if start else []
    at = start
    for begin, finish in spans:
        if begin < start or finish > end:
            continue
        pieces += [(text[at:begin], False), (text[begin:finish], True)]
        at = finish
    pieces.append((text[at:end], False))
    if end < len(text):
        pieces.append(("…", False))
    return [(piece, marked) for piece, marked in pieces if piece]


def plain_snippet(text: str, words: list[str], *, width: int = 220) -> str:
    return "".join(piece for piece, _ in snippet(text, words, width=width))
