"""/api/v1/directory/...: listings, requests for help with suggestions, conversations, blocks and reports.
Signed-in people only (401 otherwise), with the same access functions and services as the pages."""

from __future__ import annotations

from django.http import Http404
from ninja import Router, Status
from ninja.errors import HttpError

from coproduce.core.ratelimit import limited

from . import access, selectors, services
from .models import HelpRequest, Listing, Message, Thread
from .schemas import (
    DirectoryHelpRequestIn,
    DirectoryHelpRequestOut,
    DirectoryListingIn,
    DirectoryListingOut,
    DirectoryMessageIn,
    DirectoryMessageOut,
    DirectoryReportIn,
    DirectoryReportOut,
    DirectoryThreadOut,
)

router = Router(tags=["directory"])


def _listing(listing: Listing) -> dict:
    return {
        "person": listing.person_id,
        "name": listing.person.display_name,
        "intro": listing.intro,
        "skills": listing.skills,
        "experience": listing.experience,
        "interests": listing.interests,
        "stages": listing.stage_list,
        "perspectives": listing.perspective_list,
        "place": listing.place,
        "offers": listing.offer_list,
        "lived_experience_of": listing.lived_experience_of,
        "updated_at": listing.updated_at,
    }


def _request(found: HelpRequest, *, suggestions: bool = False) -> dict:
    out = {
        "id": found.pk,
        "kind": found.kind,
        "lived_experience_of": found.lived_experience_of,
        "description": found.description,
        "stage": found.stage,
        "place": found.place,
        "is_open": found.is_open,
        "created_at": found.created_at,
    }
    if suggestions:
        out["suggestions"] = [
            {
                "person": s.listing.person_id,
                "name": s.listing.person.display_name,
                "score": s.score,
                "reasons": s.reasons,
            }
            for s in selectors.suggestions(found)
        ]
    return out


def _message(message: Message, user) -> dict:
    return {
        "id": message.pk,
        "thread": message.thread_id,
        "sender": message.sender.display_name,
        "mine": message.sender_id == user.pk,
        "body": "" if message.removed_at else message.body,
        "removed": message.removed_at is not None,
        "created_at": message.created_at,
        "read_at": message.read_at,
    }


def _send(**kwargs) -> Message:
    try:
        return services.message_send(**kwargs)
    except services.RateLimited as error:
        raise HttpError(429, error.messages[0]) from None


# --- Listings --------------------------------------------------------------------------------------------


@router.get("/directory/listings", response=list[DirectoryListingOut], summary="Listed people, with filters")
def directory_listings(
    request, stage: str = "", offer: str = "", place: str = "", q: str = "", limit: int = 50, offset: int = 0
):
    found = selectors.listings(request.user, stage=stage[:20], offer=offer[:20], place=place[:80], q=q[:100])
    start = max(0, offset)
    return [_listing(x) for x in found[start : start + max(1, min(limit, 100))]]


@router.get("/directory/listings/{person_id}", response=DirectoryListingOut, summary="One listed person")
def directory_listing(request, person_id: int):
    return _listing(access.get_listing_for(request.user, person_id))


@router.get("/directory/me/listing", response=DirectoryListingOut, summary="Your own listing")
def directory_my_listing(request):
    listing = Listing.objects.select_related("person").filter(person=request.user).first()
    if listing is None:
        raise Http404
    return _listing(listing)


@router.put(
    "/directory/me/listing", response=DirectoryListingOut, summary="Be listed, or change your listing"
)
def directory_listing_save(request, payload: DirectoryListingIn):
    listing = services.listing_save(actor=request.user, **payload.dict())
    return _listing(listing)


@router.delete("/directory/me/listing", response={204: None}, summary="Leave the directory (deleted at once)")
def directory_leave(request):
    if not services.listing_leave(actor=request.user):
        raise Http404
    return Status(204, None)


# --- Requests for help -----------------------------------------------------------------------------------


@router.get(
    "/directory/help-requests", response=list[DirectoryHelpRequestOut], summary="Your requests for help"
)
def directory_help_requests(request):
    return [_request(r) for r in HelpRequest.objects.filter(asker=request.user)[:100]]


@router.post(
    "/directory/help-requests",
    response={201: DirectoryHelpRequestOut},
    summary="Ask for help (with suggestions)",
)
def directory_help_request_create(request, payload: DirectoryHelpRequestIn):
    data = payload.dict()
    created = services.help_request_create(
        actor=request.user,
        kind=data["kind"],
        description=data["description"],
        stage=data["stage"] or "",
        place=data["place"],
        lived_experience_of=data["lived_experience_of"],
    )
    return Status(201, _request(created, suggestions=True))


@router.get(
    "/directory/help-requests/{request_id}",
    response=DirectoryHelpRequestOut,
    summary="One of your requests, with the people suggested and why",
)
def directory_help_request(request, request_id: int):
    return _request(access.get_request_for(request.user, request_id), suggestions=True)


@router.post(
    "/directory/help-requests/{request_id}/close", response=DirectoryHelpRequestOut, summary="Close a request"
)
def directory_help_request_close(request, request_id: int):
    found = access.get_request_for(request.user, request_id)
    return _request(services.help_request_close(actor=request.user, help_request=found))


# --- Conversations ---------------------------------------------------------------------------------------


@router.get("/directory/threads", response=list[DirectoryThreadOut], summary="Your conversations")
def directory_threads(request):
    return [
        {
            "id": t["thread"].pk,
            "other": t["other"].pk,
            "other_name": t["other"].display_name,
            "unread": t["unread"],
            "last_message_at": t["last_message_at"],
        }
        for t in selectors.threads_of(request.user)
    ]


@router.get(
    "/directory/threads/{thread_id}",
    response=list[DirectoryMessageOut],
    summary="A conversation's messages (marks them read)",
)
def directory_thread(request, thread_id: int):
    thread = access.get_thread_for(request.user, thread_id)
    found = list(selectors.messages_of(thread))
    services.thread_mark_read(actor=request.user, thread=thread)
    return [_message(m, request.user) for m in found]


@router.post(
    "/directory/threads/{thread_id}/messages",
    response={201: DirectoryMessageOut},
    summary="Reply in a conversation",
)
@limited("post")
def directory_reply(request, thread_id: int, payload: DirectoryMessageIn):
    thread: Thread = access.get_thread_for(request.user, thread_id)
    message = _send(actor=request.user, thread=thread, body=payload.body)
    return Status(201, _message(message, request.user))


@router.post(
    "/directory/people/{person_id}/messages",
    response={201: DirectoryMessageOut},
    summary="Write to a listed person (or someone you share a conversation with)",
)
@limited("post")
def directory_write(request, person_id: int, payload: DirectoryMessageIn):
    recipient, thread = access.get_correspondent_for(request.user, person_id)
    help_request = None
    if payload.help_request is not None:
        help_request = access.get_request_for(request.user, payload.help_request)
    message = _send(
        actor=request.user, recipient=recipient, thread=thread, body=payload.body, help_request=help_request
    )
    return Status(201, _message(message, request.user))


# --- Blocks and reports ----------------------------------------------------------------------------------


@router.post("/directory/people/{person_id}/block", response={204: None}, summary="Block a person")
def directory_block(request, person_id: int):
    person, _thread = access.get_correspondent_for(request.user, person_id)
    services.block_add(actor=request.user, person=person)
    return Status(204, None)


@router.delete("/directory/people/{person_id}/block", response={204: None}, summary="Unblock a person")
def directory_unblock(request, person_id: int):
    from coproduce.people.models import User

    person = User.objects.filter(pk=person_id).first()
    if person is None or not services.block_remove(actor=request.user, person=person):
        raise Http404
    return Status(204, None)


@router.post(
    "/directory/people/{person_id}/report", response={201: DirectoryReportOut}, summary="Report a listing"
)
def directory_report_listing(request, person_id: int, payload: DirectoryReportIn):
    listing = access.get_listing_for(request.user, person_id)
    report = services.report_create(actor=request.user, reason=payload.reason, listed_person=listing.person)
    return Status(201, {"id": report.pk, "created_at": report.created_at})


@router.post(
    "/directory/messages/{message_id}/report",
    response={201: DirectoryReportOut},
    summary="Report a message someone sent you",
)
def directory_report_message(request, message_id: int, payload: DirectoryReportIn):
    message = access.get_message_for(request.user, message_id)
    report = services.report_create(actor=request.user, reason=payload.reason, message=message)
    return Status(201, {"id": report.pk, "created_at": report.created_at})
