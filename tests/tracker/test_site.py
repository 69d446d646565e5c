"""The site's own address (tracker/site.py): SITE_URL when set, else the address of PORT."""

from tests.tracker.test_settings import PRODUCTION_ENV, _manage
from tracker.site import site_url

SHOW = "from django.conf import settings; print(settings.SITE_URL, settings.CSRF_TRUSTED_ORIGINS[0])"


def test_without_site_url_the_address_follows_port():
    assert site_url(None, 8001) == "http://127.0.0.1:8001"


def test_site_url_wins_over_port_and_loses_its_trailing_slash():
    assert site_url("https://tracker.example.org/", 8001) == "https://tracker.example.org"


def test_port_8001_moves_the_settings_site_url_and_trusted_origin():
    env = {**PRODUCTION_ENV, "SITE_URL": "", "PORT": "8001"}
    shown = _manage("shell", "-v0", "-c", SHOW, env=env)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.split() == ["http://127.0.0.1:8001", "http://127.0.0.1:8001"]
