"""Co-production spaces, their members (role and perspective, with history) and their stages."""

from __future__ import annotations

import dataclasses
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from coproduce.core.fields import BoundedTextField
from coproduce.core.validators import single_line


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can read it and ask to join")
    PRIVATE = "private", _("Private: only members can see it; people join by invitation")


class Role(models.TextChoices):
    """What a member may do. Perspective is not permission."""

    HOST = "host", _("Host")
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class Perspective(models.TextChoices):
    """Where a member takes part from. The quality check counts these."""

    LIVED_EXPERIENCE = "lived_experience", _("Person with lived experience")
    CARER = "carer", _("Carer or family member")
    COMMUNITY = "community", _("Community member")
    PRACTITIONER = "practitioner", _("Practitioner")
    COMMISSIONER = "commissioner", _("Commissioner")
    FACILITATOR = "facilitator", _("Facilitator")


class StageKind(models.TextChoices):
    """The four stages of the Co-production Star (Governance International)."""

    CO_COMMISSIONING = "co_commissioning", _("Co-commissioning")
    CO_DESIGN = "co_design", _("Co-design")
    CO_DELIVERY = "co_delivery", _("Co-delivery")
    CO_ASSESSMENT = "co_assessment", _("Co-assessment")


STAGE_ORDER = [kind.value for kind in StageKind]
STAGE_PURPOSE = {
    StageKind.CO_COMMISSIONING: _("Decide together what matters most and how money is spent."),
    StageKind.CO_DESIGN: _("Design the service together."),
    StageKind.CO_DELIVERY: _("Deliver it together: who does what, accountable to everyone."),
    StageKind.CO_ASSESSMENT: _("Look together at what changed and what to do next."),
}


class StageStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Space(models.Model):
    """One co-production initiative, e.g. "Redesign of the mental-health drop-in"."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120, validators=[single_line])
    purpose = BoundedTextField(_("purpose, in plain words"), max_length=2000)
    place = models.CharField(_("place"), max_length=120, blank=True, validators=[single_line])
    visibility = models.CharField(
        _("who can see it"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    organisations = models.ManyToManyField(
        "people.Organisation", blank=True, related_name="spaces", verbose_name=_("organisations involved")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="space_title_not_empty"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="space_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("spaces:detail", args=[self.slug])

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC

    @property
    def phase(self) -> SpacePhase:
        """Where the space is in its timeline. Uses `stages.all()`, so lists that prefetch stages ask nothing."""
        stages = sorted(self.stages.all(), key=lambda s: s.position)
        opened = [s for s in stages if s.status == StageStatus.OPEN]
        if opened:
            return SpacePhase(SpacePhase.OPEN, current=opened[0])
        closed = [s for s in stages if s.status == StageStatus.CLOSED]
        waiting = [s for s in stages if s.status == StageStatus.NOT_STARTED]
        if closed and waiting:
            # Between stages: a stage has closed and the next has not opened. Still a live space.
            later = [s for s in waiting if s.position > closed[-1].position]
            return SpacePhase(SpacePhase.BETWEEN, previous=closed[-1], next=(later or waiting)[0])
        if closed:
            return SpacePhase(SpacePhase.FINISHED, previous=closed[-1])
        return SpacePhase(SpacePhase.NOT_STARTED, next=waiting[0] if waiting else None)


@dataclasses.dataclass(frozen=True)
class SpacePhase:
    OPEN, BETWEEN, NOT_STARTED, FINISHED = "open", "between", "not_started", "finished"

    kind: str
    current: Stage | None = None
    previous: Stage | None = None
    next: Stage | None = None

    @property
    def is_active(self) -> bool:
        """A stage is open, or one has closed and the next is still to come."""
        return self.kind in (self.OPEN, self.BETWEEN)


class Membership(models.Model):
    """A person's current place in a space. Every change is kept in MembershipChange."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    perspective = models.CharField(_("perspective"), max_length=20, choices=Perspective.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["space", "user"], name="one_membership_per_space"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(perspective__in=Perspective.values), name="membership_perspective_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.space} ({self.role}, {self.perspective})"


class MembershipChange(models.Model):
    """History of role and perspective: one row each time a membership starts, changes or ends.

    The quality check needs to know a person's perspective *when* they acted, not only today.
    """

    class Kind(models.TextChoices):
        JOINED = "joined", _("Joined")
        CHANGED = "changed", _("Changed")
        LEFT = "left", _("Left")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="membership_changes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    role = models.CharField(max_length=20, choices=Role.choices)
    perspective = models.CharField(max_length=20, choices=Perspective.choices)
    at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["space", "user", "at"])]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.space} as {self.role}, {self.perspective}"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a host")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests")
    perspective = models.CharField(_("I take part as"), max_length=20, choices=Perspective.choices)
    message = BoundedTextField(_("a few words to the hosts (optional)"), max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = BoundedTextField(_("reason"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Asking twice while the first request waits must not create a second one.
            models.UniqueConstraint(
                fields=["space", "user"], condition=Q(status="pending"), name="one_pending_join_request"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""), name="declined_join_request_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.space} ({self.status})"


class PartnershipRequest(models.Model):
    """A host asks to list an organisation as a partner of their space.

    The organisation is listed (`Space.organisations`) only once one of its admins accepts: anyone can
    make a space, and naming the council as a partner must not make it look as if the council agreed.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the organisation to accept")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="partnership_requests")
    organisation = models.ForeignKey(
        "people.Organisation", on_delete=models.CASCADE, related_name="partnership_requests"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # Ticking the same organisation twice while the first request waits must not ask twice.
            models.UniqueConstraint(
                fields=["space", "organisation"],
                condition=Q(status="pending"),
                name="one_pending_partnership_request",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "declined", "withdrawn"]),
                name="partnership_request_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.space} ({self.status})"


class Invitation(models.Model):
    """An invitation link. Only the token's hash is stored."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    note = models.CharField(
        _("who it is for (only hosts see this)"), max_length=120, blank=True, validators=[single_line]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    max_uses = models.PositiveIntegerField(default=1)
    uses = models.PositiveIntegerField(default=0)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(uses__lte=F("max_uses")), name="invitation_uses_within_limit"),
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_max_uses_positive"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.space} ({self.uses}/{self.max_uses} used)"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class Stage(models.Model):
    """One of the four stages of a space's timeline."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(max_length=20, choices=StageKind.choices)
    position = models.PositiveSmallIntegerField()
    status = models.CharField(
        _("status"), max_length=12, choices=StageStatus.choices, default=StageStatus.NOT_STARTED
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    summary = BoundedTextField(_("what happens in this stage"), max_length=1000, blank=True)

    class Meta:
        ordering = ["space", "position"]
        constraints = [
            models.UniqueConstraint(fields=["space", "kind"], name="one_stage_of_each_kind"),
            models.CheckConstraint(condition=Q(kind__in=StageKind.values), name="stage_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=StageStatus.values), name="stage_status_valid"),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="stage_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def purpose(self) -> str:
        return str(STAGE_PURPOSE[StageKind(self.kind)])


class HelpConsent(models.Model):
    """A person with an account has asked to be helped in person: facilitators and hosts of `space` (or,
    with no space, the timebank's coordinators) may then record things for them, as they do for people
    who take part without an account. Only the person gives or withdraws it; both are in the audit log,
    and whatever is done under it is listed on the person's "Done on my behalf" page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_consents")
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="help_consents"
    )
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "space"], condition=Q(space__isnull=False), name="one_help_consent_per_space"
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(space__isnull=True), name="one_help_consent_for_the_timebank"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} accepts help in {self.space or 'the timebank'}"


class EntryDispute(models.Model):
    """A person says that something a facilitator recorded on their behalf (an `AuditEvent` with
    `on_behalf_of` = them) is wrong, in their own words. It goes to the hosts of the space where it was
    recorded (network staff for the timebank), who put it right; the dispute itself stays, like the event."""

    event = models.ForeignKey("core.AuditEvent", on_delete=models.CASCADE, related_name="disputes")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="entry_disputes"
    )
    # The event's space, kept here so the hosts' list needs no join through the audit log.
    space = models.ForeignKey(
        Space, null=True, blank=True, on_delete=models.CASCADE, related_name="entry_disputes"
    )
    text = models.TextField(_("what is wrong"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="one_dispute_per_entry_per_person"),
            models.CheckConstraint(condition=~Q(text=""), name="entry_dispute_has_words"),
        ]

    def __str__(self) -> str:
        return f"{self.person} disputes event {self.event_id}"
