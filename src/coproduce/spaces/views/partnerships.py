"""An organisation's admins answering a space that asks to list it as a partner, and ending a listing.
The pages sit on the organisation's paths (/organisations/<slug>/...), named `people:partnership_decide` and
`people:partnership_end` (see spaces/urls_site.py); the organisation page shows them through the
"organisation_partnerships" hook (spaces/apps.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.people.access import get_organisation_for
from coproduce.people.http import SignedInRequest

from .. import access, services


@login_required
@require_POST
def partnership_decide(request: SignedInRequest, slug: str, request_id: int) -> HttpResponse:
    org = get_organisation_for(request.user, slug)
    partnership = access.get_partnership_request_for(request.user, org, request_id)
    accept = request.POST.get("decision") == "accept"
    try:
        services.partnership_decide(actor=request.user, request=partnership, accept=accept)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("%(org)s is now listed in “%(space)s”.")
                if accept
                else _("You declined: %(org)s is not listed in “%(space)s”.")
            )
            % {"org": org.name, "space": partnership.space.title},
        )
    return redirect("people:organisation", slug=org.slug)


@login_required
@require_POST
def partnership_end(request: SignedInRequest, slug: str, space_slug: str) -> HttpResponse:
    org = get_organisation_for(request.user, slug, write=True)
    space = get_object_or_404(access.partner_spaces(request.user, org), slug=space_slug)
    try:
        services.partnership_end(actor=request.user, space=space, organisation=org)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(org)s is no longer listed in “%(space)s”.") % {"org": org.name, "space": space.title},
        )
    return redirect("people:organisation", slug=org.slug)
