"""Full text per engine: PostgreSQL's tsvector column with a GIN index, or SQLite's FTS5 table.

Both take a `search.query.Query` (already only words and phrases), match the
same entries for it (ranking may differ) and fill their full text for new
entries. Titles weigh most on both.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL

from .documents import LANGUAGE_CONFIGS
from .query import Query

# Each query is read with every configuration a document may hold, so a word
# stemmed in English, Russian or Armenian text is found; `simple` finds the rest.
_CONFIGS = ("simple", "english", *sorted(set(LANGUAGE_CONFIGS.values()) - {"english"}))

# An entry's full text from its columns (`{0}`: the row they are read from); search/writing.py
# computes it in the statement that inserts the entry.
PG_DOCUMENT = """
    setweight(to_tsvector('english', unaccent({0}title)), 'A')
    || setweight(to_tsvector('simple', unaccent({0}title)), 'A')
    || to_tsvector('english', unaccent({0}body)) || to_tsvector('simple', unaccent({0}body))
    || to_tsvector({0}original_config::regconfig, unaccent({0}original))
    || to_tsvector('simple', unaccent({0}original))
"""
_PG_FILL = f"UPDATE search_entry SET document = {PG_DOCUMENT.format('')} WHERE id = ANY(%s)"  # noqa: S608

# Created by the migration on SQLite only (porter: English stems, like PostgreSQL's `english`).
FTS5_TABLE = ("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
              "title, body, original, tokenize='porter unicode61 remove_diacritics 2')")


def _tsquery() -> str:
    return "(" + " || ".join(f"websearch_to_tsquery('{config}', unaccent(%s))" for config in _CONFIGS) + ")"


def fill(ids: Iterable[int]) -> None:
    """Make new entries searchable (their text never changes afterwards)."""
    ids = list(ids)
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_PG_FILL, [ids])
            return
        cursor.executemany("INSERT OR REPLACE INTO search_fts(rowid, title, body, original) "
                           "SELECT id, title, body, original FROM search_entry WHERE id = %s",
                           [[pk] for pk in ids])


def clear() -> None:
    """Forget all full text (the rebuild refills it)."""
    if connection.vendor != "postgresql":  # on PostgreSQL it goes with the rows
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")


def matching(entries: QuerySet, query: Query) -> QuerySet:
    """`entries` narrowed to those matching `query`, annotated with a `rank` (higher is better)."""
    if connection.vendor == "postgresql":
        params = [query.websearch()] * len(_CONFIGS)
        tsquery = _tsquery()
        # The SQL is built from constant configuration names only; the query goes in as parameters.
        matched = RawSQL(f"SELECT id FROM search_entry WHERE document @@ {tsquery}", params)  # noqa: S608,S611
        rank = RawSQL(f"ts_rank(search_entry.document, {tsquery})", params,  # noqa: S611
                      output_field=FloatField())
    else:
        params = [query.fts5()]
        matched = RawSQL("SELECT rowid FROM search_fts WHERE search_fts MATCH %s", params)
        rank = RawSQL("(SELECT -bm25(search_fts, 10.0, 1.0, 1.0) FROM search_fts "
                      "WHERE search_fts MATCH %s AND search_fts.rowid = search_entry.id)",
                      params, output_field=FloatField())
    return entries.filter(id__in=matched).annotate(rank=rank)
