"""Small readers of search results for the tests."""

from search.query import parse
from search.selectors import Filters, search


def found(text: str, **options) -> set[tuple[str, int]]:
    """(type, item id) of every hit for `text`."""
    filters = options.pop("filters", Filters())
    results = search(parse(text), filters=filters, limit=100, with_facets=False, **options)
    return {(hit.entry.type, hit.entry.item_id) for hit in results.hits}
