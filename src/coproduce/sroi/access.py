"""Who may see and change social value analyses and the network's unit costs: decided here once, asked by
the pages, the services and the API.

- An analysis is seen by whoever may see its space (the value a public space creates is public).
- Facilitators and hosts of the space start and change it.
- The table of unit costs is seen by everyone signed in and changed by network admins only (`is_staff`).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)
from coproduce.spaces.models import Space

from .models import Analysis, SroiOutcome, UnitCost

ALLOWED = Decision(True)


def can_view(user, space: Space) -> bool:
    return space_access.can_view(user, space)


def can_edit(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.FACILITATOR):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can change the social value analysis."), role=True)


def can_edit_unit_costs(user) -> Decision:
    """The one rule for the network's table of unit costs."""
    if getattr(user, "is_staff", False):
        return ALLOWED
    return Decision(False, _("Only network admins can change the unit costs."), role=True)


def get_analysis_for(user, space: Space) -> Analysis | None:
    """The space's analysis (None when there is none yet); Http404 for those who may not see the space."""
    if not can_view(user, space):
        raise Http404
    return Analysis.objects.filter(space=space).first()


def get_outcome_for(user, outcome_id: int, *, space: Space | None = None) -> SroiOutcome:
    queryset = SroiOutcome.objects.select_related("analysis__space", "unit_cost")
    if space is not None:
        queryset = queryset.filter(analysis__space=space)
    outcome = queryset.filter(pk=outcome_id).first()
    if outcome is None or not can_view(user, outcome.analysis.space):
        raise Http404
    return outcome


def get_unit_cost_for(user, unit_cost_id: int) -> UnitCost:
    if not user.is_authenticated:
        raise Http404
    found = UnitCost.objects.filter(pk=unit_cost_id).first()
    if found is None:
        raise Http404
    return found
