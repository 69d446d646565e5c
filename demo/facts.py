"""The demo story's cast and setting: its actors, the statements it cites, and its places."""

from __future__ import annotations

import datetime as dt

from events.models import Actor, Development

# Who the story names; an `affiliation` is another key of ACTORS, created before it.
ACTORS: dict[str, dict] = {
    "azerbaijan_gov": {"name": "Government of Azerbaijan", "kind": Actor.Kind.GOVERNMENT},
    "aliyev": {"name": "Ilham Aliyev", "kind": Actor.Kind.PERSON,
               "role": "President of Azerbaijan", "affiliation": "azerbaijan_gov"},
    "azerbaijan_mod": {"name": "Ministry of Defence of Azerbaijan", "kind": Actor.Kind.MINISTRY,
                       "affiliation": "azerbaijan_gov"},
    "armenia": {"name": "Government of Armenia", "kind": Actor.Kind.GOVERNMENT},
    "grigoryan": {"name": "Armen Grigoryan", "kind": Actor.Kind.PERSON,
                  "role": "Secretary of Armenia's Security Council", "affiliation": "armenia"},
    "separatists": {"name": "Karabakh Armenian leadership", "kind": Actor.Kind.ARMED_GROUP,
                    "role": "Ethnic Armenian separatist authorities in Karabakh"},
    "shahramanyan": {"name": "Samvel Shahramanyan", "kind": Actor.Kind.PERSON,
                     "role": "Separatist leader", "affiliation": "separatists"},
    "babayan": {"name": "David Babayan", "kind": Actor.Kind.PERSON,
                "role": "Aide to Samvel Shahramanyan", "affiliation": "shahramanyan"},
    "kremlin": {"name": "The Kremlin", "kind": Actor.Kind.GOVERNMENT,
                "role": "Russian presidential administration"},
    "putin": {"name": "Vladimir Putin", "kind": Actor.Kind.PERSON,
              "role": "President of Russia", "affiliation": "kremlin"},
    "peskov": {"name": "Dmitry Peskov", "kind": Actor.Kind.PERSON,
               "role": "Kremlin spokesman", "affiliation": "kremlin"},
    "peacekeepers": {"name": "Russian peacekeeping contingent", "kind": Actor.Kind.MILITARY},
    "state_department": {"name": "US State Department", "kind": Actor.Kind.MINISTRY,
                         "role": "Foreign ministry of the United States"},
}


# The statements the facts first came from, each published on its own day. Named by
# who published them and what they said, with no URL: the demo invents no address.
SOURCES: dict[str, dict] = {
    "mod_statement": {
        "outlet": "Ministry of Defence of Azerbaijan",
        "title": "Statement announcing 'local anti-terrorist measures' in Karabakh",
        "published_on": dt.date(2023, 9, 19)},
    "ombudsman_19": {
        "outlet": "Human rights ombudsman of the Karabakh Armenian authorities",
        "title": "First casualty figures of the Azerbaijani offensive",
        "published_on": dt.date(2023, 9, 19)},
    "ceasefire_statement": {
        "outlet": "Karabakh Armenian leadership",
        "title": "Statement on the cessation of hostilities, agreed through Russia's peacekeepers",
        "published_on": dt.date(2023, 9, 20)},
    "kremlin_readout": {
        "outlet": "The Kremlin",
        "title": "Telephone conversation with President of Azerbaijan Ilham Aliyev",
        "published_on": dt.date(2023, 9, 21)},
}

# Where things happened, as exact as is honest (ACLED's precisions): a city the event
# took place in is exact; "Karabakh" is the region, its point the region's main town,
# Stepanakert (Khankendi to Azerbaijan); the fighting ran along the former line of
# contact, its point near Aghdam; Aliyev's televised address was given near Baku.
_REGION, _NEAR, _EXACT = (Development.GeoPrecision.REGION, Development.GeoPrecision.NEAR,
                          Development.GeoPrecision.EXACT)
PLACES: dict[str, dict] = {
    "line of contact": {"location": "Along the former line of contact, Karabakh",
                        "latitude": 39.99, "longitude": 46.93, "geo_precision": _REGION,
                        "admin1": "Karabakh", "country": "AZ"},
    "Karabakh": {"location": "Karabakh", "latitude": 39.8153, "longitude": 46.7519,
                 "geo_precision": _REGION, "admin1": "Karabakh", "country": "AZ"},
    "Baku": {"location": "Baku, Azerbaijan", "latitude": 40.4093, "longitude": 49.8671,
             "geo_precision": _NEAR, "admin1": "Baku", "country": "AZ"},
    "Yevlakh": {"location": "Yevlakh, Azerbaijan", "latitude": 40.6183, "longitude": 47.1500,
                "geo_precision": _EXACT, "admin1": "Yevlakh", "country": "AZ"},
}
