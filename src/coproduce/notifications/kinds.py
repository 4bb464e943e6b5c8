"""Every kind of notification, in one list: what it says, how it is delivered unless a person chooses.

A notification stores its kind and the values for the kind's sentence (`params`), never rendered text, so
the sentence is written when it is read, in the reader's language. Two params are filled at read time and
need not be passed: `space` (the space's current title) and `actor` (the name of whoever acted).
Params whose name ends in `_at` hold an ISO date-time and are shown as a local date and time; params whose
name ends in `_on` hold an ISO date and are shown as a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from coproduce.spaces.models import StageKind


class Delivery(models.TextChoices):
    IMMEDIATELY = "immediately", _("Email me straight away")
    DAILY = "daily", _("In a daily email")
    WEEKLY = "weekly", _("In a weekly email")
    NEVER = "never", _("Never email me (still shown here)")


class OnBehalfAct(models.TextChoices):
    """What a facilitator, host or coordinator did for someone (the `act` of "acted_on_your_behalf")."""

    BALLOT = "ballot", _("recorded your paper ballot")
    IDEA = "idea", _("posted an idea")
    SUPPORT = "support", _("supported an idea")
    SUPPORT_WITHDRAWN = "support_withdrawn", _("withdrew your support for an idea")
    COMMENT = "comment", _("wrote a comment")
    AGENDA_ITEM = "agenda_item", _("proposed an agenda item")
    DOT = "dot", _("put one of your dots on an agenda item")
    DOT_REMOVED = "dot_removed", _("took one of your dots off an agenda item")
    REGISTRATION = "registration", _("registered you for a meeting")
    REGISTRATION_CANCELLED = "registration_cancelled", _("cancelled your place at a meeting")
    EXCHANGE = "exchange", _("recorded a timebank exchange")
    ACTION_UPDATE = "action_update", _("reported progress on an action you own")
    CONVERSATION_VOTES = "conversation_votes", _("entered your votes in a conversation")


DIGESTS = (Delivery.DAILY, Delivery.WEEKLY)
FILLED_AT_READ_TIME = {"space", "actor"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


@dataclass(frozen=True)
class Kind:
    code: str
    label: str | Promise  # what the preferences page calls it
    sentence: str | Promise  # the notification's title, with %(name)s placeholders
    default_delivery: Delivery
    group: str | Promise
    # Params that hold a code of these choices, translated when read (e.g. a stage kind).
    choices: dict[str, type[models.TextChoices]] = field(default_factory=dict, compare=False)

    @property
    def placeholders(self) -> set[str]:
        return set(_PLACEHOLDER.findall(str(self.sentence)))


SPACES, STAGES, IDEAS, MEETINGS, ACTIONS, BUDGETS, TIMEBANK = (
    _("Joining and your place in spaces"),
    _("Stages"),
    _("Ideas"),
    _("Meetings"),
    _("Actions"),
    _("Participatory budgets"),
    _("Timebank"),
)
GROUPS = [SPACES, STAGES, IDEAS, MEETINGS, ACTIONS, BUDGETS, TIMEBANK]
MESSAGES = _("Messages")
GROUPS.append(MESSAGES)

KINDS: list[Kind] = [
    # Joining and your place in spaces
    Kind(
        "join_request_received",
        _("Someone asks to join a space you run"),
        _("%(person)s asked to join %(space)s"),
        Delivery.IMMEDIATELY,
        SPACES,
    ),
    Kind(
        "join_request_approved",
        _("Your request to join is approved"),
        _("Your request to join %(space)s was approved"),
        Delivery.IMMEDIATELY,
        SPACES,
    ),
    Kind(
        "join_request_declined",
        _("Your request to join is declined"),
        _("Your request to join %(space)s was declined"),
        Delivery.IMMEDIATELY,
        SPACES,
    ),
    Kind(
        "membership_changed",
        _("Your role or perspective changes"),
        _("Your role or perspective in %(space)s was changed"),
        Delivery.DAILY,
        SPACES,
    ),
    Kind(
        "acted_on_your_behalf",
        _("Someone acts on your behalf"),
        _("On your behalf, %(actor)s %(act)s"),
        Delivery.IMMEDIATELY,
        SPACES,
        choices={"act": OnBehalfAct},
    ),
    Kind(
        "entry_disputed",
        _("Someone says what was recorded for them is wrong"),
        _("%(person)s says something recorded on their behalf in %(space)s is wrong"),
        Delivery.IMMEDIATELY,
        SPACES,
    ),
    # Stages
    Kind(
        "stage_opened",
        _("A stage opens"),
        _("The %(stage)s stage of %(space)s has opened"),
        Delivery.DAILY,
        STAGES,
        choices={"stage": StageKind},
    ),
    Kind(
        "stage_closed",
        _("A stage closes"),
        _("The %(stage)s stage of %(space)s has closed"),
        Delivery.DAILY,
        STAGES,
        choices={"stage": StageKind},
    ),
    # Ideas
    Kind(
        "idea_status_changed",
        _("The status of your idea changes"),
        _("The status of the idea “%(title)s” changed"),
        Delivery.IMMEDIATELY,
        IDEAS,
    ),
    Kind(
        "idea_commented",
        _("Someone comments on your idea"),
        _("%(person)s commented on the idea “%(title)s”"),
        Delivery.DAILY,
        IDEAS,
    ),
    # Meetings
    Kind(
        "agenda_published",
        _("A meeting's agenda is published"),
        _("The agenda for “%(title)s” is published"),
        Delivery.DAILY,
        MEETINGS,
    ),
    Kind(
        "meeting_changed",
        _("A meeting you are going to changes"),
        _("The meeting “%(title)s” has changed"),
        Delivery.IMMEDIATELY,
        MEETINGS,
    ),
    Kind(
        "meeting_cancelled",
        _("A meeting you are going to is cancelled"),
        _("The meeting “%(title)s” is cancelled"),
        Delivery.IMMEDIATELY,
        MEETINGS,
    ),
    Kind(
        "meeting_place_given",
        _("You get a place from a meeting's waiting list"),
        _("You have a place at “%(title)s”: one came free on the waiting list"),
        Delivery.IMMEDIATELY,
        MEETINGS,
    ),
    Kind(
        "meeting_reminder",
        _("A reminder before a meeting"),
        _("Reminder: “%(title)s” starts on %(starts_at)s"),
        Delivery.IMMEDIATELY,
        MEETINGS,
    ),
    # Actions
    Kind(
        "action_assigned",
        _("An action is given to you"),
        _("You own a new action: “%(title)s”"),
        Delivery.IMMEDIATELY,
        ACTIONS,
    ),
    Kind(
        "action_overdue",
        _("An action you own is overdue"),
        _("The action “%(title)s” was due on %(due_on)s and is not done yet"),
        Delivery.IMMEDIATELY,
        ACTIONS,
    ),
    # Participatory budgets
    Kind(
        "budget_voting_opened",
        _("Voting opens"),
        _("Voting is open for “%(title)s”"),
        Delivery.IMMEDIATELY,
        BUDGETS,
    ),
    Kind(
        "budget_voting_closing",
        _("Voting closes in 24 hours"),
        _("Voting for “%(title)s” closes in 24 hours"),
        Delivery.IMMEDIATELY,
        BUDGETS,
    ),
    Kind(
        "budget_results_published",
        _("Results are published"),
        _("The results of “%(title)s” are published"),
        Delivery.DAILY,
        BUDGETS,
    ),
    # Timebank
    Kind(
        "exchange_to_confirm",
        _("An exchange is waiting for you to confirm"),
        _("%(person)s recorded an exchange for you to confirm"),
        Delivery.IMMEDIATELY,
        TIMEBANK,
    ),
    Kind(
        "exchange_confirmed",
        _("An exchange is confirmed"),
        _("Your exchange with %(person)s was confirmed"),
        Delivery.DAILY,
        TIMEBANK,
    ),
    Kind(
        "exchange_disputed",
        _("An exchange is disputed"),
        _("Your exchange with %(person)s was disputed"),
        Delivery.IMMEDIATELY,
        TIMEBANK,
    ),
    Kind(
        "exchange_dispute_to_settle",
        _("A disputed exchange needs a coordinator (coordinators)"),
        _("%(person)s disputed an exchange: a coordinator needs to settle it"),
        Delivery.IMMEDIATELY,
        TIMEBANK,
    ),
    Kind(
        "credits_received",
        _("You receive time credits"),
        _("You received %(hours)s hours of time credits"),
        Delivery.DAILY,
        TIMEBANK,
    ),
    # Messages (the directory): the sender's name only, never their email; the link opens the conversation.
    Kind(
        "directory_message",
        _("Someone sends you a message"),
        _("%(actor)s sent you a message"),
        Delivery.IMMEDIATELY,
        MESSAGES,
    ),
]

# The network hub (moderation of members' posts; coproduce.hub tells authors through the "notify" hook).
HUB = _("The network hub")
GROUPS.append(HUB)
KINDS += [
    Kind(
        "hub_post_published",
        _("Your held post is let through (hub)"),
        _("A moderator let your post “%(title)s” through: it is now public"),
        Delivery.IMMEDIATELY,
        HUB,
    ),
    Kind(
        "hub_post_hidden",
        _("A moderator hides your post (hub)"),
        _("A moderator hid your post “%(title)s”"),
        Delivery.IMMEDIATELY,
        HUB,
    ),
    Kind(
        "hub_comment_hidden",
        _("A moderator hides your comment (hub)"),
        _("A moderator hid your comment on “%(title)s”"),
        Delivery.IMMEDIATELY,
        HUB,
    ),
]

# Case studies (casestudies): a person writes to a case study's author through the platform.
CASE_STUDIES = _("Case studies")
GROUPS.append(CASE_STUDIES)
KINDS.append(
    Kind(
        "casestudy_contact",
        _("Someone writes to you about a case study you wrote"),
        _("%(person)s wrote to you about your case study “%(title)s”"),
        Delivery.IMMEDIATELY,
        CASE_STUDIES,
    )
)

BY_CODE: dict[str, Kind] = {kind.code: kind for kind in KINDS}
CODES = list(BY_CODE)


def get(code: str) -> Kind | None:
    return BY_CODE.get(code)
