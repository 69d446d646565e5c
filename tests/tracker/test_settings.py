"""Settings from the environment: production is safe, bad values fail loudly."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-0123456789abcdefghij",
    "DATABASE_URL": "sqlite:////tmp/tracker-check.sqlite3",
    "SITE_URL": "https://tracker.example.org",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # The test process's own settings (DJANGO_SETTINGS_MODULE, relaxed SSL) must not leak in.
    leaks = {"DEBUG", "SECRET_KEY", "REDIS_URL", "SECURE_SSL_REDIRECT", "DJANGO_SETTINGS_MODULE",
             "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in leaks}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )


def test_deploy_check_is_clean_in_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_a_malformed_boolean_fails_loudly():
    result = _manage("check", env={**PRODUCTION_ENV, "DEBUG": "maybe"})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_bad_trusted_proxy_count_fails_loudly(value):
    result = _manage("check", env={**PRODUCTION_ENV, "TRUSTED_PROXY_COUNT": value})
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be" in result.stderr


# --- The local env file `make run` writes (scripts/local-env.sh) -----------------

def _checkout_copy(tmp_path: Path) -> Path:
    """The code of this checkout without its var/ (so no developer's local env file)."""
    copy = tmp_path / "checkout"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "var", "__pycache__", ".hypothesis", ".ruff_cache", "tests"))
    return copy


def _no_exports(copy: Path) -> dict[str, str]:
    # What a new user's shell has: no DEBUG, no SECRET_KEY, no LOCAL_ENV_FILE (the suite's own "").
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "LOCAL_ENV_FILE", "DJANGO_SETTINGS_MODULE", "REDIS_URL",
                        "SECURE_SSL_REDIRECT", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}}
    return {**env, "DATABASE_URL": f"sqlite:///{copy / 'check.sqlite3'}"}


def _run(copy: Path, *command: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(list(command), cwd=copy, env=env, capture_output=True, text=True, timeout=120)


def test_after_make_runs_env_step_manage_py_commands_need_no_exports(tmp_path):
    copy = _checkout_copy(tmp_path)
    env = _no_exports(copy)
    assert _run(copy, "bash", "scripts/local-env.sh", env=env).returncode == 0
    assert (copy / "var" / "local.env").is_file()
    result = _run(copy, sys.executable, "manage.py", "check", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_the_local_env_file_manage_py_still_needs_a_secret_key(tmp_path):
    copy = _checkout_copy(tmp_path)
    result = _run(copy, sys.executable, "manage.py", "check", env=_no_exports(copy))
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_the_local_env_file_is_written_once_private_and_with_a_generated_key(tmp_path):
    copy = _checkout_copy(tmp_path)
    env = _no_exports(copy)
    _run(copy, "bash", "scripts/local-env.sh", env=env)
    written = (copy / "var" / "local.env").read_text()
    _run(copy, "bash", "scripts/local-env.sh", env=env)
    assert (copy / "var" / "local.env").read_text() == written  # its key keeps sessions valid
    assert (copy / "var" / "local.env").stat().st_mode & 0o077 == 0
    lines = dict(line.split("=", 1) for line in written.splitlines() if line and not line.startswith("#"))
    assert lines["DEBUG"] == "1" and len(lines["SECRET_KEY"]) >= 50


def test_real_environment_variables_win_over_the_local_env_file(tmp_path):
    copy = _checkout_copy(tmp_path)
    env = _no_exports(copy)
    _run(copy, "bash", "scripts/local-env.sh", env=env)
    shown = _run(copy, sys.executable, "manage.py", "shell", "-v0", "-c",
                 "from django.conf import settings; print(settings.DEBUG)",
                 env={**env, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0"})
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == "False"


def test_the_local_env_file_stays_out_of_git_and_the_docker_image():
    ignored = subprocess.run(["git", "check-ignore", "-q", "var/local.env"], cwd=ROOT, timeout=30)
    assert ignored.returncode == 0
    assert "var" in (ROOT / ".dockerignore").read_text().split()


def test_the_suite_reads_no_local_env_file():
    # A developer's var/local.env must not change what the tests see.
    assert os.environ["LOCAL_ENV_FILE"] == ""
