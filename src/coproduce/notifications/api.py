"""/api/v1/notifications: your notifications, marking them read, and how you want to hear about things."""

from __future__ import annotations

from ninja import Router

from coproduce.core.api import AUTH

from . import access, kinds, selectors, services
from .kinds import Delivery
from .schemas import (
    NotificationOut,
    NotificationPageOut,
    NotificationPreferenceOut,
    NotificationPreferencesIn,
    NotificationReadAllOut,
)

router = Router(tags=["notifications"], auth=AUTH)


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
