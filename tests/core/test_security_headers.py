"""Content-Security-Policy and Permissions-Policy on every page, and templates the policy lets through: no
inline style or script, no event-handler attribute (issue 10, point 8). The browser test that the pages pass it
with htmx working is tests/browser/test_security_headers.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

SRC = Path(__file__).resolve().parents[2] / "src" / "coproduce"


@pytest.mark.parametrize(
    "path", ["/", "/spaces/", "/accounts/login/", "/timebank/", "/api/v1/spaces", "/api/v1/docs"]
)
def test_every_response_carries_the_policies(db, path):
    response = Client().get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert re.fullmatch(r"'self' 'nonce-[\w-]{20,}'", directives["script-src"])
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_the_nonce_is_new_for_every_response(db):
    nonces = {
        re.search(r"nonce-([\w-]+)", Client().get("/").headers["Content-Security-Policy"]).group(1)
        for _ in range(3)
    }
    assert len(nonces) == 3


INLINE = [
    (re.compile(r"""\sstyle\s*=\s*["']""", re.I), "a style attribute"),
    (re.compile(r"<style[\s>]", re.I), "a <style> element"),
    (
        re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*\snonce=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "an inline <script>",
    ),
    (re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I), "an event-handler attribute"),
    (re.compile(r"""(?:href|src|action)\s*=\s*["']\s*javascript:""", re.I), "a javascript: URL"),
    (re.compile(r"\shx-on", re.I), "an hx-on attribute (htmx would need eval)"),
]


def test_no_template_has_what_the_policy_blocks():
    found = []
    for template in sorted(SRC.rglob("templates/**/*.html")):
        text = template.read_text(encoding="utf-8")
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(SRC)}:{line}: {what}")
    assert not found, "The Content-Security-Policy would block:\n" + "\n".join(found)
