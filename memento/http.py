"""The words of the protocol: Accept-Datetime in, Memento-Datetime and Link out, link-format TimeMaps.

RFC 7089 dates are RFC 1123 (`Wed, 20 Sep 2023 12:00:00 GMT`), exact to the
second; the tracker's clock is exact to the microsecond. A reader who sends
back a datetime they read from us means that whole second, so Accept-Datetime
is read as the last instant of its second (`accept_datetime`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote

LINK_FORMAT = "application/link-format"


def http_datetime(moment: dt.datetime) -> str:
    """RFC 1123 in GMT: 'Wed, 20 Sep 2023 12:00:00 GMT'."""
    return format_datetime(moment.astimezone(dt.UTC).replace(microsecond=0), usegmt=True)


def accept_datetime(header: str) -> dt.datetime | None:
    """The moment an Accept-Datetime header asks for (its second's last instant), or None if unreadable.

    RFC 7089 §2.1.1 asks for RFC 1123 dates in GMT; a date without its zone is refused
    rather than guessed.
    """
    text = header.strip()
    if not text.endswith(("GMT", "UTC", "+0000")):
        return None
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment is None or moment.tzinfo is None:
        return None
    try:
        return moment.astimezone(dt.UTC) + dt.timedelta(microseconds=999_999)
    except OverflowError:
        return None


@dataclass
class Link:
    """One link of a Link header or a link-format TimeMap (RFC 8288 / RFC 6690)."""

    uri: str
    rel: str
    params: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        extra = "".join(f'; {name}="{value}"' for name, value in self.params.items())
        # A source's URL is someone else's: '<', '>', '"' and spaces would end the link early.
        uri = quote(self.uri, safe="!#$%&'()*+,/:;=?@[]~")
        return f'<{uri}>; rel="{self.rel}"{extra}'


def link_value(links: list[Link]) -> str:
    """A Link header's value."""
    return ", ".join(str(link) for link in links)


def link_format(links: list[Link]) -> str:
    """A link-format document (RFC 6690), one link a line as RFC 7089 §5.1.1 shows it."""
    return ",\n".join(str(link) for link in links) + "\n"
