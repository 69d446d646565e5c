"""`make run` on the embedded default (SQLite, no Redis) runs every scheduled job and links to its own PORT.

One server is started the way `make run` starts it (scripts/run.sh, a fresh
SQLite database, a free PORT, its own var/) and stopped the way a user stops
it (Ctrl-C: SIGINT to the whole process group).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port
from tests.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
CHECKPOINT_SECONDS = 3
DEMO_STORY = "karabakh-2023"
# Variables of the test process that must not reach the server: a new user's shell has none.
LEAKS = {"DEBUG", "SECRET_KEY", "LOCAL_ENV_FILE", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "CACHE_URL",
         "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL", "SITE_URL", "PORT",
         "CELERY_LOCAL_BROKER_DIR", "LOG_SIGNING_KEY", "LOG_SIGNING_KEY_FILE", "EDGE_PURGE_URLS",
         "GRIP_URL", "GRIP_SIG_KEY"}


class Served:
    def __init__(self, var: Path, port: int, env: dict[str, str]):
        self.var, self.port, self.env = var, port, env
        self.output = var / "make-run.log"
        self.process: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None):
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
            return response.status, dict(response.headers), response.read()

    def answers(self) -> bool:
        try:
            return self.get("/")[0] == 200
        except OSError:
            return False

    def manage(self, code: str) -> str:
        """Run Python in `manage.py shell` against the server's database (tasks eager there)."""
        # The same local env file and the signing key scripts/run.sh made.
        env = {**self.env, "LOG_SIGNING_KEY_FILE": str(self.var / "log-signing.key")}
        done = subprocess.run([sys.executable, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def checkpoint_size(self) -> int:
        return int(self.get("/api/log/checkpoint")[2].decode().splitlines()[1])

    def log(self) -> str:
        return self.output.read_text(errors="replace")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    var = tmp_path_factory.mktemp("make-run")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    env.update({
        "PORT": str(port), "VAR_DIR": str(var), "LOCAL_ENV_FILE": str(var / "local.env"),
        "DATABASE_URL": f"sqlite:///{var / 'tracker.sqlite3'}",
        "LOG_CHECKPOINT_SECONDS": str(CHECKPOINT_SECONDS), "DRAFTS_PUBLISH_SECONDS": "1",
        "ARCHIVE_CAPTURE_ON_CITE": "0",  # the demo's sources are on the internet; tests stay off it
    })
    server = Served(var, port, env)
    with server.output.open("wb") as output:
        server.process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=output,
                                          stderr=subprocess.STDOUT, start_new_session=True)
    try:
        wait_for(lambda: server.answers() or server.process.poll() is not None, timeout=240, interval=0.5)
        assert server.process.poll() is None, server.log()
        yield server
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGINT)  # what Ctrl-C sends
            try:
                server.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.process.pid, signal.SIGKILL)
                raise


def _editor_token(served: Served) -> str:
    return served.manage(
        "from django.contrib.auth.models import User; from rest_framework.authtoken.models import Token;"
        "print(Token.objects.get_or_create(user=User.objects.get(username='editor'))[0].key)")


def _a_demo_development(served: Served) -> int:
    return json.loads(served.get(f"/api/developments/?story={DEMO_STORY}")[2])["results"][0]["id"]


def _edit_title(served: Served, development_id: int, title: str) -> None:
    url = f"/api/developments/{development_id}/"
    etag = served.get(url)[1]["ETag"]
    request = urllib.request.Request(
        served.base + url, method="PATCH", data=json.dumps({"title": title, "message": "Retitled"}).encode(),
        headers={"Authorization": f"Token {_editor_token(served)}", "If-Match": etag,
                 "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (our own server)
        assert response.status == 200


def _title(served: Served, development_id: int) -> str:
    return json.loads(served.get(f"/api/developments/{development_id}/")[2])["title"]


def test_make_run_prints_the_login_at_its_own_port(served):
    assert f"Editor login: {served.base}/admin/" in served.log()


def test_make_run_feeds_link_to_its_own_port(served):
    atom = served.get(f"/stories/{DEMO_STORY}/feed.atom")[2].decode()
    feed = json.loads(served.get(f"/stories/{DEMO_STORY}/feed.json")[2])
    assert f'href="{served.base}/stories/{DEMO_STORY}/"' in atom
    assert ":8000" not in atom
    assert feed["feed_url"] == f"{served.base}/stories/{DEMO_STORY}/feed.json"


def test_make_run_signs_a_new_checkpoint_within_log_checkpoint_seconds_of_an_edit(served):
    development = _a_demo_development(served)
    before = served.checkpoint_size()
    _edit_title(served, development, "Retitled through the API")
    # Beat's period, plus the worker's turn: it lists the broker folder every 0.2 s.
    wait_for(lambda: served.checkpoint_size() > before, timeout=CHECKPOINT_SECONDS + 1.5, interval=0.1)


def test_make_run_publishes_a_due_scheduled_draft(served):
    development = _a_demo_development(served)
    draft = served.manage(
        "import datetime as dt; from django.contrib.auth.models import User;"
        "from django.utils import timezone;"
        "from events.models import Development; from drafts import services as s;"
        "editor = User.objects.get(username='editor');"
        f"item = Development.objects.get(pk={development});"
        "draft = s.draft_create(author=editor, item_type='events.development', item=item,"
        " values={'title': 'Published on schedule'}, message='Scheduled retitle');"
        "s.draft_schedule(draft=draft, user=editor, publish_at=timezone.now() + dt.timedelta(seconds=2));"
        "print(draft.pk)")
    assert draft.isdigit()
    wait_for(lambda: _title(served, development) == "Published on schedule", timeout=20, interval=0.2)


def test_make_run_without_a_broker_server_prints_no_kombu_hostname_warning(served):
    _edit_title(served, _a_demo_development(served), "Retitled once more")
    wait_for(lambda: "publiclog.tasks.publish_checkpoint" in served.log(), timeout=10)
    assert "No hostname was supplied" not in served.log()


def test_ctrl_c_stops_the_web_server_worker_and_beat(tmp_path):
    # A server of its own: stopping the module's would end the other tests.
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in LEAKS}
    env.update({"PORT": str(port), "VAR_DIR": str(tmp_path), "LOCAL_ENV_FILE": str(tmp_path / "local.env"),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'tracker.sqlite3'}", "ARCHIVE_CAPTURE_ON_CITE": "0"})
    server = Served(tmp_path, port, env)
    with server.output.open("wb") as output:
        process = subprocess.Popen(["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    wait_for(lambda: "celery@" in server.log() and server.answers(), timeout=240, interval=0.5)
    os.killpg(process.pid, signal.SIGINT)
    process.wait(timeout=60)

    def group_is_gone() -> bool:
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return True
        return False

    wait_for(group_is_gone, timeout=30, interval=0.2)
