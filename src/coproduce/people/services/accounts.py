"""Changes to people, organisations and tokens: validated, atomic and audited."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from coproduce.core import audit
from coproduce.core.prepared import Prepared, Together
from coproduce.core.shared import Remembered
from coproduce.core.validators import single_line

from .. import selectors
from ..access import can_admin_network, is_organisation_admin
from ..models import ApiToken, ClaimCode, Organisation, OrganisationMembership, Tag, User, hash_token

PROFILE_FIELDS = [
    "display_name",
    "pronouns",
    "bio",
    "what_i_bring",
    "accessibility_needs",
    "contact_preference",
]
ORGANISATION_FIELDS = ["name", "kind", "description", "place", "website"]
TAG_MAX = 20


def parse_tags(text: str | Iterable[str]) -> list[str]:
    """ "Cooking, gardening ,  BSL" -> ["bsl", "cooking", "gardening"] (comma-separated, case-folded)."""
    items = text.split(",") if isinstance(text, str) else list(text)
    names = sorted({" ".join(item.split()).lower() for item in items if item and item.strip()})
    too_long = [name for name in names if len(name) > 40]
    if too_long:
        raise ValidationError(
            _("Keep each tag under 40 characters: “%(tag)s” is too long.") % {"tag": too_long[0][:50]}
        )
    if len(names) > TAG_MAX:
        raise ValidationError(_("Choose at most %(n)s tags.") % {"n": TAG_MAX})
    for name in names:
        # Tags are made with get_or_create, which skips the model's validators: check them here.
        single_line(name)
    return names


def _tags(names: list[str]) -> list[Tag]:
    return [Tag.objects.get_or_create(name=name)[0] for name in names]


@transaction.atomic
def profile_update(
    *,
    actor: User,
    user: User,
    skills: str | Iterable[str] | None = None,
    interests: str | Iterable[str] | None = None,
    **fields: Any,
) -> User:
    if actor.pk != user.pk:
        raise PermissionDenied(_("You can only change your own profile."))
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"not a profile field: {', '.join(sorted(unknown))}")
    before = audit.snapshot(user, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value.strip() if isinstance(value, str) else value)
    user.full_clean(exclude=["password", "email"])
    changed = list(audit.diff(user, before, PROFILE_FIELDS))
    if changed:
        user.save(update_fields=changed)
    for label, names in (("skills", skills), ("interests", interests)):
        if names is not None:
            getattr(user, label).set(_tags(parse_tags(names)))
            changed.append(label)
    if changed:
        # Profile text can hold health information: record which fields changed, never their values.
        audit.record(
            actor=actor,
            action="profile.updated",
            target=user,
            summary=_("Profile updated: %(fields)s") % {"fields": audit.field_names(user, changed)},
        )
    return user


# --- Claiming an account (the link is made by a facilitator: spaces.services) ---------------------


CLAIM_NOT_WORKING = _(
    "This link or code has expired or has already been used. Ask your facilitator for a new one."
)


@transaction.atomic
def account_claim(*, email: str, password: str, token: str = "", claim_id: int | None = None) -> User:
    """The person takes over their record with their sign-up link (`token`) or the code that came with it
    (`claim_id`, found by `selectors.claim_for_code`): everything done on their behalf stays theirs to see."""
    from allauth.account.models import EmailAddress

    claim = (
        selectors.claim_for_token(token)
        if token
        else ClaimCode.objects.filter(pk=claim_id).first()
        if claim_id is not None
        else None
    )
    if claim is None:
        raise ValidationError(CLAIM_NOT_WORKING)
    now = timezone.now()
    # Claim it with a conditional UPDATE before anything else: of two uses at once (a link opened twice, a
    # code read out to two people), exactly one gets the row; the other is told it was used. If anything
    # below fails, the transaction rolls back and the link still works for another try.
    won = ClaimCode.objects.filter(
        pk=claim.pk, used_at__isnull=True, ended_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    person = User.objects.select_for_update().get(pk=claim.person_id)
    if not won or not person.is_assisted:
        raise ValidationError(CLAIM_NOT_WORKING)
    email = User.objects.normalize_email(email.strip())
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This email address is already used by another account. Sign in instead.")}
        )
    validate_password(password, person)
    person.email = email
    person.set_password(password)
    person.full_clean()
    try:
        with transaction.atomic():
            person.save(update_fields=["email", "password"])
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("This email address is already used by another account.")}
        ) from error
    # Any other link made for them stops working: they have their own sign-in now.
    ClaimCode.objects.filter(person=person, used_at__isnull=True, ended_at__isnull=True).update(ended_at=now)
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=False)
    audit.record(
        actor=person,
        action="person.claimed_account",
        target=person,
        summary=_("%(name)s set up their own sign-in with the %(way)s a facilitator gave them")
        % {"name": person, "way": _("link") if token else _("code")},
        changes={"claim_code": [claim.pk, None]},
    )
    return person


# --- Organisations --------------------------------------------------------------------------------


@transaction.atomic
def organisation_create(
    *, actor: User, name: str, kind: str, description: str = "", place: str = "", website: str = ""
) -> Organisation:
    base = slugify(name)[:100] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    organisation = Organisation(
        name=name.strip(),
        slug=slug,
        kind=kind,
        description=description.strip(),
        place=place.strip(),
        website=website.strip(),
    )
    organisation.full_clean()
    organisation.save()
    OrganisationMembership.objects.create(organisation=organisation, user=actor, is_admin=True, approved=True)
    audit.record(
        actor=actor,
        action="organisation.created",
        target=organisation,
        summary=_("Organisation “%(name)s” created") % {"name": organisation.name},
        public=True,
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an organisation admin can change it."))
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"not an organisation field: {', '.join(sorted(unknown))}")
    before = audit.snapshot(organisation, ORGANISATION_FIELDS)
    for name, value in fields.items():
        setattr(organisation, name, value.strip() if isinstance(value, str) else value)
    organisation.full_clean()
    changes = audit.diff(organisation, before, ORGANISATION_FIELDS)
    if changes:
        organisation.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="organisation.updated",
            target=organisation,
            changes=changes,
            public=True,
            summary=_("Organisation details changed: %(fields)s")
            % {"fields": audit.field_names(organisation, changes)},
        )
    return organisation


@transaction.atomic
def organisation_join(*, actor: User, organisation: Organisation) -> OrganisationMembership:
    """Ask to be listed as part of an organisation; an organisation admin confirms."""
    try:
        with transaction.atomic():
            membership = OrganisationMembership.objects.create(organisation=organisation, user=actor)
    except IntegrityError as error:
        raise ValidationError(_("You have already asked to join this organisation.")) from error
    audit.record(
        actor=actor,
        action="organisation_membership.requested",
        target=membership,
        summary=_("%(name)s asked to join %(org)s") % {"name": actor, "org": organisation},
    )
    return membership


@transaction.atomic
def organisation_membership_set(
    *,
    actor: User,
    membership: OrganisationMembership,
    approved: bool | None = None,
    is_admin: bool | None = None,
) -> OrganisationMembership:
    organisation = membership.organisation
    if not is_organisation_admin(actor, organisation):
        raise PermissionDenied(_("Only an organisation admin can do this."))
    # Lock: two admins removing each other's admin rights at once must not leave the organisation with none.
    membership = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
    before = audit.snapshot(membership, ["approved", "is_admin"])
    if approved is not None:
        membership.approved = approved
    if is_admin is not None:
        membership.is_admin = is_admin
    if before["is_admin"] and not membership.is_admin:
        others = OrganisationMembership.objects.filter(
            organisation=organisation, is_admin=True, approved=True
        )
        if not others.exclude(pk=membership.pk).exists():
            raise ValidationError(_("An organisation needs at least one admin."))
    changes = audit.diff(membership, before, ["approved", "is_admin"])
    if changes:
        membership.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="organisation_membership.changed",
            target=membership,
            changes=changes,
            summary=_("%(name)s in %(org)s: %(fields)s")
            % {
                "name": membership.user,
                "org": organisation,
                "fields": audit.field_names(membership, changes),
            },
        )
    return membership


@transaction.atomic
def organisation_membership_remove(*, actor: User, membership: OrganisationMembership) -> None:
    organisation = membership.organisation
    if membership.user_id != actor.pk and not is_organisation_admin(actor, organisation):
        raise PermissionDenied
    if membership.is_admin:
        others = OrganisationMembership.objects.filter(
            organisation=organisation, is_admin=True, approved=True
        )
        if not others.exclude(pk=membership.pk).exists():
            raise ValidationError(_("An organisation needs at least one admin."))
    audit.record(
        actor=actor,
        action="organisation_membership.removed",
        target=membership,
        summary=_("%(name)s left %(org)s") % {"name": membership.user, "org": organisation},
    )
    membership.delete()


# --- The network admin screen -------------------------------------------------------------------


@transaction.atomic
def person_set_active(*, actor: User, person: User, active: bool, reason: str) -> User:
    """A network administrator stops someone signing in (`active=False`), or lets them again. Their
    history stays; the reason is kept in the audit log."""
    if not can_admin_network(actor):
        raise PermissionDenied(_("Only a network administrator can do this."))
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError({"reason": _("Say why, so that other network administrators know.")})
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account. Ask another network administrator."))
    # Lock the row: two administrators acting at once record one change each, from the state it was in.
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.is_active == active:
        already = _("%(name)s is already active.") if active else _("%(name)s is already deactivated.")
        raise ValidationError(already % {"name": person})
    person.is_active = active
    person.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="person.reactivated" if active else "person.deactivated",
        target=person,
        summary=(
            _("%(name)s can sign in again: %(reason)s")
            if active
            else _("%(name)s was deactivated: %(reason)s")
        )
        % {"name": person, "reason": reason[:200]},
        changes={"is_active": [not active, active]},
    )
    return person


@transaction.atomic
def organisation_admin_set(*, actor: User, organisation: Organisation, person: User, admin: bool) -> None:
    """A network administrator makes someone an admin of an organisation (adding them to it, confirmed, if
    they were not in it), or ends their admin rights. An organisation keeps at least one admin."""
    if not can_admin_network(actor):
        raise PermissionDenied(_("Only a network administrator can do this."))
    if admin and not person.is_active:
        raise ValidationError(_("%(name)s is deactivated: reactivate them first.") % {"name": person})
    # Lock the organisation's admins: two administrators removing two admins at once must not leave none.
    admins = list(
        OrganisationMembership.objects.select_for_update().filter(
            organisation=organisation, is_admin=True, approved=True
        )
    )
    membership = OrganisationMembership.objects.filter(organisation=organisation, user=person).first()
    if admin:
        if membership is not None and membership.is_admin and membership.approved:
            raise ValidationError(
                _("%(name)s is already an admin of %(org)s.") % {"name": person, "org": organisation}
            )
        before = audit.snapshot(membership, ["is_admin", "approved"]) if membership else {}
        if membership is None:
            membership = OrganisationMembership(organisation=organisation, user=person)
        membership.is_admin = membership.approved = True
        membership.save()
    else:
        if membership is None or not membership.is_admin:
            raise ValidationError(
                _("%(name)s is not an admin of %(org)s.") % {"name": person, "org": organisation}
            )
        if not [m for m in admins if m.pk != membership.pk]:
            raise ValidationError(
                _("An organisation needs at least one admin. Make someone else its admin first.")
            )
        before = audit.snapshot(membership, ["is_admin", "approved"])
        membership.is_admin = False
        membership.save(update_fields=["is_admin"])
    audit.record(
        actor=actor,
        action="organisation_admin.added" if admin else "organisation_admin.removed",
        target=membership,
        summary=(
            _("%(name)s was made an admin of %(org)s by a network administrator")
            if admin
            else _("%(name)s is no longer an admin of %(org)s (a network administrator's change)")
        )
        % {"name": person, "org": organisation},
        changes=audit.diff(membership, before, ["is_admin", "approved"]),
    )


# --- API tokens -----------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Say what this token is for, so you can recognise it later.")})
    raw = ApiToken.generate()
    token = ApiToken(user=actor, name=name, key_hash=hash_token(raw), prefix=raw[:8])
    token.full_clean()
    token.save()
    audit.record(
        actor=actor,
        action="api_token.created",
        target=token,
        summary=_("API token “%(name)s” created") % {"name": name},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk:
        raise PermissionDenied
    audit.record(
        actor=actor,
        action="api_token.revoked",
        target=token,
        summary=_("API token “%(name)s” revoked") % {"name": token.name},
    )
    token.delete()


# Asked on every API request: their SQL is built once, and the token and its person are read in one round
# trip (core.prepared).
_TOKEN_AND_PERSON = Together(
    Prepared(lambda key_hash: ApiToken.objects.filter(key_hash=key_hash), values=(str,)),
    Prepared(
        lambda key_hash: User.objects.filter(
            pk__in=ApiToken.objects.filter(key_hash=key_hash).values("user_id"), is_active=True
        ),
        values=(str,),
    ),
)


_token_named = Remembered(20_000)  # token hash -> the id of its person, as last read here


def user_for_api_token(raw: str, *, ahead: Callable[[int], Any] | None = None) -> User | None:
    """The active person whose token this is, or None. `ahead` (core/ahead.py): what the request's operation
    reads first, for a person's id; asked with the token when this process has seen it before (its person
    guessed from then: a wrong guess costs the operation its own statement, never a wrong answer)."""
    hashed = hash_token(raw)
    guess = _token_named.get(hashed, lambda: None) if ahead is not None else None
    also = ahead(guess) if guess is not None else None
    token, user = _TOKEN_AND_PERSON.first_with(((hashed,), (hashed,)), also)
    if token is None or user is None:
        return None
    _token_named.put(hashed, user.pk)
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    user.api_token = token  # core/shared.py: when a change was last made with it
    return user
