"""Meetings whose agendas members set: registration with a waiting list and access needs, agenda items
prioritised by dot voting, attendance (with time credits), minutes and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coproduce.core.validators import sensible_meeting_date, single_line
from coproduce.spaces.models import Perspective

# Each member has this many dots per meeting to spread over the proposed agenda items (several may go on
# one item). Fixed, so that the database itself can enforce it: one row per dot, slot 1..DOTS_PER_MEMBER.
DOTS_PER_MEMBER = 3


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid: in person and online")


class EventKind(models.TextChoices):
    """A network event (the hub's events page) is a meeting of the network's own space with a kind; an
    ordinary meeting of a space has none."""

    NONE = "", _("An ordinary meeting of a space")
    CONFERENCE = "conference", _("Conference")
    MASTERCLASS = "masterclass", _("Masterclass")
    PRACTICE_EXCHANGE = "practice_exchange", _("Practice exchange")
    COPRODUCTION_WEEK = "coproduction_week", _("Co-production Week")


class Meeting(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=140, validators=[single_line])
    description = models.TextField(_("what it is for"), max_length=3000, blank=True)
    format = models.CharField(
        _("how people take part"),
        max_length=12,
        choices=MeetingFormat.choices,
        default=MeetingFormat.IN_PERSON,
    )
    starts_at = models.DateTimeField(_("starts"), validators=[sensible_meeting_date])
    ends_at = models.DateTimeField(_("ends"), validators=[sensible_meeting_date])
    place_name = models.CharField(_("place"), max_length=140, blank=True, validators=[single_line])
    address = models.TextField(_("address"), max_length=500, blank=True)
    online_url = models.URLField(
        _("link to join online"), blank=True, help_text=_("Shown only to people who have registered.")
    )
    # Access information, so that people know before they come whether they can take part.
    step_free = models.BooleanField(_("step-free access"), default=False)
    hearing_loop = models.BooleanField(_("hearing loop"), default=False)
    bsl = models.BooleanField(_("British Sign Language interpreter"), default=False)
    quiet_room = models.BooleanField(_("quiet room"), default=False)
    travel_expenses = models.BooleanField(_("travel expenses paid"), default=False)
    childcare = models.BooleanField(_("childcare offered"), default=False)
    access_notes = models.TextField(_("more about access"), max_length=2000, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    event_kind = models.CharField(
        _("kind of event"), max_length=20, choices=EventKind.choices, blank=True, default=EventKind.NONE
    )
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    agenda_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Time credits: a host decides that attending earns hours from one of the space's organisations.
    credit_minutes = models.PositiveIntegerField(_("time credits for attending (minutes)"), default=0)
    credit_organisation = models.ForeignKey(
        "people.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation that gives the time credits"),
    )
    attendance_confirmed_at = models.DateTimeField(null=True, blank=True)
    attendance_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(max_length=1000, blank=True)
    sequence = models.PositiveIntegerField(default=0)  # iCalendar SEQUENCE: bumped on every change
    # Set when the reminder the day before is claimed (services.reminders); cleared when the start moves.
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["space", "starts_at"], name="meeting_space_start"),
            models.Index(fields=["event_kind", "starts_at"], name="meeting_event_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="meeting_title_not_empty"),
            models.CheckConstraint(condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"),
            models.CheckConstraint(
                condition=Q(event_kind__in=EventKind.values), name="meeting_event_kind_valid"
            ),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="meeting_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(credit_minutes=0) | Q(credit_organisation__isnull=False),
                name="meeting_credits_have_organisation",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancelled_reason=""),
                name="cancelled_meeting_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.is_network_event:  # reminders and notices about an event lead to the event's own page
            return reverse("events:detail", args=[self.pk])
        return reverse("meetings:detail", args=[self.space.slug, self.pk])

    @property
    def is_network_event(self) -> bool:
        return bool(self.event_kind)

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def agenda_is_published(self) -> bool:
        return self.agenda_published_at is not None

    @property
    def agenda_is_open(self) -> bool:
        """Members propose and prioritise items until the agenda is published or the meeting starts."""
        return not self.agenda_is_published and not self.has_started and not self.is_cancelled

    @property
    def is_in_person(self) -> bool:
        return self.format in (MeetingFormat.IN_PERSON, MeetingFormat.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (MeetingFormat.ONLINE, MeetingFormat.HYBRID)

    def access_offers(self) -> list[str]:
        fields = ["step_free", "hearing_loop", "bsl", "quiet_room", "travel_expenses", "childcare"]
        return [str(Meeting._meta.get_field(f).verbose_name) for f in fields if getattr(self, f)]  # type: ignore[union-attr]  # concrete fields


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Registration(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    # Special category data: seen by the person and the space's facilitators and hosts only.
    access_needs = models.TextField(_("what would help you take part"), max_length=1000, blank=True)
    registered_at = models.DateTimeField(default=timezone.now)  # waiting-list order: first come, first served
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["registered_at", "id"]
        indexes = [models.Index(fields=["meeting", "status", "registered_at"], name="registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_registration_per_meeting"),
            models.CheckConstraint(
                condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting} ({self.status})"


class AgendaItemStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ON_AGENDA = "on_agenda", _("On the agenda")
    LEFT_OFF = "left_off", _("Left off the agenda")


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField(_("what to talk about"), max_length=200, validators=[single_line])
    description = models.TextField(_("why it matters"), max_length=2000, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The proposer's perspective when they proposed it: the published agenda shows whose items made it.
    proposer_perspective = models.CharField(max_length=20, choices=Perspective.choices)
    # The facilitator who wrote it down for the proposer (assisted participation), shown as "written with help from a
    # facilitator"; None when the proposer wrote it themself. The person can dispute it from their own page.
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=AgendaItemStatus.choices, default=AgendaItemStatus.PROPOSED
    )
    left_off_reason = models.TextField(max_length=1000, blank=True)
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    dot_count = models.PositiveIntegerField(default=0)  # frozen when the agenda is published
    minutes = models.TextField(_("minutes"), max_length=10000, blank=True)
    # The idea it was put on the agenda from ("ideas.idea" through the module registry: meetings does not
    # import ideas, so the idea's id, not a foreign key), for the trail from what people said.
    source_idea_id = models.PositiveIntegerField(null=True, blank=True, editable=False, db_index=True)
    minutes_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="agenda_item_title_not_empty"),
            models.CheckConstraint(
                condition=Q(status__in=AgendaItemStatus.values), name="agenda_item_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=AgendaItemStatus.LEFT_OFF) | ~Q(left_off_reason=""),
                name="left_off_item_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Dot(models.Model):
    """One of a member's dots on an agenda item. A member has DOTS_PER_MEMBER slots per meeting, and the
    unique (meeting, user, slot) constraint with the slot range check makes a fourth dot impossible."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="dots")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="dots")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    slot = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user", "slot"], name="one_dot_per_slot"),
            models.CheckConstraint(
                condition=Q(slot__gte=1) & Q(slot__lte=DOTS_PER_MEMBER), name="dot_slot_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} dot {self.slot} on {self.item}"


class CreditStatus(models.TextChoices):
    NONE = "none", _("No time credits")
    OWED = "owed", _("Owed")
    PAID = "paid", _("Paid")


class Attendance(models.Model):
    """Someone was there, confirmed by a facilitator; with the time credits it earned and whether they are paid."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="meeting_attendances"
    )
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    credit_minutes = models.PositiveIntegerField(default=0)
    credit_status = models.CharField(max_length=6, choices=CreditStatus.choices, default=CreditStatus.NONE)
    credit_paid_at = models.DateTimeField(null=True, blank=True)
    credit_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_meeting"),
            models.CheckConstraint(
                condition=Q(credit_status__in=CreditStatus.values), name="attendance_credit_valid"
            ),
            models.CheckConstraint(
                condition=Q(credit_status=CreditStatus.NONE) | Q(credit_minutes__gt=0),
                name="attendance_credit_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} attended {self.meeting}"

    @property
    def credit_key(self) -> str:
        """Idempotency key for the timebank: paying twice for the same attendance is impossible."""
        return f"meeting:{self.meeting_id}:attendance:{self.user_id}"


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
        verbose_name=_("agenda item"),
    )
    text = models.TextField(_("what was decided"), max_length=3000)
    dissent = models.TextField(_("dissent, in the words of those who disagreed"), max_length=3000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="decision_text_not_empty")]

    def __str__(self) -> str:
        return self.text[:80]


class Stance(models.TextChoices):
    AGREE = "agree", _("Agreed")
    DISAGREE = "disagree", _("Disagreed")
    ABSTAIN = "abstain", _("Stood aside")


class DecisionVoice(models.Model):
    """Where one person stood on a decision, with their perspective at the time."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="voices")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    stance = models.CharField(max_length=10, choices=Stance.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "user"], name="one_voice_per_person_per_decision"),
            models.CheckConstraint(condition=Q(stance__in=Stance.values), name="decision_stance_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.stance} {self.decision_id}"


class CalendarFeed(models.Model):
    """A secret link to a person's own calendar feed (calendar apps cannot sign in). Only the hash is kept."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"
