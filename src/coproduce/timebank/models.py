"""The timebank: members, accounts, a double-entry ledger of time, offers, requests and exchanges.

One hour is one credit, whoever gives it. Amounts are whole minutes in BigIntegerFields so that
arithmetic is exact; exchanges move time in quarter hours.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import sensible_past_date, single_line
from coproduce.lib import ledger
from coproduce.lib.ledger import format_minutes

HOUR = 60
DEFAULT_MIN_BALANCE = -20 * HOUR
DEFAULT_MAX_BALANCE = 200 * HOUR


class TimebankSettings(models.Model):
    """The network's timebank rules: one row (pk=1), changed by coordinators."""

    confirmation_required = models.BooleanField(
        _("the other person must confirm an exchange"),
        default=True,
        help_text=_("When off, an exchange is added to both balances as soon as it is recorded."),
    )
    default_min_balance = models.BigIntegerField(_("lowest balance, in minutes"), default=DEFAULT_MIN_BALANCE)
    default_max_balance = models.BigIntegerField(
        _("highest balance, in minutes"), default=DEFAULT_MAX_BALANCE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("timebank settings")
        verbose_name_plural = _("timebank settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="timebank_settings_single_row"),
            models.CheckConstraint(
                condition=Q(default_min_balance__lte=0) & Q(default_max_balance__gte=0),
                name="timebank_settings_limits_around_zero",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Timebank settings"))

    @classmethod
    def current(cls) -> TimebankSettings:
        """The one row, made with the defaults on first use (one query once it exists)."""
        return cls.objects.get_or_create(pk=1)[0]


class MemberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a coordinator")
    APPROVED = "approved", _("Member")
    DECLINED = "declined", _("Not accepted")
    LEFT = "left", _("Left the timebank")


class ShareBalance(models.TextChoices):
    """Who may see a member's balance and history, besides the member and coordinators."""

    PRIVATE = "private", _("Only me and the coordinators")
    MEMBERS = "members", _("Other timebank members")


class TimebankMember(models.Model):
    """A person's place in the network's timebank. A coordinator approves each new member."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timebank_member"
    )
    status = models.CharField(max_length=10, choices=MemberStatus.choices, default=MemberStatus.PENDING)
    is_coordinator = models.BooleanField(_("coordinator"), default=False)
    area = models.CharField(_("area"), max_length=120, blank=True, validators=[single_line])
    about = models.TextField(_("a few words about what you might offer or need"), max_length=1000, blank=True)
    share_balance = models.CharField(
        _("who can see my balance and history"),
        max_length=10,
        choices=ShareBalance.choices,
        default=ShareBalance.PRIVATE,
    )
    # Safeguarding: seen by coordinators only, never by the member, never in exports or the API for others.
    safeguarding_note = models.TextField(
        _("safeguarding note (coordinators only)"), max_length=2000, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="timebank_member_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(share_balance__in=ShareBalance.values), name="timebank_member_share_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_status_display()})"


class AccountKind(models.TextChoices):
    PERSON = "person", _("Person")
    ORGANISATION = "organisation", _("Organisation")
    POT = "pot", _("Community pot")


class Account(models.Model):
    """Where a person's, an organisation's or the community pot's time is kept.

    `balance` is a cache of the sum of the account's postings, updated in the same transaction as
    each posting (see services.ledger); `coproduce timebank verify` checks that it always agrees.
    """

    kind = models.CharField(max_length=20, choices=AccountKind.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_account",
    )
    organisation = models.OneToOneField(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="timebank_account",
    )
    balance = models.BigIntegerField(default=0, editable=False)
    min_balance = models.BigIntegerField(_("lowest balance, in minutes"), default=DEFAULT_MIN_BALANCE)
    max_balance = models.BigIntegerField(_("highest balance, in minutes"), default=DEFAULT_MAX_BALANCE)
    # False: the limits follow the network's defaults when a coordinator changes them.
    custom_limits = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=AccountKind.PERSON, user__isnull=False, organisation__isnull=True)
                    | Q(kind=AccountKind.ORGANISATION, user__isnull=True, organisation__isnull=False)
                    | Q(kind=AccountKind.POT, user__isnull=True, organisation__isnull=True)
                ),
                name="timebank_account_exactly_one_owner",
            ),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(kind=AccountKind.POT), name="one_community_pot"
            ),
            models.CheckConstraint(
                condition=Q(min_balance__lte=F("max_balance")), name="timebank_account_limits_ordered"
            ),
        ]

    def __str__(self) -> str:
        return str(self.owner_name)

    def get_absolute_url(self) -> str:
        return reverse("timebank:account", args=[self.pk])

    @property
    def owner_name(self) -> str:
        if self.kind == AccountKind.PERSON:
            return str(self.user)
        if self.kind == AccountKind.ORGANISATION:
            return str(self.organisation)
        return str(_("Community pot"))


class TransferKind(models.TextChoices):
    EXCHANGE = "exchange", _("Exchange")
    GRANT = "grant", _("Grant from the community pot")
    DONATION = "donation", _("Gift to the community pot")
    REWARD = "reward", _("Time credits for taking part")
    REVERSAL = "reversal", _("Correction")
    IMPORT = "import", _("Imported history")
    ADJUSTMENT = "adjustment", _("Coordinator transfer")


def new_key() -> str:
    return uuid.uuid4().hex


class Transfer(models.Model):
    """One movement of time: its postings sum to zero. Never edited; corrected by a reversal."""

    key = models.CharField(max_length=120, unique=True, default=new_key)  # idempotency: one transfer per key
    kind = models.CharField(max_length=20, choices=TransferKind.choices)
    description = models.CharField(_("what it was for"), max_length=300, validators=[single_line])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", null=True, blank=True, on_delete=models.SET_NULL, related_name="timebank_transfers"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    happened_at = models.DateTimeField(default=timezone.now)  # when the exchange took place
    created_at = models.DateTimeField(default=timezone.now, db_index=True)  # when it entered the ledger

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=TransferKind.values), name="timebank_transfer_kind_valid"
            ),
            # A correction always names what it corrects, and only corrections do.
            models.CheckConstraint(
                condition=Q(kind=TransferKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=TransferKind.REVERSAL) & Q(reverses__isnull=True)),
                name="timebank_reversal_names_transfer",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()}: {self.description}"


class ImmutableQuerySet(models.QuerySet):
    """Postings are facts: bulk updates and deletes are refused too, not only single saves."""

    def update(self, **kwargs):
        raise TypeError("Ledger postings are never changed; record a reversing transfer instead.")

    def delete(self):
        raise TypeError("Ledger postings are never deleted; record a reversing transfer instead.")


class Posting(models.Model):
    """One side of a transfer: time into (positive) or out of (negative) one account."""

    transfer = models.ForeignKey(Transfer, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField()

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="timebank_posting_not_zero"),
            models.UniqueConstraint(
                fields=["transfer", "account"], name="one_posting_per_account_per_transfer"
            ),
        ]
        indexes = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"{self.account}: {format_minutes(self.amount, signed=True)}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise TypeError("Ledger postings are never changed; record a reversing transfer instead.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Ledger postings are never deleted; record a reversing transfer instead.")


class Category(models.Model):
    """What an offer or request is about, e.g. Gardening or Lifts and transport."""

    name = models.CharField(_("name"), max_length=60, unique=True, validators=[single_line])
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name


class ListingKind(models.TextChoices):
    OFFER = "offer", _("Offer")
    REQUEST = "request", _("Request")


class Listing(models.Model):
    """An offer ("I can help with ...") or a request ("I need ...")."""

    kind = models.CharField(_("offer or request"), max_length=10, choices=ListingKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="timebank_listings"
    )
    title = models.CharField(_("title"), max_length=120, validators=[single_line])
    description = models.TextField(_("more detail"), max_length=2000, blank=True)
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="listings", verbose_name=_("category")
    )
    tags = models.ManyToManyField(
        "people.Tag", blank=True, related_name="timebank_listings", verbose_name=_("tags")
    )
    area = models.CharField(_("area"), max_length=120, blank=True, validators=[single_line])
    availability = models.CharField(
        _("when you are available"), max_length=200, blank=True, validators=[single_line]
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ListingKind.values), name="timebank_listing_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(title=""), name="timebank_listing_title_not_empty"),
        ]
        indexes = [models.Index(fields=["kind", "is_open", "-created_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("timebank:listing", args=[self.pk])


class ExchangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
    CANCELLED = "cancelled", _("Cancelled")


class Side(models.TextChoices):
    GAVE = "gave", _("Gave time")
    RECEIVED = "received", _("Received time")


class Exchange(models.Model):
    """Time given and received. One to one, or a group: one account on one side, several on the other.

    Each account on the larger side moves `minutes`; the single account on the other side moves
    the total. The ledger transfer is made when everyone who must confirm has (or at once, when
    the network does not ask for confirmation).
    """

    what = models.CharField(_("what was done"), max_length=300, validators=[single_line])
    minutes = models.BigIntegerField(
        _("time, in minutes"),
        validators=[
            MinValueValidator(1),
            MaxValueValidator(ledger.MAX_MINUTES, _("No single entry can be more than 10,000 hours.")),
        ],
    )
    happened_on = models.DateField(_("when"), validators=[sensible_past_date])
    listing = models.ForeignKey(
        Listing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="exchanges",
        verbose_name=_("offer or request"),
    )
    status = models.CharField(max_length=10, choices=ExchangeStatus.choices, default=ExchangeStatus.PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    transfer = models.OneToOneField(
        Transfer, null=True, blank=True, on_delete=models.PROTECT, related_name="exchange"
    )
    dispute_reason = models.TextField(_("what is wrong"), max_length=1000, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.TextField(_("how it was resolved"), max_length=1000, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-happened_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="timebank_exchange_minutes_positive"),
            models.CheckConstraint(
                condition=Q(minutes__lte=ledger.MAX_MINUTES), name="timebank_exchange_minutes_capped"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExchangeStatus.values), name="timebank_exchange_status_valid"
            ),
            # Confirmed exchanges are in the ledger; no other status is.
            models.CheckConstraint(
                condition=Q(status=ExchangeStatus.CONFIRMED, transfer__isnull=False)
                | (~Q(status=ExchangeStatus.CONFIRMED) & Q(transfer__isnull=True)),
                name="timebank_confirmed_exchange_has_transfer",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExchangeStatus.DISPUTED) | ~Q(dispute_reason=""),
                name="timebank_disputed_exchange_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.what} ({format_minutes(self.minutes)})"

    def get_absolute_url(self) -> str:
        return reverse("timebank:exchange", args=[self.pk])

    @property
    def hours_display(self) -> str:
        return format_minutes(self.minutes)


class ExchangeParty(models.Model):
    """An account on one side of an exchange, and whether its holder has agreed to it."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="parties")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="exchange_parties")
    side = models.CharField(max_length=10, choices=Side.choices)
    must_confirm = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["exchange", "account"], name="one_party_per_account_per_exchange"
            ),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="timebank_party_side_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.side}"
