"""COPRODUCE_TRUSTED_PROXIES: forwarding headers count only from the proxies listed (coproduce.core.proxies);
the server end to end is in test_serve.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from coproduce.core.proxies import is_trusted, parse_trusted_proxies, trusted_proxies_middleware

pytestmark = pytest.mark.any_database  # the SQLite run covers it (tests/conftest.py)


def call(proxies, remote_addr: str, **headers: str) -> dict:
    """Run one request through the middleware; return the environ the application saw."""
    seen: dict = {}

    def app(environ, start_response):
        seen.update(environ)
        start_response("200 OK", [])
        return [b""]

    environ = {
        "REMOTE_ADDR": remote_addr,
        "REQUEST_METHOD": "GET",
        "PATH_INFO": "/",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "coproduce.example.org",
        "wsgi.url_scheme": "http",
        **{f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()},
    }
    list(trusted_proxies_middleware(app, proxies)(environ, lambda *args: None))
    return seen


FORWARDED = {
    "X-Forwarded-Proto": "https",
    "X-Forwarded-For": "198.51.100.1, 203.0.113.7",
    "X-Forwarded-Host": "evil.example",
}


def test_a_trusted_proxy_says_https_and_who_the_visitor_is():
    seen = call(["10.0.0.5", "192.168.1.0/24"], "192.168.1.20", **FORWARDED)
    assert seen["wsgi.url_scheme"] == "https"
    assert seen["REMOTE_ADDR"] == "203.0.113.7"  # the address the proxy added; the one before may be forged
    # X-Forwarded-Host is never trusted: the Host header stays, and the forwarded one is removed.
    assert seen["HTTP_HOST"] == "coproduce.example.org"
    assert "HTTP_X_FORWARDED_HOST" not in seen


@pytest.mark.parametrize("proxies", [[], ["10.0.0.5"], ["192.168.2.0/24"]])
def test_anyone_else_cannot_and_the_headers_are_removed(proxies):
    seen = call(proxies, "192.168.1.20", **FORWARDED)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["REMOTE_ADDR"] == "192.168.1.20"
    assert not [key for key in seen if key.startswith("HTTP_X_FORWARDED")]


def test_addresses_and_networks():
    networks = parse_trusted_proxies(["10.0.0.5", " 192.168.1.0/24 ", "::1"])
    assert is_trusted("10.0.0.5", networks) and not is_trusted("10.0.0.6", networks)
    assert is_trusted("192.168.1.200", networks)
    assert is_trusted("::1", networks) and is_trusted("::ffff:10.0.0.5", networks)
    assert not is_trusted("", networks) and not is_trusted("not-an-address", networks)
    assert not is_trusted("10.0.0.5", [])


def test_a_wrong_entry_says_which_and_how_to_write_it():
    with pytest.raises(ImproperlyConfigured, match="'proxy.example.org' is not an IP address"):
        parse_trusted_proxies(["10.0.0.5", "proxy.example.org"])


PROBE = """
import json, django
django.setup()
from django.conf import settings
print(json.dumps({"trusted": settings.TRUSTED_PROXIES,
                  "proxy_ssl_header": getattr(settings, "SECURE_PROXY_SSL_HEADER", None),
                  "https": settings.HTTPS}))
"""


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("", []), ("10.0.0.5, 192.168.1.0/24,", ["10.0.0.5", "192.168.1.0/24"])],
)
def test_the_setting_is_read_from_the_environment_and_django_never_trusts_the_header(
    tmp_path, value, expected
):
    env = {k: v for k, v in os.environ.items() if not k.startswith("COPRODUCE_")}
    env.update(
        COPRODUCE_VAR_DIR=str(tmp_path),
        COPRODUCE_SECRET_KEY="a-test-secret-" + "x" * 50,  # production: HTTPS on
        DJANGO_SETTINGS_MODULE="coproduce.settings",
    )
    if value is not None:
        env["COPRODUCE_TRUSTED_PROXIES"] = value
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["https"] is True
    assert found["trusted"] == expected
    # Django's own setting would believe X-Forwarded-Proto from any client: the middleware decides instead.
    assert found["proxy_ssl_header"] is None
