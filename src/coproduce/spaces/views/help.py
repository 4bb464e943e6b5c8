"""A person's "Done on my behalf" page: everything recorded for them, and where they ask to be helped in
person (they alone give and withdraw that, here). It sits at /me/on-my-behalf/, named
`people:on_my_behalf` (see spaces/urls_site.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from coproduce.core import registry
from coproduce.core.views import apply_errors
from coproduce.people.http import SignedInRequest

from .. import access, services
from ..forms import EntryDisputeForm
from ..models import EntryDispute, HelpConsent


def _in_timebank(user) -> bool:
    """Whether the person belongs to the timebank, asked of the timebank through its "profile_timebank"
    hook (None when no timebank is installed, or the person is not in it)."""
    profile_timebank = registry.hook("profile_timebank")
    return not user.is_assisted and profile_timebank is not None and profile_timebank(user, user) is not None


@login_required
def on_my_behalf(request: SignedInRequest) -> HttpResponse:
    user = request.user
    in_timebank = _in_timebank(user)
    if request.method == "POST":
        where = request.POST.get("where", "")
        if where == "timebank":
            if not in_timebank:
                raise PermissionDenied(_("Join the timebank first."))
            space = None
        else:
            space = access.get_space_for(user, where, need=access.MEMBER)
        accepts = request.POST.get("accepts") == "yes"
        services.help_consent_set(actor=user, space=space, accepts=accepts)
        name = space.title if space is not None else _("the timebank")
        messages.success(
            request,
            (
                _("Facilitators in %(where)s can now record things for you when they help you.")
                if accepts
                else _("Facilitators in %(where)s can no longer record things for you.")
            )
            % {"where": name},
        )
        return redirect("people:on_my_behalf")
    consents = {c.space_id: c for c in HelpConsent.objects.filter(user=user)}
    places = [
        {"key": m.space.slug, "name": m.space.title, "consent": consents.get(m.space_id)}
        for m in user.memberships.select_related("space").order_by("space__title")
    ]
    if in_timebank:
        places.append({"key": "timebank", "name": _("The timebank"), "consent": consents.get(None)})
    events = list(access.entries_for_me(user)[:200])
    disputed = set(
        EntryDispute.objects.filter(person=user, event__in=[e.pk for e in events]).values_list(
            "event_id", flat=True
        )
    )
    for event in events:
        event.disputed = event.pk in disputed
    return render(
        request,
        "spaces/on_my_behalf.html",
        {"events": events, "places": places if not user.is_assisted else []},
    )


@login_required
def entry_dispute(request: SignedInRequest, event_id: int) -> HttpResponse:
    """Say that something recorded on my behalf is wrong: it goes to the hosts of the space."""
    event = access.get_entry_for_me(request.user, event_id)
    already = EntryDispute.objects.filter(event=event, person=request.user).first()
    form = EntryDisputeForm(request.POST or None)
    if request.method == "POST" and already is None and form.is_valid():
        try:
            services.entry_dispute(actor=request.user, event=event, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error, "text")
        else:
            messages.success(request, _("Thank you. The hosts have been told, and will put it right."))
            return redirect("people:on_my_behalf")
    return render(
        request,
        "spaces/entry_dispute.html",
        {"event": event, "form": form, "already": already},
        status=400 if form.errors else 200,
    )
