"""The reader layer: how a stored value reads, where it lives, how it is shaped and revalidated.

It sits between the domains (events, claims, drafts, archive, interchange) and
the surfaces (pages, api, desk, digests, live, edge): every surface takes its
reader text (`text`, `dates`), its links (`links`), its change-feed entry
(`feed`), its GeoJSON (`geojson`), its conditional GET (`conditional`) and its
request numbers (`numbers`) from here, and no domain imports it.
"""
