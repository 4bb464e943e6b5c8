"""Calendar feeds: a space's meetings, and a person's own (behind a secret link calendar apps can follow)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from coproduce.people.http import SignedInRequest
from coproduce.spaces import access as space_access

from .. import selectors, services


def _ics(body: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def space_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    space = space_access.get_space_for(request.user, slug)
    if not space.is_public and not space_access.has_role(request.user, space, space_access.MEMBER):
        raise Http404
    body = selectors.space_feed(space, base_url=_base(request), host=request.get_host().split(":")[0])
    return _ics(body, f"{space.slug}.ics")


@login_required
def my_calendar(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        token = services.calendar_feed_create(actor=request.user)
        request.session["calendar_url"] = request.build_absolute_uri(
            reverse("my_calendar:feed", args=[token])
        )
        return redirect("my_calendar:page")
    return render(
        request,
        "meetings/my_calendar.html",
        {
            "feed_url": request.session.pop("calendar_url", None),
            "has_feed": hasattr(request.user, "calendar_feed"),
        },
    )


def person_calendar(request: HttpRequest, token: str) -> HttpResponse:
    user = selectors.user_for_calendar_token(token)
    if user is None:
        raise Http404
    body = selectors.person_feed(user, base_url=_base(request), host=request.get_host().split(":")[0])
    return _ics(body, "my-meetings.ics")
