"""Every change to meetings: validated, atomic and audited. Split by what people do:
meetings (plan, change, cancel, time credits), registrations (places and the waiting list),
agenda (proposals, dots, publication, minutes), outcomes (attendance and credits, decisions),
calendar (the secret link to a person's feed)."""

from .agenda import (
    agenda_item_leave_off,
    agenda_item_propose,
    agenda_publish,
    dot_add,
    dot_remove,
    minutes_record,
)
from .calendar import calendar_feed_create
from .events import event_create
from .meetings import meeting_cancel, meeting_create, meeting_set_credits, meeting_update
from .outcomes import attendance_confirm, credits_pay_owed, decision_record
from .registrations import registration_cancel, registration_create
from .reminders import remind_tomorrow

__all__ = [
    "agenda_item_leave_off",
    "agenda_item_propose",
    "agenda_publish",
    "attendance_confirm",
    "calendar_feed_create",
    "credits_pay_owed",
    "decision_record",
    "dot_add",
    "dot_remove",
    "event_create",
    "meeting_cancel",
    "meeting_create",
    "meeting_set_credits",
    "meeting_update",
    "minutes_record",
    "registration_cancel",
    "registration_create",
    "remind_tomorrow",
]
