"""Members: the list, changing a role or perspective, removing, leaving, people who take part with help."""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.qr import qr_svg
from coproduce.core.views import apply_errors
from coproduce.lib import codes
from coproduce.people import selectors as people_selectors
from coproduce.people.models import CLAIM_LIFETIME, User

from .. import access, selectors, services
from ..forms import (
    AssistedPersonForm,
    MembershipForm,
    RemoveForm,
)


@login_required
def members(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    rows = list(selectors.members(space))
    for m in rows:  # which rows offer "Change": the one rule, asked per member (the roles are cached)
        m.may_change = access.can_change_membership(request.user, m, access.PERSPECTIVE)
    return render(
        request,
        "spaces/members.html",
        {
            "space": space,
            "members": rows,
            "is_facilitator": access.has_role(request.user, space, access.FACILITATOR),
        },
    )


@login_required
def member_edit(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.get_membership_for(request.user, space, member_id)
    # The page changes the perspective, and the role for those who may: whoever may change neither gets 403.
    if not access.can_change_membership(request.user, membership, access.PERSPECTIVE):
        raise PermissionDenied(_("You cannot change this member's role or perspective."))
    may_change_role = access.can_change_membership(request.user, membership, access.ROLE)
    may_remove = access.can_change_membership(request.user, membership, access.REMOVE)
    initial = {"role": membership.role, "perspective": membership.perspective}
    form = MembershipForm(request.POST or None, initial=initial, can_change_role=bool(may_change_role))
    if request.method == "POST" and request.POST.get("role", membership.role) != membership.role:
        may_change_role.enforce()  # a role sent by someone the page does not offer it to: refused, as the API does
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=membership, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("spaces:members", slug=space.slug)
    return render(
        request,
        "spaces/member_edit.html",
        {
            "space": space,
            "membership": membership,
            "form": form,
            "remove_form": RemoveForm() if may_remove and membership.user_id != request.user.pk else None,
            "may_make_claim_link": (may_claim := access.can_make_claim_link(request.user, membership.user)),
            "last_claim": people_selectors.last_claim(membership.user) if may_claim else None,
            "claim_days": CLAIM_LIFETIME.days,
        },
    )


@login_required
@require_POST
def member_remove(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.get_membership_for(request.user, space, member_id)
    access.can_change_membership(request.user, membership, access.REMOVE).enforce()
    form = RemoveForm(request.POST)
    if form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
            return redirect("spaces:members", slug=space.slug)
    return render(
        request,
        "spaces/member_edit.html",
        {
            "space": space,
            "membership": membership,
            "form": MembershipForm(initial={"role": membership.role, "perspective": membership.perspective}),
            "remove_form": form,
        },
        status=400,
    )


@login_required
@require_POST
def leave(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.membership_of(request.user, space)
    if membership is None:  # not reached: get_space_for(need=MEMBER) lets only members through
        raise PermissionDenied
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(space)
    messages.success(request, _("You have left the space."))
    return redirect(space if space.is_public else reverse("home"))


@login_required
def assisted_add(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.FACILITATOR)
    form = AssistedPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("consent")
        try:
            membership = services.assisted_person_add(actor=request.user, space=space, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s has been added. Everything you record for them is shown to them if they later sign in."
                )
                % {"name": membership.user},
            )
            return redirect("spaces:members", slug=space.slug)
    return render(request, "spaces/assisted_form.html", {"space": space, "form": form})


def _claim_session_key(person_id: int) -> str:
    return f"claim_{person_id}"


@login_required
@require_POST
def claim_link(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.FACILITATOR)
    membership = access.get_membership_for(request.user, space, member_id)
    person = User.objects.get(pk=membership.user_id)
    try:
        issued = services.claim_link_create(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("spaces:member_edit", slug=space.slug, member_id=membership.pk)
    # Kept in this facilitator's session (stored on the server) so that the handout can be shown again and
    # printed; the database keeps only hashes. Making a new one replaces it.
    request.session[_claim_session_key(person.pk)] = {
        "token": issued.token,
        "code": issued.code,
        "expires_at": issued.expires_at.isoformat(),
    }
    return redirect("spaces:claim_handout", slug=space.slug, member_id=membership.pk)


@login_required
def claim_handout(request, slug: str, member_id: int):
    """The sign-up code, its link and QR code, with plain instructions: for the facilitator to print, hand
    over or read out."""
    space = access.get_space_for(request.user, slug, need=access.FACILITATOR)
    membership = access.get_membership_for(request.user, space, member_id)
    person = membership.user
    if not access.can_make_claim_link(request.user, person):
        raise PermissionDenied(_("You cannot make a sign-up link for this person."))
    shown = request.session.get(_claim_session_key(person.pk))
    claim = people_selectors.claim_for_token(shown["token"]) if shown else None
    if claim is None or not claim.is_open():
        messages.info(request, _("There is no sign-up code to show. Make a new one below."))
        return redirect("spaces:member_edit", slug=space.slug, member_id=membership.pk)
    url = request.build_absolute_uri(reverse("people:claim", args=[shown["token"]]))
    return render(
        request,
        "spaces/claim_handout.html",
        {
            "space": space,
            "membership": membership,
            "person": person,
            "code": codes.grouped(shown["code"]),
            "url": url,
            "code_page": request.build_absolute_uri(reverse("people:claim_code")),
            "expires_at": claim.expires_at,
            "days_left": math.ceil((claim.expires_at - timezone.now()).total_seconds() / 86400),
            "qr": qr_svg(
                url,
                label=_("QR code: scan it with a phone camera to open the sign-up link for %(name)s")
                % {"name": person.display_name},
            ),
        },
    )
