"""Reads for resources: the filtered list, the hub's section and the search's documents."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import HubSection, ModuleItem, SearchDocument

from . import access
from .models import Resource, ResourceKind, ResourceStatus

KIND = "resources.resource"


def resources(user, *, tag: str = "", kind: str = "", words: str = "", easy_read: bool = False) -> QuerySet:
    found = access.visible(user, Resource.objects.select_related("easy_read_of"))
    if tag:
        found = found.filter(tags__icontains=tag.strip())
    if kind in ResourceKind.values:
        found = found.filter(kind=kind)
    if words:
        for word in words.split()[:8]:
            found = found.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    if easy_read:
        found = found.filter(easy_read_of__isnull=False)
    return found


def easy_read_versions(user, resource: Resource) -> list[Resource]:
    return list(access.visible(user, resource.easy_read_versions.all()))


def originals_for(user, *, exclude: int | None = None) -> QuerySet:
    """What a new resource may be the easy-read version of: resources they may see that are not themselves
    easy-read versions."""
    found = access.visible(user, Resource.objects.filter(easy_read_of__isnull=True)).order_by("title")
    return found.exclude(pk=exclude) if exclude else found


def hub_section(user) -> HubSection | None:
    latest = Resource.objects.filter(status=ResourceStatus.PUBLISHED).only("id", "title", "kind")[:5]
    return HubSection(
        module="resources",
        title=_("Resources"),
        url=reverse("resources:list"),
        rows=tuple(
            ModuleItem(
                title=r.title,
                url=reverse("resources:detail", args=[r.pk]),
                status=_("File") if r.kind == ResourceKind.FILE else _("Link"),
            )
            for r in latest
        ),
        order=40,
    )


def search_documents(kind: str, pks: Sequence[int] | None) -> Iterable[SearchDocument]:
    """Published resources only: a draft is never found."""
    if kind != KIND:
        return []
    found = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    if pks is not None:
        found = found.filter(pk__in=list(pks))
    return [
        SearchDocument(
            kind=KIND,
            pk=r.pk,
            title=r.title,
            body=f"{r.summary}\n{r.tags}",
            url=reverse("resources:detail", args=[r.pk]),
            when=r.published_at,
        )
        for r in found.iterator()
    ]
