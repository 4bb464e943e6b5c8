"""Who gets a notification, who is emailed, and who may see which notification. The one recipient rule.

- Inactive people get nothing; nobody is told about their own act.
- A person is emailed only when they have an email address and chose to be contacted by email.
- People who take part through a facilitator (no email, or "phone", "letter" or "in person, through a
  facilitator") are never emailed; their notifications are listed for the hosts and facilitators of the
  space each notification is about (and, for notifications about no space, for the facilitator who added
  them), so that someone can pass them on.
- Only the recipient sees their own notification (404 for anyone else, staff included).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from coproduce.people.models import ContactPreference
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Membership, Role

from .models import Notification

THROUGH_A_FACILITATOR = (ContactPreference.PHONE, ContactPreference.POST, ContactPreference.IN_PERSON)
HELPERS = (Role.HOST, Role.FACILITATOR)


def may_email(user) -> bool:
    return bool(user.is_active and user.email and user.contact_preference == ContactPreference.EMAIL)


def emailable(prefix: str = "") -> Q:
    """`may_email` as a query filter, for the digests. `prefix` is e.g. "recipient__"."""
    return (
        Q(**{f"{prefix}is_active": True, f"{prefix}contact_preference": ContactPreference.EMAIL})
        & Q(**{f"{prefix}email__isnull": False})
        & ~Q(**{f"{prefix}email": ""})
    )


def needs_helper(user) -> bool:
    """Hears about things through a facilitator rather than by email."""
    return user.is_assisted or user.contact_preference in THROUGH_A_FACILITATOR


def _helped(prefix: str = "") -> Q:
    """`needs_helper` as a query filter."""
    return (
        Q(**{f"{prefix}email__isnull": True})
        | Q(**{f"{prefix}email": ""})
        | Q(**{f"{prefix}contact_preference__in": THROUGH_A_FACILITATOR})
    )


def get_notification_for(user, notification_id: int) -> Notification:
    """The person's own notification, or Http404 (for anyone else, staff included: it is personal)."""
    if not user.is_authenticated:
        raise Http404
    found = (
        Notification.objects.select_related("space", "actor")
        .filter(pk=notification_id, recipient=user)
        .first()
    )
    if found is None:
        raise Http404
    return found


def helps_anyone(user) -> bool:
    """Whether the person hosts or facilitates a space (and so may see the list of people they help)."""
    return space_access.runs_a_space(user)


def helped_notifications_for(user) -> QuerySet[Notification]:
    """Notifications of people who take part through a facilitator, that `user` may pass on.

    A notification about a space is shown to that space's hosts and facilitators while its recipient is
    still a member (never about spaces the viewer does not run); one about no space, to the facilitator
    who added the person.
    """
    if not user.is_authenticated:
        return Notification.objects.none()
    runs = Membership.objects.filter(user=user, role__in=HELPERS).values("space_id")
    still_member = Membership.objects.filter(space=OuterRef("space_id"), user=OuterRef("recipient_id"))
    return (
        Notification.objects.alias(is_member=Exists(still_member))
        .filter(_helped("recipient__"), recipient__is_active=True)
        .filter(Q(space_id__in=runs, is_member=True) | Q(space__isnull=True, recipient__assisted_by=user))
    )
