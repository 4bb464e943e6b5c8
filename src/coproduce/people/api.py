from __future__ import annotations

from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from coproduce.core.api import PUBLIC, PatchSchema

from . import services
from .models import ContactPreference, Organisation, OrganisationKind

router = Router(tags=["people"])


class ProfileOut(Schema):
    id: int
    display_name: str
    pronouns: str
    bio: str
    what_i_bring: str
    skills: list[str]
    interests: list[str]
    accessibility_needs: str
    contact_preference: str
    email: str | None  # your own, shown only to you


class ProfilePatch(PatchSchema):
    display_name: str | None = Field(None, min_length=1, max_length=80)
    pronouns: str | None = Field(None, max_length=30)
    bio: str | None = Field(None, max_length=1000)
    what_i_bring: str | None = Field(None, max_length=1000)
    accessibility_needs: str | None = Field(None, max_length=1000)
    contact_preference: ContactPreference | None = None
    skills: list[str] | None = None
    interests: list[str] | None = None


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


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    place: str
    website: str
    member_count: int


class OrganisationIn(Schema):
    name: str = Field(..., min_length=1, max_length=120)
    kind: OrganisationKind
    description: str = Field("", max_length=2000)
    place: str = Field("", max_length=120)
    website: str = Field("", max_length=200)


class OrganisationPatch(PatchSchema):
    name: str | None = Field(None, min_length=1, max_length=120)
    kind: OrganisationKind | None = None
    description: str | None = Field(None, max_length=2000)
    place: str | None = Field(None, max_length=120)
    website: str | None = Field(None, max_length=200)


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
    from django.db.models import Count, Q

    orgs = Organisation.objects.annotate(
        member_count=Count("memberships", filter=Q(memberships__approved=True))
    )
    return [_organisation(org) for org in orgs]


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
