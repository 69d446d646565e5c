"""Settings for the test suite: the production settings with test-only defaults."""

import os

# A developer's var/local.env must not change what the suite tests; children
# (manage.py subprocesses) inherit this too.
os.environ["LOCAL_ENV_FILE"] = ""
os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("WEBHOOKS_ALLOW_PRIVATE_TARGETS", "0")
# Sources are captured when cited only in the tests that start a server to capture from.
os.environ.setdefault("ARCHIVE_CAPTURE_ON_CITE", "0")
os.environ.setdefault("ARCHIVE_DIR", str(__import__("pathlib").Path(__file__).resolve().parent.parent
                                         / "var" / "test-archive"))
# Tests run in transactions a listener on its own connection cannot see: the tests
# of the listener (tests/edge/test_watch.py) turn it on themselves.
os.environ.setdefault("EDGE_LATEST_LISTEN", "0")
os.environ.pop("REDIS_URL", None)  # tests that need Redis ask for it explicitly
os.environ.pop("CACHE_URL", None)

from .settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 (whitenoise warns when it is missing)
EDGE_LATEST_MEMO_SECONDS = 0.0  # every read asks Redis: tests see each other's commits at once
