"""Request parsing for the API: JSON whose text the database can store."""

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _contains_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_contains_nul(k) or _contains_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_nul(item) for item in value)
    return False


class TextJSONParser(JSONParser):
    """JSON, refusing U+0000 anywhere: PostgreSQL text cannot hold it, so it is a 400 here
    rather than a database error later (in a lookup, a filter or a save)."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if _contains_nul(data):
            raise ParseError("Text cannot contain NUL (U+0000) characters.")
        return data
