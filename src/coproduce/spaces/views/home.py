"""The home page: for a signed-in person, what is waiting for them (every module's `waiting_for`, through the
registry); for everyone, what co-production here is and the spaces under way."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from coproduce.core import registry
from coproduce.core.registry import Urgency

from .. import access, selectors
from ..models import StageKind

# What each urgency means to the person, beside each item (the order alone does not say it).
URGENCY_WORDS = {
    Urgency.WAITING_ON_YOU: _("Someone is waiting for you"),
    Urgency.DUE: _("Has a date"),
    Urgency.OPEN: _("When you can"),
}


def home(request: HttpRequest) -> HttpResponse:
    context: dict = {"spaces": selectors.spaces_under_way(request.user), "stages": StageKind.choices}
    if request.user.is_authenticated:
        context["waiting"] = [
            (item, URGENCY_WORDS[item.urgency], item.urgency.name.lower().replace("_", "-"))
            for item in registry.waiting_for(request.user)
        ]
        context["helps_people"] = access.runs_a_space(request.user)
    return render(request, "spaces/home.html", context)
