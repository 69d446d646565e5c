"""`manage.py capture_sources`: a backfill of cited sources, by story, or a recheck of all."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from archive.models import Capture
from tests.archive.origin import article
from tests.factories import make_claim, make_development, make_source

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("capture_sources", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def cited(origin, settings):
    settings.ARCHIVE_CAPTURE_ON_CITE = False  # cited before the archive existed: a backfill
    origin.serve("/a", article("First."))
    origin.serve("/b", article("Second."))
    first, second = make_source(url=origin.url("/a")), make_source(url=origin.url("/b"))
    claim = make_claim(sources=[first])
    make_development(sources=[second])
    make_source(url=origin.url("/uncited"))
    return claim.development.story, first, second


def test_a_backfill_captures_every_cited_source_not_archived_yet(cited):
    assert run() == "2 source(s): 2 captured.\n"
    assert run() == "0 source(s).\n"


def test_a_backfill_can_be_limited_to_one_story(cited):
    story, first, _ = cited
    assert run("--story", story.slug) == "1 source(s): 1 captured.\n"
    assert list(Capture.objects.values_list("source_id", flat=True)) == [first.pk]


def test_a_recheck_checks_archived_sources_again(cited, origin):
    run()
    origin.serve("/a", article("First, corrected."))
    assert run("--recheck") == "2 source(s): 1 changed, 1 unchanged.\n"


def test_an_unknown_story_is_a_clear_error(db):
    with pytest.raises(CommandError, match="No story with the slug 'nope'"):
        run("--story", "nope")
