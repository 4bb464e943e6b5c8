"""Every change in the directory: listing and leaving, requests for help, messages, blocks and reports.
Validated, atomic and audited. The audit says what happened, never what a listing or a message said: a
listing's words go when the person leaves, and a message is for its two people."""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.people.models import User
from coproduce.spaces.access import require

from . import access
from .models import Block, HelpRequest, Listing, Message, Offer, Report, Thread, codes

SEARCH_KIND = "directory.person"
# New messages one person may send in an hour, across every conversation: enough for a real exchange,
# too few for sending the same words to everyone listed.
MESSAGES_PER_HOUR = 20
LISTING_FIELDS = [
    "intro",
    "skills",
    "experience",
    "interests",
    "stages",
    "perspectives",
    "place",
    "offers",
    "lived_experience_of",
]


class RateLimited(ValidationError):
    """Too many messages this hour (the API answers 429)."""


def _text(value: str | None) -> str:
    return (value or "").strip()


def _require_member(actor: User) -> None:
    if not access.can_use(actor):
        raise PermissionDenied(_("Sign in to use the directory."))


# --- Listing ---------------------------------------------------------------------------------------------


@transaction.atomic
def listing_save(
    *,
    actor: User,
    intro: str,
    skills: str = "",
    experience: str = "",
    interests: str = "",
    stages: Iterable[str] = (),
    perspectives: Iterable[str] = (),
    place: str = "",
    offers: Iterable[str] = (),
    lived_experience_of: str = "",
) -> Listing:
    """List the actor in the directory, or change what their listing says."""
    _require_member(actor)
    listing = Listing.objects.select_for_update().filter(person=actor).first()
    created = listing is None
    if listing is None:
        listing = Listing(person=actor)
    before = audit.snapshot(listing, LISTING_FIELDS)
    listing.intro, listing.skills, listing.experience = _text(intro), _text(skills), _text(experience)
    listing.interests, listing.place = _text(interests), _text(place)
    listing.stages, listing.perspectives, listing.offers = codes(stages), codes(perspectives), codes(offers)
    listing.lived_experience_of = _text(lived_experience_of)
    listing.full_clean(exclude=["person"])
    changed = [field for field in LISTING_FIELDS if before[field] != getattr(listing, field)]
    if not created and not changed:
        return listing
    listing.save()
    # Which fields changed, never their words: the audit log outlives the listing.
    audit.record(
        actor=actor,
        action="directory.listed" if created else "directory.listing_changed",
        target=listing,
        summary=_("Joined the directory") if created else _("Changed their directory listing"),
        changes={"fields": [None, ", ".join(changed)]},
    )
    registry.search_changed(SEARCH_KIND, [actor.pk])
    return listing


@transaction.atomic
def listing_leave(*, actor: User) -> bool:
    """Leave the directory: the listing row is deleted at once. False when the actor was not listed."""
    _require_member(actor)
    listing = Listing.objects.filter(person=actor).first()
    if listing is None:
        return False
    audit.record(actor=actor, action="directory.left", target=listing, summary=_("Left the directory"))
    listing.delete()
    registry.search_changed(SEARCH_KIND, [actor.pk])
    return True


# --- Requests for help -----------------------------------------------------------------------------------


@transaction.atomic
def help_request_create(
    *,
    actor: User,
    kind: str,
    description: str,
    stage: str = "",
    place: str = "",
    lived_experience_of: str = "",
) -> HelpRequest:
    _require_member(actor)
    request = HelpRequest(
        asker=actor,
        kind=kind,
        description=_text(description),
        stage=stage or "",
        place=_text(place),
        lived_experience_of=_text(lived_experience_of) if kind == Offer.LIVED_EXPERIENCE else "",
    )
    request.full_clean()
    request.save()
    audit.record(
        actor=actor,
        action="directory.help_requested",
        target=request,
        summary=_("Asked for help: %(kind)s") % {"kind": request.get_kind_display()},
        changes={"kind": [None, request.kind], "stage": [None, request.stage]},
    )
    return request


@transaction.atomic
def help_request_close(*, actor: User, help_request: HelpRequest) -> HelpRequest:
    if help_request.asker_id != actor.pk:
        raise PermissionDenied
    if not help_request.is_open:
        return help_request
    help_request.is_open = False
    help_request.save(update_fields=["is_open"])
    audit.record(
        actor=actor,
        action="directory.help_request_closed",
        target=help_request,
        summary=_("Closed a request for help"),
        changes={"is_open": [True, False]},
    )
    return help_request


# --- Messages --------------------------------------------------------------------------------------------


def _count_against_limit(actor: User) -> None:
    """One more message this hour for `actor`, or a plain refusal past `MESSAGES_PER_HOUR`. The count
    lives in the cache shared by every process, one key per person per clock hour."""
    key = f"directory:messages:{actor.pk}:{int(time.time() // 3600)}"
    cache.add(key, 0, timeout=3600)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        sent = 1
    if sent > MESSAGES_PER_HOUR:
        raise RateLimited(
            {
                "body": [
                    _(
                        "You have sent %(n)s messages in the last hour, which is as many as we allow. "
                        "Please wait a while and try again."
                    )
                    % {"n": MESSAGES_PER_HOUR}
                ]
            }
        )


def _thread_between(a: User, b: User, help_request: HelpRequest | None) -> Thread:
    first, second = (a, b) if a.pk < b.pk else (b, a)
    thread = Thread.objects.filter(first=first, second=second).first()
    if thread is not None:
        return thread
    try:
        # Two first messages at once: the unique pair lets one create the thread; the other reads it.
        with transaction.atomic():
            return Thread.objects.create(first=first, second=second, help_request=help_request)
    except IntegrityError:
        return Thread.objects.get(first=first, second=second)


@transaction.atomic
def message_send(
    *,
    actor: User,
    body: str,
    recipient: User | None = None,
    thread: Thread | None = None,
    help_request: HelpRequest | None = None,
) -> Message:
    """Send a message to `recipient` (a new conversation, or the one they already share) or in `thread`.
    The recipient is told through the notifications' "notify" hook, by name, with a link to the thread:
    never the sender's email."""
    _require_member(actor)
    if thread is not None:
        if actor.pk not in (thread.first_id, thread.second_id):
            raise PermissionDenied
        recipient = thread.other(actor)
    if recipient is None:
        raise ValidationError(_("Say who the message is for."))
    if thread is None:
        thread = Thread.objects.filter(
            first_id=min(actor.pk, recipient.pk), second_id=max(actor.pk, recipient.pk)
        ).first()
    require(access.can_write_to(actor, recipient, thread=thread))
    if help_request is not None and help_request.asker_id != actor.pk:
        help_request = None
    message = Message(sender=actor, recipient=recipient, body=_text(body))
    message.full_clean(exclude=["thread"])
    _count_against_limit(actor)
    if thread is None:
        thread = _thread_between(actor, recipient, help_request)
    message.thread = thread
    message.save()
    Thread.objects.filter(pk=thread.pk).update(last_message_at=message.created_at)
    thread.last_message_at = message.created_at
    audit.record(
        actor=actor,
        action="directory.message_sent",
        target=message,
        summary=_("Sent a message"),
        changes={"thread": [None, thread.pk]},
    )
    notify = registry.hook("notify")
    if notify is not None:
        notify(
            kind="directory_message",
            recipients=[recipient],
            params={},
            url=thread.get_absolute_url(),
            key=f"directory_message:{message.pk}",
            actor=actor,
        )
    return message


def thread_mark_read(*, actor: User, thread: Thread) -> int:
    """The actor has read what the other person sent (not audited: reading changes nothing for anyone
    else). Returns how many messages were unread."""
    return Message.objects.filter(thread=thread, recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- Blocks and reports ----------------------------------------------------------------------------------


@transaction.atomic
def block_add(*, actor: User, person: User) -> Block:
    _require_member(actor)
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot block yourself."))
    existing = Block.objects.filter(blocker=actor, blocked=person).first()
    if existing is not None:
        return existing
    block = Block(blocker=actor, blocked=person)
    try:
        with transaction.atomic():
            block.save()
    except IntegrityError:  # the same block sent twice at once
        return Block.objects.get(blocker=actor, blocked=person)
    audit.record(actor=actor, action="directory.blocked", target=block, summary=_("Blocked someone"))
    return block


@transaction.atomic
def block_remove(*, actor: User, person: User) -> bool:
    block = Block.objects.filter(blocker=actor, blocked=person).first()
    if block is None:
        return False
    audit.record(actor=actor, action="directory.unblocked", target=block, summary=_("Unblocked someone"))
    block.delete()
    return True


@transaction.atomic
def report_create(
    *, actor: User, reason: str, message: Message | None = None, listed_person: User | None = None
) -> Report:
    """Tell the network admins that a message (one the actor received) or a listing breaks the rules."""
    _require_member(actor)
    if message is not None and message.recipient_id != actor.pk:
        raise ValidationError(_("You can report a message someone sent you."))
    report = Report(reporter=actor, message=message, listed_person=listed_person, reason=_text(reason))
    report.full_clean()
    report.save()
    audit.record(
        actor=actor,
        action="directory.reported",
        target=report,
        summary=_("Reported a message") if message is not None else _("Reported a directory listing"),
    )
    return report


@transaction.atomic
def report_resolve(*, actor: User, report: Report, remove: bool, note: str = "") -> Report:
    """A network admin closes a report: `remove` takes the message's words away (it stays, marked
    removed) or takes the listing out of the directory; otherwise it is kept. Every open report on the same
    message or listing is closed with it."""
    if not access.can_moderate(actor):
        raise PermissionDenied
    if report.resolved_at is not None:
        return report
    now = timezone.now()
    outcome = (_("Removed") if remove else _("Kept")) + (f": {_text(note)}" if _text(note) else "")
    same = Report.objects.filter(resolved_at__isnull=True)
    if report.message_id is not None:
        same = same.filter(message_id=report.message_id)
        if remove:
            Message.objects.filter(pk=report.message_id).update(body="", removed_at=now)
    else:
        same = same.filter(listed_person_id=report.listed_person_id)
        if remove:
            person_id = report.listed_person_id
            Listing.objects.filter(person_id=person_id).delete()
            registry.search_changed(SEARCH_KIND, [person_id] if person_id is not None else [])
    same.update(resolved_at=now, resolved_by=actor, outcome=outcome[:200])
    report.refresh_from_db()
    audit.record(
        actor=actor,
        action="directory.report_resolved",
        target=report,
        summary=_("Closed a report: %(outcome)s") % {"outcome": outcome},
        changes={"removed": [None, remove]},
    )
    return report
