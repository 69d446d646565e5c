"""The main text of a captured page (trafilatura), which is what watching compares."""

from __future__ import annotations

import codecs
import gzip
import re
import zlib

import trafilatura
from lxml import html as lxml_html

_SPACES = re.compile(r"[ \t\r\f\v]+")


def decoded(body: bytes, content_encoding: str) -> bytes:
    """The payload with gzip/deflate undone (as stored it is the wire's bytes)."""
    encoding = content_encoding.strip().lower()
    try:
        if encoding in {"gzip", "x-gzip"}:
            return gzip.decompress(body)
        if encoding == "deflate":
            return zlib.decompress(body)
    except (OSError, zlib.error, EOFError):
        return body  # a truncated body: compare what can be read as it is
    return body


def charset_of(content_type: str) -> str:
    """The charset a Content-Type names, if Python knows it; else UTF-8."""
    found = re.search(r"charset=[\"']?([\w.-]+)", content_type or "", re.IGNORECASE)
    if not found:
        return "utf-8"
    try:
        return codecs.lookup(found.group(1)).name
    except LookupError:
        return "utf-8"


def is_html(content_type: str) -> bool:
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    return kind in {"text/html", "application/xhtml+xml"}


def is_text(content_type: str) -> bool:
    return (content_type or "").split(";", 1)[0].strip().lower().startswith("text/")


def main_text(body: bytes, content_type: str) -> str:
    """The words a reader came for: trafilatura's main text of HTML, plain text as it is.

    Other types (PDF, images) give "": they are compared by their hash.
    Boilerplate (menus, dates in a sidebar, ads) is left out, so a page whose
    furniture moves but whose article does not is unchanged.
    """
    if not body:
        return ""
    if is_html(content_type):
        markup = body.decode(charset_of(content_type), "replace")
        extracted = trafilatura.extract(markup, include_comments=False, include_tables=True,
                                        favor_recall=True)
        if not extracted:
            # Too little for the extractor's heuristics (a short page): all its visible text.
            try:
                tree = lxml_html.fromstring(markup)
            except (ValueError, lxml_html.etree.ParserError):
                return ""
            for node in tree.xpath("//script|//style|//noscript"):
                node.drop_tree()
            extracted = tree.text_content()
        return _tidy(extracted)
    if is_text(content_type):
        return _tidy(body.decode(charset_of(content_type), "replace"))
    return ""


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
