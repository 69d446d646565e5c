"""Request parsing for the API: JSON whose text the database can store, nested no deeper than writes need."""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# No write nests deeper than a few levels (a claim's figures, a subscription's
# filters); a body nested far deeper would otherwise reach a RecursionError (a 500)
# in whatever walks it next.
MAX_DEPTH = 32


def _check(data: Any) -> None:
    """Refuse U+0000 in any key or text, and nesting deeper than MAX_DEPTH (walked without recursion)."""
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ParseError("Text cannot contain NUL (U+0000) characters.")
        elif isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels is refused.")
            children = [*value.keys(), *value.values()] if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)


class TextJSONParser(JSONParser):
    """JSON, refusing U+0000 anywhere (PostgreSQL text cannot hold it) and deep nesting:
    a 400 here rather than a database error or a RecursionError later."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels is refused.") from None
        _check(data)
        return data
