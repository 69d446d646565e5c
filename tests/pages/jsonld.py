"""Reading a page's JSON-LD as consumers do: extruct finds it, pyld expands it, offline.

pyld would fetch `https://schema.org` for the context; nothing leaves the
machine here, so its document loader serves schema.org's context from a local
copy: the one thing the real context does that matters for expansion
(`@vocab`: every term is a schema.org IRI; schema.org's vocabulary IRIs are
`http://schema.org/...`). That alone would let a misspelt property through,
so `unknown_terms` checks every expanded property and type against
schema.org's vocabulary as rdflib ships it (`rdflib.namespace.SDO`).
"""

from __future__ import annotations

import re

SCHEMA_ORG = "http://schema.org/"
# What the real https://schema.org context does for expansion (schema.org/docs/jsonldcontext.jsonld).
LOCAL_CONTEXT = {"@context": {"@vocab": SCHEMA_ORG, "schema": SCHEMA_ORG}}
SCHEMA_CONTEXT_URLS = {"https://schema.org", "https://schema.org/", "http://schema.org", "http://schema.org/",
                       "https://schema.org/docs/jsonldcontext.jsonld"}


class Offline(Exception):
    pass


def local_loader(url: str, options=None) -> dict:
    """pyld's document loader: schema.org's context from the local copy, nothing else from anywhere."""
    if url in SCHEMA_CONTEXT_URLS:
        return {"contextUrl": None, "documentUrl": url, "document": LOCAL_CONTEXT}
    raise Offline(f"No network in tests: {url}")


def blocks(html: str) -> list[str]:
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)


def extracted(html: str, url: str) -> list[dict]:
    """The JSON-LD items extruct finds in the page."""
    import extruct

    return extruct.extract(html, base_url=url, syntaxes=["json-ld"], uniform=False)["json-ld"]


def expanded(data) -> list[dict]:
    """`data` expanded by pyld with the offline loader; raises on invalid JSON-LD."""
    from pyld import jsonld

    return jsonld.expand(data, {"documentLoader": local_loader})


def _vocabulary() -> set[str]:
    from rdflib.namespace import SDO

    return set(SDO.__annotations__)


def unknown_terms(expanded_items: list) -> set[str]:
    """Properties and types of the expanded items that schema.org does not define."""
    known, unknown = _vocabulary(), set()

    def walk(node):
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "@type":
                    for name in value:
                        if not name.startswith(SCHEMA_ORG) or name[len(SCHEMA_ORG):] not in known:
                            unknown.add(name)
                elif not key.startswith("@"):
                    if not key.startswith(SCHEMA_ORG) or key[len(SCHEMA_ORG):] not in known:
                        unknown.add(key)
                    walk(value)

    walk(expanded_items)
    return unknown


def value(node: dict, name: str):
    """The first value of schema.org property `name` in an expanded node (its @value or @id)."""
    found = node[SCHEMA_ORG + name][0]
    return found.get("@value", found.get("@id", found))
