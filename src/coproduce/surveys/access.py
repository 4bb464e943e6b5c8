"""Who may see and do what with surveys: asked by the pages, the services and the API.

- Hosts and facilitators build surveys, open and close them, see every answer and export them, enter paper
  answers for members they may act for (`spaces.access.can_act_for`), and hide a free-text answer.
- A draft survey is seen only by hosts and facilitators (404 for everyone else).
- Who may answer: members of the space; anyone holding a one-time link; or anyone who can see the space.
- Results: hosts and facilitators always; members or the public when the host publishes them to them.
  Individual answers of a named survey are never shown beyond hosts and facilitators.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)
from coproduce.spaces.models import Space

from .models import Audience, ResultsTo, Survey, SurveyStatus

ALLOWED = Decision(True)


def can_manage(user, space: Space) -> bool:
    return space_access.has_role(user, space, space_access.FACILITATOR)


def get_survey_for(user, survey_id: int, *, space: Space | None = None) -> Survey:
    """The survey, or Http404 for those who may not see its space, or a draft they do not run."""
    queryset = Survey.objects.select_related("space")
    if space is not None:
        queryset = queryset.filter(space=space)
    survey = queryset.filter(pk=survey_id).first()
    if survey is None or not space_access.can_view(user, survey.space):
        raise Http404
    if survey.status == SurveyStatus.DRAFT and not can_manage(user, survey.space):
        raise Http404
    return survey


def can_build(user, space: Space) -> Decision:
    if can_manage(user, space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can build surveys."), role=True)


def can_answer(user, survey: Survey, *, token: bool = False) -> Decision:
    """May `user` answer (with a one-time link when `token`)? Whether they already did is the service's."""
    if not survey.is_answerable_now:
        return Decision(False, _("This survey is not open for answers."))
    if survey.audience == Audience.PUBLIC or token:
        return ALLOWED
    if survey.audience == Audience.LINK and not space_access.has_role(
        user, survey.space, space_access.MEMBER
    ):
        return Decision(False, _("This survey is answered through the link you were given."), role=True)
    if not space_access.has_role(user, survey.space, space_access.MEMBER):
        return Decision(False, _("Only members of this space can answer this survey."), role=True)
    return ALLOWED


def can_enter_for(actor, person, survey: Survey) -> Decision:
    """A facilitator types in a member's paper answers (assisted members, or members who asked for help)."""
    if not can_manage(actor, survey.space):
        return Decision(False, _("Only facilitators and hosts can enter paper answers."), role=True)
    return space_access.can_act_for(actor, person, survey.space)


def can_see_results(user, survey: Survey) -> Decision:
    if can_manage(user, survey.space):
        return ALLOWED
    if survey.status != SurveyStatus.DRAFT:
        if survey.results_to == ResultsTo.PUBLIC:
            return ALLOWED
        if survey.results_to == ResultsTo.MEMBERS and space_access.has_role(
            user, survey.space, space_access.MEMBER
        ):
            return ALLOWED
    return Decision(False, _("The results of this survey are not published to you."), role=True)


def can_export(user, survey: Survey) -> Decision:
    """Every response, one row each: hosts and facilitators only (a named survey's answers are theirs)."""
    if can_manage(user, survey.space):
        return ALLOWED
    return Decision(False, _("Only facilitators and hosts can download every answer."), role=True)


def can_read_free_text(user, survey: Survey) -> bool:
    """Free-text answers are single people's words: in a named survey only hosts and facilitators read
    them; in an anonymous one, whoever may see the results."""
    return survey.anonymous or can_manage(user, survey.space)
