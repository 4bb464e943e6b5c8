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
    claim_url = request.session.pop(f"claim_url_{membership.user_id}", None)
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
            "claim_url": claim_url,
            "may_make_claim_link": access.can_make_claim_link(request.user, membership.user),
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
