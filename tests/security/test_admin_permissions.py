"""Who reaches the desk: every named admin URL, for anonymous visitors, readers, API users, staff and editors.

The URLs are read from the URL conf (the `admin` namespace), and the test
fails when one is missing from the expectations below: a new admin page or
ModelAdmin cannot ship without someone deciding who may open it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from digests.models import DeliveryAttempt, Subscription
from drafts.services import draft_create
from events.services import briefing_create
from record.models import Revision
from tests.digests.helpers import make_subscription
from tests.digests.webhook_support import make_digest
from tests.factories import make_claim, make_development, make_editor, make_source, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"

# The editors' desk: every page but delete (nothing is ever deleted).
DESK = {
    "events_story": ["changelist", "add", "change", "history", "diff", "restore"],
    "events_development": ["changelist", "add", "change", "history", "diff", "restore", "retract"],
    "events_actor": ["changelist", "add", "change", "history", "diff", "restore"],
    "events_source": ["changelist", "add", "change", "history", "diff", "restore"],
    "claims_claim": ["changelist", "add", "change", "history", "diff", "restore", "retract"],
    "events_briefing": ["changelist", "add", "change", "history", "diff", "restore"],
}
# Drafts: listed and reviewed in the desk; saved from the items' own forms, never deleted;
# a step (submit, approve, ...) is a POST only.
DRAFTS = {"drafts_draft_changelist": 200, "drafts_draft_change": 200, "drafts_draft_history": 200,
          "drafts_draft_add": 403, "drafts_draft_delete": 403, "drafts_draft_step": 405,
          "drafts_draft_preview": 200}  # the draft shown in the public page's layout, to editors only
# Editors may read the revision log; nothing else that is not theirs.
REVISION_LOG = {"record_revision_changelist": 200, "record_revision_change": 200,
                "record_revision_history": 200, "record_revision_add": 403, "record_revision_delete": 403}
NOT_FOR_EDITORS = [
    *(f"auth_user_{page}"
      for page in ("changelist", "add", "change", "history", "delete", "password_change")),
    *(f"auth_group_{page}" for page in ("changelist", "add", "change", "history", "delete")),
    *(f"authtoken_tokenproxy_{page}" for page in ("changelist", "add", "change", "history", "delete")),
    *(f"digests_{model}_{page}" for model in ("subscription", "digest", "deliveryattempt")
      for page in ("changelist", "add", "change", "history", "delete")),
    "digests_subscription_preview",
]
SITE_PAGES = {"index": 200, "login": 302, "logout": 405, "password_change": 200,
              "password_change_done": 200, "jsi18n": 200, "autocomplete": 403, "view_on_site": 302}
APP_LISTS = {"app_list:events": 200, "app_list:claims": 200, "app_list:drafts": 200,
             "app_list:auth": 404,
             "app_list:authtoken": 404, "app_list:digests": 404}


def editor_expectations() -> dict[str, int]:
    expected = {**SITE_PAGES, **APP_LISTS, **REVISION_LOG, **DRAFTS}
    for prefix, pages in DESK.items():
        expected.update({f"{prefix}_{page}": 200 for page in pages})
        expected[f"{prefix}_delete"] = 403
    expected.update(dict.fromkeys(NOT_FOR_EDITORS, 403))
    return expected


def staff_expectations() -> dict[str, int]:
    """Staff without the editors role: the desk's front door, and no further."""
    expected = dict.fromkeys(editor_expectations(), 403)
    expected.update({**SITE_PAGES, **dict.fromkeys(APP_LISTS, 404)})
    return expected


def admin_url_names() -> set[str]:
    names = set()

    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and namespace == "admin" and pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    return names


def test_every_admin_url_has_an_expectation():
    named = {name.split(":")[0] for name in editor_expectations()}
    assert admin_url_names() == named


@pytest.fixture
def desk_world():
    editor = make_editor()
    development = make_development(author=editor)
    claim = make_claim(development=development, author=editor)
    subscription = make_subscription(development.story)
    digest = make_digest(subscription, upto=99)
    attempt = DeliveryAttempt.objects.create(digest=digest, succeeded=True, status_code=200)
    token = Token.objects.create(user=make_user())
    objects = {
        "events_story": development.story, "events_development": development,
        "record_revision": Revision.objects.first(), "events_actor": claim.actor,
        "events_source": make_source(author=editor), "claims_claim": claim,
        "auth_user": editor, "auth_group": editor.groups.first(), "authtoken_tokenproxy": token,
        "digests_subscription": subscription, "digests_digest": digest,
        "digests_deliveryattempt": attempt,
        "events_briefing": briefing_create(author=editor, story=development.story,
                                           message="Pinned", text="Shelling reported."),
        "drafts_draft": draft_create(author=editor, item_type="events.development",
                                     item=development, message="Retitled",
                                     values={"title": "Retitled"}),
    }
    return {"editor": editor, "objects": objects, "development": development}


def url_for(name: str, world) -> str:
    if name.startswith("app_list:"):
        return reverse("admin:app_list", kwargs={"app_label": name.split(":")[1]})
    if name == "view_on_site":
        development = world["development"]
        return reverse("admin:view_on_site",
                       args=[ContentType.objects.get_for_model(development).pk, development.pk])
    if name == "auth_user_password_change":
        return reverse("admin:auth_user_password_change", args=[world["editor"].pk])
    if name == "drafts_draft_step":
        return reverse("admin:drafts_draft_step", args=[world["objects"]["drafts_draft"].pk, "submit"])
    if name == "digests_subscription_preview":
        subscription = world["objects"]["digests_subscription"]
        return reverse("admin:digests_subscription_preview", args=[subscription.pk])
    prefix, _, page = name.rpartition("_")
    if prefix not in world["objects"]:
        return reverse(f"admin:{name}")
    obj = world["objects"][prefix]
    object_id = obj.user_id if prefix == "authtoken_tokenproxy" else obj.pk
    if page in ("changelist", "add"):
        return reverse(f"admin:{name}")
    if page == "restore":
        return reverse(f"admin:{name}", args=[object_id, 1])
    url = reverse(f"admin:{name}", args=[object_id])
    return url + "?from=1&to=1" if page == "diff" else url


@pytest.mark.parametrize("name", sorted(editor_expectations()))
def test_an_editor_opens_the_desk_and_only_the_desk(client, desk_world, name):
    client.force_login(desk_world["editor"])
    response = client.get(url_for(name, desk_world))
    assert response.status_code == editor_expectations()[name], name


@pytest.mark.parametrize("name", sorted(staff_expectations()))
def test_staff_without_the_editors_role_see_nothing_of_the_desk(client, desk_world, name):
    client.force_login(make_user(is_staff=True))
    response = client.get(url_for(name, desk_world))
    assert response.status_code == staff_expectations()[name], name


def _outsider(kind: str, client):
    """A client for someone who must never get past the login page."""
    if kind == "reader":
        client.force_login(make_user())
    elif kind == "api_user":  # an editor's API token is not a desk session
        token = Token.objects.create(user=make_editor())
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    return client


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("kind", ["anonymous", "reader", "api_user"])
def test_anonymous_readers_and_api_users_are_sent_to_the_login_page(client, desk_world, kind, method):
    client = _outsider(kind, client)
    revisions = Revision.objects.count()
    subscriptions = Subscription.objects.count()
    for name in sorted(editor_expectations()):
        if name == "login":
            continue
        url = url_for(name, desk_world)
        data = {"title": "<b>hijacked</b>", "change_message": "x", "reason": "x", "base_version": "1"}
        response = getattr(client, method)(url, data if method == "post" else None)
        assert response.status_code == 302, (name, response.status_code)
        location = urlsplit(response["Location"]).path
        assert location in (LOGIN, reverse("admin:index")), (name, location)
    assert Revision.objects.count() == revisions
    assert Subscription.objects.count() == subscriptions


def test_a_reader_is_told_they_are_not_authorised_on_the_login_page(client):
    reader = make_user()
    client.force_login(reader)
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "not authorized to access this page" in response.content.decode()


def test_a_reader_cannot_log_in_to_the_desk_with_the_right_password(client):
    reader = make_user("plain-reader")
    response = client.post(LOGIN, {"username": reader.username, "password": "pw-for-tests-only",
                                   "next": "/admin/"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
