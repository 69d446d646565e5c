"""The search index is a domain-level app: it reads events and claims, never the reader layer or a surface."""

from tests.imports import imported_apps


def test_search_imports_neither_the_reader_layer_nor_a_surface():
    above = {"reader", "pages", "api", "desk", "digests", "live", "edge"}
    assert {name: files for name, files in imported_apps("search").items() if name in above} == {}
