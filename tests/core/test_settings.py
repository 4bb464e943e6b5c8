"""Configuration from the environment: a production setup passes Django's deployment checks, and the
default database is SQLite in write-ahead-log mode."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.any_database  # the SQLite run covers it (tests/conftest.py)

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.core.checks import run_checks
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"], "name": str(settings.DATABASES["default"]["NAME"]),
    "journal_mode": mode, "busy_timeout": busy, "debug": settings.DEBUG,
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False), "secret": settings.SECRET_KEY,
    "deploy_warnings": sorted({m.id for m in run_checks(include_deployment_checks=True)
                               if m.id.startswith("security.")}),
}))
"""


def environment(tmp_path, **extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.update({"COPRODUCE_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "coproduce.settings"})
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


def production(tmp_path, **extra) -> dict[str, str]:
    settings = {
        "COPRODUCE_DEBUG": "0",
        "COPRODUCE_SECRET_KEY": secrets.token_urlsafe(60),
        "COPRODUCE_ALLOWED_HOSTS": "coproduce.example.org",
    }
    return environment(tmp_path, **{**settings, **extra})


def test_a_production_configuration_passes_the_deployment_checks(tmp_path):
    result = run(
        ["-m", "coproduce.cli", "check", "--deploy", "--fail-level", "WARNING"], production(tmp_path)
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "security.W" not in output


def test_a_local_install_uses_sqlite_in_wal_mode_and_keeps_its_secret_in_var(tmp_path):
    result = run(["-c", PROBE], environment(tmp_path))
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["engine"] == "coproduce.core.sqlite3"
    assert found["name"] == str(tmp_path / "coproduce.sqlite3")
    assert (tmp_path / "coproduce.sqlite3").exists()
    assert found["journal_mode"] == "wal"
    assert found["busy_timeout"] == 5000
    assert found["debug"] is False and found["ssl_redirect"] is False  # no secret given: not production
    # The same deployment checks as above do report a local install (so that test can fail).
    assert {"security.W004", "security.W008", "security.W012", "security.W016"} <= set(
        found["deploy_warnings"]
    )
    # A secret generated once, readable only by its owner, so that restarts keep sessions valid.
    key_file = tmp_path / "secret_key"
    assert found["secret"] == key_file.read_text().strip() and len(found["secret"]) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
