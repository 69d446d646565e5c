"""A reader's query, read the same way on both engines: words and quoted phrases, nothing else.

Operators and stray punctuation are read as the spaces between words, an
unbalanced quote runs to the end of the query, control characters are
separators: so no input reaches an engine's parser as syntax, and none can
make it raise. What cannot be a query (empty, too long, too many terms) is a
`QueryError` with a message for the reader (the surfaces answer 400).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 500
MAX_TERMS = 24

_WORD = re.compile(r"[^\W_]+")
_PART = re.compile(r'"([^"]*)"?|([^"]+)')


class QueryError(ValueError):
    """A query that cannot be searched, with the reason a reader can act on."""


@dataclass(frozen=True)
class Query:
    """Terms that must all match: each a word or a phrase (words in a row)."""

    text: str
    terms: tuple[tuple[str, ...], ...]

    @property
    def words(self) -> list[str]:
        return [word for term in self.terms for word in term]

    def websearch(self) -> str:
        """For PostgreSQL's websearch_to_tsquery: every term quoted (a phrase, or one word)."""
        return " ".join('"' + " ".join(term) + '"' for term in self.terms)

    def fts5(self) -> str:
        """For SQLite's FTS5 MATCH: every term a quoted string, implicitly ANDed (words hold no quote)."""
        return " ".join('"' + " ".join(term) + '"' for term in self.terms)


def parse(text: str) -> Query:
    """The query in `text`, or QueryError."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise QueryError(f"A search is at most {MAX_LENGTH} characters; this one has {len(text)}.")
    terms: list[tuple[str, ...]] = []
    for quoted, bare in _PART.findall(text):
        if quoted:
            words = tuple(_WORD.findall(quoted))
            if words:
                terms.append(words)
        else:
            terms.extend((word,) for word in _WORD.findall(bare))
    if not terms:
        raise QueryError("Type a word or a phrase to search for.")
    if len(terms) > MAX_TERMS:
        raise QueryError(f"A search has at most {MAX_TERMS} words or phrases; this one has {len(terms)}.")
    return Query(text=text, terms=tuple(dict.fromkeys(terms)))
