"""Who may write through the API: every write operation of the OpenAPI schema, for every kind of caller.

Callers: anonymous; a reader (a logged-in non-editor, who owns a webhook
subscription); an editor; a reviewer (an editor in the reviewers group); another
user (a non-editor who owns nothing here).
The operations are read from the schema that drf-spectacular builds from the
URL conf, and the test fails when one is missing from EXPECTED: a new write
endpoint cannot ship without someone deciding who may call it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from api.common import item_etag
from digests import services
from digests.models import Subscription
from drafts import services as draft_services
from drafts.models import Draft, DraftEvent
from events.services import briefing_create
from record.models import Revision
from tests.digests.webhook_support import make_digest, make_webhook_subscription
from tests.factories import (
    make_actor,
    make_claim,
    make_development,
    make_editor,
    make_reviewer,
    make_source,
    make_user,
)

pytest_plugins = ["tests.digests.webhook_receiver"]  # the `receiver` fixture

pytestmark = pytest.mark.django_db

WRITE_METHODS = {"post", "put", "patch", "delete"}
ALLOWED = "allowed"  # a 2xx, and the write happened

# (method, path) -> the status each caller gets. "allowed" = 2xx.
_EDITORS_ONLY = {"anonymous": 401, "reader": 403, "other": 403, "editor": ALLOWED,
                 "reviewer": ALLOWED}
_REVIEWERS_ONLY = {"anonymous": 401, "reader": 403, "other": 403, "editor": 403,
                   "reviewer": ALLOWED}
_OWNER_ONLY = {"anonymous": 401, "reader": ALLOWED, "other": 404, "editor": 404, "reviewer": 404}
_ANY_USER = {"anonymous": 401, "reader": ALLOWED, "other": ALLOWED, "editor": ALLOWED,
             "reviewer": ALLOWED}
EXPECTED = {
    ("POST", "/api/developments/"): _EDITORS_ONLY,
    ("PATCH", "/api/developments/{id}/"): _EDITORS_ONLY,
    ("POST", "/api/developments/{id}/retract/"): _EDITORS_ONLY,
    ("POST", "/api/claims/"): _EDITORS_ONLY,
    ("PATCH", "/api/claims/{id}/"): _EDITORS_ONLY,
    ("POST", "/api/claims/{id}/retract/"): _EDITORS_ONLY,
    ("POST", "/api/briefings/"): _EDITORS_ONLY,
    ("PATCH", "/api/briefings/{id}/"): _EDITORS_ONLY,
    ("DELETE", "/api/drafts/{id}/"): _EDITORS_ONLY,
    ("POST", "/api/drafts/{id}/submit/"): _EDITORS_ONLY,
    ("POST", "/api/drafts/{id}/schedule/"): _EDITORS_ONLY,
    ("POST", "/api/drafts/{id}/publish/"): _EDITORS_ONLY,
    ("POST", "/api/drafts/{id}/approve/"): _REVIEWERS_ONLY,
    ("POST", "/api/drafts/{id}/send-back/"): _REVIEWERS_ONLY,
    ("POST", "/api/actors/"): _EDITORS_ONLY,
    ("PATCH", "/api/actors/{id}/"): _EDITORS_ONLY,
    ("POST", "/api/sources/"): _EDITORS_ONLY,
    ("PATCH", "/api/sources/{id}/"): _EDITORS_ONLY,
    ("POST", "/api/subscriptions/"): _ANY_USER,
    ("DELETE", "/api/subscriptions/{id}/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/pause/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/resume/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/rotate-secret/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/test/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/redeliver/"): _OWNER_ONLY,
    ("POST", "/api/subscriptions/{id}/deliveries/{digest_id}/redeliver/"): _OWNER_ONLY,
}
CALLERS = ["anonymous", "reader", "other", "editor", "reviewer"]
# Read-only and open to anyone, signed in or not: the public transparency log.
PUBLIC_READS = {
    "/api/log/checkpoint", "/api/log/key", "/api/log/leaves/", "/api/log/leaves/{index}",
    "/api/log/proof/inclusion", "/api/log/proof/consistency",
}


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def schema_writes() -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, operations in _schema()["paths"].items()
            for method in operations if method in WRITE_METHODS}


def test_every_write_operation_in_the_schema_has_an_expected_row():
    assert schema_writes() == set(EXPECTED)


def test_the_public_log_is_read_only_and_open_to_every_caller(world):
    from publiclog.checkpoints import publish_checkpoint

    log_paths = {path for path in _schema()["paths"] if path.startswith("/api/log/")}
    assert log_paths == PUBLIC_READS
    assert not {path for _, path in schema_writes()} & PUBLIC_READS
    size = publish_checkpoint().size
    queries = {"/api/log/leaves/": f"?start=0&end={size}",
               "/api/log/proof/inclusion": f"?index=0&size={size}",
               "/api/log/proof/consistency": f"?from={size}&to={size}"}
    for caller in CALLERS:
        client = _client(world["users"][caller])
        for path in sorted(PUBLIC_READS):
            url = path.format(index=0) + queries.get(path, "")
            assert client.get(url).status_code == 200, (caller, url)


def test_no_verb_outside_the_schema_writes_anything(editor):
    """PUT, DELETE and friends that the schema does not list are 405 even for an editor."""
    client = _client(editor)
    development = make_development(author=editor)
    ids = {"id": development.pk, "slug": development.story.slug, "digest_id": 1, "index": 0}
    writes, revisions = schema_writes(), Revision.objects.count()
    for path in _schema()["paths"]:
        url = path.format(**ids)
        for method in WRITE_METHODS:
            if (method.upper(), path) in writes:
                continue
            response = getattr(client, method)(url, {}, format="json")
            assert response.status_code == 405, (method, url, response.status_code)
    assert Revision.objects.count() == revisions


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def world(receiver):
    """An editor, a reviewer, a reader who owns a webhook subscription with one digest, another
    user, and an editor's draft (submitted for review where the path reviews it)."""
    editor, reader, other, reviewer = make_editor(), make_user(), make_user(), make_reviewer()
    development = make_development(author=editor)
    draft = draft_services.draft_create(
        author=editor, item_type="events.development", item=development, message="Retitled",
        values={"title": "Retitled"})
    claim = make_claim(development=development, author=editor)
    subscription, _ = make_webhook_subscription(receiver.url, owner=reader)
    digest = make_digest(subscription)
    return {
        "users": {"anonymous": None, "reader": reader, "other": other, "editor": editor,
                  "reviewer": reviewer},
        "development": development, "draft": draft,
        "briefing": briefing_create(author=editor, story=development.story, message="Pinned",
                                    text="Shelling reported."),
        "claim": claim, "actor": make_actor(author=editor),
        "subscription": subscription, "digest": digest, "receiver": receiver,
        "source": make_source(author=editor),
    }


def _request(world, method: str, path: str):
    """A request the owner or an editor would make for real: valid body and If-Match."""
    development, claim, subscription = world["development"], world["claim"], world["subscription"]
    item = {"/api/claims/": claim, "/api/briefings/": world["briefing"], "/api/drafts/": world["draft"],
            "/api/actors/": world["actor"], "/api/sources/": world["source"],
            }.get(path[:path.index("/", 5) + 1], development)
    url = path.format(id=subscription.pk if path.startswith("/api/subscriptions/") else item.pk,
                      digest_id=world["digest"].pk)
    headers = {"HTTP_IF_MATCH": item_etag(item) if item is not world["draft"] else ""}
    body: dict = {}
    if path.endswith(("/approve/", "/send-back/")):  # a reviewer acts on a submitted draft
        draft_services.draft_submit(draft=world["draft"], user=world["users"]["editor"])
    if (method, path) == ("POST", "/api/developments/"):
        body = {"story": development.story.slug, "title": "Talks in Yevlakh", "kind": "negotiation",
                "occurred_at": "2023-09-21T10:00:00Z", "message": "Reported by several outlets"}
    elif (method, path) == ("POST", "/api/claims/"):
        body = {"development": development.pk, "actor": world["actor"].pk, "made_on": "2023-09-21",
                "paraphrase": "Talks were constructive", "message": "New claim"}
    elif (method, path) == ("POST", "/api/briefings/"):
        body = {"story": make_development(author=world["users"]["editor"]).story.slug,
                "text": "Talks began.", "message": "Pinned"}
    elif (method, path) == ("POST", "/api/actors/"):
        body = {"name": "Ministry of Defence", "kind": "ministry", "message": "New actor"}
    elif (method, path) == ("POST", "/api/sources/"):
        body = {"outlet": "Example News", "title": "Report", "message": "New source"}
    elif method == "PATCH":
        field = {"claim": "paraphrase", "actor": "name", "source": "title", "briefing": "text"}.get(
            item._meta.model_name, "title")
        body = {"message": "Tighter wording", "kind": "update", field: "Reworded"}
    elif path.endswith("/send-back/"):
        body = {"comment": "Name the source"}
    elif path.endswith("/schedule/"):
        body = {"publish_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()}
    elif path.endswith("/retract/"):
        body = {"reason": "Could not be confirmed"}
    elif path == "/api/subscriptions/":
        body = {"channel": "webhook", "url": world["receiver"].url, "frequency": "daily"}
    elif path.endswith("/redeliver/") and "{digest_id}" not in path:
        body = {"digest": world["digest"].pk}
    elif path.endswith("/resume/"):  # resuming an active subscription would change nothing
        services.subscription_pause(subscription=subscription)
    return url, body, headers


def _footprint(world) -> tuple:
    """Everything a write could change."""
    subscription = Subscription.objects.get(pk=world["subscription"].pk)
    return (Revision.objects.count(), Subscription.objects.count(), subscription.secret,
            subscription.active, subscription.deleted_at, world["receiver"].count(),
            DraftEvent.objects.count(), tuple(Draft.objects.values_list("state", "publish_at")))


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize(("method", "path"), sorted(EXPECTED))
def test_write_permission_matrix(world, method, path, caller):
    url, body, headers = _request(world, method, path)
    before = _footprint(world)
    response = getattr(_client(world["users"][caller]), method.lower())(url, body, format="json", **headers)
    expected = EXPECTED[(method, path)][caller]
    if expected == ALLOWED:
        assert 200 <= response.status_code < 300, (response.status_code, response.content[:500])
        assert _footprint(world) != before, "an allowed write left no trace"
    else:
        assert response.status_code == expected, (response.status_code, response.content[:500])
        assert _footprint(world) == before, "a refused write changed something"


@pytest.mark.parametrize("caller", ["reader", "other"])
def test_a_logged_in_session_without_the_editor_role_cannot_write_either(client, world, caller):
    # Session auth (the admin's cookie) must not be a side door: CSRF and the role both apply.
    client.force_login(world["users"][caller])
    url, body, headers = _request(world, "PATCH", "/api/developments/{id}/")
    response = client.patch(url, body, content_type="application/json", **headers)
    assert response.status_code == 403
    assert Revision.objects.count() == _footprint(world)[0]


def test_a_revoked_token_is_refused(world):
    editor = world["users"]["editor"]
    client = _client(editor)
    Token.objects.filter(user=editor).delete()
    url, body, headers = _request(world, "POST", "/api/developments/")
    assert client.post(url, body, format="json", **headers).status_code == 401


def test_a_deactivated_editors_token_is_refused(world):
    editor = world["users"]["editor"]
    client = _client(editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    url, body, headers = _request(world, "POST", "/api/developments/")
    assert client.post(url, body, format="json", **headers).status_code == 401


def test_a_token_for_another_users_subscription_does_not_reveal_it_exists(world):
    other = _client(world["users"]["other"])
    subscription = world["subscription"]
    missing = f"/api/subscriptions/{subscription.pk + 1000}/"
    assert other.get(f"/api/subscriptions/{subscription.pk}/").status_code == 404
    assert other.get(f"/api/subscriptions/{subscription.pk}/deliveries/").status_code == 404
    assert other.get(missing).status_code == 404
    assert subscription.url not in other.get("/api/subscriptions/").content.decode()


def test_editors_writes_are_still_dated_by_the_server(world):
    # An author cannot backdate a revision through the API: created_at is not writable.
    url, body, headers = _request(world, "POST", "/api/developments/")
    body["created_at"] = "2001-01-01T00:00:00Z"
    response = _client(world["users"]["editor"]).post(url, body, format="json", **headers)
    assert response.status_code == 201
    assert Revision.objects.latest("id").created_at.date() > dt.date(2001, 1, 1)
