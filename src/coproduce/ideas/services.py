"""Every change to ideas, supports, co-authors and comments: validated, atomic and audited."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from coproduce.core import audit, registry
from coproduce.notifications.kinds import OnBehalfAct
from coproduce.notifications.services import acted_on_behalf, notify
from coproduce.people.models import User
from coproduce.spaces import access as space_access
from coproduce.spaces.models import Space

from . import access
from .models import Comment, CommentReport, Idea, IdeaCoAuthor, IdeaStatus, Support


def _clean_text(value: str) -> str:
    return (value or "").strip()


def _authors(idea: Idea) -> list[int]:
    """The ids of the people who wrote the idea (its author and co-authors) who are still members of its
    space: a notification about the idea must not reach someone who has left it."""
    ids = {idea.author_id, *IdeaCoAuthor.objects.filter(idea=idea).values_list("user_id", flat=True)}
    return list(idea.space.memberships.filter(user_id__in=ids).values_list("user_id", flat=True))


def _people(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids))


# --- Ideas ----------------------------------------------------------------------------------------


@transaction.atomic
def idea_create(
    *, actor: User, space: Space, title: str, body: str, on_behalf_of: User | None = None
) -> Idea:
    person, for_whom = space_access.participant_for(actor, space, on_behalf_of)
    idea = Idea(
        space=space,
        author=person,
        author_perspective=access.perspective_of(person, space),
        title=_clean_text(title),
        body=_clean_text(body),
        entered_by=actor if for_whom is not None else None,
    )
    idea.full_clean()
    idea.save()
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="idea.created",
        target=idea,
        space=space,
        summary=_("Idea “%(title)s” posted") % {"title": idea.title},
        changes={"title": [None, idea.title], "author_perspective": [None, idea.author_perspective]},
        public=True,
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.IDEA,
        url=idea.get_absolute_url(),
        space=space,
        key=str(event.pk),
    )
    registry.search_changed("ideas.idea", [idea.pk])
    return idea


@transaction.atomic
def idea_update(*, actor: User, idea: Idea, title: str, body: str) -> Idea:
    if not access.can_edit_idea(actor, idea):
        raise PermissionDenied(_("Only the people who wrote this idea can change it."))
    if idea.status != IdeaStatus.UNDER_DISCUSSION:
        raise ValidationError(_("This idea has been decided on, so its text can no longer change."))
    before = audit.snapshot(idea, ["title", "body"])
    idea.title, idea.body = _clean_text(title), _clean_text(body)
    idea.full_clean()
    changes = audit.diff(idea, before, ["title", "body"])
    if not changes:
        return idea
    idea.save(update_fields=[*changes, "updated_at"])
    audit.record(
        actor=actor,
        action="idea.updated",
        target=idea,
        space=idea.space,
        summary=_("Idea “%(title)s” changed") % {"title": idea.title},
        changes=changes,
        public=True,
    )
    registry.search_changed("ideas.idea", [idea.pk])
    return idea


@transaction.atomic
def idea_co_author_add(*, actor: User, idea: Idea, user: User) -> IdeaCoAuthor:
    """The author (or a co-author) invites another member to write the idea with them."""
    if not access.can_edit_idea(actor, idea):
        raise PermissionDenied(_("Only the people who wrote this idea can add co-authors."))
    if user.pk == idea.author_id:
        raise ValidationError({"user": _("This person already wrote the idea.")})
    membership = space_access.membership_of(user, idea.space)
    if membership is None:
        raise ValidationError({"user": _("Co-authors must be members of this space.")})
    co_author = IdeaCoAuthor(idea=idea, user=user, perspective=membership.perspective, added_by=actor)
    try:
        with transaction.atomic():
            co_author.save()
    except IntegrityError as error:
        raise ValidationError({"user": _("%(name)s is already a co-author.") % {"name": user}}) from error
    audit.record(
        actor=actor,
        action="idea.co_author_added",
        target=idea,
        space=idea.space,
        summary=_("A co-author (%(perspective)s) joined the idea “%(title)s”")
        % {"perspective": membership.get_perspective_display(), "title": idea.title},
        changes={"co_author": [None, str(user)]},
    )
    return co_author


@transaction.atomic
def idea_co_author_remove(*, actor: User, idea: Idea, user: User) -> None:
    if not (access.can_edit_idea(actor, idea) or access.can_moderate(actor, idea.space)):
        raise PermissionDenied
    deleted, _rows = IdeaCoAuthor.objects.filter(idea=idea, user=user).delete()
    if deleted:
        audit.record(
            actor=actor,
            action="idea.co_author_removed",
            target=idea,
            space=idea.space,
            summary=_("A co-author left the idea “%(title)s”") % {"title": idea.title},
            changes={"co_author": [str(user), None]},
        )


@transaction.atomic
def idea_set_status(
    *, actor: User, idea: Idea, status: str, reason: str, merged_into: Idea | int | None = None
) -> Idea:
    """Facilitators and hosts say what became of an idea, always with a reason everyone can read.
    `merged_into`: the idea it is merged into, or its number as a person typed it (web and API)."""
    if not access.can_moderate(actor, idea.space):
        raise PermissionDenied(_("Only facilitators and hosts decide what becomes of an idea."))
    # Lock: two facilitators deciding at once must not both read the old status and each write theirs
    # over the other's reason. Then work on the caller's instance so that it shows the new status too.
    Idea.objects.select_for_update().filter(pk=idea.pk).values_list("pk").get()
    idea.refresh_from_db(fields=["status", "status_reason", "merged_into"])
    reason = _clean_text(reason)
    if status not in IdeaStatus.values:
        raise ValidationError({"status": _("Choose a status from the list.")})
    if not reason and status != IdeaStatus.UNDER_DISCUSSION:
        raise ValidationError({"reason": _("Say why, so that everyone who took part understands.")})
    target: Idea | None = None
    if status == IdeaStatus.MERGED:
        if merged_into is None:
            raise ValidationError({"merged_into": _("Choose the idea it is merged into.")})
        if isinstance(merged_into, Idea):
            target = merged_into
        else:
            target = Idea.objects.filter(space_id=idea.space_id, pk=merged_into).first()
        decision = access.can_merge_into(actor, idea, target)
        if not decision:
            raise ValidationError({"merged_into": decision.reason})
    before = audit.snapshot(idea, ["status", "status_reason", "merged_into"])
    idea.status, idea.status_reason, idea.merged_into = status, reason, target
    idea.status_changed_by, idea.status_changed_at = actor, timezone.now()
    idea.full_clean()
    changes = audit.diff(idea, before, ["status", "status_reason", "merged_into"])
    if not changes:
        return idea
    idea.save(
        update_fields=[
            "status",
            "status_reason",
            "merged_into",
            "status_changed_by",
            "status_changed_at",
            "updated_at",
        ]
    )
    event = audit.record(
        actor=actor,
        action="idea.status_changed",
        target=idea,
        space=idea.space,
        summary=_("Idea “%(title)s”: %(status)s. %(reason)s")
        % {"title": idea.title, "status": idea.get_status_display(), "reason": reason},
        changes=changes,
        public=True,
    )
    notify(
        kind="idea_status_changed",
        recipients=_people(_authors(idea)),
        params={"title": idea.title},
        url=idea.get_absolute_url(),
        space=idea.space,
        actor=actor,
        text=reason,
        key=f"idea_status_changed:{idea.pk}:{event.pk}",
    )
    return idea


# --- Support --------------------------------------------------------------------------------------


@transaction.atomic
def idea_support(*, actor: User, idea: Idea, on_behalf_of: User | None = None) -> Support:
    person, for_whom = space_access.participant_for(actor, idea.space, on_behalf_of)
    if idea.status != IdeaStatus.UNDER_DISCUSSION:
        raise ValidationError(_("You can support an idea only while it is under discussion."))
    support = Support(idea=idea, user=person, perspective=access.perspective_of(person, idea.space))
    try:
        # The unique constraint, not a prior check, decides: two clicks at once must count once.
        with transaction.atomic():
            support.save()
    except IntegrityError as error:
        message = (
            _("%(name)s already supports this idea.") % {"name": person}
            if for_whom
            else _("You already support this idea.")
        )
        raise ValidationError(message) from error
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") + 1)
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="idea.supported",
        target=idea,
        space=idea.space,
        summary=_("Support added to “%(title)s”") % {"title": idea.title},
        changes={"perspective": [None, support.perspective]},
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.SUPPORT,
        url=idea.get_absolute_url(),
        space=idea.space,
        key=str(event.pk),
    )
    return support


@transaction.atomic
def idea_unsupport(*, actor: User, idea: Idea, on_behalf_of: User | None = None) -> None:
    person, for_whom = space_access.participant_for(actor, idea.space, on_behalf_of)
    if idea.status != IdeaStatus.UNDER_DISCUSSION:
        raise ValidationError(_("This idea has been decided on; supports can no longer change."))
    deleted, _rows = Support.objects.filter(idea=idea, user=person).delete()
    if not deleted:
        raise ValidationError(
            _("%(name)s does not support this idea.") % {"name": person}
            if for_whom
            else _("You do not support this idea.")
        )
    Idea.objects.filter(pk=idea.pk).update(support_count=F("support_count") - 1)
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="idea.support_withdrawn",
        target=idea,
        space=idea.space,
        summary=_("Support withdrawn from “%(title)s”") % {"title": idea.title},
    )
    acted_on_behalf(
        actor=actor,
        person=for_whom,
        act=OnBehalfAct.SUPPORT_WITHDRAWN,
        url=idea.get_absolute_url(),
        space=idea.space,
        key=str(event.pk),
    )


# --- Comments -------------------------------------------------------------------------------------


@transaction.atomic
def comment_create(
    *, actor: User, idea: Idea, body: str, parent: Comment | None = None, on_behalf_of: User | None = None
) -> Comment:
    person, for_whom = space_access.participant_for(actor, idea.space, on_behalf_of)
    if parent is not None:
        if parent.idea_id != idea.pk:
            raise ValidationError({"parent": _("You can reply only to a comment on this idea.")})
        if parent.parent_id is not None:
            # One level of replies: answer the comment the reply belongs to.
            raise ValidationError({"parent": _("Replies cannot be replied to; reply to the first comment.")})
    comment = Comment(
        idea=idea,
        parent=parent,
        author=person,
        author_perspective=access.perspective_of(person, idea.space),
        body=_clean_text(body),
        entered_by=actor if for_whom is not None else None,
    )
    comment.full_clean()
    comment.save()
    event = audit.record(
        actor=actor,
        on_behalf_of=for_whom,
        action="idea.comment_created",
        target=comment,
        space=idea.space,
        summary=(_("Reply on “%(title)s”") if parent else _("Comment on “%(title)s”"))
        % {"title": idea.title},
    )
    url = f"{idea.get_absolute_url()}#comment-{comment.pk}"
    # The authors hear of it, never the person who wrote the comment (nor whoever wrote it for them).
    notify(
        kind="idea_commented",
        recipients=_people([pk for pk in _authors(idea) if pk != person.pk]),
        params={"person": person.display_name, "title": idea.title},
        url=url,
        space=idea.space,
        actor=actor,
        text=comment.body[:300],
        key=f"idea_commented:{comment.pk}",
    )
    acted_on_behalf(
        actor=actor, person=for_whom, act=OnBehalfAct.COMMENT, url=url, space=idea.space, key=str(event.pk)
    )
    return comment


@transaction.atomic
def comment_update(*, actor: User, comment: Comment, body: str) -> Comment:
    # Lock: a facilitator hiding the comment at the same moment must not have it changed under them.
    comment = Comment.objects.select_for_update(of=("self",)).select_related("idea__space").get(pk=comment.pk)
    decision = access.can_edit_comment(actor, comment)
    if not decision:
        if decision.role:
            raise PermissionDenied(decision.reason)
        raise ValidationError({"body": decision.reason})
    before = audit.snapshot(comment, ["body"])
    comment.body = _clean_text(body)
    comment.full_clean()
    changes = audit.diff(comment, before, ["body"])
    if not changes:
        return comment
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    audit.record(
        actor=actor,
        action="idea.comment_edited",
        target=comment,
        space=comment.idea.space,
        summary=_("Comment changed on “%(title)s”") % {"title": comment.idea.title},
        changes=changes,
    )
    return comment


@transaction.atomic
def comment_report(*, actor: User, comment: Comment, reason: str) -> CommentReport:
    if not access.can_take_part(actor, comment.idea.space):
        raise PermissionDenied(_("Only members of this space can report comments."))
    report = CommentReport(comment=comment, reporter=actor, reason=_clean_text(reason))
    report.full_clean(validate_unique=False, validate_constraints=False)  # the database decides uniqueness
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as error:
        raise ValidationError(
            _("You have already reported this comment. A facilitator will look at it.")
        ) from error
    audit.record(
        actor=actor,
        action="idea.comment_reported",
        target=comment,
        space=comment.idea.space,
        summary=_("Comment on “%(title)s” reported") % {"title": comment.idea.title},
        changes={"reason": [None, report.reason]},
    )
    return report


@transaction.atomic
def comment_hide(*, actor: User, comment: Comment, reason: str) -> Comment:
    """Facilitators hide a comment; the reason is shown where the comment was."""
    comment = Comment.objects.select_for_update(of=("self",)).select_related("idea__space").get(pk=comment.pk)
    space = comment.idea.space
    if not access.can_answer_reports(actor, space):
        raise PermissionDenied(_("Only facilitators and hosts can hide comments."))
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Say why. Everyone who reads the conversation will see it.")})
    if comment.is_hidden:
        raise ValidationError(_("This comment is already hidden."))
    now = timezone.now()
    comment.hidden_at, comment.hidden_by, comment.hidden_reason = now, actor, reason
    comment.full_clean()
    comment.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=now, resolved_by=actor
    )
    audit.record(
        actor=actor,
        action="idea.comment_hidden",
        target=comment,
        space=space,
        summary=_("A comment on “%(title)s” was hidden: %(reason)s")
        % {"title": comment.idea.title, "reason": reason},
        changes={"hidden_reason": ["", reason]},
        public=True,
    )
    return comment


@transaction.atomic
def comment_reports_dismiss(*, actor: User, comment: Comment) -> int:
    """A facilitator looked at the reports and decided the comment stays."""
    if not access.can_answer_reports(actor, comment.idea.space):
        raise PermissionDenied
    count = CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=actor
    )
    if count:
        audit.record(
            actor=actor,
            action="idea.comment_reports_dismissed",
            target=comment,
            space=comment.idea.space,
            summary=_("Reports on a comment dismissed; the comment stays"),
        )
    return count
