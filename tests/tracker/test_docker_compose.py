"""docker-compose.yml cannot run here (no Docker engine), so its wiring is checked."""

import importlib
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
APP_SERVICES = ["web", "worker", "beat"]
REQUIRED_ENV = ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "SECRET_KEY"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_the_whole_stack(compose):
    assert set(compose["services"]) >= {"web", "worker", "beat", "db", "redis", "mail", "pushpin", "varnish"}


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_get_every_required_setting(compose, service):
    env = compose["services"][service]["environment"]
    missing = [name for name in REQUIRED_ENV if not env.get(name)]
    assert not missing


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_wait_for_healthy_database_and_broker(compose, service):
    depends = compose["services"][service]["depends_on"]
    assert depends["db"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"


def test_web_serves_the_wsgi_application_with_gunicorn(compose):
    command = compose["services"]["web"]["command"]
    module, attr = re.search(r"gunicorn (\S+):(\S+)", command).groups()
    assert callable(getattr(importlib.import_module(module), attr))


@pytest.mark.parametrize("service, role", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_point_at_the_project_app(compose, service, role):
    command = compose["services"][service]["command"]
    app_module = re.search(r"celery -A (\S+) " + role, command).group(1)
    from celery import Celery

    assert isinstance(importlib.import_module(app_module).celery_app, Celery)


def test_database_url_names_the_compose_database(compose):
    env = compose["services"]["web"]["environment"]
    db_env = compose["services"]["db"]["environment"]
    assert env["DATABASE_URL"].endswith("@db:5432/" + db_env["POSTGRES_DB"])
    assert f":{db_env['POSTGRES_PASSWORD']}@" in env["DATABASE_URL"]


def test_the_image_is_built_from_the_repository_dockerfile(compose):
    assert compose["x-app"]["build"] == "."
    assert "pip install" in (ROOT / "Dockerfile").read_text()


def test_pushpin_stands_in_front_of_web_and_holds_the_streams(compose):
    pushpin = compose["services"]["pushpin"]
    assert "--route '* web:8000'" in pushpin["command"]
    assert "7999:7999" in pushpin["ports"]
    assert "web" in pushpin["depends_on"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_publish_to_pushpin_and_share_its_signing_key(compose, service):
    env = compose["services"][service]["environment"]
    assert env["GRIP_URL"] == "http://pushpin:5561/"
    assert env["GRIP_SIG_KEY"] == compose["services"]["pushpin"]["environment"]["GRIP_SIG_KEY"]
    assert "sig_key=$${GRIP_SIG_KEY}" in compose["services"]["pushpin"]["command"]


def _varnish_listen_port(compose) -> str:
    return re.search(r"-a :(\d+)", compose["services"]["varnish"]["command"]).group(1)


def test_varnish_runs_the_shipped_vcl(compose):
    varnish = compose["services"]["varnish"]
    mount = next(volume for volume in varnish["volumes"] if volume.endswith(":ro"))
    source, target, _ = mount.split(":")
    assert (ROOT / source).resolve() == ROOT / "deploy" / "varnish" / "default.vcl"
    assert f"-f {target}" in varnish["command"]


def test_varnish_is_in_front_of_web_and_reaches_gunicorn_on_the_vcls_backend(compose):
    varnish, web = compose["services"]["varnish"], compose["services"]["web"]
    # It shares web's network: the VCL's backend 127.0.0.1:8000 is gunicorn's port there.
    assert varnish["network_mode"] == "service:web"
    assert '.host = "127.0.0.1";' in (ROOT / "deploy/varnish/default.vcl").read_text()
    assert "--bind 0.0.0.0:8000" in web["command"]
    assert web["ports"] == [f"8000:{_varnish_listen_port(compose)}"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_purge_that_varnish(compose, service):
    urls = compose["services"][service]["environment"]["EDGE_PURGE_URLS"]
    assert urls == f"http://web:{_varnish_listen_port(compose)}/"


@pytest.mark.parametrize("service", ["web", "worker"])
def test_the_worker_that_captures_and_web_that_serves_share_the_archive(compose, service):
    config = compose["services"][service]
    directory = config["environment"]["ARCHIVE_DIR"]
    assert f"archive:{directory}" in config["volumes"]
    assert "archive" in compose["volumes"]
