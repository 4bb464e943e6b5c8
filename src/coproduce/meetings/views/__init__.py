"""Meeting pages, by what people do: planning (meetings), places (registrations), setting the agenda
(agenda), after the meeting (outcomes) and calendar feeds (calendar). Each view: parse → access → service →
render. Changes are POSTs that work without JavaScript; the dot-voting buttons swap a fragment with htmx."""

from .agenda import dot, from_idea, from_statement, leave_off, minutes, propose, publish
from .calendar import my_calendar, person_calendar, space_calendar
from .meetings import credits, meeting_cancel, meeting_create, meeting_detail, meeting_edit, meeting_list
from .outcomes import attendance, decision_create, pay_owed
from .printing import print_agenda, print_attendance
from .registrations import register, registrations, unregister

__all__ = [
    "attendance",
    "credits",
    "decision_create",
    "dot",
    "from_idea",
    "from_statement",
    "leave_off",
    "meeting_cancel",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_list",
    "minutes",
    "my_calendar",
    "pay_owed",
    "print_agenda",
    "print_attendance",
    "person_calendar",
    "propose",
    "publish",
    "register",
    "registrations",
    "space_calendar",
    "unregister",
]
