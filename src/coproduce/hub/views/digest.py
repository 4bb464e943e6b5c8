"""The weekly digest's one-click unsubscribe: works without signing in (the signed token names the person)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .. import digest, services


@csrf_exempt  # RFC 8058: mail programs POST here with no cookie; the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    user = digest.read_unsubscribe_token(token)
    if user is None:
        return render(request, "hub/unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        services.digest_choose(actor=user, user=user, weekly=False)
        return render(request, "hub/unsubscribed.html")
    return render(request, "hub/unsubscribe.html", {"token": token})
