"""A tiny reader of Link headers and link-format TimeMaps (RFC 8288 / RFC 6690), for the tests.

Strict on purpose: a link that does not parse fails the test instead of being skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINK = re.compile(r'\s*<([^>]*)>((?:\s*;\s*[a-zA-Z*-]+\s*=\s*(?:"[^"]*"|[^;,"\s]+))*)\s*(?:,|$)')
_PARAM = re.compile(r';\s*([a-zA-Z*-]+)\s*=\s*(?:"([^"]*)"|([^;,"\s]+))')


@dataclass
class ParsedLink:
    uri: str
    params: dict[str, str]

    @property
    def rels(self) -> set[str]:
        return set(self.params.get("rel", "").split())


def parse_links(text: str) -> list[ParsedLink]:
    links, position, text = [], 0, text.strip()
    while position < len(text):
        match = _LINK.match(text, position)
        assert match, f"not link-format at {position}: {text[position:position + 60]!r}"
        params = {name.lower(): quoted if quoted is not None and quoted != "" or bare is None else bare
                  for name, quoted, bare in _PARAM.findall(match.group(2))}
        links.append(ParsedLink(match.group(1), params))
        position = match.end()
    return links


def with_rel(links: list[ParsedLink], rel: str) -> list[ParsedLink]:
    """The links whose rel names `rel` (a rel value holds space-separated names)."""
    return [link for link in links if rel in link.rels]


def only(links: list[ParsedLink], rel: str) -> ParsedLink:
    found = with_rel(links, rel)
    assert len(found) == 1, (rel, links)
    return found[0]
