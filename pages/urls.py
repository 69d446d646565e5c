"""Public pages of stories and developments (DESIGN.md "Public contracts")."""

from django.urls import path

from . import archive, maps, oembed, search, views

app_name = "pages"

story = "stories/<slug:slug>/"
development = story + "developments/<id:pk>/"  # reader.numbers: a bounded id
claim = story + "claims/<id:pk>/"

urlpatterns = [
    path("", views.story_list, name="story_list"),
    path(story, views.story_detail, name="story"),
    path(story + "changes/", views.story_changes, name="story_changes"),
    path(story + "feed.atom", views.story_atom, name="story_atom"),
    path(story + "feed.json", views.story_json_feed, name="story_json_feed"),
    path(story + "timeline.json", views.story_timelinejs, name="story_timelinejs"),
    path(story + "developments.geojson", views.story_geojson, name="story_geojson"),
    path(story + "map/", maps.story_map, name="story_map"),
    path(development, views.development_detail, name="development"),
    path(development + "history/", views.development_history, name="development_history"),
    path(development + "diff/", views.development_diff, name="development_diff"),
    path(development + "figures/<slug:key>/", views.figure_chart, name="figure_chart"),
    path(claim, views.claim_detail, name="claim"),
    path(claim + "history/", views.claim_history, name="claim_history"),
    path(claim + "diff/", views.claim_diff, name="claim_diff"),
    path("search/", search.search_page, name="search"),
    path("search/feed.atom", search.search_atom, name="search_atom"),
    path("sources/<id:pk>/archive/", archive.source_archive, name="source_archive"),
    path("sources/<id:pk>/archive/copy/", archive.source_archive_copy, name="source_archive_copy"),
    path("sources/<id:pk>/archive.warc.gz", archive.source_warc, name="source_warc"),
    # oEmbed, and the cards its answers frame: the only pages other sites may frame.
    path("oembed", oembed.oembed, name="oembed"),
    path("embed/" + development, oembed.embed_development, name="embed_development"),
    path("embed/" + claim, oembed.embed_claim, name="embed_claim"),
]
