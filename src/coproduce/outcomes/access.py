"""Who may see and do what with personal outcomes: decided here once, asked by the pages, the services and
the API.

- A person's outcomes, conversations and plan are seen by the person and by the helpers they allow
  (facilitators and practitioners of the space, while still members): nobody else, not hosts, not network
  admins. Everyone else gets 404, as if there were nothing.
- Nothing is recorded without the person's live consent in that space. The person gives and withdraws it;
  a facilitator may for someone who takes part with help (`spaces.access.can_act_for`), and is then one of
  their helpers.
- The space's summary is anonymised and never shown for fewer than `SMALLEST_GROUP` people; members of the
  space (and network admins) may read it.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.core.prepared import Prepared
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)
from coproduce.spaces.models import Perspective, Space

from .models import Consent, Helper

ALLOWED = Decision(True)
SMALLEST_GROUP = 5


# Asked on every space page a member opens (their outcomes' line in the timeline): its SQL built once.
_LIVE_CONSENT = Prepared(
    lambda person_id, space_id: Consent.objects.filter(
        person_id=person_id, space_id=space_id, withdrawn_at__isnull=True
    )[:1],
    values=(int, int),
)


def live_consent(person, space: Space) -> Consent | None:
    if person.pk is None:
        return None
    return _LIVE_CONSENT.first(person.pk, space.pk)


_LIVE_CONSENT_BY_SLUG = Prepared(
    lambda slug, person_id: Consent.objects.filter(
        person_id=person_id, space__slug=slug, withdrawn_at__isnull=True
    )[:1],
    values=(str, int),
)


def live_consent_read(person, slug: str) -> tuple[Prepared, tuple] | None:
    """`live_consent`'s read, to be asked with the space (the space page: `ModuleManifest.read_with_space`)."""
    return (_LIVE_CONSENT_BY_SLUG, (slug, person.pk)) if person.pk is not None else None


def may_help(user, space: Space) -> bool:
    """Whether a person could be chosen as a helper: a facilitator or host, or a practitioner member."""
    membership = space_access.membership_of(user, space)
    if membership is None:
        return False
    return space_access.has_role(user, space, space_access.FACILITATOR) or (
        membership.perspective == Perspective.PRACTITIONER
    )


def is_helper(user, person, space: Space) -> bool:
    if not user.is_authenticated:
        return False
    return may_help(user, space) and Helper.objects.filter(person=person, space=space, helper=user).exists()


def may_see(user, person, space: Space) -> bool:
    if not user.is_authenticated:
        return False
    return user.pk == person.pk or is_helper(user, person, space)


def get_person_for(user, space: Space, person_id: int) -> User:
    """The person whose outcomes `user` asks for, or Http404 unless it is them or a helper they allow."""
    person = User.objects.filter(pk=person_id).first()
    if person is None or not may_see(user, person, space):
        raise Http404
    return person


def can_consent(user, person, space: Space) -> Decision:
    """Give or withdraw consent: the person; a facilitator for someone who takes part with help."""
    if not space_access.has_role(person, space, space_access.MEMBER):
        return Decision(False, _("Only members of the space can have their outcomes recorded here."))
    if user.is_authenticated and user.pk == person.pk:
        return ALLOWED
    decision = space_access.can_act_for(user, person, space)
    # Once outcomes are recorded, only the helpers the person has go on acting for them: another
    # facilitator would otherwise reach what was recorded.
    if decision and live_consent(person, space) is not None and not is_helper(user, person, space):
        return Decision(False, _("Only the person and the helpers they choose can do this."), role=True)
    return decision


def can_record(user, person, space: Space) -> Decision:
    """Record a conversation or change the plan: the person or a helper they allow, with their consent."""
    if not may_see(user, person, space):
        return Decision(False, _("Only the person and the helpers they choose can do this."), role=True)
    if live_consent(person, space) is None:
        return Decision(False, _("Nothing can be recorded until the person agrees to it."))
    return ALLOWED


def can_choose_helpers(user, person, space: Space) -> Decision:
    """The person chooses who helps them; a facilitator chooses for someone who takes part with help."""
    if user.is_authenticated and user.pk == person.pk:
        return ALLOWED
    if getattr(person, "is_assisted", False) and is_helper(user, person, space):
        return ALLOWED
    return Decision(False, _("Only the person chooses who sees their outcomes."), role=True)


def can_see_summary(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.MEMBER) or getattr(user, "is_staff", False):
        return ALLOWED
    return Decision(False, _("Only members of the space can read its outcomes summary."), role=True)


def can_erase(user, person) -> Decision:
    """Erase everything recorded about a person's outcomes: the person, or a network admin."""
    if user.is_authenticated and (user.pk == person.pk or user.is_staff):
        return ALLOWED
    return Decision(False, _("Only the person or a network admin can erase their outcomes."), role=True)
