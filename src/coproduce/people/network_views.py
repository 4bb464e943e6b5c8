"""The network admin screen (/network/): members, organisations and their admins, and what every module adds
(moderation, the timebank's coordinators, numbers) through its manifest's `network_admin`. Only network
administrators (`access.can_admin_network`); everyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coproduce.core import registry
from coproduce.core.registry import NetworkAdminSection
from coproduce.core.views import apply_errors

from . import access, selectors, services, views
from .forms import DeactivateForm, EraseForPersonForm
from .models import Organisation, User

PAGE_SIZE = 50


def sections(user) -> list[NetworkAdminSection]:
    """What every installed module shows a network administrator, in the order the modules are installed."""
    found = []
    for manifest in registry.manifests():
        if manifest.network_admin is not None:
            section = manifest.network_admin(user)
            if section is not None:
                found.append(section)
    return found


@login_required
def dashboard(request):
    access.require_network_admin(request.user)
    return render(
        request,
        "people/network/dashboard.html",
        {"numbers": selectors.network_numbers(), "sections": sections(request.user)},
    )


@login_required
def members(request):
    access.require_network_admin(request.user)
    q = request.GET.get("q", "").strip()[:80]
    page = Paginator(selectors.network_members(q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/network/members.html",
        {"page": page, "q": q, "query": f"q={q}" if q else ""},
    )


@login_required
def member(request, person_id: int):
    access.require_network_admin(request.user)
    person = get_object_or_404(selectors.network_members(), pk=person_id)
    form = DeactivateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.person_set_active(
                actor=request.user,
                person=person,
                active=request.POST.get("action") == "reactivate",
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error, default_field="reason")
        else:
            messages.success(
                request,
                (_("%(name)s can sign in again.") if changed.is_active else _("%(name)s is deactivated."))
                % {"name": changed},
            )
            return redirect("people:network_member", person_id=person.pk)
    return render(
        request,
        "people/network/member.html",
        {"person": person, "form": form, "is_self": person.pk == request.user.pk},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def organisations(request):
    access.require_network_admin(request.user)
    return render(
        request, "people/network/organisations.html", {"organisations": selectors.network_organisations()}
    )


@login_required
def organisation(request, slug: str):
    access.require_network_admin(request.user)
    org = get_object_or_404(selectors.network_organisations(), slug=slug)
    q = request.GET.get("q", "").strip()[:80]
    found = list(selectors.organisation_people(org, q)[:20]) if q else []
    return render(request, "people/network/organisation.html", {"org": org, "q": q, "found": found})


@login_required
@require_POST
def organisation_admin(request, slug: str):
    access.require_network_admin(request.user)
    org = get_object_or_404(Organisation, slug=slug)
    raw = request.POST.get("person", "")
    person = User.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    action = request.POST.get("action")
    if person is None or action not in {"add", "remove"}:
        messages.error(request, _("Choose a person from the list."))
        return redirect("people:network_organisation", slug=org.slug)
    try:
        services.organisation_admin_set(
            actor=request.user, organisation=org, person=person, admin=action == "add"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (
                _("%(name)s is now an admin of %(org)s.")
                if action == "add"
                else _("%(name)s is no longer an admin of %(org)s.")
            )
            % {"name": person, "org": org},
        )
    return redirect("people:network_organisation", slug=org.slug)


@login_required
def member_data(request, person_id: int, fmt: str):
    """A person's data, for a network administrator answering their request."""
    access.require_network_admin(request.user)
    return views.data_download(access.get_data_subject_for(request.user, person_id), fmt)


@login_required
def member_erase(request, person_id: int):
    """Erase a person's account at their request; the same erasure as theirs (services.person_erase)."""
    access.require_network_admin(request.user)
    person = access.get_data_subject_for(request.user, person_id)
    form = EraseForPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_erase(actor=request.user, person=person)
        except (ValidationError, PermissionDenied) as error:
            form.add_error("confirm", " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("The account was erased."))
            if person.pk == request.user.pk:
                return redirect("/")
            return redirect("people:network_members")
    return render(
        request,
        "people/network/erase.html",
        {"person": person, "form": form, "kinds": views.kept_and_removed()},
        status=400 if request.method == "POST" else 200,
    )
