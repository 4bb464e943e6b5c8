"""Content-Security-Policy and Permissions-Policy headers on every response (settings: "Security headers").

Django 5.2 has no CSP support of its own (it arrives in 6.0). The policy allows the site's own scripts,
styles, images and fonts only: no inline script or style, no `eval`, no other origin. A template that really
needs an inline `<script>` gives it `nonce="{{ request.csp_nonce }}"` (a fresh value for every response).
The interactive API documentation (/api/v1/docs: Swagger UI from django-ninja's own static files) needs
nothing more: it sets styles through the DOM, which a policy does not restrict.
"""

from __future__ import annotations

import secrets

from django.conf import settings


class SecurityHeadersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        request.csp_nonce = nonce = secrets.token_urlsafe(16)
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY.replace("{nonce}", nonce)
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
