"""The people API's models (ninja schemas). Names are unique across the project (tests/core/test_api.py)."""

from __future__ import annotations

from ninja import Field, Schema

from coproduce.core.api import PatchSchema

from .models import ContactPreference, OrganisationKind


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


class NetworkRowOut(Schema):
    label: str
    url: str  # empty when the row is only a number


class NetworkSectionOut(Schema):
    module: str
    title: str
    url: str
    needs_attention: int
    rows: list[NetworkRowOut]


class NetworkNumbersOut(Schema):
    members: int
    active_recently: int  # signed in during the last 30 days
    taking_part_with_help: int
    deactivated: int
    organisations: int


class NetworkOut(Schema):
    numbers: NetworkNumbersOut
    sections: list[NetworkSectionOut]


class NetworkMemberOut(Schema):
    """A member as network administrators see them: never an email address."""

    id: int
    display_name: str
    contact_preference: str
    takes_part_with_help: bool
    space_count: int
    is_active: bool


class NetworkReason(Schema):
    reason: str = Field(..., min_length=1, max_length=500)


class OrganisationAdminIn(Schema):
    person_id: int


class OrganisationAdminsOut(Schema):
    slug: str
    admins: list[NetworkMemberOut]


class PersonalDataSectionOut(Schema):
    module: str
    key: str
    title: str
    rows: list[dict]


class PersonalDataOut(Schema):
    person: int
    made_at: str
    sections: list[PersonalDataSectionOut]


class EraseIn(Schema):
    confirm: bool = Field(description="Must be true: the account is erased and cannot be brought back.")


class ErasedOut(Schema):
    erased: bool
    removed: dict[str, dict[str, int]]
