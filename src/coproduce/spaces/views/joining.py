"""Getting in: asking to join (and the hosts' answer), invitation links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors

from .. import access, selectors, services
from ..forms import (
    DecisionForm,
    InvitationAcceptForm,
    InvitationForm,
    JoinRequestForm,
)
from ..models import Invitation, JoinRequest


@login_required
def join(request, slug: str):
    space = access.get_space_for(request.user, slug)
    if access.membership_of(request.user, space):
        messages.info(request, _("You are already a member of this space."))
        return redirect(space)
    if not space.is_public:
        raise PermissionDenied(_("This space is private: you can join it only with an invitation."))
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(actor=request.user, space=space, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you. A host will look at your request and reply soon."))
            return redirect(space)
    return render(request, "spaces/join.html", {"form": form, "space": space})


@login_required
@require_POST
def withdraw(request, slug: str):
    space = access.get_space_for(request.user, slug)
    join_request = get_object_or_404(
        JoinRequest, space=space, user=request.user, status=JoinRequest.Status.PENDING
    )
    services.join_request_withdraw(actor=request.user, join_request=join_request)
    messages.success(request, _("Your request has been withdrawn."))
    return redirect(space)


@login_required
def requests(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    pending = selectors.pending_requests(space)
    return render(
        request, "spaces/requests.html", {"space": space, "pending": pending, "form": DecisionForm()}
    )


@login_required
@require_POST
def decide(request, slug: str, request_id: int):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    join_request = get_object_or_404(JoinRequest.objects.select_related("user"), space=space, pk=request_id)
    form = DecisionForm(request.POST)
    approve = request.POST.get("decision") == "approve"
    if form.is_valid():
        try:
            services.join_request_decide(
                actor=request.user,
                join_request=join_request,
                approve=approve,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            name = join_request.user.display_name
            messages.success(
                request,
                (_("%(name)s is now a member.") if approve else _("You declined %(name)s's request."))
                % {"name": name},
            )
            return redirect("spaces:requests", slug=space.slug)
    pending = selectors.pending_requests(space)
    return render(
        request,
        "spaces/requests.html",
        {
            "space": space,
            "pending": pending,
            "form": DecisionForm(),
            "failed": join_request,
            "failed_form": form,
        },
        status=400,
    )


@login_required
def invitations(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    form = InvitationForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        try:
            _invitation, token = services.invitation_create(
                actor=request.user, space=space, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            link = request.build_absolute_uri(reverse("spaces:invitation", args=[token]))
            form = InvitationForm()
    return render(
        request,
        "spaces/invitations.html",
        {
            "space": space,
            "form": form,
            "link": link,
            "invitations": space.invitations.all()[:50],
        },
    )


@login_required
@require_POST
def invitation_revoke(request, slug: str, invitation_id: int):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    invitation = get_object_or_404(Invitation, space=space, pk=invitation_id)
    services.invitation_revoke(actor=request.user, invitation=invitation)
    messages.success(request, _("The invitation link no longer works."))
    return redirect("spaces:invitations", slug=space.slug)


@login_required
def invitation(request, token: str):
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return render(request, "spaces/invitation_invalid.html", status=404)
    space = invitation.space
    if access.membership_of(request.user, space):
        messages.info(request, _("You are already a member of this space."))
        return redirect(space)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(actor=request.user, token=token, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Welcome to %(space)s.") % {"space": space.title})
            return redirect(space)
    return render(request, "spaces/invitation.html", {"space": space, "invitation": invitation, "form": form})
