"""The OpenAPI schema: generated without warnings, served, and honoured by every operation.

The fuzz runs on PostgreSQL (`make test`) and on the SQLite default
(scripts/sqlite-path.sh runs the `sqlite` tests), with an editor's token.
"""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from api.common import item_etag
from tests.pages.nu_checker import assert_pages_pass_the_nu_checker, needs_java


def test_the_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns any warning (an untyped field, an enum clash) into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "api.yml"))
    assert "/api/changes/" in (tmp_path / "api.yml").read_text()


def test_the_schema_is_served_as_openapi_3(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_the_docs_page_loads_everything_from_our_own_origin(api):
    response = api.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html and "/static/drf_spectacular_sidecar/" in html
    assert "cdn." not in html and "https://" not in html


# Loading the schema touches no database, so it can happen at collection time.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture
def _keep_test_connection():
    # The raw WSGI app would close the test's connection after each request;
    # Django's own test client avoids that the same way.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


FUZZ = settings(max_examples=10, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.filter_too_much])


@pytest.mark.sqlite
@schema.parametrize()
@FUZZ
def test_no_operation_errors_or_breaks_its_schema(case, _keep_test_connection, demo_story, editor):
    # An editor's token: writes are exercised too, and no anonymous throttle interferes.
    _call(case, {"Authorization": f"Token {_token(editor)}"})


# The writes whose text the public pages show, aimed at the demo's own items so
# that they land (a random id or slug would only ever be a 400 or a 404).
PAGE_WRITES = schema.include(path_regex=r"^/api/(developments|claims)/", method=["POST", "PATCH"])


@pytest.mark.sqlite
@needs_java
def test_the_main_pages_pass_the_nu_checker_after_fuzzed_writes(
    client, _keep_test_connection, demo_story, editor, tmp_path,
):
    development = demo_story.developments.get(title__contains="Yevlakh")
    claim = development.claims.first()
    targets = {"developments": development, "claims": claim}
    references = {"story": demo_story.slug, "development": development.pk, "actor": claim.actor_id,
                  "actors": [claim.actor_id], "sources": list(claim.sources.values_list("pk", flat=True)),
                  "responds_to": None}
    token = _token(editor)
    landed = sum(
        _fuzz_write(result.ok(), targets[result.ok().path.split("/")[2]], token, references)
        for result in PAGE_WRITES.get_all_operations()
    )
    assert landed, "no fuzzed write was accepted: the pages below would show nothing new"

    base, page = demo_story.get_absolute_url(), development.get_absolute_url()
    assert_pages_pass_the_nu_checker(client, {
        "front": "/", "story": base, "changes": base + "changes/",
        "development": page, "history": page + "history/",
    }, tmp_path)


def _fuzz_write(operation, target, token: str, references: dict) -> int:
    """Fuzz one write aimed at `target`; how many of its requests were accepted."""
    landed = 0

    @given(case=operation.as_strategy(path_parameters={"id": target.pk}))
    @FUZZ
    def write(case):
        nonlocal landed
        if isinstance(case.body, dict):
            case.body.update({k: v for k, v in references.items() if k in case.body})
        target.refresh_from_db()  # the edit is based on the version it sees now
        response = _call(case, {"Authorization": f"Token {token}", "If-Match": item_etag(target)})
        landed += response.status_code < 300

    write()
    return landed


def _call(case, headers: dict):
    response = case.call(headers=headers)
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    case.validate_response(response, checks=[response_schema_conformance])
    return response


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key
