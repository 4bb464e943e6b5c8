"""/api/v1/me, /api/v1/organisations and /api/v1/network: your own profile, organisations, and the network
admin screen's reads and changes. (Answering a space that asks to
list an organisation is in spaces/api.py, on the same paths.)"""

from __future__ import annotations

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Status

from coproduce.core.api import PUBLIC

from . import access, network_views, selectors, services
from .models import Organisation, OrganisationMembership, User
from .schemas import (
    ErasedOut,
    EraseIn,
    NetworkMemberOut,
    NetworkOut,
    NetworkReason,
    OrganisationAdminIn,
    OrganisationAdminsOut,
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PersonalDataOut,
    ProfileOut,
    ProfilePatch,
)

router = Router(tags=["people"])


def _profile(user) -> dict:
    return {
        "id": user.pk,
        "display_name": user.display_name,
        "pronouns": user.pronouns,
        "bio": user.bio,
        "what_i_bring": user.what_i_bring,
        "skills": [t.name for t in user.skills.all()],
        "interests": [t.name for t in user.interests.all()],
        "accessibility_needs": user.accessibility_needs,
        "contact_preference": user.contact_preference,
        "email": user.email,
    }


@router.get("/me", response=ProfileOut, summary="Your own profile")
def me(request):
    return _profile(request.user)


@router.patch("/me", response=ProfileOut, summary="Change your own profile")
def me_update(request, payload: ProfilePatch):
    data = payload.dict(exclude_unset=True)
    skills, interests = data.pop("skills", None), data.pop("interests", None)
    services.profile_update(actor=request.user, user=request.user, skills=skills, interests=interests, **data)
    return _profile(request.user)


# --- Your data (UK GDPR): download and erasure. Only the person, or a network administrator for them. ---


def _zip(person: User) -> HttpResponse:
    response = HttpResponse(services.personal_data_csv(person), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="my-data-csv.zip"'
    response["Cache-Control"] = "no-store"
    return response


def _erase(request, person: User, payload: EraseIn) -> dict:
    if not payload.confirm:
        raise ValidationError({"confirm": "Send confirm: true to erase the account."})
    return {"erased": True, "removed": services.person_erase(actor=request.user, person=person)}


@router.get("/me/data", response=PersonalDataOut, summary="Everything held about you, as JSON")
def me_data(request):
    return services.personal_data_json(request.user)


@router.get("/me/data.zip", summary="Everything held about you, as a zip of CSV files")
def me_data_zip(request):
    return _zip(request.user)


@router.post("/me/erase", response=ErasedOut, summary="Erase your account (cannot be undone)")
def me_erase(request, payload: EraseIn):
    return _erase(request, request.user, payload)


@router.get(
    "/network/members/{person_id}/data",
    response=PersonalDataOut,
    summary="Everything held about a person, for their request (network administrators)",
)
def network_member_data(request, person_id: int):
    access.require_network_admin(request.user)
    return services.personal_data_json(access.get_data_subject_for(request.user, person_id))


@router.post(
    "/network/members/{person_id}/erase",
    response=ErasedOut,
    summary="Erase a person's account at their request (network administrators)",
)
def network_member_erase(request, person_id: int, payload: EraseIn):
    access.require_network_admin(request.user)
    return _erase(request, access.get_data_subject_for(request.user, person_id), payload)


def _organisation(org: Organisation) -> dict:
    return {
        "slug": org.slug,
        "name": org.name,
        "kind": org.kind,
        "description": org.description,
        "place": org.place,
        "website": org.website,
        "member_count": getattr(org, "member_count", None) or org.memberships.filter(approved=True).count(),
    }


@router.get("/organisations", response=list[OrganisationOut], auth=PUBLIC, summary="All organisations")
def organisation_list(request):
    return [_organisation(org) for org in selectors.organisations()]


@router.get("/organisations/{slug}", response=OrganisationOut, auth=PUBLIC, summary="One organisation")
def organisation_detail(request, slug: str):
    return _organisation(get_object_or_404(Organisation, slug=slug))


@router.post(
    "/organisations", response={201: OrganisationOut}, summary="Create an organisation; you become its admin"
)
def organisation_create(request, payload: OrganisationIn):
    org = services.organisation_create(actor=request.user, **payload.dict())
    return Status(201, _organisation(org))


@router.patch(
    "/organisations/{slug}", response=OrganisationOut, summary="Change an organisation (its admins)"
)
def organisation_update(request, slug: str, payload: OrganisationPatch):
    org = get_object_or_404(Organisation, slug=slug)
    # Only the fields sent: a field left out keeps its value instead of being emptied.
    services.organisation_update(actor=request.user, organisation=org, **payload.dict(exclude_unset=True))
    return _organisation(org)


# --- The network admin screen (network administrators only; 404 for everyone else) ---------------


def _network_member(person: User) -> dict:
    return {
        "id": person.pk,
        "display_name": person.display_name,
        "contact_preference": person.contact_preference,
        "takes_part_with_help": person.is_assisted,
        "space_count": getattr(person, "space_count", None)
        if getattr(person, "space_count", None) is not None
        else person.memberships.count(),
        "is_active": person.is_active,
    }


@router.get(
    "/network", response=NetworkOut, summary="The network admin screen: numbers and every module's section"
)
def network(request):
    access.require_network_admin(request.user)
    return {
        "numbers": asdict(selectors.network_numbers()),
        "sections": [
            {
                "module": s.module,
                "title": str(s.title),
                "url": s.url,
                "needs_attention": s.needs_attention,
                "rows": [{"label": str(label), "url": url} for label, url in s.rows],
            }
            for s in network_views.sections(request.user)
        ],
    }


@router.get(
    "/network/members", response=list[NetworkMemberOut], summary="Members, by name (network administrators)"
)
def network_members(request, q: str = "", page: int = 1):
    access.require_network_admin(request.user)
    found = Paginator(selectors.network_members(q[:80]), network_views.PAGE_SIZE).get_page(page)
    return [_network_member(person) for person in found.object_list]


def _set_active(request, person_id: int, payload: NetworkReason, *, active: bool) -> dict:
    access.require_network_admin(request.user)
    person = get_object_or_404(User, pk=person_id)
    services.person_set_active(actor=request.user, person=person, active=active, reason=payload.reason)
    return _network_member(get_object_or_404(selectors.network_members(), pk=person_id))


@router.post(
    "/network/members/{person_id}/deactivate",
    response=NetworkMemberOut,
    summary="Stop someone signing in, with a reason (network administrators)",
)
def network_member_deactivate(request, person_id: int, payload: NetworkReason):
    return _set_active(request, person_id, payload, active=False)


@router.post(
    "/network/members/{person_id}/reactivate",
    response=NetworkMemberOut,
    summary="Let someone sign in again, with a reason (network administrators)",
)
def network_member_reactivate(request, person_id: int, payload: NetworkReason):
    return _set_active(request, person_id, payload, active=True)


def _admins(org: Organisation) -> dict:
    admins = OrganisationMembership.objects.filter(organisation=org, is_admin=True, approved=True)
    people = selectors.network_members().filter(pk__in=admins.values("user_id"))
    return {"slug": org.slug, "admins": [_network_member(p) for p in people]}


@router.post(
    "/network/organisations/{slug}/admins",
    response={201: OrganisationAdminsOut},
    summary="Make someone an admin of an organisation (network administrators)",
)
def network_organisation_admin_add(request, slug: str, payload: OrganisationAdminIn):
    access.require_network_admin(request.user)
    org = get_object_or_404(Organisation, slug=slug)
    person = get_object_or_404(User, pk=payload.person_id)
    services.organisation_admin_set(actor=request.user, organisation=org, person=person, admin=True)
    return Status(201, _admins(org))


@router.delete(
    "/network/organisations/{slug}/admins/{person_id}",
    response=OrganisationAdminsOut,
    summary="End someone's admin rights in an organisation (network administrators)",
)
def network_organisation_admin_remove(request, slug: str, person_id: int):
    access.require_network_admin(request.user)
    org = get_object_or_404(Organisation, slug=slug)
    person = get_object_or_404(User, pk=person_id)
    services.organisation_admin_set(actor=request.user, organisation=org, person=person, admin=False)
    return _admins(org)
