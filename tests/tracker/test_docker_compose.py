"""docker-compose.yml cannot run here (no Docker engine), so its wiring is checked.

Its topology, how many of each tier and who names whom, is the one the
scale-out test runs on this machine (tests/reliability/cluster.py TOPOLOGY).
"""

import importlib
import re
from pathlib import Path

import pytest
import yaml

from devsupport.pushpin import MESSAGE_RATE
from devsupport.varnish import render_vcl
from tests.reliability.cluster import TOPOLOGY

ROOT = Path(__file__).resolve().parents[2]
WEB = ["web1", "web2"]
VARNISH = ["varnish1", "varnish2"]
PUSHPIN = ["pushpin1", "pushpin2"]
APP_SERVICES = [*WEB, "worker", "beat", "migrate"]
REQUIRED_ENV = ["DATABASE_URL", "REDIS_URL", "EMAIL_URL", "SITE_URL", "SECRET_KEY"]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_the_whole_stack(compose):
    assert set(compose["services"]) >= {*WEB, *VARNISH, *PUSHPIN, "worker", "beat", "db", "redis", "mail"}


def _count(compose, service: str) -> int:
    config = compose["services"][service]
    return config.get("deploy", {}).get("replicas", 1)


def test_it_runs_as_many_of_each_tier_as_the_scale_out_test(compose):
    services = compose["services"]
    def running(program: str) -> int:
        return sum(_count(compose, name) for name, config in services.items()
                   if program in str(config.get("command")))

    counted = {"web": running("gunicorn"), "varnish": running("varnishd"), "pushpin": running("pushpin"),
               "worker": running(" worker "), "beat": running(" beat ")}
    assert counted == TOPOLOGY


def test_migrations_run_once_before_any_web_node_starts(compose):
    assert "manage.py migrate" in compose["services"]["migrate"]["command"]
    for web in WEB:
        assert "migrate" not in compose["services"][web]["command"]
        depends = compose["services"][web]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"


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


@pytest.mark.parametrize("web", WEB)
def test_web_serves_the_wsgi_application_with_gunicorn(compose, web):
    command = compose["services"][web]["command"]
    module, attr = re.search(r"gunicorn (\S+):(\S+)", command).groups()
    assert callable(getattr(importlib.import_module(module), attr))


@pytest.mark.parametrize("service, role", [("worker", "worker"), ("beat", "beat")])
def test_celery_services_point_at_the_project_app(compose, service, role):
    command = compose["services"][service]["command"]
    app_module = re.search(r"celery -A (\S+) " + role, command).group(1)
    from celery import Celery

    assert isinstance(importlib.import_module(app_module).celery_app, Celery)


def test_database_url_names_the_compose_database(compose):
    env = compose["services"]["web1"]["environment"]
    db_env = compose["services"]["db"]["environment"]
    assert env["DATABASE_URL"].endswith("@db:5432/" + db_env["POSTGRES_DB"])
    assert f":{db_env['POSTGRES_PASSWORD']}@" in env["DATABASE_URL"]


def test_the_image_is_built_from_the_repository_dockerfile(compose):
    assert compose["x-app"]["build"] == "."
    assert "pip install" in (ROOT / "Dockerfile").read_text()


@pytest.mark.parametrize("pushpin", PUSHPIN)
def test_each_pushpin_stands_in_front_of_every_web_node_and_holds_the_streams(compose, pushpin):
    config = compose["services"][pushpin]
    assert f"--route '* {' '.join(f'{web}:8000' for web in WEB)}'" in config["command"]
    assert set(config["depends_on"]) == set(WEB)
    assert [port.split(":")[1] for port in config["ports"]] == ["7999"]


@pytest.mark.parametrize("pushpin", PUSHPIN)
def test_each_pushpin_sends_as_many_messages_a_second_as_the_fan_out_measure_ran(compose, pushpin):
    assert f"s/^message_rate=.*/message_rate={MESSAGE_RATE}/" in compose["services"][pushpin]["command"]


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_publish_to_every_pushpin_and_share_its_signing_key(compose, service):
    env = compose["services"][service]["environment"]
    assert env["GRIP_URL"].split(",") == [f"http://{pushpin}:5561/" for pushpin in PUSHPIN]
    for pushpin in PUSHPIN:
        assert env["GRIP_SIG_KEY"] == compose["services"][pushpin]["environment"]["GRIP_SIG_KEY"]
        assert "sig_key=$${GRIP_SIG_KEY}" in compose["services"][pushpin]["command"]


def _varnish_listen_port(compose, varnish: str) -> str:
    return re.search(r"-a :(\d+)", compose["services"][varnish]["command"]).group(1)


@pytest.mark.parametrize("varnish", VARNISH)
def test_each_varnish_runs_the_shipped_vcl_with_a_director_over_every_web_node(compose, varnish):
    config = compose["services"][varnish]
    mount = next(volume for volume in config["volumes"] if volume.endswith(":ro"))
    source, target, _ = mount.split(":")
    assert f"-f {target}" in config["command"]
    # deploy/varnish/compose.vcl is default.vcl rendered for the web nodes, kept up to date.
    assert (ROOT / source).read_text() == render_vcl([f"{web}:8000" for web in WEB], probe=True)
    assert "--bind 0.0.0.0:8000" in compose["services"]["web1"]["command"]
    assert set(config["depends_on"]) == set(WEB)


def test_readers_reach_the_varnishes_not_gunicorn(compose):
    published = [compose["services"][v]["ports"][0].split(":")[1] for v in VARNISH]
    assert published == [_varnish_listen_port(compose, v) for v in VARNISH]
    assert not any("ports" in compose["services"][web] for web in WEB)


@pytest.mark.parametrize("service", APP_SERVICES)
def test_app_services_purge_every_varnish(compose, service):
    urls = compose["services"][service]["environment"]["EDGE_PURGE_URLS"]
    assert urls.split(",") == [f"http://{v}:{_varnish_listen_port(compose, v)}/" for v in VARNISH]


@pytest.mark.parametrize("service", [*WEB, "worker"])
def test_the_worker_that_captures_and_web_that_serves_share_the_archive(compose, service):
    config = compose["services"][service]
    directory = config["environment"]["ARCHIVE_DIR"]
    assert f"archive:{directory}" in config["volumes"]
    assert "archive" in compose["volumes"]
