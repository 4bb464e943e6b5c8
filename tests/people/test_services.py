"""Services for people: profiles, assisted people claiming their account, organisations and API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from tests.conftest import PASSWORD

from coproduce.core.models import AuditEvent
from coproduce.people import selectors, services
from coproduce.people.models import ApiToken, ClaimCode, OrganisationMembership, Tag, User, hash_token
from coproduce.spaces import services as space_services
from coproduce.spaces.models import Perspective

# --- Profiles -------------------------------------------------------------------------------------


def test_profile_update_saves_and_audits_which_fields_changed_but_not_their_values(member):
    services.profile_update(
        actor=member,
        user=member,
        display_name=" Lena L ",
        pronouns="she/her",
        accessibility_needs="I use a wheelchair",
        skills="Cooking, gardening ,  BSL",
        interests=["Walking"],
    )
    member.refresh_from_db()
    assert (member.display_name, member.pronouns, member.accessibility_needs) == (
        "Lena L",
        "she/her",
        "I use a wheelchair",
    )
    assert [t.name for t in member.skills.all()] == ["bsl", "cooking", "gardening"]
    assert [t.name for t in member.interests.all()] == ["walking"]
    event = AuditEvent.objects.get(action="profile.updated")
    assert event.actor == member
    # The fields as people read them, not as the code names them.
    for field in ("name to show", "pronouns", "my access needs", "skills", "interests"):
        assert field in event.summary
    assert "wheelchair" not in event.summary and "wheelchair" not in str(event.changes)


def test_tags_are_shared_between_people(member, practitioner):
    services.profile_update(actor=member, user=member, skills="Cooking")
    services.profile_update(actor=practitioner, user=practitioner, skills="cooking, Listening")
    assert Tag.objects.filter(name="cooking").count() == 1
    assert set(Tag.objects.get(name="cooking").skilled_people.all()) == {member, practitioner}


def test_a_profile_update_that_changes_nothing_is_not_audited(member):
    services.profile_update(actor=member, user=member, display_name=member.display_name)
    assert not AuditEvent.objects.filter(action="profile.updated").exists()


def test_nobody_changes_someone_elses_profile(member, host):
    with pytest.raises(PermissionDenied):
        services.profile_update(actor=host, user=member, display_name="Taken over")
    assert User.objects.get(pk=member.pk).display_name == "Lena Lived"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("display_name", "x" * 81),
        ("display_name", "  "),
        ("pronouns", "p" * 31),
        ("contact_preference", "pigeon"),
    ],
)
def test_bad_profile_input_saves_nothing(member, field, value):
    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=member, user=member, **{field: value})
    assert field in error.value.message_dict
    fresh = User.objects.get(pk=member.pk)
    assert (fresh.display_name, fresh.bio, fresh.contact_preference) == ("Lena Lived", "", "email")
    assert not AuditEvent.objects.filter(action="profile.updated").exists()


def test_profile_update_rejects_fields_that_are_not_profile_fields(member):
    with pytest.raises(ValueError, match="is_staff"):
        services.profile_update(actor=member, user=member, is_staff=True)
    assert not User.objects.get(pk=member.pk).is_staff


def test_parse_tags():
    assert services.parse_tags("Cooking, gardening ,  BSL,, cooking") == ["bsl", "cooking", "gardening"]
    assert services.parse_tags(["Tea  making", " "]) == ["tea making"]
    assert services.parse_tags("") == []
    with pytest.raises(ValidationError, match="under 40 characters"):
        services.parse_tags("x" * 41)
    with pytest.raises(ValidationError, match="at most 20"):
        services.parse_tags(",".join(f"tag {i}" for i in range(21)))


# --- Claiming an account --------------------------------------------------------------------------


@pytest.fixture
def fast_passwords(settings, host):
    """Argon2 is slow on purpose. Tests that set passwords hash them quickly; older hashes still check.

    It asks for `host` so that the shared persona password hash is made first, with the real hashers.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def margaret(space, facilitator, fast_passwords):
    return space_services.assisted_person_add(
        actor=facilitator, space=space, display_name="Margaret", perspective=Perspective.LIVED_EXPERIENCE
    ).user


def test_a_claim_link_lets_an_assisted_person_set_their_email_and_password(margaret, facilitator):
    token = space_services.claim_link_create(actor=facilitator, person=margaret).token
    assert selectors.person_for_claim(token) == margaret
    claim = ClaimCode.objects.get(person=margaret)
    assert claim.token_hash == hash_token(token) and token not in claim.token_hash

    person = services.account_claim(token=token, email=" Margaret@Example.org ", password=PASSWORD)

    person.refresh_from_db()
    assert person.email == "Margaret@example.org" and not person.is_assisted
    assert person.check_password(PASSWORD)
    assert ClaimCode.objects.get(person=margaret).used_at is not None
    assert selectors.person_for_claim(token) is None
    assert person.emailaddress_set.get().email == "Margaret@example.org"
    assert AuditEvent.objects.filter(action="person.claimed_account", actor=person).exists()
    assert AuditEvent.objects.get(action="person.claim_link_created").on_behalf_of == person


def test_a_claim_link_works_once(margaret, facilitator):
    token = space_services.claim_link_create(actor=facilitator, person=margaret).token
    services.account_claim(token=token, email="margaret@example.org", password=PASSWORD)
    with pytest.raises(ValidationError, match="expired or has already been used"):
        services.account_claim(token=token, email="someone.else@example.org", password=PASSWORD)


def test_a_new_link_replaces_the_old_one(margaret, facilitator):
    old = space_services.claim_link_create(actor=facilitator, person=margaret).token
    space_services.claim_link_create(actor=facilitator, person=margaret)
    assert selectors.person_for_claim(old) is None


@pytest.mark.parametrize(
    ("email", "password", "field"),
    [
        ("hana.host@example.org", PASSWORD, "email"),
        ("HANA.HOST@EXAMPLE.ORG", PASSWORD, "email"),
        ("margaret@example.org", "password", None),
        ("margaret@example.org", "12345678901", None),
        ("not an email", PASSWORD, "email"),
    ],
)
def test_a_claim_is_refused_when_the_email_is_taken_or_the_password_weak(
    margaret, facilitator, host, email, password, field
):
    token = space_services.claim_link_create(actor=facilitator, person=margaret).token
    with pytest.raises(ValidationError) as error:
        services.account_claim(token=token, email=email, password=password)
    if field:
        assert field in error.value.message_dict
    fresh = User.objects.get(pk=margaret.pk)
    assert fresh.email is None and not fresh.has_usable_password()
    assert selectors.person_for_claim(token) == fresh  # the link still works for another try


def test_only_the_facilitators_of_the_person_make_a_claim_link(margaret, host, member, outsider):
    assert space_services.claim_link_create(actor=host, person=margaret)  # host of a space Margaret is in
    for stranger in (member, outsider):
        with pytest.raises(PermissionDenied):
            space_services.claim_link_create(actor=stranger, person=margaret)


def test_no_claim_link_for_someone_with_an_account(facilitator, member):
    with pytest.raises(ValidationError, match="already has their own account"):
        space_services.claim_link_create(actor=facilitator, person=member)


def test_an_unknown_or_empty_claim_token_finds_nobody(margaret):
    assert selectors.person_for_claim("") is None
    assert selectors.person_for_claim("nope") is None


# --- Organisations --------------------------------------------------------------------------------


def test_creating_an_organisation_makes_you_its_admin(host):
    org = services.organisation_create(actor=host, name=" Open Door ", kind="charity", place="Paisley")
    assert (org.name, org.slug) == ("Open Door", "open-door")
    assert OrganisationMembership.objects.filter(
        organisation=org, user=host, is_admin=True, approved=True
    ).exists()
    event = AuditEvent.objects.get(action="organisation.created")
    assert event.public and event.actor == host


def test_organisation_names_are_unique_and_kinds_known(host):
    services.organisation_create(actor=host, name="Open Door", kind="charity")
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=host, name="Open Door", kind="charity")
    assert "name" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.organisation_create(actor=host, name="Elsewhere", kind="cartel")
    assert "kind" in error.value.message_dict


def test_joining_an_organisation_waits_for_an_admin(host, member, outsider):
    org = services.organisation_create(actor=host, name="Open Door", kind="charity")
    request = services.organisation_join(actor=member, organisation=org)
    assert (request.approved, request.is_admin) == (False, False)
    with pytest.raises(ValidationError, match="already asked"):
        services.organisation_join(actor=member, organisation=org)
    assert OrganisationMembership.objects.filter(organisation=org, user=member).count() == 1

    with pytest.raises(PermissionDenied):  # not even the person themself
        services.organisation_membership_set(actor=member, membership=request, approved=True)
    with pytest.raises(PermissionDenied):
        services.organisation_membership_set(actor=outsider, membership=request, approved=True)
    services.organisation_membership_set(actor=host, membership=request, approved=True)
    request.refresh_from_db()
    assert request.approved
    assert AuditEvent.objects.get(action="organisation_membership.changed").changes == {
        "approved": [False, True]
    }


def test_an_organisation_always_keeps_an_admin(host, member):
    org = services.organisation_create(actor=host, name="Open Door", kind="charity")
    mine = OrganisationMembership.objects.get(organisation=org, user=host)
    with pytest.raises(ValidationError, match="at least one admin"):
        services.organisation_membership_set(actor=host, membership=mine, is_admin=False)
    with pytest.raises(ValidationError, match="at least one admin"):
        services.organisation_membership_remove(actor=host, membership=mine)
    assert OrganisationMembership.objects.get(pk=mine.pk).is_admin

    theirs = services.organisation_join(actor=member, organisation=org)
    services.organisation_membership_set(actor=host, membership=theirs, approved=True, is_admin=True)
    services.organisation_membership_set(actor=host, membership=mine, is_admin=False)
    assert not OrganisationMembership.objects.get(pk=mine.pk).is_admin
    with pytest.raises(PermissionDenied):  # no longer an admin
        services.organisation_update(actor=host, organisation=org, place="Renfrew")


def test_members_leave_and_admins_remove(host, member, practitioner):
    org = services.organisation_create(actor=host, name="Open Door", kind="charity")
    lena = services.organisation_join(actor=member, organisation=org)
    pat = services.organisation_join(actor=practitioner, organisation=org)
    with pytest.raises(PermissionDenied):
        services.organisation_membership_remove(actor=member, membership=pat)
    services.organisation_membership_remove(actor=member, membership=lena)
    services.organisation_membership_remove(actor=host, membership=pat)
    assert list(org.memberships.values_list("user", flat=True)) == [host.pk]


def test_organisation_update_by_admins_and_network_admins(host, member, admin_user):
    org = services.organisation_create(actor=host, name="Open Door", kind="charity")
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=member, organisation=org, place="Renfrew")
    services.organisation_update(actor=admin_user, organisation=org, place="Renfrew")
    services.organisation_update(actor=host, organisation=org, place="Renfrew", description="Drop-ins")
    events = AuditEvent.objects.filter(action="organisation.updated").order_by("id")
    assert [e.changes for e in events] == [{"place": ["", "Renfrew"]}, {"description": ["", "Drop-ins"]}]
    with pytest.raises(ValidationError):
        services.organisation_update(actor=host, organisation=org, website="not a website")
    with pytest.raises(ValueError, match="slug"):
        services.organisation_update(actor=host, organisation=org, slug="taken")


# --- API tokens -----------------------------------------------------------------------------------


def test_an_api_token_is_shown_once_and_only_its_hash_is_kept(member):
    token, raw = services.api_token_create(actor=member, name=" My script ")
    assert raw.startswith("cp_") and len(raw) > 40
    assert (token.name, token.prefix, token.key_hash) == ("My script", raw[:8], hash_token(raw))
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    assert services.user_for_api_token(raw) == member
    assert services.user_for_api_token(raw + "x") is None
    assert AuditEvent.objects.filter(action="api_token.created", actor=member).exists()


@pytest.mark.parametrize("name", ["", "   ", "n" * 61])
def test_an_api_token_needs_a_short_name(member, name):
    with pytest.raises(ValidationError):
        services.api_token_create(actor=member, name=name)
    assert not ApiToken.objects.exists()


def test_a_token_of_a_deactivated_person_does_not_work(member):
    _token, raw = services.api_token_create(actor=member, name="script")
    User.objects.filter(pk=member.pk).update(is_active=False)
    assert services.user_for_api_token(raw) is None


def test_revoking_a_token(member, host):
    token, raw = services.api_token_create(actor=member, name="script")
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(actor=host, token=token)
    services.api_token_revoke(actor=member, token=token)
    assert services.user_for_api_token(raw) is None
    assert AuditEvent.objects.filter(action="api_token.revoked").exists()


def test_last_used_is_recorded_at_most_once_a_minute(member):
    token, raw = services.api_token_create(actor=member, name="script")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        services.user_for_api_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=30), tick=False):
        services.user_for_api_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start
    with time_machine.travel(start + dt.timedelta(seconds=61), tick=False):
        services.user_for_api_token(raw)
    token.refresh_from_db()
    assert token.last_used_at == start + dt.timedelta(seconds=61)
