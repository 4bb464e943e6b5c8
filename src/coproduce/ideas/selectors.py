"""Reads for ideas: the list (counts annotated in one query), one idea with its conversation, moderation,
and an idea as a `Source` for the modules that carry adopted ideas on (see apps.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from coproduce.core import registry
from coproduce.core.prepared import Prepared
from coproduce.core.registry import NetworkAdminSection, SearchDocument, Source, Urgency, WaitingItem
from coproduce.people.access import can_admin_network
from coproduce.spaces.access import get_space_and, space_read
from coproduce.spaces.models import Perspective, Role, Space

from . import access
from .models import Comment, CommentReport, Idea, IdeaCoAuthor, IdeaStatus, Support

if TYPE_CHECKING:  # django-stubs' helpers are for the type checker only
    from django_stubs_ext import WithAnnotations

NETWORK_ROWS = 5  # reported comments listed on the network admin screen; the rest are on each space's page

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "supported": ("-support_count", "-id"),
}


def _count(model, **filters) -> Coalesce:
    """A correlated COUNT subquery. On a paginated list it is computed for the rows shown only, where a
    JOIN + GROUP BY would count the comments of every idea in the space before cutting the page."""
    counted = (
        model.objects.filter(idea=OuterRef("pk"), **filters)
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class IdeaCounts(TypedDict):
    comment_count: int
    supported_by_me: bool


def _with_counts(ideas: QuerySet[Idea], user) -> QuerySet[WithAnnotations[Idea, IdeaCounts]]:
    """Each idea with its visible comments counted and whether `user` supports it (`support_count` is a
    column kept by the support services)."""
    supported = (
        Exists(Support.objects.filter(idea=OuterRef("pk"), user=user))
        if user.is_authenticated
        else Value(False)
    )
    return ideas.annotate(comment_count=_count(Comment, hidden_at__isnull=True), supported_by_me=supported)


# Asked on every list of ideas a signed-in person reads (a page or the API): its SQL built once for each size
# of list up to the longest page, the ids padded with 0, which no idea has.
_SUPPORTED_SIZES = (20, 50, 100)
_SUPPORTED = {
    size: Prepared(
        lambda user_id, *ids: Support.objects.filter(user_id=user_id, idea_id__in=ids).only("idea"),
        values=(int, *(int,) * size),
    )
    for size in _SUPPORTED_SIZES
}


# The lists read which ideas of the space the person supports with the space itself, in one round trip
# (`space_access.get_space_and(many=...)`), up to this many: past it, only those listed are asked.
SUPPORTS_READ_WITH_SPACE = 200
_SUPPORTS_IN_SPACE = Prepared(
    lambda slug, user_id: (
        Support.objects.filter(idea__space__slug=slug, user_id=user_id)
        .only("idea")
        .order_by("pk")[: SUPPORTS_READ_WITH_SPACE + 1]
    ),
    values=(str, int),
)


def supports_read(user, slug: str) -> tuple[Prepared, tuple] | None:
    """The read of which ideas of the space `user` supports, to be asked with the space; None when they are
    not signed in. `supported_among(user, ids, rows)` makes what it found the answer for a list."""
    return (_SUPPORTS_IN_SPACE, (slug, user.pk)) if user.is_authenticated else None


def list_reads(person, slug: str):
    """What a list of the space's ideas reads first (core/ahead.py): the space, and `supports_read`."""
    return space_read(person, slug, many=supports_read(person, slug))


def space_and_supports(user, slug: str) -> tuple[Space, list | None]:
    """The space, checked as `get_space_and` checks it, and the rows `supports_read` found with it (None when
    not signed in): what both lists of ideas, the page and the API's, read first."""
    reads = supports_read(user, slug)
    space, *supports = get_space_and(user, slug, many=reads)
    return space, (supports[0] if reads else None)


def supported_among(user, ids: list[int], rows: list | None) -> set[int]:
    """Which of these ideas `user` supports: from `rows` (`supports_read`, read with the space) when they hold
    all the person's supports in the space, or else with a query of their own (`supported_ids`)."""
    if rows is None or len(rows) > SUPPORTS_READ_WITH_SPACE:
        return supported_ids(user, ids)
    return {row.idea_id for row in rows} & set(ids)


def supported_ids(user, ids: list[int]) -> set[int]:
    """Which of these ideas `user` supports (one query)."""
    if not ids or not user.is_authenticated:
        return set()
    size = next((size for size in _SUPPORTED_SIZES if size >= len(ids)), None)
    if size is None:
        return set(Support.objects.filter(user=user, idea_id__in=ids).values_list("idea_id", flat=True))
    padded = [*ids, *(0,) * (size - len(ids))]
    return {support.idea_id for support in _SUPPORTED[size].all(user.pk, *padded)}


_SUPPORT_MARK = re.compile(r"<!--you-support:(\d+)-->")


def mark_supported(user, rows_html: str, rows: list | None = None) -> str:
    """Fill the marker that `ideas/_results.html` leaves in each row: "You support this" where `user` does,
    nothing elsewhere (at most one query for the whole page; none with `rows`, see `supported_among`).
    Escaped text cannot hold a marker ("<" is "&lt;")."""
    supported = supported_among(user, [int(found) for found in _SUPPORT_MARK.findall(rows_html)], rows)
    words = format_html(" · <strong>{}</strong>", gettext("You support this"))
    return mark_safe(  # noqa: S308 - the rows were rendered with escaping; only our markers are replaced
        _SUPPORT_MARK.sub(lambda found: words if int(found.group(1)) in supported else "", rows_html)
    )


def idea_list(
    space, *, status: str = "", sort: str = "newest", q: str = ""
) -> QuerySet[WithAnnotations[Idea, IdeaCounts]]:
    """The same for everyone who may see the space (`access.list_audience`): `supported_by_me` is always
    False here; pages mark the reader's own support afterwards (`supported_ids`, `mark_supported`)."""
    ideas = _with_counts(Idea.objects.filter(space=space).select_related("author"), AnonymousUser())
    if status:
        ideas = ideas.filter(status=status)
    if q:
        ideas = ideas.filter(Q(title__icontains=q) | Q(body__icontains=q))
    return ideas.order_by(*SORTS.get(sort, SORTS["newest"]))


PRINTED_IDEAS = 200


def open_ideas_to_print(space) -> QuerySet[Idea]:
    """The ideas still under discussion, most supported first, for a drop-in session's printed list."""
    return (
        Idea.objects.filter(space=space, status=IdeaStatus.UNDER_DISCUSSION)
        .only("id", "title", "body", "author_perspective", "support_count", "entered_by_id", "created_at")
        .order_by("-support_count", "-id")[:PRINTED_IDEAS]
    )


def status_counts(space) -> dict[str, int]:
    counts = dict(Idea.objects.filter(space=space).order_by().values_list("status").annotate(n=Count("pk")))
    return {value: counts.get(value, 0) for value in IdeaStatus.values}


def idea_with_counts(idea: Idea, user) -> WithAnnotations[Idea, IdeaCounts]:
    """The idea read again, with its counts as the list has them, for its page and the API."""
    return _with_counts(Idea.objects.select_related("space", "author", "merged_into"), user).get(pk=idea.pk)


def conversation(idea: Idea, user) -> list[Comment]:
    """Top-level comments, oldest first, each with its replies, in two queries. Each comment says whether
    `user` may still change it (`editable`, from `access.can_edit_comment`)."""
    replies = Comment.objects.select_related("author", "hidden_by").order_by("created_at", "id")
    comments = list(
        Comment.objects.filter(idea=idea, parent__isnull=True)
        .select_related("author", "hidden_by")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )
    now = timezone.now()
    for comment in comments:
        for shown in (comment, *comment.replies.all()):
            shown.editable = bool(access.can_edit_comment(user, shown, now=now))
    return comments


def co_authors(idea: Idea) -> QuerySet:
    return IdeaCoAuthor.objects.filter(idea=idea).select_related("user")


def support_by_perspective(idea: Idea) -> list[tuple[str, int]]:
    """(perspective label, supporters), most first: whose voices back the idea."""
    rows = Support.objects.filter(idea=idea).order_by().values_list("perspective").annotate(n=Count("pk"))
    return sorted(((str(Perspective(p).label), n) for p, n in rows), key=lambda row: -row[1])


def reported_comments(space) -> QuerySet:
    """Comments with open reports, for facilitators."""
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True).select_related("reporter")
    return (
        Comment.objects.filter(idea__space=space, reports__resolved_at__isnull=True)
        .select_related("idea", "author")
        .prefetch_related(Prefetch("reports", queryset=open_reports, to_attr="open_reports"))
        .distinct()
        .order_by("created_at", "id")
    )


def idea_source(user, idea_id: int) -> Source:
    """The idea as other modules see it ("ideas.idea"); Http404 when `user` may not see it."""
    return as_source(access.get_idea_for(user, idea_id))


def as_source(idea: Idea, co_author_ids: Iterable[int] | None = None) -> Source:
    """An idea the caller may see, as a `Source`: ready to be carried on (made a budget project, an action)
    once adopted; its authors are the author and the co-authors."""
    if co_author_ids is None:
        co_author_ids = IdeaCoAuthor.objects.filter(idea=idea).values_list("user_id", flat=True)
    return Source(
        kind="ideas.idea",
        pk=idea.pk,
        space_id=idea.space_id,
        title=idea.title,
        text=idea.body,
        url=idea.get_absolute_url(),
        ready=idea.status == IdeaStatus.ADOPTED,
        authors=(idea.author_id, *co_author_ids),
        closed=idea.status in (IdeaStatus.MERGED, IdeaStatus.NOT_TAKEN_FORWARD),
    )


def waiting_items(user) -> list[WaitingItem]:
    """For the person's home (the manifest's "waiting_for"): in each space they facilitate or host, the
    comments people have reported that nobody has looked at yet. One query, however many spaces."""
    if not user.is_authenticated:
        return []
    reported = Comment.objects.filter(idea__space=OuterRef("pk"), reports__resolved_at__isnull=True)
    counted = reported.order_by().values("idea__space").annotate(n=Count("pk", distinct=True)).values("n")
    spaces = (
        Space.objects.filter(memberships__user=user, memberships__role__in=[Role.HOST, Role.FACILITATOR])
        .annotate(reported=Coalesce(Subquery(counted, output_field=IntegerField()), 0))
        .filter(reported__gt=0)
        .order_by("title", "id")
    )
    return [
        WaitingItem(
            module="ideas",
            kind="reported_comments",
            title=ngettext(
                "Look at %(n)s reported comment", "Look at %(n)s reported comments", space.reported
            )
            % {"n": space.reported},
            url=reverse("ideas:moderation", args=[space.slug]),
            urgency=Urgency.WAITING_ON_YOU,
            detail=ngettext(
                "Someone thinks it breaks the space’s rules.",
                "People think they break the space’s rules.",
                space.reported,
            ),
            space_title=space.title,
        )
        for space in spaces
    ]


def network_section(user) -> NetworkAdminSection | None:
    """Ideas' part of the network admin screen: how many reports on comments are open across the network,
    and the first comments reported, each linking to its space's moderation page. Two queries."""
    if not can_admin_network(user):
        return None
    open_reports = CommentReport.objects.filter(resolved_at__isnull=True)
    count = open_reports.count()
    first = (
        Comment.objects.filter(reports__resolved_at__isnull=True)
        .values("pk", "idea__title", "idea__space__slug", "idea__space__title")
        .annotate(open_reports=Count("reports", filter=Q(reports__resolved_at__isnull=True)))
        .order_by("created_at", "pk")[:NETWORK_ROWS]
    )
    rows = tuple(
        (
            ngettext(
                "A comment on “%(idea)s” in %(space)s: %(n)s report",
                "A comment on “%(idea)s” in %(space)s: %(n)s reports",
                row["open_reports"],
            )
            % {"idea": row["idea__title"], "space": row["idea__space__title"], "n": row["open_reports"]},
            reverse("ideas:moderation", args=[row["idea__space__slug"]]),
        )
        for row in first
    )
    return NetworkAdminSection(
        module="ideas",
        title=gettext("Reported comments"),
        url=rows[0][1] if rows else "",
        needs_attention=count,
        rows=rows,
    )


def search_documents(kind: str, pks=None):
    """The "ideas.idea" documents of the network search: every idea (ideas are never hidden; their comments are not
    indexed), shown by the search to whoever may see its space."""
    if kind != "ideas.idea":
        return
    found = Idea.objects.select_related("space").order_by("pk")
    if pks is not None:
        found = found.filter(pk__in=pks)
    for idea in found.iterator(chunk_size=500):
        yield SearchDocument(
            kind=kind,
            pk=idea.pk,
            title=idea.title,
            body=idea.body,
            url=reverse("ideas:detail", args=[idea.space.slug, idea.pk]),
            space_id=idea.space_id,
            when=idea.created_at,
            place=idea.space.place,
            stages=("co_commissioning", "co_design"),
        )


# Other modules' objects an idea may be made from ("Make it an idea"), e.g. a statement that found common
# ground in a conversation. Only these kinds: the create page takes `?from=<kind>:<pk>`.
IDEA_SOURCES = ("conversations.statement",)


def make_idea_url(source: Source, user) -> str | None:
    """From a statement that is ready to be carried on: the page that posts it as an idea, prefilled, for
    members who may take part in its space; None else."""
    if source.kind not in IDEA_SOURCES or not source.ready or source.closed:
        return None
    if not getattr(user, "is_authenticated", False):
        return None
    space = Space.objects.filter(pk=source.space_id).only("pk", "slug").first()
    if space is None or not access.can_take_part(user, space):
        return None
    return reverse("ideas:create", args=[space.slug]) + f"?from={source.kind}:{source.pk}"


def idea_from_source(user, space, value: str) -> tuple[Source | None, dict[str, str]]:
    """What `?from=<kind>:<pk>` prefills on the new idea form: the source (None when the value is not one
    this person may carry into this space) and the form's first values. A statement longer than a title may
    be goes whole into the idea's text, never cut: the person writes a short title."""
    from django.http import Http404

    kind, _sep, pk = value.partition(":")
    if kind not in IDEA_SOURCES or not pk.isdigit():
        return None, {}
    try:
        found = registry.source(kind, user, int(pk))
    except Http404:
        return None, {}
    if found.space_id != space.pk or not found.ready or found.closed:
        return None, {}
    title = found.title if len(found.title) <= 140 and "\n" not in found.title else ""
    body = "\n\n".join(part for part in (found.title, found.text) if part)
    return found, {"title": title, "body": body}
