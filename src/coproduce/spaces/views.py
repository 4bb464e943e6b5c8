"""Space pages. Each view: parse → access → service → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core.views import apply_errors
from coproduce.people import services as people_services
from coproduce.people.models import User

from . import access, selectors, services
from .forms import (
    AssistedPersonForm,
    DecisionForm,
    DirectoryForm,
    InvitationAcceptForm,
    InvitationForm,
    JoinRequestForm,
    MembershipForm,
    RemoveForm,
    SpaceCreateForm,
    SpaceForm,
    StageForm,
)
from .models import Invitation, JoinRequest, Space, Stage, StageStatus


def directory(request):
    form = DirectoryForm(request.GET or None, places=selectors.places(request.user))
    form.is_valid()
    # A filter that is not valid (say, a place that no longer exists) is left out; the others still apply.
    filters = getattr(form, "cleaned_data", {})
    spaces = selectors.space_directory(request.user, **{k: v for k, v in filters.items() if v})
    page = Paginator(spaces, 20).get_page(request.GET.get("page"))
    template = "spaces/_directory_results.html" if request.htmx else "spaces/directory.html"
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


@login_required
def create(request):
    form = SpaceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            space = services.space_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your space is ready. Open a stage and invite people when you are ready.")
            )
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form})


def detail(request, slug: str):
    space = access.get_space_for(request.user, slug)
    membership = access.membership_of(request.user, space)
    context = {
        "space": space,
        "membership": membership,
        "is_host": access.has_role(request.user, space, access.HOST),
        "is_facilitator": access.has_role(request.user, space, access.FACILITATOR),
        "timeline": selectors.timeline(space, request.user),
        "member_count": space.memberships.count(),
        "pending_request": selectors.my_pending_request(request.user, space),
        "pending_count": selectors.pending_requests(space).count()
        if membership and membership.role == "host"
        else 0,
        "organisations": space.organisations.all(),
        "invited_organisations": selectors.invited_organisations(space)
        if membership and membership.role == "host"
        else [],
    }
    return render(request, "spaces/detail.html", context)


@login_required
def edit(request, slug: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    form = SpaceForm(request.POST or None, instance=Space.objects.get(pk=space.pk))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisations = data.pop("organisations")
        try:
            services.space_update(actor=request.user, space=space, organisations=organisations, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(space)
    return render(request, "spaces/space_form.html", {"form": form, "space": space})


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
def stage_edit(request, slug: str, kind: str):
    space = access.get_space_for(request.user, slug, need=access.HOST)
    stage = get_object_or_404(Stage, space=space, kind=kind)
    form = StageForm(request.POST or None, instance=Stage.objects.get(pk=stage.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.stage_update(actor=request.user, stage=stage, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(stage)s saved.") % {"stage": stage.get_kind_display()})
            phase = Space.objects.get(pk=space.pk).phase
            if phase.kind == phase.BETWEEN:
                messages.info(
                    request,
                    _("No stage is open now. The space shows as between stages until you open %(next)s.")
                    % {"next": phase.next.get_kind_display()},
                )
            return redirect(space)
    # Closing the only open stage leaves the space between stages: say so before the host saves.
    only_open = (
        stage.status == StageStatus.OPEN
        and not space.stages.filter(status=StageStatus.OPEN).exclude(pk=stage.pk).exists()
    )
    return render(
        request,
        "spaces/stage_form.html",
        {"space": space, "stage": stage, "form": form, "closing_leaves_none_open": only_open},
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
    invitation = services.invitation_for_token(token)
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


def history(request, slug: str):
    space = access.get_space_for(request.user, slug)
    events, full = selectors.history(space, request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    names = full or access.shows_names(request.user, space)  # the public sees what changed, not who
    return render(
        request, "spaces/history.html", {"space": space, "page": page, "full": full, "show_names": names}
    )


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
        token = people_services.claim_link_create(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # Shown once, on the next page; only the hash is stored.
        request.session[f"claim_url_{person.pk}"] = request.build_absolute_uri(
            reverse("people:claim", args=[token])
        )
    return redirect("spaces:member_edit", slug=space.slug, member_id=membership.pk)
