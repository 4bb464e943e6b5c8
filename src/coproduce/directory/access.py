"""Who may see and do what in the directory, with requests for help and with messages. Pages, services and
the API all ask these functions.

- The directory is for signed-in members only, never for anonymous people: it is personal data (pages
  send anonymous people to sign in, the API answers 401). A listing is hidden (404) from anyone the
  listed person blocked, and from anyone who blocked them.
- A request for help is seen by the person who asked, only.
- A conversation is seen by its two people only (404 for everyone else, network admins included). Network
  admins see a message only when someone reported it, on the moderation page.
- A person starts a conversation with someone listed; either of two people may reply in a conversation
  they share; nobody may write to someone who blocked them or whom they blocked.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.people.access import can_admin_network
from coproduce.spaces.access import Decision

from .models import Block, HelpRequest, Listing, Message, Report, Thread


def can_use(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def blocked_ids(user) -> set[int]:
    """Everyone `user` blocked or who blocked `user`: they do not see each other here."""
    if not user.is_authenticated:
        return set()
    found = set()
    for blocker, blocked in Block.objects.filter(Q(blocker=user) | Q(blocked=user)).values_list(
        "blocker_id", "blocked_id"
    ):
        found.add(blocked if blocker == user.pk else blocker)
    return found


def is_blocked_between(a, b) -> bool:
    return Block.objects.filter(Q(blocker=a, blocked=b) | Q(blocker=b, blocked=a)).exists()


def get_listing_for(user, person_id: int) -> Listing:
    """A listed person's entry; 404 for anonymous people, for someone not listed (or gone), and between
    two people when either blocked the other. A person always sees their own."""
    if not can_use(user):
        raise Http404
    listing = (
        Listing.objects.select_related("person").filter(person_id=person_id, person__is_active=True).first()
    )
    if listing is None:
        raise Http404
    if listing.person_id != user.pk and is_blocked_between(user, listing.person):
        raise Http404
    return listing


def get_request_for(user, request_id: int) -> HelpRequest:
    found = HelpRequest.objects.filter(pk=request_id).first()
    if found is None or not can_use(user) or found.asker_id != user.pk:
        raise Http404
    return found


def get_thread_for(user, thread_id: int) -> Thread:
    """A conversation, for its two people only."""
    if not can_use(user):
        raise Http404
    thread = (
        Thread.objects.select_related("first", "second")
        .filter(Q(first=user) | Q(second=user), pk=thread_id)
        .first()
    )
    if thread is None:
        raise Http404
    return thread


def get_message_for(user, message_id: int) -> Message:
    """A message, for the two people of its conversation."""
    if not can_use(user):
        raise Http404
    message = (
        Message.objects.select_related("thread", "sender")
        .filter(Q(sender=user) | Q(recipient=user), pk=message_id)
        .first()
    )
    if message is None:
        raise Http404
    return message


def can_write_to(sender, recipient, *, thread: Thread | None = None) -> Decision:
    """May `sender` write to `recipient`? In a conversation they share (`thread`), yes unless a block
    stands between them; a new conversation also needs `recipient` to be listed."""
    if not can_use(sender) or recipient is None or not recipient.is_active or sender.pk == recipient.pk:
        return Decision(False, _("You cannot send a message to this person."), role=True)
    if is_blocked_between(sender, recipient):
        return Decision(False, _("You cannot send a message to this person."), role=True)
    if thread is None and not Listing.objects.filter(person=recipient).exists():
        return Decision(False, _("This person is not in the directory, so you cannot start a conversation."))
    return Decision(True)


def get_correspondent_for(user, person_id: int):
    """(person, the conversation they share or None) for writing to `person_id`: someone listed whom the
    user may see, or someone they already share a conversation with. 404 otherwise."""
    if not can_use(user) or person_id == user.pk:
        raise Http404
    thread = (
        Thread.objects.select_related("first", "second")
        .filter(first_id=min(user.pk, person_id), second_id=max(user.pk, person_id))
        .first()
    )
    if thread is not None:
        return thread.other(user), thread
    return get_listing_for(user, person_id).person, None


def can_moderate(user) -> bool:
    """Network admins look at what people report (the /directory/moderation/ page)."""
    return can_admin_network(user)


def get_report_for(user, report_id: int) -> Report:
    if not can_moderate(user):
        raise Http404
    report = (
        Report.objects.select_related("message", "listed_person", "reporter").filter(pk=report_id).first()
    )
    if report is None:
        raise Http404
    return report
