"""Who may see and change case studies: asked by the pages, the services and the API.

- A published case study is public.
- A draft is seen by its author, the hosts of the space it came from and network administrators (404 for
  everyone else).
- Anyone signed in may write one; its author and network administrators change and publish it. The hosts of
  a space draft one from the space's records (they become its author).
- Anyone signed in may contact the author of a published case study, through the platform: nobody's email
  is shown.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.people.access import can_admin_network
from coproduce.spaces import access as space_access
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)
from coproduce.spaces.models import Membership, Role, Space

from .models import CaseStudy, CaseStudyStatus

ALLOWED = Decision(True)


def is_author(user, case_study: CaseStudy) -> bool:
    return bool(user.is_authenticated and case_study.author_id == user.pk)


def _hosts_its_space(user, case_study: CaseStudy) -> bool:
    return case_study.space is not None and space_access.has_role(user, case_study.space, space_access.HOST)


def get_case_study_for(user, case_study_id: int) -> CaseStudy:
    found = CaseStudy.objects.select_related("space", "author").filter(pk=case_study_id).first()
    if found is None:
        raise Http404
    if found.status != CaseStudyStatus.PUBLISHED and not (
        is_author(user, found) or _hosts_its_space(user, found) or can_admin_network(user)
    ):
        raise Http404
    return found


def visible(user, queryset):
    """Published case studies, and the drafts `user` may see."""
    if can_admin_network(user):
        return queryset
    if not user.is_authenticated:
        return queryset.filter(status=CaseStudyStatus.PUBLISHED)
    hosted = Membership.objects.filter(user=user, role=Role.HOST).values("space_id")
    return queryset.filter(Q(status=CaseStudyStatus.PUBLISHED) | Q(author=user) | Q(space_id__in=hosted))


def can_write(user) -> Decision:
    if user.is_authenticated and user.is_active:
        return ALLOWED
    return Decision(False, _("Sign in to write a case study."), role=True)


def can_edit(user, case_study: CaseStudy) -> Decision:
    if is_author(user, case_study) or can_admin_network(user):
        return ALLOWED
    return Decision(
        False, _("Only its author and network administrators can change a case study."), role=True
    )


def can_generate(user, space: Space) -> Decision:
    if space_access.has_role(user, space, space_access.HOST):
        return ALLOWED
    return Decision(False, _("Only the hosts of a space can draft a case study from it."), role=True)


def can_contact(user, case_study: CaseStudy) -> Decision:
    if not (user.is_authenticated and user.is_active):
        return Decision(False, _("Sign in to contact the author."), role=True)
    if not case_study.is_published or case_study.author_id is None:
        return Decision(False, _("This case study has no author to contact."))
    if case_study.author_id == user.pk:
        return Decision(False, _("You wrote this case study."))
    return ALLOWED
