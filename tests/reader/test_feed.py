"""The shape of a change-feed entry (reader.feed): the API, live and webhooks share it, byte for byte."""

import datetime as dt

import pytest
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from events import services
from reader.feed import feed_revision
from record.changes import change_feed
from record.models import Revision
from tests.factories import make_actor, make_development, make_user

pytestmark = pytest.mark.django_db


# The DRF serializer the change feed was shaped by before the reader layer, field for field.
class _Word(serializers.Serializer):
    op = serializers.CharField()
    text = serializers.CharField()


class _Change(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)
    words = _Word(many=True, allow_null=True)


class _Item(serializers.Serializer):
    type = serializers.CharField()
    id = serializers.IntegerField()
    version = serializers.IntegerField()
    changes = _Change(many=True)


class _Revision(serializers.Serializer):
    id = serializers.IntegerField(source="revision.id")
    kind = serializers.ChoiceField(choices=Revision.Kind.choices, source="revision.kind")
    message = serializers.CharField(source="revision.message")
    created_at = serializers.DateTimeField(source="revision.created_at")
    minor = serializers.BooleanField(source="revision.minor")
    leaf_index = serializers.IntegerField(source="revision.leaf_index", allow_null=True)
    author = serializers.SerializerMethodField()
    story = serializers.SerializerMethodField()
    items = _Item(many=True)

    def get_author(self, entry):
        return entry.revision.author.get_full_name() or entry.revision.author.get_username()

    def get_story(self, entry):
        link = getattr(entry.revision, "story_link", None)
        return link.story.slug if link is not None else None


def _entries(after: int):
    return change_feed(after=after, revisions=Revision.objects.select_related("story_link__story"))


def test_an_entry_renders_to_the_same_bytes_as_the_serializer_it_replaced():
    author = make_user()
    author.first_name, author.last_name = "Ana", "Editor"
    author.save()
    development = make_development(author=author)
    start = Revision.objects.latest("id").id
    services.development_update(
        development=development, author=author, base_version=development.version, message="Moved",
        changes={"title": "Shelling near Shusha", "actors": [make_actor(author=author)],
                 "occurred_at": dt.datetime(2023, 9, 20, 14, 5, tzinfo=dt.UTC)})
    make_actor(author=make_user())  # a revision of no story
    entries = _entries(start)
    assert {feed_revision(entry)["story"] for entry in entries} == {development.story.slug, None}
    for entry in entries:
        assert JSONRenderer().render(feed_revision(entry)) == JSONRenderer().render(_Revision(entry).data)


def test_an_entry_is_plain_json():
    make_development()
    entry = _entries(0)[-1]
    shaped = feed_revision(entry)
    assert type(shaped) is dict and shaped["created_at"].endswith("Z")
    assert list(shaped) == ["id", "kind", "message", "created_at", "minor", "leaf_index", "author", "story",
                            "items"]
