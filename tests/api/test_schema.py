"""The OpenAPI schema: generated without warnings, served, and honoured by every operation."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance


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


@schema.parametrize()
@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_operation_errors_or_breaks_its_schema(case, _keep_test_connection, demo_story, editor):
    # An editor's token: writes are exercised too, and no anonymous throttle interferes.
    response = case.call(headers={"Authorization": f"Token {_token(editor)}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])
    case.validate_response(response, checks=[response_schema_conformance])


def _token(user) -> str:
    from rest_framework.authtoken.models import Token

    return Token.objects.get_or_create(user=user)[0].key
