"""API models for notifications (names unique across the project)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema

from .kinds import Delivery


class NotificationOut(Schema):
    id: int
    kind: str
    title: str  # written in the reader's language when read
    text: str  # words a person wrote, as written
    url: str  # a path on this site; empty when the reader may no longer see what it is about
    space: str  # the space's title, empty when none or hidden
    created_at: dt.datetime
    unread: bool


class NotificationPageOut(Schema):
    count: int
    unread: int
    items: list[NotificationOut]


class NotificationReadAllOut(Schema):
    marked: int


class NotificationPreferenceOut(Schema):
    kind: str
    label: str
    group: str
    delivery: Delivery
    default: Delivery


class NotificationPreferencesIn(Schema):
    """Only the kinds to change: {"idea_commented": "weekly", ...}."""

    choices: dict[str, str]


class HomeWaitingItemOut(Schema):
    """One thing waiting for the person (core.registry.WaitingItem), as the home page lists it."""

    module: str  # the module it comes from: "budgets", "meetings", ...
    kind: str  # e.g. "ballot", "meeting", "join_request"
    title: str
    url: str  # a path on this site
    urgency: str  # WAITING_ON_YOU, DUE or OPEN, most urgent first
    due: dt.datetime | None
    detail: str
    space_title: str  # empty when it is about no space (the timebank)


class HomeOut(Schema):
    """GET /me/home: what the home page shows a signed-in person."""

    waiting: list[HomeWaitingItemOut]
    unread_notifications: int
    helps_people: (
        bool  # hosts or facilitates a space: the notifications of the people they help are theirs to pass on
    )
