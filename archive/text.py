"""The main text of a captured page (trafilatura), which is what watching compares."""

from __future__ import annotations

import codecs
import re

import trafilatura
from lxml import html as lxml_html

from tracker import outbound

_SPACES = re.compile(r"[ \t\r\f\v]+")


def decoded(body: bytes, content_encoding: str) -> bytes:
    """The payload with gzip/deflate undone (as stored it is the wire's bytes), at most OUTBOUND_MAX_BYTES.

    A truncated or broken stream gives what could be read; a gzip bomb stops at the limit.
    """
    return outbound.decoded(body, content_encoding)[0]


# Codecs Python knows that are not a text's character set: a Content-Type
# naming them (`charset=base64`, `rot13`, `zlib`, `idna`) is read as UTF-8.
NOT_CHARSETS = {"idna", "punycode", "undefined", "unicode_escape", "raw_unicode_escape", "utf_7",
                "palmos", "mbcs", "oem"}


def charset_of(content_type: str) -> str:
    """The charset a Content-Type names, if it is a text encoding Python knows; else UTF-8."""
    found = re.search(r"charset=[\"']?([\w.-]+)", content_type or "", re.IGNORECASE)
    if not found:
        return "utf-8"
    try:
        codec = codecs.lookup(found.group(1))
    except LookupError:
        return "utf-8"
    # _is_text_encoding is False for bytes-to-bytes and str-to-str codecs (base64, hex, zlib, rot13).
    if not getattr(codec, "_is_text_encoding", True) or codec.name.replace("-", "_") in NOT_CHARSETS:
        return "utf-8"
    return codec.name


def as_text(body: bytes, content_type: str) -> str:
    """The body read in its charset (see charset_of), undecodable bytes replaced: never an error."""
    try:
        return body.decode(charset_of(content_type), "replace")
    except (UnicodeError, LookupError, TypeError):
        return body.decode("utf-8", "replace")


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
        # Runs of blanks collapsed first: the comparison ignores them anyway (_tidy), and a
        # page padded with megabytes of spaces would cost the extractor some 30 bytes each.
        markup = _SPACES.sub(" ", as_text(body, content_type))
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
        return _tidy(as_text(body, content_type))
    return ""


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)
