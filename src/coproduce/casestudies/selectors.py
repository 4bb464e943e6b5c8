"""Reads for case studies: the filtered list, the hub's section, the search's documents and the space
page's item."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from coproduce.core.registry import HubSection, ModuleItem, SearchDocument

from . import access
from .models import CaseStudy, CaseStudyStatus

KIND = "casestudies.casestudy"


def case_studies(
    user,
    *,
    stage: str = "",
    perspective: str = "",
    topic: str = "",
    place: str = "",
    outcome: str = "",
    space_id: int | None = None,
) -> QuerySet:
    """Filters: a stage and a perspective are codes (",co_design," is matched whole); topic and place are
    words; outcome is words looked for in what changed and its evidence."""
    found = access.visible(user, CaseStudy.objects.select_related("space"))
    if stage:
        found = found.filter(stages__contains=f",{stage},")
    if perspective:
        found = found.filter(perspectives__contains=f",{perspective},")
    if topic:
        found = found.filter(topics__icontains=topic.strip())
    if place:
        found = found.filter(place__icontains=place.strip())
    if outcome:
        for word in outcome.split()[:6]:
            found = found.filter(Q(what_changed__icontains=word) | Q(evidence__icontains=word))
    if space_id:
        found = found.filter(space_id=space_id)
    return found


def hub_section(user) -> HubSection | None:
    latest = CaseStudy.objects.filter(status=CaseStudyStatus.PUBLISHED).only("id", "title", "place")[:3]
    return HubSection(
        module="casestudies",
        title=_("New case studies"),
        url=reverse("casestudies:list"),
        rows=tuple(
            ModuleItem(title=c.title, url=reverse("casestudies:detail", args=[c.pk]), status=c.place)
            for c in latest
        ),
        order=30,
    )


def search_documents(kind: str, pks: Sequence[int] | None) -> Iterable[SearchDocument]:
    """Published case studies only: a draft is never found."""
    if kind != KIND:
        return []
    found = CaseStudy.objects.filter(status=CaseStudyStatus.PUBLISHED)
    if pks is not None:
        found = found.filter(pk__in=list(pks))
    return [
        SearchDocument(
            kind=KIND,
            pk=c.pk,
            title=c.title,
            body="\n".join(
                [c.topics, c.organisations_text, c.what_happened, c.what_changed, c.what_was_hard]
            ),
            url=reverse("casestudies:detail", args=[c.pk]),
            when=c.published_at,
            place=c.place,
            stages=tuple(c.stage_list),
        )
        for c in found.iterator()
    ]


def items_for_stage(stage, user) -> list[ModuleItem]:
    """On the co-assessment stage: the space's published case studies, and for its hosts the way to draft
    one from the space's records."""
    from coproduce.spaces import access as space_access

    space = stage.space
    if not space_access.can_view(user, space):
        return []
    count = CaseStudy.objects.filter(space=space, status=CaseStudyStatus.PUBLISHED).count()
    items = []
    if count:
        items.append(
            ModuleItem(
                title=_("Case studies from this space"),
                url=f"{reverse('casestudies:list')}?space={space.pk}",
                status=str(count),
            )
        )
    if access.can_generate(user, space):
        items.append(
            ModuleItem(
                title=_("Draft a case study from this space"),
                url=reverse("casestudies:generate", args=[space.slug]),
            )
        )
    return items
