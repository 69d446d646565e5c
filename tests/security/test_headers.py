"""Every page, feed and API answer carries the security headers: CSP, nosniff, referrer policy, no framing."""

from __future__ import annotations

import pytest

from tests.factories import make_development

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls():
    development = make_development()
    slug, pk = development.story.slug, development.pk
    return [
        "/", f"/stories/{slug}/", f"/stories/{slug}/changes/", f"/stories/{slug}/feed.atom",
        f"/stories/{slug}/feed.json", f"/stories/{slug}/developments/{pk}/",
        f"/stories/{slug}/developments/{pk}/history/", "/subscribe/", "/admin/login/",
        "/api/developments/", "/api/docs/", "/stories/no-such-story/", "/stories/x/?as_of=garbage",
    ]


def test_every_surface_carries_the_security_headers(client, urls):
    for url in urls:
        for _ in range(2):  # the second answer comes from the page cache
            response = client.get(url)
            assert response.status_code in (200, 400, 404), url
            csp = response["Content-Security-Policy"]
            assert "default-src 'self'" in csp and "object-src 'none'" in csp, url
            assert "frame-ancestors 'none'" in csp, url
            assert response["X-Content-Type-Options"] == "nosniff", url
            assert response["Referrer-Policy"] == "same-origin", url
            assert response["X-Frame-Options"] == "DENY", url


def test_the_csp_allows_no_third_party_script_or_style(client):
    csp = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    for name in ("default-src", "script-src", "style-src", "img-src"):
        sources = directives[name].split()
        assert all(source.startswith("'") or source == "data:" for source in sources), (name, sources)


def test_the_rate_limit_page_carries_the_headers_too(client, settings):
    settings.RATE_LIMITS = {"subscribe_address": (0, 60)}
    response = client.post("/subscribe/", {"email": "a@example.org", "frequency": "daily"})
    assert response.status_code == 429
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
