"""The home page: what co-production here is, and the spaces under way."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..models import StageKind


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "spaces/home.html",
        {"spaces": selectors.spaces_under_way(request.user), "stages": StageKind.choices},
    )
