"""People, their profiles, organisations, and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from coproduce.core.fields import BoundedTextField
from coproduce.core.validators import single_line


class ContactPreference(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call or text, through a facilitator")
    POST = "post", _("Letter, through a facilitator")
    IN_PERSON = "in_person", _("In person, through a facilitator")
    NONE = "none", _("Please do not contact me")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email=None, password=None, **extra):
        email = self.normalize_email(email) or None
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("display_name", email.split("@")[0])
        return self.create_user(email, password, **extra)


class Tag(models.Model):
    """A skill or interest, shared across people so that they can find each other."""

    name = models.CharField(max_length=40, unique=True, validators=[single_line])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone has the same kind of account; what they can do comes from space roles.

    `email` is empty for a person who takes part on paper or in person through a facilitator
    (assisted participation). It is never shown to anyone but its owner.
    """

    email = models.EmailField(_("email address"), max_length=254, null=True, blank=True, unique=True)
    display_name = models.CharField(_("name to show"), max_length=80, validators=[single_line])
    pronouns = models.CharField(_("pronouns"), max_length=30, blank=True, validators=[single_line])
    bio = BoundedTextField(_("about me"), max_length=1000, blank=True)
    what_i_bring = BoundedTextField(_("what I bring"), max_length=1000, blank=True)
    skills = models.ManyToManyField(Tag, blank=True, related_name="skilled_people", verbose_name=_("skills"))
    interests = models.ManyToManyField(
        Tag, blank=True, related_name="interested_people", verbose_name=_("interests")
    )
    # Special category data: seen only by the person, and by facilitators of spaces they join
    # when the person chooses to share it (later issues); never in the API for others.
    accessibility_needs = BoundedTextField(_("my access needs (private)"), max_length=1000, blank=True)
    contact_preference = models.CharField(
        _("how I like to be contacted"),
        max_length=20,
        choices=ContactPreference.choices,
        default=ContactPreference.EMAIL,
    )
    assisted_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assisted_people",
        help_text=_("The facilitator who added this person, for people who take part without an account."),
    )
    is_staff = models.BooleanField(_("network administrator"), default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    # Set when the account was erased (people.services.person_erase): the row stays as a nameless "Former
    # member", so that ballots, ledger postings and contributions still count without saying whose they were.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()
    # The API token a request came with, when it came with one (people.services.user_for_api_token).
    api_token: ApiToken | None

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["display_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            models.CheckConstraint(condition=~models.Q(display_name=""), name="user_display_name_not_empty"),
            # An erased account can never sign in again, nor keep an address to be found by.
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True)
                | models.Q(email__isnull=True, is_active=False, is_staff=False, is_superuser=False),
                name="user_erased_has_no_sign_in",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name or _("Person %(id)s") % {"id": self.pk}

    @property
    def is_assisted(self) -> bool:
        """Takes part through a facilitator and has no way to sign in yet."""
        return not self.email

    def save(self, *args, **kwargs):
        if not self.email:
            self.email = None  # NULLs do not collide in the unique index; empty strings would.
        if not self.display_name and self.email:
            self.display_name = self.email.split("@")[0][:80]
        super().save(*args, **kwargs)


class OrganisationKind(models.TextChoices):
    NHS_BOARD = "nhs_board", _("NHS board")
    COUNCIL = "council", _("Council")
    HSCP = "hscp", _("Health and social care partnership")
    CHARITY = "charity", _("Charity")
    COMMUNITY_GROUP = "community_group", _("Community group")
    USER_LED = "user_led", _("User-led organisation")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(_("kind of organisation"), max_length=20, choices=OrganisationKind.choices)
    description = BoundedTextField(_("what it does"), max_length=2000, blank=True)
    place = models.CharField(_("place"), max_length=120, blank=True, validators=[single_line])
    website = models.URLField(_("website"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members: models.ManyToManyField[User, OrganisationMembership] = models.ManyToManyField(
        User, through="OrganisationMembership", related_name="organisations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_memberships")
    is_admin = models.BooleanField(_("organisation admin"), default=False)
    # A person asks to be listed; an organisation admin confirms.
    approved = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_membership_per_organisation")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organisation}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def hash_code(code: str) -> str:
    """A short sign-up code's hash. Keyed with the site's secret (HMAC), not a bare SHA-256: a code has
    only about 35 bits, so whoever read the table could otherwise try every code offline."""
    return salted_hmac("coproduce.people.claim-code", code, algorithm="sha256").hexdigest()


CLAIM_LIFETIME = timedelta(
    days=14
)  # long enough to be given on paper at one meeting and used before the next


class ClaimCode(models.Model):
    """A way for a person who took part with help to set up their own sign-in: a link (a long secret) and
    a short code (lib/codes.py) for the same thing. Either works once, until `expires_at`; making a new one
    ends the person's earlier ones. Only hashes are stored: the facilitator sees the link and code once."""

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="claim_codes")
    made_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Ended without being used: a newer link was made, or the person set up their sign-in another way.
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")),
                name="claim_code_expires_after_made",
            ),
            models.CheckConstraint(
                condition=models.Q(used_at__isnull=True) | models.Q(ended_at__isnull=True),
                name="claim_code_used_or_ended_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"Sign-up code for {self.person_id}"

    @property
    def is_used(self) -> bool:
        return self.used_at is not None

    def is_open(self, now=None) -> bool:
        return self.used_at is None and self.ended_at is None and (now or timezone.now()) < self.expires_at


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the raw token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("what it is for"), max_length=60, validators=[single_line])
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # When a change was last made with it: for a few seconds after, its client is answered nothing kept
    # (core/shared.py), read with the token at no extra cost.
    wrote_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def note_write(self) -> None:
        """A change was made with this token just now (core/shared.py: its client sees nothing kept)."""
        self.wrote_at = timezone.now()
        ApiToken.objects.filter(pk=self.pk).update(wrote_at=self.wrote_at)

    @staticmethod
    def generate() -> str:
        return "cp_" + secrets.token_urlsafe(32)
