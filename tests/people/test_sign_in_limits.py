"""The limits on sign-in attempts (allauth's, kept in Django's cache) are shared by every process and survive a
restart: the cache is the database (or Redis), not one process's memory (issue 10, point 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import locmem
from django.db import connection
from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-test-password-1"  # the personas' password (tests/conftest.py)
LOCKED = "This account is locked for 5 minutes after too many wrong passwords"


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def restart() -> None:
    """Forget everything this process holds in memory, as a restart (or another process) would."""
    locmem._caches.clear()
    locmem._expire_info.clear()
    locmem._locks.clear()
    caches._connections = Local(caches.thread_critical)  # fresh cache objects on next use


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/300s/key"}  # allauth's default, stated


def test_the_lockout_survives_a_restart(member):
    for _ in range(5):
        response = sign_in(Client(), member.email, "wrong password")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    locked = sign_in(Client(), member.email, PASSWORD)
    page = locked.content.decode()
    # The message beside the form says how long, and what else to do; the form keeps the email.
    assert LOCKED in page and "Wait 5 minutes and try again" in page
    assert "choose “Forgot your password?”" in page and 'href="/accounts/password/reset/"' in page
    assert f'value="{member.email}"' in page

    restart()

    response = sign_in(Client(), member.email, PASSWORD)
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in response.wsgi_request.session


def test_allauth_limits_sign_in_registration_and_resets_by_default():
    from allauth.account import app_settings

    limits = app_settings.RATE_LIMITS  # allauth's defaults, which the settings leave on
    assert limits["login"] == "30/m/ip" and limits["signup"] == "20/m/ip"
    assert limits["login_failed"] == "10/m/ip,5/300s/key" and limits["reset_password"] == "20/m/ip,5/m/key"


def test_registration_is_limited_per_address(db, settings):
    settings.ACCOUNT_RATE_LIMITS = {"signup": "2/m/ip"}
    codes = [
        Client()
        .post(
            reverse("account_signup"),
            {
                "email": f"new{n}@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "display_name": "N",
            },
        )
        .status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]


def test_attempts_before_a_restart_count_after_it(member):
    for _ in range(3):
        sign_in(Client(), member.email, "wrong password")
    restart()
    for _ in range(2):
        sign_in(Client(), member.email, "wrong password")
    assert LOCKED in sign_in(Client(), member.email, PASSWORD).content.decode()


def test_someone_else_is_not_locked_out(member, practitioner):
    for _ in range(6):
        sign_in(Client(), member.email, "wrong password")
    response = sign_in(Client(), practitioner.email, PASSWORD)
    assert response.status_code == 302


def test_the_cache_is_the_database_and_migrate_made_its_table(db):
    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert settings.CACHE_TABLE in connection.introspection.table_names()


PROBE = """
import json
from coproduce import settings  # the settings module alone: the Redis client need not be installed
print(json.dumps(settings.CACHES["default"]))
"""


@pytest.mark.parametrize(
    ("redis_url", "backend"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/0", "django.core.cache.backends.redis.RedisCache"),
    ],
)
def test_redis_when_configured(tmp_path, redis_url, backend):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.update(
        COPRODUCE_VAR_DIR=str(tmp_path),
        COPRODUCE_REDIS_URL=redis_url,
        DJANGO_SETTINGS_MODULE="coproduce.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["BACKEND"] == backend
    if redis_url:
        assert found["LOCATION"] == redis_url
