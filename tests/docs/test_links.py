"""Every relative link in README.md and docs/ leads to a file that exists, and to a heading in it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .markdown import DOCS, README, ROOT, anchors, is_external, links, pages, slug


def _broken(page: Path) -> list[str]:
    broken = []
    for target in links(page):
        if is_external(target):
            continue
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve() if path_part else page
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors(destination):
            broken.append(f"{target}: no such heading")
    return broken


@pytest.mark.parametrize("page", pages(), ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    assert _broken(page) == []


def test_the_readme_links_to_every_page_under_docs():
    linked = {(README.parent / target.partition("#")[0]).resolve()
              for target in links(README) if not is_external(target)}
    assert [page.name for page in sorted(DOCS.glob("*.md")) if page.resolve() not in linked] == []


def test_a_link_to_a_missing_file_or_heading_is_reported(tmp_path):
    (tmp_path / "other.md").write_text("# Other\n\n## Delivery, retries, disabling\n")
    page = tmp_path / "page.md"
    page.write_text("[ok](other.md#delivery-retries-disabling) [gone](missing.md) [bad](other.md#nowhere)\n"
                    "`[in code](missing.md)` [web](https://example.org/x.md)\n")
    assert _broken(page) == ["missing.md: no such file", "other.md#nowhere: no such heading"]


def test_anchors_follow_githubs_slugs():
    assert slug("The editors' desk (`/admin/`)") == "the-editors-desk-admin"
    assert slug("Delivery, retries, disabling") == "delivery-retries-disabling"
