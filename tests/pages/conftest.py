"""Fixtures of the public-page tests: a clean page cache for every test."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_page_cache():
    cache.clear()
    yield
    cache.clear()


def story_url(slug: str, rest: str = "") -> str:
    return f"/stories/{slug}/{rest}"
