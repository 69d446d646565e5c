"""A readable sample: the demo story's digest for 20-21 September, written to var/digests/."""

import datetime as dt

import pytest
from django.conf import settings

from digests.builder import build_window
from digests.email import digest_message
from digests.models import Digest
from record.selectors import revision_at
from tests.digests.helpers import make_subscription


@pytest.mark.django_db
def test_it_renders_the_demo_storys_digest_for_20_to_21_september(demo_story):
    # As known at the end of 20 September, then at the end of 21 September.
    after = revision_at(dt.datetime(2023, 9, 20, 23, 59, tzinfo=dt.UTC))
    upto = revision_at(dt.datetime(2023, 9, 21, 23, 59, tzinfo=dt.UTC))
    subscription = make_subscription(demo_story)
    digest = Digest.objects.create(subscription=subscription, after=after, upto=upto,
                                   content=build_window(after, upto, story_ids=[demo_story.pk]))

    message = digest_message(digest).message()
    html = digest_message(digest).alternatives[0][0]

    out = settings.VAR_DIR / "digests"
    out.mkdir(parents=True, exist_ok=True)
    (out / "sample.eml").write_bytes(message.as_bytes())
    (out / "sample.html").write_text(html, encoding="utf-8")
    text = message.get_payload()[0].get_payload(decode=True).decode()
    assert "-- New developments --" in text
    assert "Azerbaijani officials and Karabakh Armenian leaders meet in Yevlakh" in text
    assert "After:  Russian peacekeeping contingent" in text
    assert text.index("-- Updated developments") < text.index("-- New claims")
    assert "Verification: Disputed" in text
    assert "<del" in html and "<ins" in html
