"""The trail and impact pages: the trail of one idea, agenda item or budget project; "you said, we did" per
space; a person's own "what became of what I said"; the impact report (screen, print, CSV, JSON); the network
dashboard. Same access as the space (quality/access.py): a public space's are public, a private space's its
members' only (404 for everyone else); the network dashboard is for network administrators."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from coproduce.core import registry
from coproduce.people.access import can_admin_network
from coproduce.people.http import SignedInRequest

from . import access, impact, presenters, trail


def trail_page(request: HttpRequest, slug: str, kind: str, pk: int) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    if kind not in trail.START_KINDS:
        raise Http404
    found = registry.source(kind, request.user, pk)
    if found.space_id != space.pk:
        raise Http404
    names = access.shows_names(request.user, space)
    steps = trail.flatten(trail.walk(kind, [pk], request.user)[pk], names=names)
    return render(
        request,
        "quality/trail.html",
        {"space": space, "source": found, "kind_label": trail.kind_label(kind), "steps": steps},
    )


def you_said(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    names = access.shows_names(request.user, space)
    rows = trail.space_you_said(space, request.user, names=names)
    return render(
        request,
        "quality/you_said.html",
        {
            "space": space,
            "rows": rows,
            "limit": trail.YOU_SAID_LIMIT,
            "perspectives": presenters.PERSPECTIVE_LABELS,
        },
    )


@login_required
def my_trail(request: SignedInRequest) -> HttpResponse:
    rows = trail.person_you_said(request.user, request.user)
    return render(
        request,
        "quality/my_trail.html",
        {"rows": rows, "limit": trail.YOU_SAID_LIMIT, "perspectives": presenters.PERSPECTIVE_LABELS},
    )


def _report_context(request: HttpRequest, slug: str) -> dict:
    space = access.get_space_for(request.user, slug)
    r = impact.report(space, request.user)
    return {
        "space": space,
        "report": r,
        "chart": impact.bar_chart(r.months),
        "table": impact.table(r.months),
        "hours": {k: impact.as_hours(v) for k, v in r.hours.items()} if r.hours is not None else None,
        "evidence": impact.level_evidence(space, r.judgement) if r.judgement else None,
        "summary_rows": r.summary.as_rows(),
        "suggestions": (r.judgement or {}).get("suggestions", [])[:3],
    }


def report(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "quality/report.html", _report_context(request, slug))


def report_print(request: HttpRequest, slug: str) -> HttpResponse:
    return render(request, "quality/report_print.html", _report_context(request, slug))


def report_csv(request: HttpRequest, slug: str) -> HttpResponse:
    space = access.get_space_for(request.user, slug)
    response = HttpResponse(impact.figures_csv(impact.report(space, request.user)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="impact-{space.slug}.csv"'
    return response


def report_json(request: HttpRequest, slug: str) -> JsonResponse:
    space = access.get_space_for(request.user, slug)
    return JsonResponse(impact.figures_json(impact.report(space, request.user)))


@login_required
def network(request: SignedInRequest) -> HttpResponse:
    if not can_admin_network(request.user):
        raise Http404
    return render(request, "quality/network.html", impact.network(request.user))
