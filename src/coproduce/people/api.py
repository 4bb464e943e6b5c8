"""/api/v1/me and /api/v1/organisations: your own profile, and organisations. (Answering a space that asks to
list an organisation is in spaces/api.py, on the same paths.)"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Router, Status

from coproduce.core.api import PUBLIC

from . import selectors, services
from .models import Organisation
from .schemas import OrganisationIn, OrganisationOut, OrganisationPatch, ProfileOut, ProfilePatch

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
