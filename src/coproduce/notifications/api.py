"""/api/v1/notifications: your notifications, marking them read, and how you want to hear about things; and
/api/v1/me/home, what the home page shows a signed-in person (`home_router`: what waits for them, from every
module through the registry, with their unread count, which only this layer may read)."""

from __future__ import annotations

from ninja import Router

from coproduce.core import registry
from coproduce.core.api import AUTH

from . import access, kinds, selectors, services
from .kinds import Delivery
from .schemas import (
    HomeOut,
    HomeWaitingItemOut,
    NotificationOut,
    NotificationPageOut,
    NotificationPreferenceOut,
    NotificationPreferencesIn,
    NotificationReadAllOut,
)

router = Router(tags=["notifications"], auth=AUTH)
home_router = Router(tags=["me"], auth=AUTH)


@home_router.get("/me/home", response=HomeOut, summary="What is waiting for you, most urgent first")
def my_home(request):
    """The same items as the home page, in the same order, and the number of unread notifications."""
    return HomeOut(
        waiting=[
            HomeWaitingItemOut(
                module=item.module,
                kind=item.kind,
                title=item.title,
                url=item.url,
                urgency=item.urgency.name,
                due=item.due,
                detail=item.detail,
                space_title=item.space_title,
            )
            for item in registry.waiting_for(request.user)
        ],
        unread_notifications=selectors.UnreadCount(request.user).count,
        helps_people=access.helps_anyone(request.user),
    )


def _out(shown: selectors.Shown, kind: str) -> NotificationOut:
    return NotificationOut(
        id=shown.id,
        kind=kind,
        title=shown.title,
        text=shown.text,
        url=shown.url,
        space=shown.space_title,
        created_at=shown.created_at,
        unread=shown.unread,
    )


@router.get("", response=NotificationPageOut, summary="Your notifications, newest first")
def notification_list(request, unread: bool = False, limit: int = 50, offset: int = 0):
    rows = selectors.inbox(request.user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    page = list(rows[offset : offset + limit])
    shown = selectors.present(page, request.user)
    return NotificationPageOut(
        count=rows.count(),
        unread=selectors.UnreadCount(request.user).count,
        items=[_out(s, n.kind) for s, n in zip(shown, page, strict=True)],
    )


@router.post("/{notification_id}/read", response=NotificationOut, summary="Mark one notification as read")
def notification_read(request, notification_id: int):
    notification = access.get_notification_for(request.user, notification_id)
    services.notification_mark_read(actor=request.user, notification=notification)
    return _out(selectors.present([notification], request.user)[0], notification.kind)


@router.post("/read-all", response=NotificationReadAllOut, summary="Mark all your notifications as read")
def notification_read_all(request):
    return NotificationReadAllOut(marked=services.notifications_mark_all_read(actor=request.user))


def _preferences(user) -> list[NotificationPreferenceOut]:
    current = selectors.deliveries_for(user)
    return [
        NotificationPreferenceOut(
            kind=kind.code,
            label=str(kind.label),
            group=str(kind.group),
            delivery=Delivery(current[kind.code]),
            default=kind.default_delivery,
        )
        for kind in kinds.KINDS
    ]


@router.get("/preferences", response=list[NotificationPreferenceOut], summary="How you hear about each kind")
def preferences_get(request):
    return _preferences(request.user)


@router.put(
    "/preferences", response=list[NotificationPreferenceOut], summary="Change how you hear about things"
)
def preferences_put(request, payload: NotificationPreferencesIn):
    services.preferences_set(actor=request.user, user=request.user, choices=payload.choices)
    return _preferences(request.user)
