"""Reads for the hub's pages, the API, the feeds and the other modules (search, home, network screen)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, Count, Prefetch, Q, QuerySet, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from coproduce.core import registry
from coproduce.core.registry import (
    HubSection,
    ModuleItem,
    NetworkAdminSection,
    SearchDocument,
    Urgency,
    WaitingItem,
)

from . import access
from .models import Category, Comment, Helped, Post, PostStatus, Report

LATEST_ROWS = 5
NETWORK_ROWS = 5


def published() -> QuerySet[Post]:
    """Public posts, newest first, with what a list shows (category and author: one query per page)."""
    return (
        Post.objects.filter(status=PostStatus.PUBLISHED)
        .select_related("category", "author")
        .order_by("-published_at", "-id")
    )


def categories_with_counts() -> list[Category]:
    """Every category with its number of public posts (`post_count`, kept by the services): one query."""
    return list(Category.objects.all())


def recount() -> None:
    """Count every category's public posts again (after rows were added in bulk, as the benchmark and the
    demo do, or to repair the counts)."""
    counts = dict(
        Post.objects.filter(status=PostStatus.PUBLISHED)
        .order_by()
        .values_list("category")
        .annotate(n=Count("pk"))
        .values_list("category", "n")
    )
    for category in Category.objects.all():
        if category.post_count != counts.get(category.pk, 0):
            Category.objects.filter(pk=category.pk).update(post_count=counts.get(category.pk, 0))


class CountedPaginator(Paginator):
    """A paginator told how many rows there are (from the categories' counts), so that a page of the
    latest posts never counts 100,000 rows."""

    def __init__(self, object_list, per_page, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count


@dataclass(frozen=True)
class PostRow:
    """One line of a list of posts, its words put together here rather than in the template: a page of the
    hub's home is twenty of these, and the template engine is the slow part of it."""

    title: str
    url: str
    meta: str
    category: str
    category_url: str


def post_rows(posts) -> list[PostRow]:
    rows = []
    for p in posts:
        parts = [
            gettext("%(kind)s by %(author)s")
            % {"kind": p.get_kind_display(), "author": p.author.display_name},
            date_format(timezone.localtime(p.published_at), "j M Y") if p.published_at else "",
            ngettext("%(n)s comment", "%(n)s comments", p.comment_count) % {"n": p.comment_count},
        ]
        if p.helped_count:
            parts.append(
                ngettext("%(n)s found it helped", "%(n)s found it helped", p.helped_count)
                % {"n": p.helped_count}
            )
        rows.append(
            PostRow(
                title=p.title,
                url=p.get_absolute_url(),
                meta=" · ".join(x for x in parts if x),
                category=p.category.name,
                category_url=p.category.get_absolute_url(),
            )
        )
    return rows


def my_posts(user) -> QuerySet[Post]:
    return Post.objects.filter(author=user).select_related("category").order_by("-created_at", "-id")


@dataclass
class Conversation:
    comments: list[Comment]  # top-level, each with `.thread` (its replies), oldest first
    helped_posts: set[int]
    helped_comments: set[int]


def conversation(post: Post, user) -> Conversation:
    """The post's comments with their replies (one level), and what the reader said helped. Three queries."""
    rows = list(post.comments.select_related("author").order_by("created_at", "id"))
    top = [c for c in rows if c.parent_id is None]
    by_parent: dict[int, list[Comment]] = {}
    for c in rows:
        if c.parent_id is not None:
            by_parent.setdefault(c.parent_id, []).append(c)
    for c in top:
        c.thread = by_parent.get(c.pk, [])  # type: ignore[attr-defined]
    helped_posts: set[int] = set()
    helped_comments: set[int] = set()
    if user.is_authenticated:
        for post_id, comment_id in (
            Helped.objects.filter(user=user)
            .filter(Q(post=post) | Q(comment__post=post))
            .values_list("post_id", "comment_id")
        ):
            if post_id:
                helped_posts.add(post_id)
            if comment_id:
                helped_comments.add(comment_id)
    return Conversation(comments=top, helped_posts=helped_posts, helped_comments=helped_comments)


def open_reports() -> QuerySet[Report]:
    return (
        Report.objects.filter(resolved_at__isnull=True)
        .select_related("reporter", "post__author", "comment__author", "comment__post")
        .order_by("created_at", "id")
    )


def held_posts() -> QuerySet[Post]:
    return (
        Post.objects.filter(status=PostStatus.HELD)
        .select_related("category", "author")
        .order_by("created_at", "id")
    )


def recently_hidden() -> QuerySet[Post]:
    return (
        Post.objects.filter(status=PostStatus.HIDDEN)
        .select_related("category", "author", "hidden_by")
        .order_by("-hidden_at", "-id")
    )


def moderation_counts() -> dict[str, int]:
    """Open reports and held posts, in ONE query (a UNION of two counts)."""
    held = (
        Post.objects.filter(status=PostStatus.HELD)
        .order_by()
        .annotate(what=Value("held", output_field=CharField()))
        .values("what")
        .annotate(n=Count("pk"))
        .values_list("what", "n")
    )
    reports = (
        Report.objects.filter(resolved_at__isnull=True)
        .order_by()
        .annotate(what=Value("reports", output_field=CharField()))
        .values("what")
        .annotate(n=Count("pk"))
        .values_list("what", "n")
    )
    found = {"held": 0, "reports": 0}
    found.update(dict(held.union(reports, all=True)))
    return found


# --- For other modules (through the manifest) ---------------------------------------------------------


def waiting_items(user) -> list[WaitingItem]:
    """For network admins' home: reports and held posts waiting for a moderator. One query; none for others."""
    if not access.can_moderate(user):
        return []
    counts = moderation_counts()
    url = reverse("hub:moderation")
    items = []
    if counts["reports"]:
        items.append(
            WaitingItem(
                module="hub",
                kind="hub_reports",
                title=ngettext(
                    "Look at %(n)s report in the hub", "Look at %(n)s reports in the hub", counts["reports"]
                )
                % {"n": counts["reports"]},
                url=url,
                urgency=Urgency.WAITING_ON_YOU,
                detail=gettext("Someone thinks a post or comment breaks the hub’s rules."),
            )
        )
    if counts["held"]:
        items.append(
            WaitingItem(
                module="hub",
                kind="hub_held_posts",
                title=ngettext(
                    "%(n)s new member’s post is waiting for a moderator",
                    "%(n)s new members’ posts are waiting for a moderator",
                    counts["held"],
                )
                % {"n": counts["held"]},
                url=url,
                urgency=Urgency.WAITING_ON_YOU,
                detail=gettext("Nobody else sees them until you let them through."),
            )
        )
    return items


def network_section(user) -> NetworkAdminSection | None:
    if not access.can_moderate(user):
        return None
    counts = moderation_counts()
    url = reverse("hub:moderation")
    rows = tuple(
        (
            gettext("Reported: “%(title)s”") % {"title": (r.post or r.comment.post).title},  # type: ignore[union-attr]
            url,
        )
        for r in open_reports()[:NETWORK_ROWS]
    )
    return NetworkAdminSection(
        module="hub",
        title=gettext("The hub: reports and held posts"),
        url=url,
        needs_attention=counts["reports"] + counts["held"],
        rows=rows,
    )


def hub_section(user) -> HubSection | None:
    """ "Latest posts", for the hub's home and anything else that gathers the sections."""
    if not access.can_read(user):
        return None
    return HubSection(
        module="hub",
        title=gettext("Latest posts"),
        url=reverse("hub:home"),
        rows=tuple(
            ModuleItem(title=p.title, url=p.get_absolute_url(), status=p.category.name)
            for p in published()[:LATEST_ROWS]
        ),
        order=10,
    )


def other_sections(user) -> list[HubSection]:
    """What other modules put on the hub's home (coming events, new case studies...), ordered by `order`.
    The hub's own "Latest posts" is the page's main list, so it is not repeated."""
    found = []
    for manifest in registry.manifests():
        if manifest.hub_section is None or manifest.name == "hub":
            continue
        section = manifest.hub_section(user)
        if section is not None:
            found.append(section)
    return sorted(found, key=lambda s: (s.order, str(s.title)))


def search_documents(kind: str, pks: Sequence[int] | None) -> Iterable[SearchDocument]:
    """Only public posts (never held or hidden ones). `public` follows the hub's setting."""
    if kind != "hub.post":
        return
    posts = Post.objects.filter(status=PostStatus.PUBLISHED).select_related("category")
    if pks is not None:
        posts = posts.filter(pk__in=list(pks))
    public = access.hub_is_public()
    for post in posts.order_by("pk").iterator(chunk_size=2000):
        yield SearchDocument(
            kind="hub.post",
            pk=post.pk,
            title=post.title,
            body=f"{post.category.name}\n{post.body}",
            url=post.get_absolute_url(),
            space_id=None,
            public=public,
            when=post.published_at,
        )


def prefetch_open_reports() -> Prefetch:
    return Prefetch("reports", queryset=Report.objects.filter(resolved_at__isnull=True), to_attr="open")
