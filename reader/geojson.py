"""Developments as GeoJSON (RFC 7946): one Point feature per development that has coordinates.

RFC 7946 rules kept here: a FeatureCollection of Features, each with a
`geometry` and `properties` member; positions are [longitude, latitude]
(§3.1.1), in WGS 84 with no `crs` member (§4); no more than six decimals
(about 10 cm, §11.2). When a development happened is given no more precisely
than known (reader.dates), as on every other surface.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .dates import occurred_iso, occurred_text
from .links import absolute, development_url
from .text import place_text

MEDIA_TYPE = "application/geo+json"


def _position(value: float) -> float:
    return round(value, 6)


def development_feature(development, url: str) -> dict[str, Any] | None:
    """One development (current row or history row) as a Feature; None without coordinates."""
    if development.latitude is None or development.longitude is None:
        return None
    model = getattr(development, "instance_type", type(development))
    kinds = dict(model._meta.get_field("kind").flatchoices)
    return {
        "type": "Feature",
        "id": development.id,
        "geometry": {"type": "Point",
                     "coordinates": [_position(development.longitude), _position(development.latitude)]},
        "properties": {
            "title": development.title,
            "kind": development.kind,
            "kind_label": str(kinds.get(development.kind, development.kind)),
            "occurred": occurred_iso(development.occurred_at, development.occurred_precision),
            "occurred_text": occurred_text(development),
            "occurred_precision": development.occurred_precision,
            "ended": occurred_iso(development.ended_at, development.occurred_precision) or None,
            "geo_precision": development.geo_precision or None,
            "place": place_text(development),
            "admin1": development.admin1,
            "country": development.country,
            "status": development.status,
            "external_id": development.external_id or None,
            "version": development.version,
            "url": url,
        },
    }


def feature_collection(developments: Iterable, *, slug: str) -> dict[str, Any]:
    """The developments of story `slug` with coordinates, in the order given (timeline order)."""
    features = [development_feature(d, absolute(development_url(slug, d.id))) for d in developments]
    return {"type": "FeatureCollection", "features": [f for f in features if f is not None]}
