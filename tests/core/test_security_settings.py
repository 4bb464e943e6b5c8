"""The security settings as each environment makes them (settings.py read afresh, in this process, with the
environment given): secure cookies, HSTS and the HTTPS redirect in production or with COPRODUCE_HTTPS, never on
a local install; the rate limits on unless COPRODUCE_DISABLE_RATE_LIMITS. (tests/core/test_settings.py runs
Django's deployment checks on a production configuration.)"""

from __future__ import annotations

import os
import runpy
import secrets

import coproduce.settings

SECURE = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"]


def settings_with(monkeypatch, tmp_path, **environment) -> dict:
    for name in [name for name in os.environ if name.startswith("COPRODUCE_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COPRODUCE_VAR_DIR", str(tmp_path))
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(coproduce.settings.__file__)


def test_cookies_are_secure_in_production_and_with_https(monkeypatch, tmp_path):
    production = settings_with(monkeypatch, tmp_path, COPRODUCE_SECRET_KEY=secrets.token_urlsafe(60))
    with_https = settings_with(monkeypatch, tmp_path, COPRODUCE_HTTPS="1")
    for found in (production, with_https):
        assert all(found[name] is True for name in SECURE)
        assert found["SECURE_HSTS_SECONDS"] >= 31_536_000 and found["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
        assert found["SESSION_COOKIE_HTTPONLY"] is True
        assert found["SECURE_CONTENT_TYPE_NOSNIFF"] and found["X_FRAME_OPTIONS"] == "DENY"
        # Django's defaults, left alone: cookies not sent with cross-site posts.
        assert "SESSION_COOKIE_SAMESITE" not in found and "CSRF_COOKIE_SAMESITE" not in found

    # A local install (no secret) serves plain HTTP: secure cookies would never come back.
    local = settings_with(monkeypatch, tmp_path)
    assert not any(local.get(name, False) for name in SECURE)
    # Production behind a proxy that cannot do HTTPS yet can say so.
    plain = settings_with(
        monkeypatch, tmp_path, COPRODUCE_SECRET_KEY=secrets.token_urlsafe(60), COPRODUCE_HTTPS="0"
    )
    assert not any(plain.get(name, False) for name in SECURE)


def test_rate_limits_are_on_unless_disabled(monkeypatch, tmp_path):
    on = settings_with(monkeypatch, tmp_path)
    assert set(on["RATE_LIMITS"]) == {"vote", "post", "token", "token_failed"}
    assert "ACCOUNT_RATE_LIMITS" not in on  # allauth's own limits on sign-in and registration apply
    off = settings_with(monkeypatch, tmp_path, COPRODUCE_DISABLE_RATE_LIMITS="1")
    assert off["RATE_LIMITS"] == {} and off["ACCOUNT_RATE_LIMITS"] is False
