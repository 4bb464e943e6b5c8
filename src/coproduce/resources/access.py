"""Who may see and change resources: asked by the pages, the services and the API.

- A published resource is public (links and files alike).
- A draft is seen only by its author and network administrators (404 for everyone else).
- Anyone signed in may add a resource; its author and network administrators change and publish it.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _

from coproduce.people.access import can_admin_network
from coproduce.spaces.access import Decision, require, require_role  # noqa: F401  (the one rule, in spaces)

from .models import Resource, ResourceStatus

ALLOWED = Decision(True)


def is_author(user, resource: Resource) -> bool:
    return bool(user.is_authenticated and resource.author_id == user.pk)


def get_resource_for(user, resource_id: int) -> Resource:
    """The resource, or Http404 for a draft that is not theirs (or one that does not exist)."""
    resource = Resource.objects.select_related("easy_read_of", "author").filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    if resource.status != ResourceStatus.PUBLISHED and not (
        is_author(user, resource) or can_admin_network(user)
    ):
        raise Http404
    return resource


def can_add(user) -> Decision:
    if user.is_authenticated and user.is_active:
        return ALLOWED
    return Decision(False, _("Sign in to add a resource."), role=True)


def can_edit(user, resource: Resource) -> Decision:
    if is_author(user, resource) or can_admin_network(user):
        return ALLOWED
    return Decision(
        False, _("Only the person who added it and network administrators can change it."), role=True
    )


def visible(user, queryset):
    """The resources of `queryset` that `user` may see: published ones, and their own drafts."""
    from django.db.models import Q

    if can_admin_network(user):
        return queryset
    if user.is_authenticated:
        return queryset.filter(Q(status=ResourceStatus.PUBLISHED) | Q(author=user))
    return queryset.filter(status=ResourceStatus.PUBLISHED)
