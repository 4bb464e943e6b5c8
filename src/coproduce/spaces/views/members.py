"""Members: the list, changing a role or perspective, removing, leaving, people who take part with help."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people.models import User

from .. import access, selectors, services
from ..forms import (
    AssistedPersonForm,
    MembershipForm,
    RemoveForm,
)


@login_required
def members(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    return render(
        request,
        "spaces/members.html",
        {
            "space": space,
            "members": selectors.members(space),
            "is_host": access.has_role(request.user, space, access.HOST),
            "is_facilitator": access.has_role(request.user, space, access.FACILITATOR),
        },
    )


@login_required
def member_edit(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.MEMBER)
    membership = access.get_membership_for(request.user, space, member_id)
    is_host = access.has_role(request.user, space, access.HOST)
    may_edit = (
        is_host
        or membership.user_id == request.user.pk
        or (membership.user.is_assisted and access.has_role(request.user, space, access.FACILITATOR))
    )
    if not may_edit:
        raise PermissionDenied(_("You cannot change this member's role or perspective."))
    initial = {"role": membership.role, "perspective": membership.perspective}
    form = MembershipForm(request.POST or None, initial=initial, can_change_role=is_host)
    claim_url = request.session.pop(f"claim_url_{membership.user_id}", None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(actor=request.user, membership=membership, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                raise
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
            "is_host": is_host,
            "remove_form": RemoveForm() if is_host and membership.user_id != request.user.pk else None,
            "claim_url": claim_url,
            "may_make_claim_link": membership.user.is_assisted
            and access.has_role(request.user, space, access.FACILITATOR),
        },
    )


@login_required
@require_POST
def member_remove(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    membership = access.get_membership_for(request.user, space, member_id)
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
            "is_host": True,
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


@login_required
@require_POST
def claim_link(request, slug: str, member_id: int):
    space = access.get_space_for(request.user, slug, need=access.FACILITATOR)
    membership = access.get_membership_for(request.user, space, member_id)
    person = User.objects.get(pk=membership.user_id)
    try:
        token = services.claim_link_create(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # Shown once, on the next page; only the hash is stored.
        request.session[f"claim_url_{person.pk}"] = request.build_absolute_uri(
            reverse("people:claim", args=[token])
        )
    return redirect("spaces:member_edit", slug=space.slug, member_id=membership.pk)
