"""Every change in the hub: validated, atomic and audited. Moderation tells the author through the
notifications hook; every change to what may be found tells the search (`registry.search_changed`)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coproduce.core import audit, registry
from coproduce.people.models import User

from . import access
from .models import (
    BODY_LIMIT,
    COMMENT_LIMIT,
    TITLE_LIMIT,
    Category,
    Comment,
    DigestChoice,
    Helped,
    Post,
    PostStatus,
    Report,
)

SEARCH_KIND = "hub.post"
HOUR = 3600


def _clean(value: str | None) -> str:
    return (value or "").strip()


def _check_length(field: str, value: str, limit: int, what: str) -> None:
    if len(value) > limit:
        raise ValidationError(
            {
                field: _(
                    "Your %(what)s is %(n)s characters; the limit is %(limit)s. Shorten it and try again."
                )
                % {"what": what, "n": f"{len(value):,}", "limit": f"{limit:,}"}
            }
        )


def _check_links(field: str, actor: User, text: str, what: str) -> None:
    if access.count_links(text) > access.NEW_MEMBER_LINKS and access.is_new_member(actor):
        raise ValidationError(
            {
                field: ngettext(
                    "New members can put %(n)s link in a %(what)s. Take out the other links and try again; "
                    "once a moderator has let your first posts through, you can add more.",
                    "New members can put %(n)s links in a %(what)s. Take out the other links and try again; "
                    "once a moderator has let your first posts through, you can add more.",
                    access.NEW_MEMBER_LINKS,
                )
                % {"n": access.NEW_MEMBER_LINKS, "what": what}
            }
        )


# --- Rate limits ---------------------------------------------------------------------------------
# In the cache (shared by every process: see settings.CACHES), as the times of the last hour's posts. Two
# posts sent at the same instant may both pass the check (get, then set): the limit is against floods, not an
# exact count, and the DB cache has no atomic list append.


def _rate_key(what: str, user: User) -> str:
    return f"hub:rate:{what}:{user.pk}"


def _recent(what: str, user: User) -> list[float]:
    cutoff = time.time() - HOUR
    return [t for t in cache.get(_rate_key(what, user), []) if t > cutoff]


def _check_rate(what: str, user: User, limit: int) -> None:
    if access.can_moderate(user):
        return
    if len(_recent(what, user)) >= limit:
        if what == "post":
            message = _("You have posted %(n)s times in the last hour. Please wait before posting again.")
        else:
            message = _(
                "You have commented %(n)s times in the last hour. Please wait before commenting again."
            )
        raise ValidationError(message % {"n": limit})


def _count_rate(what: str, user: User) -> None:
    cache.set(_rate_key(what, user), [*_recent(what, user), time.time()], HOUR)


def _public_posts(category_id: int, change: int) -> None:
    Category.objects.filter(pk=category_id).update(post_count=F("post_count") + change)


def _tell(*, kind: str, person: User, params: dict, url: str, key: str, actor: User, text: str = "") -> None:
    """Through the notifications module's hook; with no such module, nobody is told."""
    notify = registry.hook("notify")
    if notify is not None:
        notify(kind=kind, recipients=[person], params=params, url=url, key=key, actor=actor, text=text)


# --- Categories ----------------------------------------------------------------------------------


@transaction.atomic
def category_create(*, actor: User, name: str, description: str = "", position: int = 100) -> Category:
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins set the hub's categories."))
    name = _clean(name)
    slug = slugify(name)[:80]
    if Category.objects.filter(slug=slug).exists() or Category.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": _("There is already a category with that name.")})
    category = Category(name=name, slug=slug, description=_clean(description), position=position)
    category.full_clean()
    category.save()
    audit.record(
        actor=actor,
        action="hub.category_created",
        target=category,
        summary=_("Hub category “%(name)s” added") % {"name": name},
        changes={"name": [None, name]},
    )
    return category


@transaction.atomic
def category_update(
    *, actor: User, category: Category, name: str, description: str, position: int
) -> Category:
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins set the hub's categories."))
    name = _clean(name)
    if Category.objects.filter(name__iexact=name).exclude(pk=category.pk).exists():
        raise ValidationError({"name": _("There is already a category with that name.")})
    fields = ["name", "description", "position"]
    before = audit.snapshot(category, fields)
    category.name, category.description, category.position = name, _clean(description), position
    category.full_clean()
    changes = audit.diff(category, before, fields)
    if changes:
        category.save(update_fields=list(changes))
        audit.record(
            actor=actor,
            action="hub.category_changed",
            target=category,
            summary=_("Hub category “%(name)s” changed") % {"name": name},
            changes=changes,
        )
    return category


# --- Posts ---------------------------------------------------------------------------------------


@transaction.atomic
def post_create(*, actor: User, category: Category, kind: str, title: str, body: str) -> Post:
    """A member's post. A new member's posts wait for a moderator (see access.py); over the hour's limit or
    with too many links for a new member, nothing is saved and the message says why."""
    if not access.can_write(actor):
        raise PermissionDenied(_("Sign in to write a post."))
    title, body = _clean(title), _clean(body)
    _check_length("title", title, TITLE_LIMIT, _("title"))
    _check_length("body", body, BODY_LIMIT, _("post"))
    _check_links("body", actor, f"{title}\n{body}", _("post"))
    _check_rate("post", actor, access.POSTS_PER_HOUR)
    now = timezone.now()
    held = access.is_new_member(actor, now=now)
    post = Post(
        category=category,
        author=actor,
        kind=kind,
        title=title,
        body=body,
        status=PostStatus.HELD if held else PostStatus.PUBLISHED,
        held_reason=_("New members' first posts are read by a moderator before they are public.")
        if held
        else "",
        published_at=None if held else now,
    )
    post.full_clean()
    post.save()
    if not held:
        _public_posts(category.pk, +1)
    _count_rate("post", actor)
    audit.record(
        actor=actor,
        action="hub.post_created",
        target=post,
        summary=_("Hub post “%(title)s” written in %(category)s")
        % {"title": title, "category": category.name},
        changes={"title": [None, title], "status": [None, post.status]},
    )
    if not held:
        registry.search_changed(SEARCH_KIND, [post.pk])
    return post


@transaction.atomic
def post_update(*, actor: User, post: Post, category: Category, kind: str, title: str, body: str) -> Post:
    post = Post.objects.select_for_update().get(pk=post.pk)  # a moderator hiding it at the same moment
    if not access.can_edit_post(actor, post):
        raise PermissionDenied(_("Only the person who wrote a post can change it, while it is not hidden."))
    title, body = _clean(title), _clean(body)
    _check_length("title", title, TITLE_LIMIT, _("title"))
    _check_length("body", body, BODY_LIMIT, _("post"))
    _check_links("body", actor, f"{title}\n{body}", _("post"))
    fields = ["category", "kind", "title", "body"]
    before = audit.snapshot(post, fields)
    post.category, post.kind, post.title, post.body = category, kind, title, body
    post.full_clean()
    changes = audit.diff(post, before, fields)
    if not changes:
        return post
    post.edited_at = timezone.now()
    post.save(update_fields=[*changes, "edited_at"])
    if "category" in changes and post.status == PostStatus.PUBLISHED:
        _public_posts(before["category"].pk, -1)
        _public_posts(category.pk, +1)
    audit.record(
        actor=actor,
        action="hub.post_changed",
        target=post,
        summary=_("Hub post “%(title)s” changed") % {"title": title},
        changes=changes,
    )
    registry.search_changed(SEARCH_KIND, [post.pk])
    return post


@transaction.atomic
def post_publish(*, actor: User, post: Post) -> Post:
    """A moderator lets a held post through; its author is told."""
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins let held posts through."))
    # Conditional UPDATE: of two moderators pressing at once, one publishes and the other is told it is done.
    now = timezone.now()
    if not Post.objects.filter(pk=post.pk, status=PostStatus.HELD).update(
        status=PostStatus.PUBLISHED, published_at=now, held_reason=""
    ):
        raise ValidationError(_("This post is not waiting for a moderator any more."))
    post.refresh_from_db()
    _public_posts(post.category_id, +1)
    audit.record(
        actor=actor,
        action="hub.post_published",
        target=post,
        summary=_("Held hub post “%(title)s” let through") % {"title": post.title},
        changes={"status": [PostStatus.HELD, PostStatus.PUBLISHED]},
    )
    _tell(
        kind="hub_post_published",
        person=post.author,
        params={"title": post.title},
        url=post.get_absolute_url(),
        key=f"hub_post_published:{post.pk}",
        actor=actor,
    )
    registry.search_changed(SEARCH_KIND, [post.pk])
    return post


@transaction.atomic
def post_hide(*, actor: User, post: Post, reason: str) -> Post:
    """A moderator hides a post (published or held), with a reason its author is told."""
    post = Post.objects.select_for_update().select_related("author").get(pk=post.pk)
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins hide posts."))
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why. The person who wrote it will be told.")})
    _check_length("reason", reason, 1000, _("reason"))
    if post.status == PostStatus.HIDDEN:
        raise ValidationError(_("This post is already hidden."))
    before = post.status
    now = timezone.now()
    post.status, post.hidden_at, post.hidden_by, post.hidden_reason = PostStatus.HIDDEN, now, actor, reason
    post.full_clean()
    post.save(update_fields=["status", "hidden_at", "hidden_by", "hidden_reason"])
    if before == PostStatus.PUBLISHED:
        _public_posts(post.category_id, -1)
    Report.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now, resolved_by=actor)
    audit.record(
        actor=actor,
        action="hub.post_hidden",
        target=post,
        summary=_("Hub post “%(title)s” hidden: %(reason)s") % {"title": post.title, "reason": reason},
        changes={"status": [before, PostStatus.HIDDEN], "hidden_reason": ["", reason]},
    )
    _tell(
        kind="hub_post_hidden",
        person=post.author,
        params={"title": post.title},
        url=post.get_absolute_url(),
        key=f"hub_post_hidden:{post.pk}:{now.timestamp()}",
        actor=actor,
        text=reason,
    )
    registry.search_changed(SEARCH_KIND, [post.pk])
    return post


@transaction.atomic
def post_restore(*, actor: User, post: Post) -> Post:
    """A moderator puts a hidden post back; it is public again (a post hidden while held was reviewed)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins restore posts."))
    if post.status != PostStatus.HIDDEN:
        raise ValidationError(_("This post is not hidden."))
    reason = post.hidden_reason
    post.status, post.hidden_at, post.hidden_by, post.hidden_reason = PostStatus.PUBLISHED, None, None, ""
    post.published_at = post.published_at or timezone.now()
    post.held_reason = ""
    post.full_clean()
    post.save(
        update_fields=["status", "hidden_at", "hidden_by", "hidden_reason", "published_at", "held_reason"]
    )
    _public_posts(post.category_id, +1)
    audit.record(
        actor=actor,
        action="hub.post_restored",
        target=post,
        summary=_("Hub post “%(title)s” restored") % {"title": post.title},
        changes={"status": [PostStatus.HIDDEN, PostStatus.PUBLISHED], "hidden_reason": [reason, ""]},
    )
    registry.search_changed(SEARCH_KIND, [post.pk])
    return post


# --- Comments ------------------------------------------------------------------------------------


@transaction.atomic
def comment_create(*, actor: User, post: Post, body: str, parent: Comment | None = None) -> Comment:
    if not access.can_write(actor):
        raise PermissionDenied(_("Sign in to comment."))
    if post.status != PostStatus.PUBLISHED:
        raise ValidationError(_("You can comment only on a public post."))
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": _("You can reply only to a comment on this post.")})
        if parent.parent_id is not None:
            # One level of replies: answer the comment the reply belongs to.
            raise ValidationError({"parent": _("Replies cannot be replied to; reply to the first comment.")})
        if parent.is_hidden:
            raise ValidationError({"parent": _("This comment was hidden, so it cannot be replied to.")})
    body = _clean(body)
    _check_length("body", body, COMMENT_LIMIT, _("comment"))
    _check_links("body", actor, body, _("comment"))
    _check_rate("comment", actor, access.COMMENTS_PER_HOUR)
    comment = Comment(post=post, parent=parent, author=actor, body=body)
    comment.full_clean()
    comment.save()
    Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    _count_rate("comment", actor)
    audit.record(
        actor=actor,
        action="hub.comment_created",
        target=comment,
        summary=(_("Reply on hub post “%(title)s”") if parent else _("Comment on hub post “%(title)s”"))
        % {"title": post.title},
    )
    return comment


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",)).select_related("post", "author").get(pk=comment.pk)
    )
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins hide comments."))
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why. The person who wrote it will be told.")})
    _check_length("reason", reason, 1000, _("reason"))
    if comment.is_hidden:
        raise ValidationError(_("This comment is already hidden."))
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason
    comment.full_clean()
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") - 1)
    Report.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    audit.record(
        actor=actor,
        action="hub.comment_hidden",
        target=comment,
        summary=_("A comment on hub post “%(title)s” was hidden: %(reason)s")
        % {"title": comment.post.title, "reason": reason},
        changes={"hidden_reason": ["", reason]},
    )
    _tell(
        kind="hub_comment_hidden",
        person=comment.author,
        params={"title": comment.post.title},
        url=f"{comment.post.get_absolute_url()}#comment-{comment.pk}",
        key=f"hub_comment_hidden:{comment.pk}:{now.timestamp()}",
        actor=actor,
        text=reason,
    )
    return comment


@transaction.atomic
def comment_restore(*, actor: User, comment: Comment) -> Comment:
    comment = Comment.objects.select_for_update(of=("self",)).select_related("post").get(pk=comment.pk)
    if not access.can_moderate(actor):
        raise PermissionDenied(_("Only network admins restore comments."))
    if not comment.is_hidden:
        raise ValidationError(_("This comment is not hidden."))
    reason = comment.hidden_reason
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = None, None, ""
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    Post.objects.filter(pk=comment.post_id).update(comment_count=F("comment_count") + 1)
    audit.record(
        actor=actor,
        action="hub.comment_restored",
        target=comment,
        summary=_("A comment on hub post “%(title)s” was restored") % {"title": comment.post.title},
        changes={"hidden_reason": [reason, ""]},
    )
    return comment


# --- "This helped" -------------------------------------------------------------------------------


@transaction.atomic
def helped_toggle(*, actor: User, post: Post | None = None, comment: Comment | None = None) -> bool:
    """Says "this helped", or takes it back when already said. True when it now stands."""
    if not access.can_write(actor):
        raise PermissionDenied(_("Sign in to say this helped."))
    if (post is None) == (comment is None):
        raise ValueError("give a post or a comment")
    target: Post | Comment = post if post is not None else comment  # type: ignore[assignment]
    model = Post if post is not None else Comment
    found = Helped.objects.filter(user=actor, post=post, comment=comment)
    if found.delete()[0]:
        model.objects.filter(pk=target.pk).update(helped_count=F("helped_count") - 1)
        now_helped = False
    else:
        try:
            with transaction.atomic():
                Helped.objects.create(user=actor, post=post, comment=comment)
        except IntegrityError:
            return True  # the same person's second click at the same moment: it stands once
        model.objects.filter(pk=target.pk).update(helped_count=F("helped_count") + 1)
        now_helped = True
    audit.record(
        actor=actor,
        action="hub.helped" if now_helped else "hub.helped_withdrawn",
        target=target,
        summary=_("Said this helped") if now_helped else _("Took back “this helped”"),
    )
    return now_helped


# --- Reports -------------------------------------------------------------------------------------


@transaction.atomic
def report_create(
    *, actor: User, reason: str, post: Post | None = None, comment: Comment | None = None
) -> Report:
    if not access.can_write(actor):
        raise PermissionDenied(_("Sign in to report something."))
    if (post is None) == (comment is None):
        raise ValueError("give a post or a comment")
    reason = _clean(reason)
    if not reason:
        raise ValidationError({"reason": _("Say what is wrong with it, so that a moderator can decide.")})
    _check_length("reason", reason, 1000, _("reason"))
    report = Report(reporter=actor, post=post, comment=comment, reason=reason)
    report.full_clean(validate_unique=False, validate_constraints=False)  # the database decides uniqueness
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError(_("You have already reported this. A moderator will look at it.")) from error
    target: Post | Comment = post if post is not None else comment  # type: ignore[assignment]
    audit.record(
        actor=actor,
        action="hub.reported",
        target=target,
        summary=_("Reported to the hub's moderators"),
        changes={"reason": [None, reason]},
    )
    return report


@transaction.atomic
def reports_dismiss(*, actor: User, post: Post | None = None, comment: Comment | None = None) -> int:
    """A moderator looked at the reports and decided the post or comment stays."""
    if not access.can_moderate(actor):
        raise PermissionDenied
    count = Report.objects.filter(post=post, comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if count:
        target: Post | Comment = post if post is not None else comment  # type: ignore[assignment]
        audit.record(
            actor=actor,
            action="hub.reports_dismissed",
            target=target,
            summary=_("Reports dismissed; it stays"),
        )
    return count


# --- The weekly digest ---------------------------------------------------------------------------


@transaction.atomic
def digest_choose(*, actor: User, user: User, weekly: bool) -> DigestChoice:
    """`actor` is the person or, for the unsubscribe link, the person the signed token names."""
    if actor.pk != user.pk:
        raise PermissionDenied
    choice, _created = DigestChoice.objects.get_or_create(user=user)
    if choice.weekly != weekly:
        choice.weekly = weekly
        choice.save(update_fields=["weekly", "changed_at"])
        audit.record(
            actor=actor,
            action="hub.digest_chosen" if weekly else "hub.digest_stopped",
            target=choice,
            summary=_("Chose the hub's weekly digest") if weekly else _("Stopped the hub's weekly digest"),
            changes={"weekly": [not weekly, weekly]},
        )
    return choice
